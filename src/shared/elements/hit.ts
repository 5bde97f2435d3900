import { distanceToSegmentSq, strokeHitsPoint } from '../geometry'
import { inkPadding, localBox, nodeTransform, toLocal } from './transform'
import { type BoardElement, ElementKind, NO_FILL } from './types'

/**
 * How a point must meet an element: `ink` on what is drawn (an outline without fill is hit only near its line, as
 * in Excalidraw), `box` anywhere in its box (what text editing and arrow binding want).
 */
export type HitMode = 'ink' | 'box'

/** Whether a board point is on an element, within `tolerance` board units. */
export function hitElement(
  el: BoardElement,
  x: number,
  y: number,
  tolerance: number,
  mode: HitMode = 'ink',
): boolean {
  const t = nodeTransform(el)
  const p = toLocal(t, x, y)
  // Tolerance in the element's own units (strokes may be scaled).
  const tol = tolerance / Math.sqrt(Math.abs(t.scaleX * t.scaleY))
  const box = localBox(el)
  const pad = inkPadding(el)
  const inBox =
    p.x >= box.x - tol - pad &&
    p.x <= box.x + box.width + tol + pad &&
    p.y >= box.y - tol - pad &&
    p.y <= box.y + box.height + tol + pad
  if (mode === 'box' || !inBox) return inBox
  switch (el.kind) {
    case ElementKind.Stroke:
      return strokeHitsPoint(el.points, p.x, p.y, tol + el.width / 2)
    case ElementKind.Line:
    case ElementKind.Arrow: {
      const r = tol + el.strokeWidth / 2 + 2
      for (let i = 2; i + 1 < el.points.length; i += 2) {
        const d = distanceToSegmentSq(
          p.x,
          p.y,
          el.points[i - 2] as number,
          el.points[i - 1] as number,
          el.points[i] as number,
          el.points[i + 1] as number,
        )
        if (d <= r * r) return true
      }
      return false
    }
    case ElementKind.Rect: {
      if (el.fillColor !== NO_FILL) return true
      const r = tol + el.strokeWidth / 2
      const dx = Math.min(Math.abs(p.x - box.x), Math.abs(p.x - box.x - box.width))
      const dy = Math.min(Math.abs(p.y - box.y), Math.abs(p.y - box.y - box.height))
      return dx <= r || dy <= r
    }
    case ElementKind.Ellipse: {
      const rx = box.width / 2
      const ry = box.height / 2
      if (rx <= 0 || ry <= 0) return true
      const nx = (p.x - rx) / rx
      const ny = (p.y - ry) / ry
      const k = Math.hypot(nx, ny)
      if (el.fillColor !== NO_FILL && k <= 1) return true
      // Distance to the curve, roughly: how far the point is along its ray from the ellipse (the centre is as far
      // as the nearer side).
      const d = Math.hypot(nx * rx, ny * ry)
      const along = k < 1e-9 ? Math.min(rx, ry) : (d * Math.abs(k - 1)) / k
      return along <= tol + el.strokeWidth / 2
    }
    default:
      return true
  }
}

/** The topmost element among `ids` (bottom to top) that a board point hits, or undefined. */
export function topElementAt(
  elements: readonly BoardElement[],
  x: number,
  y: number,
  tolerance: number,
  mode: HitMode = 'ink',
): BoardElement | undefined {
  for (let i = elements.length - 1; i >= 0; i--) {
    const el = elements[i] as BoardElement
    if (hitElement(el, x, y, tolerance, mode)) return el
  }
  return undefined
}
