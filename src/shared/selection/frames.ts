import type { Board } from '../board'
import { kindOf } from '../elements/entry'
import { frameMembers, frameRect, isFrame } from '../elements/frame'
import { styledKey } from '../elements/styles'
import { elementRect } from '../elements/transform'
import type { BoardElement, FrameElement } from '../elements/types'
import { type Rect, rectsIntersect } from '../geometry'

// Frames as the selection and the export see them: the board's frames, and the members a moved frame carries.

/** Where elements are looked up: a spatial index (the renderer's scene) or, without one, the board itself. */
export interface ElementLookup {
  /** Ids whose bounds meet a board rectangle. */
  elementsIn(rect: Rect): string[]
  element(id: string): BoardElement | undefined
}

/** A lookup that reads the whole board once (tests, the export, the headless host). */
export function boardLookup(board: Board): ElementLookup {
  const all = board.readElements()
  const byId = new Map(all.map((el) => [el.id, el]))
  const bounds = new Map(all.map((el) => [el.id, elementRect(el)]))
  return {
    elementsIn: (rect) =>
      all.filter((el) => rectsIntersect(bounds.get(el.id) as Rect, rect)).map((el) => el.id),
    element: (id) => byId.get(id),
  }
}

/** The ids of every element of a group, found in the board's raw maps (which decodes nothing). */
export function groupMembers(board: Board, groupId: string): string[] {
  const out: string[] = []
  board.elements.forEach((map, id) => {
    if (styledKey(id, map, 'groupId', board.doc) === groupId) out.push(id)
  })
  return out
}

/** The board's frames, bottom to top (only frames are decoded). */
export function boardFrames(board: Board): FrameElement[] {
  const out: FrameElement[] = []
  for (const id of board.elementIds()) {
    if (kindOf(board.elements.get(id)) !== 'frame') continue
    const el = board.readElement(id)
    if (isFrame(el)) out.push(el)
  }
  return out
}

/** The ids of a frame's members (see frameMembers), bottom to top as the lookup gives them. */
export function membersOf(board: Board, lookup: ElementLookup, frame: FrameElement): string[] {
  const nearby = lookup.elementsIn(frameRect(frame)).flatMap((id) => lookup.element(id) ?? [])
  return frameMembers(frame, nearby, (g) => groupMembers(board, g)).map((el) => el.id)
}

/** `ids` and the members of every frame among them, each once: what moving `ids` moves. */
export function withFrameMembers(board: Board, lookup: ElementLookup, ids: readonly string[]): string[] {
  const out = new Set(ids)
  for (const id of ids) {
    const el = lookup.element(id)
    if (isFrame(el)) for (const member of membersOf(board, lookup, el)) out.add(member)
  }
  return [...out]
}
