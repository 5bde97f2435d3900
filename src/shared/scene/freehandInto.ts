// perfect-freehand's getStroke (1.2.3) for the options strokeOptions gives (no taper, round caps, linear easing),
// written into reused typed arrays instead of an array of two numbers for every point and every intermediate vector:
// on a 100,000-stroke export those arrays were 2.4 GB of allocation in 30 s that V8 kept collecting (a quarter of the
// export's CPU went to the collector; docs/performance.md, "Round nine, helper exportcpu"). Every number is computed by the same operations in
// the same order as the library's (src/vec.ts, getStrokePoints.ts, getStrokeOutlinePoints.ts), so the outline is the
// same to the last bit; test/shared/freehandInto.test.ts compares the two on thousands of strokes. The library stays
// for everything else (the screen, options this does not cover).
import type { StrokeOptions } from 'perfect-freehand'

const FIXED_PI = Math.PI + 0.0001
const START_CAP_SEGMENTS = 13
const END_CAP_SEGMENTS = 29
const CORNER_CAP_SEGMENTS = 13
const END_NOISE_THRESHOLD = 3
const MIN_STREAMLINE_T = 0.15
const STREAMLINE_T_RANGE = 0.85
const MIN_RADIUS = 0.01
const DEFAULT_FIRST_PRESSURE = 0.25
const DEFAULT_PRESSURE = 0.5
const RATE_OF_PRESSURE_CHANGE = 0.275

/** Growable Float64Array scratch buffers, one set per caller (FreehandScratch). */
export class FreehandScratch {
  /** The stroke's input as [x, y, pressure] triples (after the library's 1- and 2-point padding). */
  inX = new Float64Array(1024)
  inY = new Float64Array(1024)
  inP = new Float64Array(1024)
  /** Stroke points: point, pressure, vector, distance, running length. */
  px = new Float64Array(1024)
  py = new Float64Array(1024)
  pp = new Float64Array(1024)
  vx = new Float64Array(1024)
  vy = new Float64Array(1024)
  pd = new Float64Array(1024)
  pr = new Float64Array(1024)
  /** Left and right sides of the outline. */
  lx = new Float64Array(4096)
  ly = new Float64Array(4096)
  rx = new Float64Array(4096)
  ry = new Float64Array(4096)
  /** The finished outline, flat [x0, y0, x1, y1, ...]. */
  out = new Float32Array(8192)

  /** Makes room for `n` input points (and so stroke points) and `m` side points. */
  reserve(n: number): void {
    if (this.inX.length < n) {
      const size = Math.max(n, this.inX.length * 2)
      this.inX = new Float64Array(size)
      this.inY = new Float64Array(size)
      this.inP = new Float64Array(size)
      this.px = new Float64Array(size)
      this.py = new Float64Array(size)
      this.pp = new Float64Array(size)
      this.vx = new Float64Array(size)
      this.vy = new Float64Array(size)
      this.pd = new Float64Array(size)
      this.pr = new Float64Array(size)
    }
    // Each stroke point adds at most CORNER_CAP_SEGMENTS + 1 points a side.
    const sides = n * (CORNER_CAP_SEGMENTS + 2) + 2
    if (this.lx.length < sides) {
      const size = Math.max(sides, this.lx.length * 2)
      this.lx = new Float64Array(size)
      this.ly = new Float64Array(size)
      this.rx = new Float64Array(size)
      this.ry = new Float64Array(size)
    }
  }

  /** The output buffer with room for `points` points. */
  output(points: number): Float32Array {
    if (this.out.length < points * 2) this.out = new Float32Array(Math.max(points * 2, this.out.length * 2))
    return this.out
  }
}

/** Whether this port draws a stroke with these options exactly as the library does (otherwise use getStroke). */
export function freehandCovers(options: StrokeOptions): boolean {
  const { start, end } = options
  return (
    options.easing === undefined &&
    (start === undefined || (start.taper === false && start.cap === true && start.easing === undefined)) &&
    (end === undefined || (end.taper === false && end.cap === true && end.easing === undefined)) &&
    options.thinning !== undefined &&
    options.thinning !== 0 &&
    options.size !== undefined &&
    options.smoothing !== undefined &&
    options.streamline !== undefined &&
    options.simulatePressure !== undefined
  )
}

/**
 * Math.hypot of two numbers, the same bits (V8's algorithm: Kahan summation of the squares scaled by the larger,
 * test/shared/freehandInto.test.ts checks it against Math.hypot), without what a call to the builtin costs in
 * optimized code: both arguments boxed as heap numbers and an array of their absolute values, about 2 GB of
 * allocation on a 100,000-stroke export.
 */
export function hypot(a: number, b: number): number {
  const x = Math.abs(a)
  const y = Math.abs(b)
  if (x === Number.POSITIVE_INFINITY || y === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.NaN
  const max = Math.max(x, y)
  if (max === 0) return 0
  const nx = x / max
  const ny = y / max
  // With two terms Kahan's compensation is zero when the second is added (and unused after it).
  return Math.sqrt(nx * nx + ny * ny) * max
}

function isValidPressure(p: number | undefined): boolean {
  return p != null && p >= 0
}

function simulatePressure(prevPressure: number, distance: number, size: number): number {
  const sp = Math.min(1, distance / size)
  const rp = Math.min(1, 1 - sp)
  return Math.min(1, prevPressure + (rp - prevPressure) * (sp * RATE_OF_PRESSURE_CHANGE))
}

/**
 * The outline of a stroke given as flat [x, y, pressure] triples, as getStroke(points, options) gives it, written as
 * flat float32 [x0, y0, ...] into `s.out`; returns the number of floats written (twice the points). `options` must be
 * covered (freehandCovers).
 */
export function freehandInto(
  flat: ArrayLike<number>,
  stride: number,
  options: StrokeOptions,
  s: FreehandScratch,
): number {
  const size = options.size as number
  const thinning = options.thinning as number
  const smoothing = options.smoothing as number
  const streamline = options.streamline as number
  const simulate = options.simulatePressure as boolean
  const isComplete = options.last ?? false
  let n = Math.floor(flat.length / stride)
  if (n === 0) return 0
  s.reserve(n + 4)
  const { inX, inY, inP } = s
  for (let i = 0; i < n; i++) {
    const at = i * stride
    inX[i] = flat[at] as number
    inY[i] = flat[at + 1] as number
    inP[i] = flat[at + 2] as number
  }
  // getStrokePoints: two points become five (lrp, without pressure), one point gets a second one unit off.
  if (n === 2) {
    const ax = inX[0] as number
    const ay = inY[0] as number
    const bx = inX[1] as number
    const by = inY[1] as number
    for (let i = 1; i < 5; i++) {
      const t = i / 4
      inX[i] = ax + (bx - ax) * t
      inY[i] = ay + (by - ay) * t
      inP[i] = Number.NaN
    }
    n = 5
  } else if (n === 1) {
    inX[1] = (inX[0] as number) + 1
    inY[1] = (inY[0] as number) + 1
    inP[1] = inP[0] as number
    n = 2
  }
  // In the library a padded point without pressure reads `undefined`: not a valid pressure, as NaN is not.
  const pressureAt = (i: number, fallback: number) => {
    const p = inP[i] as number
    return isValidPressure(p) ? p : fallback
  }

  const { px, py, pp, vx, vy, pd, pr } = s
  const t = MIN_STREAMLINE_T + (1 - streamline) * STREAMLINE_T_RANGE
  px[0] = inX[0] as number
  py[0] = inY[0] as number
  pp[0] = pressureAt(0, DEFAULT_FIRST_PRESSURE)
  vx[0] = 1
  vy[0] = 1
  pd[0] = 0
  pr[0] = 0
  let count = 1
  let reached = false
  let runningLength = 0
  const max = n - 1
  for (let i = 1; i < n; i++) {
    const prevX = px[count - 1] as number
    const prevY = py[count - 1] as number
    let x: number
    let y: number
    if (isComplete && i === max) {
      x = inX[i] as number
      y = inY[i] as number
    } else {
      x = prevX + ((inX[i] as number) - prevX) * t
      y = prevY + ((inY[i] as number) - prevY) * t
    }
    if (prevX === x && prevY === y) continue
    const distance = hypot(y - prevY, x - prevX)
    runningLength += distance
    if (i < max && !reached) {
      if (runningLength < size) continue
      reached = true
    }
    const dx = prevX - x
    const dy = prevY - y
    const l = hypot(dx, dy)
    px[count] = x
    py[count] = y
    pp[count] = pressureAt(i, DEFAULT_PRESSURE)
    vx[count] = dx / l
    vy[count] = dy / l
    pd[count] = distance
    pr[count] = runningLength
    count++
  }
  if (count > 1) {
    vx[0] = vx[1] as number
    vy[0] = vy[1] as number
  } else {
    vx[0] = 0
    vy[0] = 0
  }

  // getStrokeOutlinePoints
  if (size <= 0) return 0
  const last = count - 1
  const totalLength = pr[last] as number
  const minDistance = (size * smoothing) ** 2
  const { lx, ly, rx, ry } = s
  let left = 0
  let right = 0

  let prevPressure = pp[0] as number
  for (let i = 0; i < Math.min(10, count); i++) {
    let pressure = pp[i] as number
    if (simulate) pressure = simulatePressure(prevPressure, pd[i] as number, size)
    prevPressure = (prevPressure + pressure) / 2
  }
  let radius = size * (0.5 - thinning * (0.5 - (pp[last] as number)))
  let firstRadius: number | undefined
  let prevVX = vx[0] as number
  let prevVY = vy[0] as number
  let prevLX = px[0] as number
  let prevLY = py[0] as number
  let prevRX = prevLX
  let prevRY = prevLY
  let tempLX = prevLX
  let tempLY = prevLY
  let tempRX = prevRX
  let tempRY = prevRY
  let prevSharp = false

  for (let i = 0; i < count; i++) {
    let pressure = pp[i] as number
    const pointX = px[i] as number
    const pointY = py[i] as number
    const vecX = vx[i] as number
    const vecY = vy[i] as number
    const runLength = pr[i] as number
    const isLast = i === last
    if (!isLast && totalLength - runLength < END_NOISE_THRESHOLD) continue

    if (simulate) pressure = simulatePressure(prevPressure, pd[i] as number, size)
    radius = size * (0.5 - thinning * (0.5 - pressure))
    if (firstRadius === undefined) firstRadius = radius
    // No taper: both strengths are 1.
    radius = Math.max(MIN_RADIUS, radius * Math.min(1, 1))

    const nextX = (!isLast ? vx[i + 1] : vx[i]) as number
    const nextY = (!isLast ? vy[i + 1] : vy[i]) as number
    const nextDpr = !isLast ? vecX * nextX + vecY * nextY : 1.0
    const prevDpr = vecX * prevVX + vecY * prevVY
    const isSharp = prevDpr < 0 && !prevSharp
    const isNextSharp = nextDpr < 0

    if (isSharp || isNextSharp) {
      // perInto, mulInto
      const ox = prevVY * radius
      const oy = -prevVX * radius
      const step = 1 / CORNER_CAP_SEGMENTS
      for (let k = 0; k <= 1; k += step) {
        {
          const ax = pointX - ox
          const ay = pointY - oy
          const r = FIXED_PI * k
          const sn = Math.sin(r)
          const cs = Math.cos(r)
          const qx = ax - pointX
          const qy = ay - pointY
          tempLX = qx * cs - qy * sn + pointX
          tempLY = qx * sn + qy * cs + pointY
          lx[left] = tempLX
          ly[left] = tempLY
          left++
        }
        {
          const ax = pointX + ox
          const ay = pointY + oy
          const r = FIXED_PI * -k
          const sn = Math.sin(r)
          const cs = Math.cos(r)
          const qx = ax - pointX
          const qy = ay - pointY
          tempRX = qx * cs - qy * sn + pointX
          tempRY = qx * sn + qy * cs + pointY
          rx[right] = tempRX
          ry[right] = tempRY
          right++
        }
      }
      prevLX = tempLX
      prevLY = tempLY
      prevRX = tempRX
      prevRY = tempRY
      if (isNextSharp) prevSharp = true
      continue
    }
    prevSharp = false

    if (isLast) {
      const ox = vecY * radius
      const oy = -vecX * radius
      lx[left] = pointX - ox
      ly[left] = pointY - oy
      left++
      rx[right] = pointX + ox
      ry[right] = pointY + oy
      right++
      continue
    }

    // lrpInto(_offset, nextVector, vector, nextDpr), perInto, mulInto
    const lerpX = nextX + (vecX - nextX) * nextDpr
    const lerpY = nextY + (vecY - nextY) * nextDpr
    const ox = lerpY * radius
    const oy = -lerpX * radius

    tempLX = pointX - ox
    tempLY = pointY - oy
    if (i <= 1 || dist2(prevLX, prevLY, tempLX, tempLY) > minDistance) {
      lx[left] = tempLX
      ly[left] = tempLY
      left++
      prevLX = tempLX
      prevLY = tempLY
    }
    tempRX = pointX + ox
    tempRY = pointY + oy
    if (i <= 1 || dist2(prevRX, prevRY, tempRX, tempRY) > minDistance) {
      rx[right] = tempRX
      ry[right] = tempRY
      right++
      prevRX = tempRX
      prevRY = tempRY
    }
    prevPressure = pressure
    prevVX = vecX
    prevVY = vecY
  }

  const firstX = px[0] as number
  const firstY = py[0] as number
  if (count === 1) {
    // drawDot (no taper: always a dot).
    const out = s.output(START_CAP_SEGMENTS + 1)
    const r0 = firstRadius || radius
    const offX = firstX + 1
    const offY = firstY + 1
    const dX = firstX - offX
    const dY = firstY - offY
    // per, uni
    const perX = dY
    const perY = -dX
    const l = hypot(perX, perY)
    const startX = firstX + (perX / l) * -r0
    const startY = firstY + (perY / l) * -r0
    let k = 0
    const step = 1 / START_CAP_SEGMENTS
    for (let u = step; u <= 1; u += step) {
      k = rotateInto(out, k, startX, startY, firstX, firstY, FIXED_PI * 2 * u)
    }
    return k
  }
  const lastX = px[last] as number
  const lastY = py[last] as number
  // per(neg(vector)) of the last point
  const negX = -(vx[last] as number)
  const negY = -(vy[last] as number)
  const dirX = negY
  const dirY = -negX

  const out = s.output(left + right + START_CAP_SEGMENTS + END_CAP_SEGMENTS + 2)
  let k = 0
  for (let i = 0; i < left; i++) {
    out[k++] = lx[i] as number
    out[k++] = ly[i] as number
  }
  // drawRoundEndCap
  {
    const startX = lastX + dirX * radius
    const startY = lastY + dirY * radius
    const step = 1 / END_CAP_SEGMENTS
    for (let u = step; u < 1; u += step)
      k = rotateInto(out, k, startX, startY, lastX, lastY, FIXED_PI * 3 * u)
  }
  for (let i = right - 1; i >= 0; i--) {
    out[k++] = rx[i] as number
    out[k++] = ry[i] as number
  }
  // drawRoundStartCap around the first point from the first right point.
  {
    const startX = rx[0] as number
    const startY = ry[0] as number
    const step = 1 / START_CAP_SEGMENTS
    for (let u = step; u <= 1; u += step) k = rotateInto(out, k, startX, startY, firstX, firstY, FIXED_PI * u)
  }
  return k
}

function dist2(ax: number, ay: number, bx: number, by: number): number {
  const dx = ax - bx
  const dy = ay - by
  return dx * dx + dy * dy
}

/** rotAround(A, C, r) written at out[k], out[k + 1]; returns k + 2. */
function rotateInto(
  out: Float32Array,
  k: number,
  ax: number,
  ay: number,
  cx: number,
  cy: number,
  r: number,
): number {
  const sn = Math.sin(r)
  const cs = Math.cos(r)
  const qx = ax - cx
  const qy = ay - cy
  out[k] = qx * cs - qy * sn + cx
  out[k + 1] = qx * sn + qy * cs + cy
  return k + 2
}
