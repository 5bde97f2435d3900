import { fitRect, type Rect, type Viewport } from './geometry'

/**
 * The rectangle of the screen (0, 0, width, height) clear of every obstacle (the floating toolbar, title, panels)
 * where `content` can be shown largest; the whole screen when nothing is in the way, or when no clear part
 * is larger than `min` pixels each way. Candidate edges are the screen's and the obstacles', so the best one is
 * among them.
 */
export function freeArea(
  content: Rect,
  width: number,
  height: number,
  obstacles: readonly Rect[],
  margin: number,
  min = 120,
): Rect {
  const screen = { minX: 0, minY: 0, maxX: width, maxY: height }
  const inside = obstacles.filter(
    (o) =>
      o.maxX > 0 && o.maxY > 0 && o.minX < width && o.minY < height && o.maxX > o.minX && o.maxY > o.minY,
  )
  if (inside.length === 0) return screen
  const edges = (lo: number, hi: number, pick: (o: Rect) => number[]) =>
    [...new Set([lo, hi, ...inside.flatMap(pick).map((v) => Math.min(hi, Math.max(lo, v)))])].sort(
      (a, b) => a - b,
    )
  const xs = edges(0, width, (o) => [o.minX, o.maxX])
  const ys = edges(0, height, (o) => [o.minY, o.maxY])
  const w = Math.max(1, content.maxX - content.minX)
  const h = Math.max(1, content.maxY - content.minY)
  let best: Rect | undefined
  let bestScale = 0
  let bestArea = 0
  for (let i = 0; i < xs.length; i++)
    for (let j = i + 1; j < xs.length; j++) {
      const minX = xs[i] as number
      const maxX = xs[j] as number
      if (maxX - minX < min) continue
      for (let k = 0; k < ys.length; k++)
        for (let l = k + 1; l < ys.length; l++) {
          const minY = ys[k] as number
          const maxY = ys[l] as number
          if (maxY - minY < min) continue
          if (inside.some((o) => o.minX < maxX && o.maxX > minX && o.minY < maxY && o.maxY > minY)) break
          const scale = Math.min((maxX - minX - 2 * margin) / w, (maxY - minY - 2 * margin) / h)
          const area = (maxX - minX) * (maxY - minY)
          if (scale > bestScale || (scale === bestScale && area > bestArea)) {
            best = { minX, minY, maxX, maxY }
            bestScale = scale
            bestArea = area
          }
        }
    }
  return best ?? screen
}

/**
 * The viewport that shows `content` whole, centred in the largest part of the screen that no floating UI covers
 * (`obstacles`, in screen pixels), with `margin` pixels around it.
 */
export function fitInFreeArea(
  content: Rect,
  width: number,
  height: number,
  obstacles: readonly Rect[],
  margin = 24,
): Viewport {
  const area = freeArea(content, width, height, obstacles, margin)
  const fit = fitRect(content, area.maxX - area.minX, area.maxY - area.minY, margin)
  return { zoom: fit.zoom, x: fit.x - area.minX / fit.zoom, y: fit.y - area.minY / fit.zoom }
}
