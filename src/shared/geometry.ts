import { POINT_STRIDE } from './points'

export interface Rect {
  minX: number
  minY: number
  maxX: number
  maxY: number
}

export interface Viewport {
  /** Board coordinate shown at the screen's left/top edge. */
  x: number
  y: number
  /** Screen pixels per board unit. */
  zoom: number
}

// 1 %: a 100,000-unit board fits a 1000-pixel window; zoom to fit may go further for a larger one (fitRect).
export const MIN_ZOOM = 0.01
export const MAX_ZOOM = 8

/** Clamps a zoom factor to the range the canvas allows (1%–800%; `min` lowers the floor, e.g. to a fitted zoom). */
export function clampZoom(zoom: number, min = MIN_ZOOM): number {
  return Math.min(MAX_ZOOM, Math.max(min, zoom))
}

/** Bounding box of a flat [x, y, pressure, ...] point array (`stride` numbers a point), grown by `pad` on every side. */
export function pointsBounds(flat: ArrayLike<number>, pad = 0, stride = POINT_STRIDE): Rect {
  let minX = Number.POSITIVE_INFINITY
  let minY = Number.POSITIVE_INFINITY
  let maxX = Number.NEGATIVE_INFINITY
  let maxY = Number.NEGATIVE_INFINITY
  for (let i = 0; i + 1 < flat.length; i += stride) {
    const x = flat[i] as number
    const y = flat[i + 1] as number
    if (x < minX) minX = x
    if (y < minY) minY = y
    if (x > maxX) maxX = x
    if (y > maxY) maxY = y
  }
  if (minX > maxX) return { minX: 0, minY: 0, maxX: 0, maxY: 0 }
  return grownRect({ minX, minY, maxX, maxY }, pad)
}

/** A rectangle grown by `d` on every side. */
export function grownRect(r: Rect, d: number): Rect {
  return { minX: r.minX - d, minY: r.minY - d, maxX: r.maxX + d, maxY: r.maxY + d }
}

/** Whether two rectangles overlap (touching counts). */
export function rectsIntersect(a: Rect, b: Rect): boolean {
  return a.minX <= b.maxX && b.minX <= a.maxX && a.minY <= b.maxY && b.minY <= a.maxY
}

/** The smallest rectangle holding all the given ones, or undefined for none. */
export function unionRects(rects: Iterable<Rect>): Rect | undefined {
  // Four numbers, not a rectangle a step: an export's union runs over 100,000 strokes' bounds.
  let minX = Number.POSITIVE_INFINITY
  let minY = Number.POSITIVE_INFINITY
  let maxX = Number.NEGATIVE_INFINITY
  let maxY = Number.NEGATIVE_INFINITY
  let any = false
  for (const r of rects) {
    any = true
    minX = Math.min(minX, r.minX)
    minY = Math.min(minY, r.minY)
    maxX = Math.max(maxX, r.maxX)
    maxY = Math.max(maxY, r.maxY)
  }
  return any ? { minX, minY, maxX, maxY } : undefined
}

/** Squared distance from point (px, py) to the segment (ax, ay)-(bx, by). */
export function distanceToSegmentSq(px: number, py: number, ax: number, ay: number, bx: number, by: number) {
  const dx = bx - ax
  const dy = by - ay
  const len = dx * dx + dy * dy
  let t = len === 0 ? 0 : ((px - ax) * dx + (py - ay) * dy) / len
  t = Math.max(0, Math.min(1, t))
  const cx = ax + t * dx - px
  const cy = ay + t * dy - py
  return cx * cx + cy * cy
}

/** Whether a stroke's centre line passes within `radius` of the point (px, py). */
export function strokeHitsPoint(flat: ArrayLike<number>, px: number, py: number, radius: number): boolean {
  const r2 = radius * radius
  const n = Math.floor(flat.length / POINT_STRIDE)
  if (n === 1)
    return (
      distanceToSegmentSq(
        px,
        py,
        flat[0] as number,
        flat[1] as number,
        flat[0] as number,
        flat[1] as number,
      ) <= r2
    )
  for (let i = 1; i < n; i++) {
    const a = (i - 1) * POINT_STRIDE
    const b = i * POINT_STRIDE
    if (
      distanceToSegmentSq(
        px,
        py,
        flat[a] as number,
        flat[a + 1] as number,
        flat[b] as number,
        flat[b + 1] as number,
      ) <= r2
    )
      return true
  }
  return false
}

/** Board point under a screen point for a viewport. */
export function screenToBoard(view: Viewport, sx: number, sy: number): { x: number; y: number } {
  return { x: view.x + sx / view.zoom, y: view.y + sy / view.zoom }
}

/** Screen point of a board point for a viewport. */
export function boardToScreen(view: Viewport, bx: number, by: number): { x: number; y: number } {
  return { x: (bx - view.x) * view.zoom, y: (by - view.y) * view.zoom }
}

/** The viewport after zooming to `zoom` while the board point under screen point (sx, sy) stays put. */
export function zoomAround(view: Viewport, zoom: number, sx: number, sy: number): Viewport {
  // Below the floor after fitting a huge board: zooming out further stays there, zooming in works as ever.
  const next = clampZoom(zoom, Math.min(MIN_ZOOM, view.zoom))
  const anchor = screenToBoard(view, sx, sy)
  return { zoom: next, x: anchor.x - sx / next, y: anchor.y - sy / next }
}

/** The board area a viewport shows on a screen of the given size. */
export function visibleRect(view: Viewport, width: number, height: number): Rect {
  return { minX: view.x, minY: view.y, maxX: view.x + width / view.zoom, maxY: view.y + height / view.zoom }
}

/** The least zoom a fit may choose: a board of the largest coordinates (2e7 units) on a 1000-pixel screen. */
const FIT_MIN_ZOOM = 1e-5

/** The viewport that shows `rect` whole and centred on a screen of the given size, with a margin in pixels. */
export function fitRect(rect: Rect, width: number, height: number, margin = 40): Viewport {
  const w = Math.max(1, rect.maxX - rect.minX)
  const h = Math.max(1, rect.maxY - rect.minY)
  // Whatever the content needs, below the 1 % floor too: every board fits (a coordinate is at most ±1e7).
  const zoom = clampZoom(Math.min((width - 2 * margin) / w, (height - 2 * margin) / h, 1), FIT_MIN_ZOOM)
  const cx = (rect.minX + rect.maxX) / 2
  const cy = (rect.minY + rect.maxY) / 2
  return { zoom, x: cx - width / 2 / zoom, y: cy - height / 2 / zoom }
}
