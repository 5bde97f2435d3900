/**
 * The compact form of a finished stroke's points (docs/board-format.md, "Compact points"): one byte array with a
 * small header, then each point as zigzag varints of its difference from a prediction, x and y in steps of
 * 1/2^k board unit, pressure in 1/256 (left out when every point has the same pressure, as mouse ink does).
 * Written by hand rather than with lib0's varints: lib0's reader returns 0 past the end of the bytes instead of
 * failing, and this format must refuse any overrun, overlong number or trailing byte.
 */
import { ELEMENT_LIMITS, STROKE_LIMITS } from './elements/types'
import { POINT_STRIDE } from './points'

/** Version of the compact points format (the first byte). */
export const COMPACT_POINTS_VERSION = 1
/** Coordinates are stored in steps of 1/2^k board unit; writers use this k (1/16 unit: see the format doc). */
export const COMPACT_STEP_BITS = 4
/** Pressure is stored in steps of 1/PRESSURE_STEPS (so that the mouse's 0.5 is exact). */
export const PRESSURE_STEPS = 256

const HEADER_BYTES = 3
const MAX_STEP_BITS = 8
/** The only flags a version 1 reader knows: bit 0, a pressure per point; bit 1, second-order prediction. */
const FLAG_PRESSURE = 1
const FLAG_SECOND_ORDER = 2
const KNOWN_FLAGS = FLAG_PRESSURE | FLAG_SECOND_ORDER
// ±1e7 units at 1/256 unit and a difference of two such: 2^33, 5 bytes of 7 bits hold it.
const MAX_VARINT_BYTES = 5

/** Bytes that are no compact points; the message says what is wrong in a few words. */
export class CompactPointsError extends Error {}

/** Writes unsigned varints (7 bits a byte, low first) and zigzag-signed ones into a growing buffer. */
class Writer {
  bytes = new Uint8Array(64)
  at = 0

  byte(b: number): void {
    if (this.at === this.bytes.length) {
      const next = new Uint8Array(this.bytes.length * 2)
      next.set(this.bytes)
      this.bytes = next
    }
    this.bytes[this.at++] = b
  }

  uint(n: number): void {
    while (n >= 0x80) {
      this.byte((n % 0x80) | 0x80)
      n = Math.floor(n / 0x80)
    }
    this.byte(n)
  }

  int(n: number): void {
    this.uint(n >= 0 ? n * 2 : -n * 2 - 1)
  }

  done(): Uint8Array {
    return this.bytes.slice(0, this.at)
  }
}

/** Reads what Writer wrote, refusing overruns and overlong numbers. */
class Reader {
  at = 0
  constructor(readonly bytes: Uint8Array) {}

  byte(): number {
    if (this.at >= this.bytes.length) throw new CompactPointsError('the points end early')
    return this.bytes[this.at++] as number
  }

  uint(): number {
    let n = 0
    let scale = 1
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      const b = this.byte()
      n += (b & 0x7f) * scale
      if (b < 0x80) return n
      scale *= 0x80
    }
    throw new CompactPointsError('a number is too long')
  }

  int(): number {
    const z = this.uint()
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2
  }
}

/** Options of encodeCompactPoints; the defaults are what the board writes. */
export interface CompactOptions {
  /** Steps of 1/2^stepBits board unit (0..8). */
  stepBits?: number
  /** Predict each point from the two before it (smooth ink) rather than from the one before. */
  secondOrder?: boolean
}

/**
 * Encodes flat [x, y, pressure, ...] points (at least one; coordinates within ±ELEMENT_LIMITS.maxCoordinate,
 * pressure 0..1) as compact points. Each value moves by at most half a step.
 */
export function encodeCompactPoints(flat: ArrayLike<number>, options: CompactOptions = {}): Uint8Array {
  const stepBits = options.stepBits ?? COMPACT_STEP_BITS
  const secondOrder = options.secondOrder ?? true
  const count = Math.floor(flat.length / POINT_STRIDE)
  if (count < 1 || count > STROKE_LIMITS.maxPoints)
    throw new CompactPointsError(`a stroke holds 1 to ${STROKE_LIMITS.maxPoints} points, not ${count}`)
  const scale = 2 ** stepBits
  const limit = Math.round(ELEMENT_LIMITS.maxCoordinate * scale)
  const q = (v: number): number => Math.min(limit, Math.max(-limit, Math.round(v * scale)))
  const p = (v: number): number => Math.min(PRESSURE_STEPS, Math.max(0, Math.round(v * PRESSURE_STEPS)))
  const first = p(flat[2] as number)
  let constant = true
  for (let i = 1; i < count && constant; i++) constant = p(flat[i * POINT_STRIDE + 2] as number) === first
  const w = new Writer()
  w.byte(COMPACT_POINTS_VERSION)
  w.byte((constant ? 0 : FLAG_PRESSURE) | (secondOrder ? FLAG_SECOND_ORDER : 0))
  w.byte(stepBits)
  w.uint(count)
  if (constant) w.uint(first)
  let x1 = 0
  let y1 = 0
  let x2 = 0
  let y2 = 0
  let p1 = 0
  for (let i = 0; i < count; i++) {
    const at = i * POINT_STRIDE
    const x = q(flat[at] as number)
    const y = q(flat[at + 1] as number)
    const second = secondOrder && i >= 2
    w.int(second ? x - 2 * x1 + x2 : x - x1)
    w.int(second ? y - 2 * y1 + y2 : y - y1)
    x2 = x1
    y2 = y1
    x1 = x
    y1 = y
    if (!constant) {
      const pressure = p(flat[at + 2] as number)
      w.int(pressure - p1)
      p1 = pressure
    }
  }
  return w.done()
}

/** Checks compact points in one pass and, when `decode`, returns them (null otherwise). */
function walk(bytes: Uint8Array, decode: boolean): Float32Array | null {
  const r = new Reader(bytes)
  const version = r.byte()
  if (version !== COMPACT_POINTS_VERSION)
    throw new CompactPointsError(
      version > COMPACT_POINTS_VERSION
        ? `points of a newer format (${version}); update Lanvas`
        : `not compact points (version ${version})`,
    )
  const flags = r.byte()
  if ((flags & ~KNOWN_FLAGS) !== 0) throw new CompactPointsError(`unknown flags ${flags}`)
  const stepBits = r.byte()
  if (stepBits > MAX_STEP_BITS) throw new CompactPointsError(`a step of 1/2^${stepBits} unit; at most 1/2^8`)
  const count = r.uint()
  if (count < 1 || count > STROKE_LIMITS.maxPoints)
    throw new CompactPointsError(`${count} points; a stroke holds 1 to ${STROKE_LIMITS.maxPoints}`)
  const perPoint = (flags & FLAG_PRESSURE) !== 0
  const secondOrder = (flags & FLAG_SECOND_ORDER) !== 0
  // Each point takes at least one byte per value: a count the bytes cannot hold is refused before any work.
  const least = perPoint ? 3 : 2
  if (count * least > bytes.length - HEADER_BYTES)
    throw new CompactPointsError(`${count} points cannot fit in ${bytes.length} bytes`)
  const out = decode ? new Float32Array(count * POINT_STRIDE) : null
  const constant = perPoint ? 0 : r.uint()
  if (constant > PRESSURE_STEPS) throw new CompactPointsError('a pressure above 1')
  const scale = 2 ** stepBits
  const limit = ELEMENT_LIMITS.maxCoordinate * scale
  let x1 = 0
  let y1 = 0
  let x2 = 0
  let y2 = 0
  let p = constant
  for (let i = 0; i < count; i++) {
    const second = secondOrder && i >= 2
    const x = r.int() + (second ? 2 * x1 - x2 : x1)
    const y = r.int() + (second ? 2 * y1 - y2 : y1)
    // Negated so that anything odd fails too.
    if (!(Math.abs(x) <= limit && Math.abs(y) <= limit))
      throw new CompactPointsError(`a point lies outside the board (beyond ±${ELEMENT_LIMITS.maxCoordinate})`)
    x2 = x1
    y2 = y1
    x1 = x
    y1 = y
    if (perPoint) {
      p += r.int()
      if (p < 0 || p > PRESSURE_STEPS) throw new CompactPointsError('a pressure outside 0..1')
    }
    if (out) {
      const at = i * POINT_STRIDE
      out[at] = x / scale
      out[at + 1] = y / scale
      out[at + 2] = p / PRESSURE_STEPS
    }
  }
  if (r.at !== bytes.length) throw new CompactPointsError(`${bytes.length - r.at} bytes after the last point`)
  return out
}

/** Decodes compact points into flat [x, y, pressure, ...]; throws CompactPointsError for malformed bytes. */
export function decodeCompactPoints(bytes: Uint8Array): Float32Array {
  return walk(bytes, true) as Float32Array
}

/** Why bytes are no valid compact points (in a few words), or undefined when they are; never throws. */
export function compactPointsProblem(bytes: Uint8Array): string | undefined {
  try {
    walk(bytes, false)
    return undefined
  } catch (error) {
    if (error instanceof CompactPointsError) return error.message
    throw error
  }
}

/** Most bytes compact points of STROKE_LIMITS.maxPoints points can take (the guard's size cap). */
export const MAX_COMPACT_POINTS_BYTES =
  HEADER_BYTES + 2 * MAX_VARINT_BYTES + STROKE_LIMITS.maxPoints * (2 * MAX_VARINT_BYTES + 2)
