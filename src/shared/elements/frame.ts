// Frames (docs/decisions.md, "Frames"): a named, upright area. Which elements belong to a frame is not stored but
// worked out from where they are: an element belongs to the smallest frame whose area holds its bounds wholly. So
// every element joins a frame by being put inside it, by any tool, paste or peer, and nothing needs keeping in step.
import type { Rect } from '../geometry'
import { rectContains } from '../selection/select'
import { frameLabelBox } from './frameLabel'
import { elementRect } from './transform'
import { type BoardElement, ElementKind, type FrameElement } from './types'

/** Whether an element is a frame. */
export function isFrame(el: BoardElement | undefined): el is FrameElement {
  return el?.kind === ElementKind.Frame
}

/** The frame's area on the board (frames are never turned). */
export function frameRect(frame: FrameElement): Rect {
  return { minX: frame.x, minY: frame.y, maxX: frame.x + frame.width, maxY: frame.y + frame.height }
}

/** Whether a frame's label is at a board point (what a double-click renames, and what a click selects). */
export function hitsFrameLabel(frame: FrameElement, x: number, y: number, tolerance = 0): boolean {
  const b = frameLabelBox(frame)
  const lx = x - frame.x
  const ly = y - frame.y
  return (
    lx >= b.x - tolerance &&
    lx <= b.x + b.width + tolerance &&
    ly >= b.y - tolerance &&
    ly <= b.y + b.height + tolerance
  )
}

function area(frame: FrameElement): number {
  return frame.width * frame.height
}

/**
 * The frame an element belongs to among `frames`: the smallest one whose area holds the element's bounds wholly
 * (ties go to the later frame). Frames belong to no frame.
 */
export function owningFrame(el: BoardElement, frames: readonly FrameElement[]): FrameElement | undefined {
  if (isFrame(el)) return undefined
  const bounds = elementRect(el)
  let best: FrameElement | undefined
  for (const frame of frames) {
    if (!rectContains(frameRect(frame), bounds)) continue
    if (!best || area(frame) <= area(best)) best = frame
  }
  return best
}

/**
 * The members of a frame among `nearby` (the elements whose bounds meet its area; other frames among them decide
 * which of two overlapping frames an element belongs to). A group belongs whole or not at all: `groupMates(id)`
 * names every element of a group (without it, only the groups' members in `nearby` are looked at). A line bound
 * to an element that is not a member stays out: it follows its ends, as it does when they move.
 */
export function frameMembers(
  frame: FrameElement,
  nearby: readonly BoardElement[],
  groupMates?: (groupId: string) => Iterable<string>,
): BoardElement[] {
  const frames = nearby.filter(isFrame)
  if (!frames.some((f) => f.id === frame.id)) frames.push(frame)
  let members = nearby.filter((el) => owningFrame(el, frames)?.id === frame.id)
  const ids = new Set(members.map((el) => el.id))
  const groups = new Map<string, boolean>()
  const wholeGroup = (groupId: string): boolean => {
    let whole = groups.get(groupId)
    if (whole === undefined) {
      const mates = groupMates
        ? [...groupMates(groupId)]
        : nearby.filter((el) => el.groupId === groupId).map((el) => el.id)
      whole = mates.every((id) => ids.has(id))
      groups.set(groupId, whole)
    }
    return whole
  }
  members = members.filter((el) => !el.groupId || wholeGroup(el.groupId))
  const kept = new Set(members.map((el) => el.id))
  return members.filter((el) => {
    if (el.kind !== ElementKind.Line && el.kind !== ElementKind.Arrow) return true
    return [el.startBinding, el.endBinding].every((end) => end === undefined || kept.has(end))
  })
}

export { FRAME_LOOK, frameLabel, frameLabelBox, UNNAMED_FRAME } from './frameLabel'
