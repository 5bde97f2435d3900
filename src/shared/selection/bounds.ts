import { boxCorners, localBox, nodeTransform } from '../elements/transform'
import type { BoardElement } from '../elements/types'
import { type Rect, unionRects } from '../geometry'

/**
 * Axis-aligned board bounds of an element's shape without its outline's width (a rectangle's edges are where its
 * outline is centred, an arrow's its points): what snapping and aligning line up, as in Excalidraw and tldraw, so
 * that shapes with different outlines and arrows with heads line up where they visibly are, and on the grid.
 */
export function shapeBounds(el: BoardElement): Rect {
  const box = localBox(el)
  const t = nodeTransform(el, box)
  if (t.rotation % 360 === 0) {
    // Unturned: board = x + scale · local, exactly (no sums that a centre adds and takes away again).
    const x = el.x ?? 0
    const y = el.y ?? 0
    const [ax, bx] = [x + t.scaleX * box.x, x + t.scaleX * (box.x + box.width)]
    const [ay, by] = [y + t.scaleY * box.y, y + t.scaleY * (box.y + box.height)]
    return { minX: Math.min(ax, bx), minY: Math.min(ay, by), maxX: Math.max(ax, bx), maxY: Math.max(ay, by) }
  }
  const corners = boxCorners(t, box)
  const xs = corners.map((c) => c.x)
  const ys = corners.map((c) => c.y)
  return { minX: Math.min(...xs), minY: Math.min(...ys), maxX: Math.max(...xs), maxY: Math.max(...ys) }
}

/** The shape bounds of some elements together, or undefined for none. */
export function shapesBounds(els: Iterable<BoardElement>): Rect | undefined {
  return unionRects([...els].map(shapeBounds))
}
