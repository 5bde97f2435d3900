import type { Board, BoardElement } from '../../../shared/board'
import { styledKey } from '../../../shared/elements/styles'
import type { Rect } from '../../../shared/geometry'
import { type HitOptions, topElementAt } from '../../../shared/selection'

/** What selection asks the scene: its spatial index of every element, and the elements as it last read them. */
export interface ElementQuery {
  /** Ids whose bounds meet a board rectangle, bottom to top. */
  elementsIn(rect: Rect): string[]
  element(id: string): BoardElement | undefined
}

/** The finished elements (no stroke still being drawn) whose bounds meet a rectangle, bottom to top. */
export function finishedIn(query: ElementQuery, rect: Rect): BoardElement[] {
  const out: BoardElement[] = []
  for (const id of query.elementsIn(rect)) {
    const el = query.element(id)
    if (el && !(el.kind === 'stroke' && !el.done)) out.push(el)
  }
  return out
}

/** How elementAt looks: a hit mode, locked ones or not (see topElementAt), and which elements may be picked. */
export interface PickOptions extends HitOptions {
  accept?: (el: BoardElement) => boolean
}

/**
 * The topmost finished element under a board point that `accept`s (every one by default; locked ones only when
 * asked): what selection, the text tool and arrow binding pick.
 */
export function elementAt(
  query: ElementQuery,
  x: number,
  y: number,
  tolerance: number,
  { accept, ...hit }: PickOptions = {},
): BoardElement | undefined {
  const near = finishedIn(query, {
    minX: x - tolerance,
    minY: y - tolerance,
    maxX: x + tolerance,
    maxY: y + tolerance,
  })
  return topElementAt(accept ? near.filter(accept) : near, x, y, tolerance, hit)
}

/**
 * The elements sharing a group with any of `picked` (picked included), found by a scan of the board's raw maps for
 * their group ids, which decodes nothing; the mates themselves come from the scene.
 */
export function groupMates(
  board: Board,
  query: ElementQuery,
  picked: readonly BoardElement[],
): BoardElement[] {
  const groups = new Set(picked.flatMap((el) => (el.groupId ? [el.groupId] : [])))
  if (groups.size === 0) return [...picked]
  const out = new Map(picked.map((el) => [el.id, el]))
  board.elements.forEach((map, id) => {
    const g = styledKey(id, map, 'groupId', board.doc)
    if (typeof g !== 'string' || !groups.has(g) || out.has(id)) return
    const el = query.element(id)
    if (el) out.set(id, el)
  })
  return [...out.values()]
}
