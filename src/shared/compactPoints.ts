/**
 * The compact form of a finished stroke's points (docs/board-format.md, "Compact points"): one byte array with a
 * small header, then a bit stream: each point's difference from a prediction (x and y in steps of 1/2^k board
 * unit, pressure in 1/256, left out when every point has the same pressure, as mouse ink does), zigzag-signed and
 * written as exponential-Golomb codes whose order the writer picks per stroke. Written by hand: no library here
 * codes integers below a byte, and this format must refuse any overrun, overlong number or trailing bit.
 */
import { ELEMENT_LIMITS, STROKE_LIMITS } from './elements/types'
import { POINT_STRIDE } from './points'

/** Version of the compact points format (the first byte). */
export const COMPACT_POINTS_VERSION = 1
/** Coordinates are stored in steps of 1/2^k board unit; writers use this k (1/16 unit: see the format doc). */
export const COMPACT_STEP_BITS = 4
/** Pressure is stored in steps of 1/PRESSURE_STEPS (so that the mouse's 0.5 is exact). */
export const PRESSURE_STEPS = 256

const MAX_STEP_BITS = 8
/** The only flags a version 1 reader knows: bit 0, a pressure per point; bit 1, second-order prediction. */
const FLAG_PRESSURE = 1
const FLAG_SECOND_ORDER = 2
const KNOWN_FLAGS = FLAG_PRESSURE | FLAG_SECOND_ORDER
/** Largest Golomb order: a stroke whose residuals need more is still written, only less compactly. */
const MAX_ORDER = 15
// Residuals stay below 2^37 (±1e7 units at 1/256 unit, predicted from two points): a code's prefix is shorter.
const MAX_PREFIX_BITS = 40
/** Header: version, flags, step, Golomb orders; then the count (≤ 3 bytes) and a constant pressure (≤ 2). */
const FIXED_HEADER_BYTES = 4

/** Bytes that are no compact points; the message says what is wrong in a few words. */
export class CompactPointsError extends Error {}

const zigzag = (n: number): number => (n >= 0 ? n * 2 : -n * 2 - 1)
// Below 2^32 with 32-bit operations (the usual case, and many times faster than the division that stays exact above).
const unzigzag = (z: number): number =>
  z < 4294967296 ? (z >>> 1) ^ -(z & 1) : z % 2 === 0 ? z / 2 : -(z + 1) / 2

/** floor(log2(n)) for n ≥ 1, also above 2^32. */
function log2(n: number): number {
  return n < 2 ** 31 ? 31 - Math.clz32(n) : Math.floor(Math.log2(n))
}

/** Bits an order-k exponential-Golomb code of z takes. */
function codeBits(z: number, k: number): number {
  const q = z < 2 ** 31 ? z >>> k : Math.floor(z / 2 ** k)
  return 2 * log2(q + 1) + 1 + k
}

/** The order that codes all of `values` in the fewest bits. */
function bestOrder(values: readonly number[]): number {
  let best = 0
  let bestBits = Number.POSITIVE_INFINITY
  for (let k = 0; k <= MAX_ORDER; k++) {
    let bits = 0
    for (const z of values) bits += codeBits(z, k)
    if (bits < bestBits) {
      bestBits = bits
      best = k
    }
  }
  return best
}

/** Writes bytes, unsigned varints (7 bits a byte, low first) and then bits, most significant first. */
class Writer {
  bytes = new Uint8Array(64)
  at = 0
  /** Bits written but not yet a whole byte: the low `pending` bits of `window`. */
  private window = 0
  private pending = 0

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

  /** The low `count` bits of n (n < 2^53), most significant first. */
  bits(n: number, count: number): void {
    if (count > 24) {
      this.bits(Math.floor(n / 2 ** 24), count - 24)
      n %= 2 ** 24
      count = 24
    }
    // At most 7 pending bits and 24 new ones: the window fits 32 bits.
    this.window = (this.window << count) | (n & ((1 << count) - 1))
    this.pending += count
    while (this.pending >= 8) {
      this.pending -= 8
      this.byte((this.window >>> this.pending) & 0xff)
    }
    this.window &= (1 << this.pending) - 1
  }

  /** z ≥ 0 as an order-k exponential-Golomb code: q+1 in Elias gamma (q = z >> k), then the low k bits of z. */
  golomb(z: number, k: number): void {
    const q1 = Math.floor(z / 2 ** k) + 1
    const n = log2(q1)
    this.bits(0, n)
    this.bits(q1, n + 1)
    this.bits(z, k)
  }

  /** The bytes written, the last one padded with zero bits. */
  done(): Uint8Array {
    if (this.pending > 0) this.bits(0, 8 - this.pending)
    return this.bytes.slice(0, this.at)
  }
}

/**
 * Reads what Writer wrote, refusing overruns and overlong numbers. Bits are taken up to 24 at a time from a 32-bit
 * window (a Golomb prefix by counting leading zeros), not one by one: a late joiner decodes every stroke's points
 * once, 17 million points on a 100,000-stroke board.
 */
class Reader {
  /** Bits read so far. */
  private pos = 0
  private readonly end: number
  constructor(readonly bytes: Uint8Array) {
    this.end = bytes.length * 8
  }

  /** A whole byte (the header, read before any bits). */
  byte(): number {
    const at = this.pos >> 3
    if (at >= this.bytes.length) throw new CompactPointsError('the points end early')
    this.pos += 8
    return this.bytes[at] as number
  }

  uint(): number {
    let n = 0
    let scale = 1
    for (let i = 0; i < 5; i++) {
      const b = this.byte()
      n += (b & 0x7f) * scale
      if (b < 0x80) return n
      scale *= 0x80
    }
    throw new CompactPointsError('a number is too long')
  }

  /** Bits left to read. */
  get bitsLeft(): number {
    return this.end - this.pos
  }

  /** The next 32 bits from `pos` (zeros past the end), without reading them. */
  private peek(): number {
    const b = this.bytes
    const at = this.pos >> 3
    const s = this.pos & 7
    // Inside the bytes without a check per byte; near the end, zeros past it.
    const w =
      at + 4 < b.length
        ? ((((b[at] as number) << 24) |
            ((b[at + 1] as number) << 16) |
            ((b[at + 2] as number) << 8) |
            (b[at + 3] as number)) <<
            s) |
          ((b[at + 4] as number) >>> (8 - s))
        : ((((b[at] ?? 0) << 24) | ((b[at + 1] ?? 0) << 16) | ((b[at + 2] ?? 0) << 8) | (b[at + 3] ?? 0)) <<
            s) |
          ((b[at + 4] ?? 0) >>> (8 - s))
    return w >>> 0
  }

  /** `count` ≤ 24 bits as a number, most significant first. */
  private take(count: number): number {
    if (count === 0) return 0
    const v = this.peek() >>> (32 - count)
    this.pos += count
    if (this.pos > this.end) throw new CompactPointsError('the points end early')
    return v
  }

  bits(count: number): number {
    let n = 0
    while (count > 24) {
      n = n * 2 ** 24 + this.take(24)
      count -= 24
    }
    return n * 2 ** count + this.take(count)
  }

  golomb(k: number): number {
    // Most codes fit the next 32 bits: n zeros, then q + 1 in n + 1 bits, then k bits, read as one number.
    const w = this.peek()
    const zeros = Math.clz32(w)
    const length = 2 * zeros + 1 + k
    if (length <= 32) {
      this.pos += length
      if (this.pos > this.end) throw new CompactPointsError('the points end early')
      return (length === 32 ? w : w >>> (32 - length)) - (1 << k)
    }
    const start = this.pos
    let n = 0
    for (;;) {
      const zeros = Math.clz32(this.peek())
      n += zeros
      if (n > MAX_PREFIX_BITS) {
        // The 41st zero: refused as too long if it lies inside the bytes, as an early end if past them.
        if (start + MAX_PREFIX_BITS < this.end) throw new CompactPointsError('a number is too long')
        throw new CompactPointsError('the points end early')
      }
      if (zeros < 32) {
        this.pos += zeros + 1
        break
      }
      this.pos += 32
    }
    if (this.pos > this.end) throw new CompactPointsError('the points end early')
    if (n + k <= 24) {
      const v = this.take(n + k)
      const low = k === 0 ? 0 : v & ((1 << k) - 1)
      return (2 ** n + (v >>> k) - 1) * 2 ** k + low
    }
    const q1 = 2 ** n + this.bits(n)
    return (q1 - 1) * 2 ** k + this.bits(k)
  }

  /** Whether only zero padding of the last byte is left. */
  paddedEnd(): boolean {
    const rest = this.end - this.pos
    return rest >= 0 && rest < 8 && (rest === 0 || this.take(rest) === 0)
  }
}

/** Options of encodeCompactPoints; the defaults are what the board writes. */
export interface CompactOptions {
  /** Steps of 1/2^stepBits board unit (0..8). */
  stepBits?: number
  /**
   * Predict each point from the two before it (smooth ink) or from the one before (jittery ink); by default
   * whichever is smaller for these points.
   */
  secondOrder?: boolean
}

/**
 * Encodes flat [x, y, pressure, ...] points (1 to STROKE_LIMITS.maxPoints; coordinates within
 * ±ELEMENT_LIMITS.maxCoordinate, pressure 0..1; values beyond are clamped) as compact points. Each value moves
 * by at most half a step.
 */
export function encodeCompactPoints(flat: ArrayLike<number>, options: CompactOptions = {}): Uint8Array {
  if (options.secondOrder === undefined) {
    const smooth = encodeCompactPoints(flat, { ...options, secondOrder: true })
    const jittery = encodeCompactPoints(flat, { ...options, secondOrder: false })
    return jittery.byteLength < smooth.byteLength ? jittery : smooth
  }
  const stepBits = options.stepBits ?? COMPACT_STEP_BITS
  const secondOrder = options.secondOrder
  const count = Math.floor(flat.length / POINT_STRIDE)
  if (count < 1 || count > STROKE_LIMITS.maxPoints)
    throw new CompactPointsError(`a stroke holds 1 to ${STROKE_LIMITS.maxPoints} points, not ${count}`)
  const scale = 2 ** stepBits
  const limit = Math.round(ELEMENT_LIMITS.maxCoordinate * scale)
  const q = (v: number): number => Math.min(limit, Math.max(-limit, Math.round(v * scale) || 0))
  const p = (v: number): number => Math.min(PRESSURE_STEPS, Math.max(0, Math.round(v * PRESSURE_STEPS) || 0))
  const first = p(flat[2] as number)
  let constant = true
  for (let i = 1; i < count && constant; i++) constant = p(flat[i * POINT_STRIDE + 2] as number) === first
  // Residuals as zigzag codes, three a point (the third unused for constant pressure).
  const codes = new Array<number>(count * 3)
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
    codes[i * 3] = zigzag(second ? x - 2 * x1 + x2 : x - x1)
    codes[i * 3 + 1] = zigzag(second ? y - 2 * y1 + y2 : y - y1)
    const pressure = p(flat[at + 2] as number)
    codes[i * 3 + 2] = zigzag(pressure - p1)
    x2 = x1
    y2 = y1
    x1 = x
    y1 = y
    p1 = pressure
  }
  // The first point is a position, not a residual: it would pull the orders up for every other point.
  const xy: number[] = []
  for (let i = 3; i < codes.length; i += 3) xy.push(codes[i] as number, codes[i + 1] as number)
  const kxy = bestOrder(xy)
  const pressures: number[] = []
  if (!constant) for (let i = 2; i < codes.length; i += 3) pressures.push(codes[i] as number)
  const kp = constant ? 0 : bestOrder(pressures)
  const w = new Writer()
  w.byte(COMPACT_POINTS_VERSION)
  w.byte((constant ? 0 : FLAG_PRESSURE) | (secondOrder ? FLAG_SECOND_ORDER : 0))
  w.byte(stepBits)
  w.byte((kxy << 4) | kp)
  w.uint(count)
  if (constant) w.uint(first)
  for (let i = 0; i < count; i++) {
    const k = i === 0 ? MAX_ORDER : kxy
    w.golomb(codes[i * 3] as number, k)
    w.golomb(codes[i * 3 + 1] as number, k)
    if (!constant) w.golomb(codes[i * 3 + 2] as number, kp)
  }
  return w.done()
}

/**
 * Checks compact points in one pass and, when `decode`, returns them (null otherwise); with `box`, writes the smallest
 * and largest x and y of the points there (in steps: minX, minY, maxX, maxY) and their step size's bits after them.
 */
function walk(bytes: Uint8Array, decode: boolean, box?: Float64Array): Float32Array | null {
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
  const orders = r.byte()
  const kxy = orders >> 4
  const kp = orders & 0x0f
  const count = r.uint()
  if (count < 1 || count > STROKE_LIMITS.maxPoints)
    throw new CompactPointsError(`${count} points; a stroke holds 1 to ${STROKE_LIMITS.maxPoints}`)
  const perPoint = (flags & FLAG_PRESSURE) !== 0
  const secondOrder = (flags & FLAG_SECOND_ORDER) !== 0
  const constant = perPoint ? 0 : r.uint()
  if (constant > PRESSURE_STEPS) throw new CompactPointsError('a pressure above 1')
  // Every code takes at least 1 + k bits: a count the bytes cannot hold is refused before any work.
  const least = 2 * (1 + MAX_ORDER) + (count - 1) * (2 * (1 + kxy) + (perPoint ? 1 + kp : 0))
  if (least > r.bitsLeft) throw new CompactPointsError(`${count} points cannot fit in ${bytes.length} bytes`)
  const out = decode ? new Float32Array(count * POINT_STRIDE) : null
  const scale = 2 ** stepBits
  const limit = ELEMENT_LIMITS.maxCoordinate * scale
  let x1 = 0
  let y1 = 0
  let x2 = 0
  let y2 = 0
  let p = constant
  let minX = Number.POSITIVE_INFINITY
  let minY = Number.POSITIVE_INFINITY
  let maxX = Number.NEGATIVE_INFINITY
  let maxY = Number.NEGATIVE_INFINITY
  for (let i = 0; i < count; i++) {
    const second = secondOrder && i >= 2
    const k = i === 0 ? MAX_ORDER : kxy
    const x = unzigzag(r.golomb(k)) + (second ? 2 * x1 - x2 : x1)
    const y = unzigzag(r.golomb(k)) + (second ? 2 * y1 - y2 : y1)
    // Negated so that anything odd fails too.
    if (!(Math.abs(x) <= limit && Math.abs(y) <= limit))
      throw new CompactPointsError(`a point lies outside the board (beyond ±${ELEMENT_LIMITS.maxCoordinate})`)
    x2 = x1
    y2 = y1
    x1 = x
    y1 = y
    if (perPoint) {
      p += unzigzag(r.golomb(kp))
      if (p < 0 || p > PRESSURE_STEPS) throw new CompactPointsError('a pressure outside 0..1')
    }
    if (out) {
      const at = i * POINT_STRIDE
      out[at] = x / scale
      out[at + 1] = y / scale
      out[at + 2] = p / PRESSURE_STEPS
    } else if (box) {
      if (x < minX) minX = x
      if (x > maxX) maxX = x
      if (y < minY) minY = y
      if (y > maxY) maxY = y
    }
  }
  if (!r.paddedEnd()) throw new CompactPointsError('something follows the last point')
  if (box) {
    box[0] = minX
    box[1] = minY
    box[2] = maxX
    box[3] = maxY
    box[4] = stepBits
  }
  return out
}

/**
 * The first point of compact points (board units), read from the header and the first two codes only: where a
 * stroke starts, in a fraction of the time decoding it takes. Undefined for bytes that are no compact points.
 */
export function compactPointsStart(bytes: Uint8Array): { x: number; y: number } | undefined {
  try {
    const r = new Reader(bytes)
    if (r.byte() !== COMPACT_POINTS_VERSION) return undefined
    const flags = r.byte()
    const stepBits = r.byte()
    if ((flags & ~KNOWN_FLAGS) !== 0 || stepBits > MAX_STEP_BITS) return undefined
    r.byte()
    if (r.uint() < 1) return undefined
    if ((flags & FLAG_PRESSURE) === 0) r.uint()
    const scale = 2 ** stepBits
    const x = unzigzag(r.golomb(MAX_ORDER)) / scale
    const y = unzigzag(r.golomb(MAX_ORDER)) / scale
    return Number.isFinite(x) && Number.isFinite(y) ? { x, y } : undefined
  } catch (error) {
    if (error instanceof CompactPointsError) return undefined
    throw error
  }
}

/** Decodes compact points into flat [x, y, pressure, ...]; throws CompactPointsError for malformed bytes. */
export function decodeCompactPoints(bytes: Uint8Array): Float32Array {
  return walk(bytes, true) as Float32Array
}

const boxSteps = new Float64Array(5)

/**
 * The bounds of compact points as their decoded points give them (the float32 numbers decodeCompactPoints writes),
 * without decoding them into an array: the first and the last corner of the box as two points ([minX, minY, p, maxX,
 * maxY, p], p a pressure of no meaning), so that anything that measures points (pointsBounds, elementRect) measures
 * the same box. Undefined for malformed bytes (what decoding them throws for). An export's layout reads every stroke's
 * box this way: decoding 100,000 strokes only to measure them made ~0.4 GB of arrays to collect.
 */
export function compactPointsBox(bytes: Uint8Array): Float32Array | undefined {
  try {
    walk(bytes, false, boxSteps)
  } catch (error) {
    if (error instanceof CompactPointsError) return undefined
    throw error
  }
  // The same division (x / scale, then float32) as each decoded point's: a float32 keeps the order of the numbers, so
  // the smallest and largest decoded numbers are those of the smallest and largest steps.
  const scale = 2 ** (boxSteps[4] as number)
  const box = new Float32Array(2 * POINT_STRIDE)
  box[0] = (boxSteps[0] as number) / scale
  box[1] = (boxSteps[1] as number) / scale
  box[3] = (boxSteps[2] as number) / scale
  box[4] = (boxSteps[3] as number) / scale
  return box
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

/**
 * Most bytes compact points of STROKE_LIMITS.maxPoints points can take (the guard's size cap): every residual as
 * large as the board allows, at order 0 (2·37 + 1 bits) or worse orders (at most 15 bits more), pressure alike.
 */
export const MAX_COMPACT_POINTS_BYTES =
  FIXED_HEADER_BYTES + 5 + Math.ceil((STROKE_LIMITS.maxPoints * 3 * (2 * 38 + 1 + MAX_ORDER)) / 8)
