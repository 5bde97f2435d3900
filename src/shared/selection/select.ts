import { elementRect } from '../elements/transform'
import type { BoardElement } from '../elements/types'
import { type Rect, unionRects } from '../geometry'

// What a click or a marquee selects, as pure functions over elements read from a board.

/** Whether `inner` lies wholly inside `outer`. */
export function rectContains(outer: Rect, inner: Rect): boolean {
  return (
    inner.minX >= outer.minX &&
    inner.minY >= outer.minY &&
    inner.maxX <= outer.maxX &&
    inner.maxY <= outer.maxY
  )
}

/** The rectangle two corners span, in either order (a marquee dragged any way). */
export function rectFromCorners(a: { x: number; y: number }, b: { x: number; y: number }): Rect {
  return {
    minX: Math.min(a.x, b.x),
    minY: Math.min(a.y, b.y),
    maxX: Math.max(a.x, b.x),
    maxY: Math.max(a.y, b.y),
  }
}

/**
 * Ids a marquee selects (as Excalidraw does): the unlocked elements wholly inside it, plus the rest of any group
 * one of them belongs to. `elements` are the candidates, e.g. an index's search of the marquee.
 */
export function marqueeSelection(
  elements: readonly BoardElement[],
  marquee: Rect,
  all: readonly BoardElement[],
): string[] {
  const inside = elements.filter((el) => !el.locked && rectContains(marquee, elementRect(el)))
  return withGroups(inside, all)
}

/** Ids of `picked` and of every unlocked element sharing a group with one of them. */
export function withGroups(picked: readonly BoardElement[], all: readonly BoardElement[]): string[] {
  const groups = new Set<string>()
  const out = new Set<string>()
  for (const el of picked) {
    out.add(el.id)
    if (el.groupId) groups.add(el.groupId)
  }
  if (groups.size > 0)
    for (const el of all) if (el.groupId && groups.has(el.groupId) && !el.locked) out.add(el.id)
  return [...out]
}

/**
 * The selection after a click: a plain click selects the element's group (or the element); Shift toggles that
 * group in or out of the current selection. Clicking nothing clears it unless Shift is held.
 */
export function clickSelection(
  current: readonly string[],
  hit: BoardElement | undefined,
  shift: boolean,
  all: readonly BoardElement[],
): string[] {
  if (!hit) return shift ? [...current] : []
  const group = withGroups([hit], all)
  if (!shift) return group
  const has = current.includes(hit.id)
  if (has) return current.filter((id) => !group.includes(id))
  return [...new Set([...current, ...group])]
}

/** Axis-aligned board bounds of the given elements' ink, or undefined for none. */
export function selectionBounds(elements: Iterable<BoardElement>): Rect | undefined {
  return unionRects([...elements].map(elementRect))
}
