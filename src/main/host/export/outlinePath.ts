// A stroke's outline as an @napi-rs/canvas Path2D built from one SVG path string instead of a lineTo call per point:
// each lineTo is an N-API call (330-900 ns a point on this machine), 14 % of a 100,000-stroke export's CPU
// (docs/performance.md, "Export at scale", round six). Formatting the outline's float32 numbers as JavaScript writes
// them was slower than the calls (1.4-2.2 µs a point), and Skia's SVG number parser does not round long decimals
// exactly, so the numbers are written as integers: each axis scaled by a power of two that makes every one of its
// float32 coordinates a whole number below 2^31 (exactly: a float32 is a 24-bit integer times a power of two), and
// the path is filled under the transform scaled back by the same power. Scaling by a power of two is exact in
// floating point, so Skia maps every point to the same device coordinates as the lineTo path's and fills the same
// pixels (test/main/outlinePath.test.ts compares them; docs/round8/exportfast.md).
import { Path2D } from '@napi-rs/canvas'

/** A path traced from an outline: its coordinates are the outline's times 1 / unitX and 1 / unitY. */
export interface ScaledPath {
  path: Path2D
  /** What to scale the path's x by (in the transform it is filled under) to get the outline's units back. */
  unitX: number
  unitY: number
}

/** Scaled coordinates stay below 2^31: Skia's parser reads integers up to 2^32 exactly, longer ones not always. */
const MAX_BITS = 31
/** A float32's significand: 24 bits with the implicit one. */
const SIGNIFICAND_BITS = 24

let text = Buffer.alloc(1 << 16)
const ints = { x: new Int32Array(0) }

/**
 * The smallest and largest binary exponent of the non-zero coordinates of one axis (`from` 0: x, 1: y), or undefined
 * when one of them is not a normal float (subnormal, infinite, NaN: the lineTo path handles those as it always did).
 */
function exponents(bits: Uint32Array, from: number): { min: number; max: number } | undefined {
  let min = 255
  let max = -1
  for (let i = from; i < bits.length; i += 2) {
    const e = ((bits[i] as number) >>> 23) & 0xff
    if (e === 0) {
      if (((bits[i] as number) & 0x7fffffff) !== 0) return undefined
      continue
    }
    if (e === 255) return undefined
    if (e < min) min = e
    if (e > max) max = e
  }
  return max < 0 ? { min: 127, max: 127 } : { min, max }
}

/**
 * The power of two that makes every coordinate of an axis a whole number below 2^31 (the smallest one: fewer digits),
 * or undefined where the axis' coordinates span too many binary orders for that (a stroke reaching near 0).
 */
function axisScale(bits: Uint32Array, from: number): number | undefined {
  const e = exponents(bits, from)
  if (!e) return undefined
  // The smallest coordinate's last significand bit is 2^(min - 127 - 23): times 2^k it is a whole number from
  // k = 23 - (min - 127) on; the largest is below 2^(max - 127 + 1), times 2^k below 2^(max - min + 24).
  if (e.max - e.min + SIGNIFICAND_BITS > MAX_BITS) return undefined
  return 2 ** (SIGNIFICAND_BITS - 1 - (e.min - 127))
}

const POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000]

/** Writes `v` (a whole number, |v| < 2^31) in decimal at `at`; returns where it ends. */
function writeInt(out: Buffer, at: number, value: number): number {
  let v = value
  if (v < 0) {
    out[at++] = 45 // '-'
    v = -v
  }
  let digits = 1
  while (digits < 10 && v >= (POW10[digits] as number)) digits++
  const end = at + digits
  for (let p = end - 1; p >= at; p--) {
    const q = (v / 10) | 0
    out[p] = 48 + v - q * 10
    v = q
  }
  return end
}

/**
 * The outline (a flat float32 polygon, at least two points) as one Path2D made from an SVG path string of whole
 * numbers (`M x0 y0 x1 y1 … Z`: what moveTo, lineTo per point and closePath trace), or undefined when its coordinates
 * cannot all be whole numbers that Skia reads exactly (the caller traces it with lineTo).
 */
export function outlinePath(outline: Float32Array): ScaledPath | undefined {
  if (outline.length < 4 || outline.length % 2 !== 0) return undefined
  const bits = new Uint32Array(outline.buffer, outline.byteOffset, outline.length)
  const sx = axisScale(bits, 0)
  const sy = axisScale(bits, 1)
  if (sx === undefined || sy === undefined) return undefined
  if (ints.x.length < outline.length) ints.x = new Int32Array(outline.length * 2)
  const whole = ints.x
  for (let i = 0; i < outline.length; i += 2) {
    whole[i] = (outline[i] as number) * sx
    whole[i + 1] = (outline[i + 1] as number) * sy
  }
  // At most 11 bytes a number ('-' and 10 digits) and a space, 'M' and 'Z'.
  const need = outline.length * 12 + 2
  if (text.length < need) text = Buffer.alloc(need * 2)
  const out = text
  let at = 0
  out[at++] = 77 // 'M': the first pair moves, the pairs after it draw lines (SVG's implicit lineto)
  for (let i = 0; i < outline.length; i++) {
    if (i > 0) out[at++] = 32
    at = writeInt(out, at, whole[i] as number)
  }
  out[at++] = 90 // 'Z'
  return { path: new Path2D(out.toString('latin1', 0, at)), unitX: 1 / sx, unitY: 1 / sy }
}
