import { distanceToSegmentSq } from '../geometry'
import { POINT_STRIDE } from '../points'

/**
 * The runs of a stroke's points left after erasing a circle: points within `radius` of (cx, cy) go, and each
 * unbroken run of two or more remaining points becomes its own stroke. Long segments the circle crosses are
 * first cut into pieces shorter than the radius, so that erasing the middle of a straight line cuts it there.
 * Undefined when the circle erases nothing.
 */
export function eraseRuns(
  flat: Float32Array,
  cx: number,
  cy: number,
  radius: number,
): Float32Array[] | undefined {
  const n = Math.floor(flat.length / POINT_STRIDE)
  if (n === 0 || !(radius > 0)) return undefined
  const r2 = radius * radius
  const step = radius / 2
  // Densify only where the circle reaches, so an untouched stroke keeps its exact points.
  const pts: number[] = []
  const push = (i: number) => pts.push(flat[i] as number, flat[i + 1] as number, flat[i + 2] as number)
  push(0)
  for (let i = 1; i < n; i++) {
    const a = (i - 1) * POINT_STRIDE
    const b = i * POINT_STRIDE
    const ax = flat[a] as number
    const ay = flat[a + 1] as number
    const bx = flat[b] as number
    const by = flat[b + 1] as number
    const len = Math.hypot(bx - ax, by - ay)
    if (len > step && distanceToSegmentSq(cx, cy, ax, ay, bx, by) <= r2) {
      const pieces = Math.ceil(len / step)
      for (let k = 1; k < pieces; k++) {
        const t = k / pieces
        const ap = flat[a + 2] as number
        const bp = flat[b + 2] as number
        pts.push(ax + (bx - ax) * t, ay + (by - ay) * t, ap + (bp - ap) * t)
      }
    }
    push(b)
  }
  const runs: Float32Array[] = []
  let run: number[] = []
  let erased = false
  const close = () => {
    if (run.length >= 2 * POINT_STRIDE) runs.push(Float32Array.from(run))
    run = []
  }
  for (let i = 0; i < pts.length; i += POINT_STRIDE) {
    const dx = (pts[i] as number) - cx
    const dy = (pts[i + 1] as number) - cy
    if (dx * dx + dy * dy <= r2) {
      erased = true
      close()
    } else run.push(pts[i] as number, pts[i + 1] as number, pts[i + 2] as number)
  }
  close()
  return erased ? runs : undefined
}
