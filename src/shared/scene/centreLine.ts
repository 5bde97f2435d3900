import type { Stroke } from '../board'
import { POINT_STRIDE } from '../points'
import { hasConstantMousePressure } from './outline'

/** Where a centre line is traced: a canvas context or a native path. */
export interface LineSink {
  moveTo(x: number, y: number): void
  lineTo(x: number, y: number): void
}

/** How much pen pressure thins ink (perfect-freehand's `thinning`, as ./outline.ts sets it for pen ink). */
const PEN_THINNING = 0.5
/**
 * A filled outline a fraction of a pixel wide covers about a fifth more pixels than a line of its mean width (its
 * caps and smoothing; measured in Chromium against the full drawing by test/e2e/levelOfDetail.test.ts).
 */
const OUTLINE_COVERAGE = 1.2

/**
 * The mean width of a stroke's filled outline, so that its centre line drawn this wide covers about the same
 * pixels: perfect-freehand's radius is size × (0.5 − thinning × (0.5 − pressure)); mouse ink keeps its width.
 */
export function centreLineWidth(stroke: Pick<Stroke, 'width' | 'points'>): number {
  const flat = stroke.points
  const n = Math.floor(flat.length / POINT_STRIDE)
  if (n === 0 || hasConstantMousePressure(flat)) return stroke.width * OUTLINE_COVERAGE
  let sum = 0
  for (let i = 2; i < flat.length; i += POINT_STRIDE) sum += flat[i] as number
  return stroke.width * OUTLINE_COVERAGE * (1 - 2 * PEN_THINNING * (0.5 - sum / n))
}

/**
 * Traces a stroke's centre line, leaving out every point nearer than `tolerance` (board units) to the last one
 * kept: at a low zoom a stroke of 200 points is a line of a few, drawn in a fraction of its outline's time.
 * Returns the number of points traced.
 */
export function traceCentreLine(sink: LineSink, flat: ArrayLike<number>, tolerance: number): number {
  const n = Math.floor(flat.length / POINT_STRIDE)
  if (n === 0) return 0
  let lx = flat[0] as number
  let ly = flat[1] as number
  sink.moveTo(lx, ly)
  let traced = 1
  const t2 = tolerance * tolerance
  const last = (n - 1) * POINT_STRIDE
  for (let i = POINT_STRIDE; i <= last; i += POINT_STRIDE) {
    const x = flat[i] as number
    const y = flat[i + 1] as number
    const dx = x - lx
    const dy = y - ly
    if (i !== last && dx * dx + dy * dy < t2) continue
    sink.lineTo(x, y)
    lx = x
    ly = y
    traced++
  }
  // A single point (a dot) still needs a segment for a round cap to show.
  if (traced === 1) sink.lineTo(lx + 1e-3, ly)
  return traced
}
