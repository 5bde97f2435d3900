import { getStroke, type StrokeOptions } from 'perfect-freehand'
import type { Stroke } from '../board'
import { POINT_STRIDE } from '../points'
import { FreehandScratch, freehandCovers, freehandInto } from './freehandInto'

/** Pressure a mouse reports (Pointer Events spec); a stroke whose every point has it was drawn with a mouse. */
export const MOUSE_PRESSURE = 0.5

/** How much simulated (mouse) pressure thins a stroke: its width stays within ±20% of nominal. */
const MOUSE_THINNING = 0.2

// thinning 0.5 makes the diameter exactly `width` at pressure 0.5, so a mouse line has its nominal width.
const BASE_OPTIONS: StrokeOptions = {
  thinning: 0.5,
  smoothing: 0.5,
  streamline: 0.4,
  start: { cap: true, taper: false },
  end: { cap: true, taper: false },
}

/** Whether a stroke's points all carry the mouse pressure, so pressure should be simulated from speed. */
export function hasConstantMousePressure(flat: ArrayLike<number>): boolean {
  for (let i = 2; i < flat.length; i += POINT_STRIDE) if (flat[i] !== MOUSE_PRESSURE) return false
  return true
}

/** The perfect-freehand options for a stroke: its width, and simulated pressure when drawn with a mouse. */
export function strokeOptions(stroke: Pick<Stroke, 'width' | 'points' | 'done'>): StrokeOptions {
  const mouse = hasConstantMousePressure(stroke.points)
  // Every key written out (BASE_OPTIONS' first, in its order), not spread: V8 (Node 20) makes an object spread followed
  // by new keys slowly (~4 µs a call here, 0.4 s over a 100,000-stroke board's outlines).
  return {
    // Speed-simulated pressure gets a light touch, so a quick mouse line stays close to its nominal width.
    thinning: mouse ? MOUSE_THINNING : BASE_OPTIONS.thinning,
    smoothing: BASE_OPTIONS.smoothing,
    streamline: BASE_OPTIONS.streamline,
    start: BASE_OPTIONS.start,
    end: BASE_OPTIONS.end,
    size: stroke.width,
    simulatePressure: mouse,
    last: stroke.done,
  }
}

/**
 * The filled outline of a stroke as a flat [x0, y0, x1, y1, ...] polygon in board units (empty for a stroke
 * without points).
 */
export function strokeOutline(
  stroke: Pick<Stroke, 'width' | 'points' | 'done'>,
  scratch?: OutlineScratch,
): Float32Array {
  const flat = stroke.points
  const n = Math.floor(flat.length / POINT_STRIDE)
  if (n === 0) return new Float32Array(0)
  const options = strokeOptions(stroke)
  // A caller with a scratch takes the outline at once: perfect-freehand's arithmetic into reused typed arrays, the
  // same numbers without an array per point (freehandInto.ts).
  if (scratch && freehandCovers(options)) return scratch.freehand(flat, options)
  const input: [number, number, number][] = new Array(n)
  for (let i = 0; i < n; i++) {
    const at = i * POINT_STRIDE
    input[i] = [flat[at] as number, flat[at + 1] as number, flat[at + 2] as number]
  }
  const outline = getStroke(input, options)
  const out = scratch ? scratch.take(outline.length * 2) : new Float32Array(outline.length * 2)
  for (let i = 0; i < outline.length; i++) {
    const p = outline[i] as number[]
    out[i * 2] = p[0] as number
    out[i * 2 + 1] = p[1] as number
  }
  return out
}

/**
 * One buffer that successive outlines are written into (strokeOutline's `scratch`), for a caller that is done with
 * each outline before it asks for the next (the export traces it into a native path at once): a 100,000-stroke export
 * otherwise allocates a buffer of a few KB outside the JavaScript heap per stroke, hundreds of MB that V8 answers with
 * collections (docs/round8/exportfast.md).
 */
export class OutlineScratch {
  private buffer = new Float32Array(4096)
  private readonly arrays = new FreehandScratch()

  /** The outline freehandInto writes for these points and options, valid until the next call. */
  freehand(flat: ArrayLike<number>, options: StrokeOptions): Float32Array {
    const length = freehandInto(flat, POINT_STRIDE, options, this.arrays)
    return this.arrays.out.subarray(0, length)
  }

  /** A view of `length` floats at the buffer's start, valid until the next call. */
  take(length: number): Float32Array {
    if (this.buffer.length < length) this.buffer = new Float32Array(Math.max(length, this.buffer.length * 2))
    return this.buffer.subarray(0, length)
  }
}
