// A stroke's outline as an @napi-rs/canvas Path2D built from one SVG path string instead of a lineTo call per point:
// each lineTo is an N-API call (330-900 ns a point on this machine), 14 % of a 100,000-stroke export's CPU
// (docs/performance.md, "Export at scale", round six). Formatting the outline's float32 numbers as JavaScript writes
// them was slower than the calls (1.4-2.2 µs a point), and Skia's SVG number parser does not read decimals exactly
// (it misreads even short exact ones such as 1030.65087890625), so the numbers are written as integers: each axis
// scaled by a power of two, and the path is filled under the transform scaled back by the same power. Scaling by a
// power of two is exact in floating point.
//
// Where one power of two makes every float32 coordinate of an axis a whole number below 2^31 (a float32 is a 24-bit
// integer times a power of two: the axis' coordinates span at most 7 binary orders), the path is exact: Skia maps
// every point to the same device coordinates as the lineTo path's and fills the same pixels. An outline reaching
// near an axis (x or y crossing 0: about a tenth of the strokes of a large board) spans more orders than that; its
// axis takes the largest power of two that keeps its largest coordinate below 2^31 and each coordinate is rounded to
// it: off by at most 2^-32 of the largest one (about 1e-6 board units on a board reaching 4,000 units from the
// origin). Only its points within 1/128 of the largest's size move, so few of them, and a device coordinate they
// give moves by at most that much: it changes a pixel only where it falls within that distance of a point where
// Skia's rasterizer rounds the other way (test/main/outlinePath.test.ts measures it; docs/performance.md,
// "Round eleven, helper exportlean", for the dense 100,000-stroke board). Before, those outlines were traced with a
// lineTo per point: 4.4 M calls there.
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

/**
 * The smallest and largest binary exponent of the non-zero coordinates of one axis (`from` 0: x, 1: y; a subnormal
 * counts as the exponent 0), or undefined when one of them is not finite (infinite, NaN: the lineTo path handles those
 * as it always did).
 */
function exponents(bits: Uint32Array, from: number): { min: number; max: number } | undefined {
  let min = 255
  let max = -1
  for (let i = from; i < bits.length; i += 2) {
    const e = ((bits[i] as number) >>> 23) & 0xff
    if (e === 0 && ((bits[i] as number) & 0x7fffffff) === 0) continue
    if (e === 255) return undefined
    if (e < min) min = e
    if (e > max) max = e
  }
  return max < 0 ? { min: 127, max: 127 } : { min, max }
}

/**
 * The power of two that makes every coordinate of an axis a whole number below 2^31 (the smallest one: fewer digits),
 * or, where the axis' coordinates span too many binary orders for that (a stroke reaching near 0), the largest one
 * that keeps them below 2^31, to be rounded to. Undefined for an axis holding a coordinate that is not finite.
 */
function axisScale(bits: Uint32Array, from: number): number | undefined {
  const e = exponents(bits, from)
  if (!e) return undefined
  // The smallest coordinate's last significand bit is 2^(min - 127 - 23): times 2^k it is a whole number from
  // k = 23 - (min - 127) on; the largest is below 2^(max - 127 + 1), times 2^k below 2^(max - min + 24).
  if (e.max - e.min + SIGNIFICAND_BITS <= MAX_BITS) return 2 ** (SIGNIFICAND_BITS - 1 - (e.min - 127))
  // The largest is below 2^(max - 127 + 1): times 2^(MAX_BITS - 1 - (max - 127)) below 2^31 (and a float32 times it
  // at most 2^31 - 2^7, which rounds to no more).
  return 2 ** (MAX_BITS - 1 - (e.max - 127))
}

/** "00" to "99" as ASCII pairs: two digits written at a time. */
const PAIRS = (() => {
  const pairs = new Uint8Array(200)
  for (let i = 0; i < 100; i++) {
    pairs[i * 2] = 48 + Math.floor(i / 10)
    pairs[i * 2 + 1] = 48 + (i % 10)
  }
  return pairs
})()

/** How many decimal digits a whole number below 2^31 has. */
function digitCount(v: number): number {
  if (v < 100_000) {
    if (v < 100) return v < 10 ? 1 : 2
    if (v < 10_000) return v < 1000 ? 3 : 4
    return 5
  }
  if (v < 10_000_000) return v < 1_000_000 ? 6 : 7
  if (v < 1_000_000_000) return v < 100_000_000 ? 8 : 9
  return 10
}

/** Writes `v` (a whole number, |v| < 2^31) in decimal at `at`; returns where it ends. */
function writeInt(out: Uint8Array, at: number, value: number): number {
  let v = value
  let p = at
  if (v < 0) {
    out[p++] = 45 // '-'
    v = -v
  }
  const end = p + digitCount(v)
  let q = end
  while (v >= 100) {
    const next = (v / 100) | 0
    const pair = (v - next * 100) * 2
    out[--q] = PAIRS[pair + 1] as number
    out[--q] = PAIRS[pair] as number
    v = next
  }
  if (v >= 10) {
    out[--q] = PAIRS[v * 2 + 1] as number
    out[--q] = PAIRS[v * 2] as number
  } else out[--q] = 48 + v
  return end
}

/**
 * The outline (a flat float32 polygon, at least two points) as one Path2D made from an SVG path string of whole
 * numbers (`M x0 y0 x1 y1 … Z`: what moveTo, lineTo per point and closePath trace), exact where its axes allow (see
 * above) and rounded within 2^-32 of its largest coordinate where not; undefined when a coordinate is not finite (the
 * caller traces it with lineTo).
 */
export function outlinePath(outline: Float32Array): ScaledPath | undefined {
  if (outline.length < 4 || outline.length % 2 !== 0) return undefined
  const bits = new Uint32Array(outline.buffer, outline.byteOffset, outline.length)
  const sx = axisScale(bits, 0)
  const sy = axisScale(bits, 1)
  if (sx === undefined || sy === undefined) return undefined
  // At most 11 bytes a number ('-' and 10 digits) and a space, 'M' and 'Z'.
  const need = outline.length * 12 + 2
  if (text.length < need) text = Buffer.alloc(need * 2)
  const out = text
  let at = 0
  out[at++] = 77 // 'M': the first pair moves, the pairs after it draw lines (SVG's implicit lineto)
  // Each product rounded to a whole number below 2^31 in size (axisScale): where the axis is exact it is one already,
  // and stays as it is; `| 0` only changes its type.
  at = writeInt(out, at, Math.round((outline[0] as number) * sx) | 0)
  out[at++] = 32
  at = writeInt(out, at, Math.round((outline[1] as number) * sy) | 0)
  for (let i = 2; i < outline.length; i += 2) {
    out[at++] = 32
    at = writeInt(out, at, Math.round((outline[i] as number) * sx) | 0)
    out[at++] = 32
    at = writeInt(out, at, Math.round((outline[i + 1] as number) * sy) | 0)
  }
  out[at++] = 90 // 'Z'
  return { path: new Path2D(out.toString('latin1', 0, at)), unitX: 1 / sx, unitY: 1 / sy }
}
