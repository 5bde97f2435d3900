import { type Board, newElementId } from '../board'
import type { ElementAttrs } from '../elements/attrs'
import { kindOf } from '../elements/entry'
import { MOVE_RECORD_MIN } from '../elements/moves'
import { type ElementPlace, readPlace, unlockedReader } from '../elements/read'
import { styledKey } from '../elements/styles'
import { attrsFromTransform, type TransformChange } from '../elements/transform'
import { type BoardElement, ElementKind } from '../elements/types'
import { boardLookup, type ElementLookup, withFrameMembers } from './frames'

// The edits a selection makes. Each one is one undo step of the person who makes it (beginAction, then a single
// transaction in the board's local origin), and each passes over locked elements: a lock holds against every edit
// but unlocking.

/** The well-formed elements among `ids` (each once; reads only those, not the whole board). */
export function readSome(board: Board, ids: Iterable<string>): BoardElement[] {
  const out: BoardElement[] = []
  for (const id of new Set(ids)) {
    const el = board.readElement(id)
    if (el) out.push(el)
  }
  return out
}

/** The well-formed, unlocked elements among `ids`. */
export function editable(board: Board, ids: Iterable<string>): BoardElement[] {
  return readSome(board, ids).filter((el) => !el.locked)
}

/**
 * The unlocked elements among `ids` with a known kind, read without their content (points, text): what a move,
 * a delete or a group of a large selection needs.
 */
export function editablePlaces(board: Board, ids: Iterable<string>): ElementPlace[] {
  return readPlaces(board, ids).filter((el) => !el.locked)
}

/** The elements among `ids` with a known kind (each once), read without their content. */
function readPlaces(board: Board, ids: Iterable<string>): ElementPlace[] {
  const out: ElementPlace[] = []
  for (const id of new Set(ids)) {
    const el = readPlace(id, board.elements.get(id), board.doc)
    if (el) out.push(el)
  }
  return out
}

/** Deletes the unlocked elements among `ids`; arrows bound to them let go. Returns how many went. */
export function deleteSelection(board: Board, ids: Iterable<string>): number {
  // Each element is read once, as it is deleted (a new undo step when any goes); its lock from its own key unless a
  // style record sets it (the records are looked at once, not once per element).
  return board.deleteElements(ids, unlockedReader(board.doc), true)
}

/**
 * Moves the unlocked elements among `ids` by (dx, dy) board units: a drag or an arrow-key nudge. A moved frame
 * carries its members (found through `lookup`, the whole board without one). Arrows bound to a moved shape follow
 * it in the same transaction; a moved arrow whose shape stays lets go of it.
 */
export function moveSelection(
  board: Board,
  ids: Iterable<string>,
  dx: number,
  dy: number,
  lookup?: ElementLookup,
): void {
  if (dx === 0 && dy === 0) return
  const moved = [...ids]
  const framed = moved.some((id) => kindOf(board.elements.get(id)) === ElementKind.Frame)
  if (framed) moved.splice(0, moved.length, ...withFrameMembers(board, lookup ?? boardLookup(board), moved))
  if (moved.length < MOVE_RECORD_MIN) {
    const changes = editablePlaces(board, moved).map((el) => [el.id, { x: el.x + dx, y: el.y + dy }] as const)
    if (changes.length === 0) return
    board.beginAction()
    board.updateElements(changes)
    return
  }
  // A large selection moves as one record (../elements/moves.ts), not as x and y written on each element: only
  // lines and arrows are read whole (they are written per element), the rest by kind and lock.
  const shifted: string[] = []
  const lines: ElementPlace[] = []
  for (const id of new Set(moved)) {
    const map = board.elements.get(id)
    const kind = kindOf(map)
    if (!map || !KINDS.has(kind) || styledKey(id, map, 'locked', board.doc) === true) continue
    if (kind === ElementKind.Line || kind === ElementKind.Arrow) {
      const place = readPlace(id, map, board.doc)
      if (place) lines.push(place)
    } else shifted.push(id)
  }
  if (shifted.length + lines.length === 0) return
  board.beginAction()
  board.moveElements(shifted, lines, dx, dy)
}

const KINDS: ReadonlySet<unknown> = new Set(Object.values(ElementKind))

/**
 * Stores what a Konva Transformer did to each element's node (its new centre, turn and scale): strokes keep a
 * scale, shapes and notes take it into their size, lines into their points, text into its font size.
 */
export function transformSelection(
  board: Board,
  changes: Iterable<readonly [string, TransformChange]>,
): void {
  const out: [string, ElementAttrs][] = []
  for (const [id, change] of changes) {
    const el = board.readElement(id)
    if (el && !el.locked) out.push([id, attrsFromTransform(el, change)])
  }
  if (out.length === 0) return
  board.beginAction()
  board.updateElements(out)
}

/** Locks or unlocks elements (this is the one edit a locked element takes). */
export function setLocked(board: Board, ids: Iterable<string>, locked: boolean): void {
  const changes = readPlaces(board, ids)
    .filter((el) => el.locked !== locked)
    .map((el) => [el.id, { locked }] as const)
  if (changes.length === 0) return
  board.beginAction()
  board.updateElements(changes)
}

/**
 * Unlocks `ids` and every element sharing a group with one of them, as one undo step: a group is locked as one
 * (a click selects all of it), so it unlocks as one. Returns the ids unlocked, for selecting them.
 */
export function unlockWithGroups(board: Board, ids: Iterable<string>): string[] {
  const picked = readPlaces(board, ids)
  const groups = new Set(picked.flatMap((el) => (el.groupId ? [el.groupId] : [])))
  const out = new Set(picked.map((el) => el.id))
  // Group ids are read off the raw maps, which decodes no element outside the groups.
  if (groups.size > 0)
    board.elements.forEach((map, id) => {
      const g = styledKey(id, map, 'groupId', board.doc)
      if (typeof g === 'string' && groups.has(g)) out.add(id)
    })
  setLocked(board, out, false)
  return [...out]
}

/**
 * Ctrl/Cmd+Shift+L: locks the elements unless every one of them is locked already, in which case it unlocks them.
 * Returns whether they are locked now.
 */
export function toggleLocked(board: Board, ids: Iterable<string>): boolean {
  const els = readPlaces(board, ids)
  const lock = !els.every((el) => el.locked)
  setLocked(
    board,
    els.map((el) => el.id),
    lock,
  )
  return lock
}

/**
 * Puts the unlocked elements among `ids` in one new group (two elements at least); any group they were in is
 * left. Returns the group id, or undefined when there was nothing to group.
 */
export function groupSelection(board: Board, ids: Iterable<string>): string | undefined {
  const els = editablePlaces(board, ids)
  if (els.length < 2) return undefined
  const groupId = newElementId()
  board.beginAction()
  board.updateElements(els.map((el) => [el.id, { groupId }] as const))
  return groupId
}

/** Takes the unlocked elements among `ids` out of their groups. Returns how many left a group. */
export function ungroupSelection(board: Board, ids: Iterable<string>): number {
  const els = editablePlaces(board, ids).filter((el) => el.groupId)
  if (els.length === 0) return 0
  board.beginAction()
  board.updateElements(els.map((el) => [el.id, { groupId: null }] as const))
  return els.length
}
