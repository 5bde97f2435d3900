import type { BoardElement } from '../../../shared/board'
import { type HitMode, topElementAt } from '../../../shared/elements/hit'
import type { Rect } from '../../../shared/geometry'
import { isBindable, type ShapeTarget } from './shapeTool'

/** What tools ask the scene: which elements are near a place (its spatial index), and what they are. */
export interface ElementQuery {
  /** Ids whose bounds meet a board rectangle, bottom to top. */
  elementsIn(rect: Rect): string[]
  element(id: string): BoardElement | undefined
}

/** The topmost element that `accept`s at a board point within `tolerance` board units, or undefined. */
export function elementAt(
  query: ElementQuery,
  x: number,
  y: number,
  tolerance: number,
  mode: HitMode = 'ink',
  accept: (el: BoardElement) => boolean = () => true,
): BoardElement | undefined {
  const near = query.elementsIn({
    minX: x - tolerance,
    minY: y - tolerance,
    maxX: x + tolerance,
    maxY: y + tolerance,
  })
  const elements: BoardElement[] = []
  for (const id of near) {
    const el = query.element(id)
    if (el && accept(el)) elements.push(el)
  }
  return topElementAt(elements, x, y, tolerance, mode)
}

/** A shape drag's view of the scene at a zoom: arrows attach to what is under the pointer (within 4 px). */
export function shapeTarget(query: ElementQuery, zoom: () => number): ShapeTarget {
  return {
    bindableAt: (x, y) => elementAt(query, x, y, 4 / zoom(), 'box', isBindable),
    unitsPerPixel: () => 1 / zoom(),
  }
}
