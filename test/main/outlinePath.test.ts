import { Canvas, Path2D } from '@napi-rs/canvas'
import { describe, expect, it } from 'vitest'
import '../../src/main/host/export/nodeCanvas'
import { outlinePath } from '../../src/main/host/export/outlinePath'
import { POINT_STRIDE } from '../../src/shared/points'
import { strokeOutline, strokePath } from '../../src/shared/scene'

/** A pen stroke wandering from (x, y): `n` points, the pen turning gradually, pressure varying. */
function wander(seed: number, x0: number, y0: number, n: number, width: number): Float32Array {
  let s = seed
  const rand = () => {
    s = (s * 16807) % 2147483647
    return s / 2147483647
  }
  const points: number[] = []
  let x = x0
  let y = y0
  let a = rand() * 6
  for (let i = 0; i < n; i++) {
    a += (rand() - 0.5) * 0.6
    x += Math.cos(a) * (1 + rand() * 6)
    y += Math.sin(a) * (1 + rand() * 6)
    points.push(x, y, 0.2 + rand() * 0.6)
  }
  expect(points.length).toBe(n * POINT_STRIDE)
  return strokeOutline({ points: new Float32Array(points), width, done: true })
}

/** The pixels of `paths` filled one by one under `matrix` on a fresh canvas. */
function fill(paths: { path: Path2D; unitX: number; unitY: number }[], matrix: number[]): Uint8ClampedArray {
  const canvas = new Canvas(900, 700)
  const ctx = canvas.getContext('2d')
  ctx.fillStyle = 'white'
  ctx.fillRect(0, 0, 900, 700)
  ctx.fillStyle = 'rgba(20, 40, 200, 0.7)'
  const [a, b, c, d, e, f] = matrix as [number, number, number, number, number, number]
  for (const { path, unitX, unitY } of paths) {
    ctx.setTransform(a * unitX, b * unitX, c * unitY, d * unitY, e, f)
    ctx.fill(path)
  }
  return ctx.getImageData(0, 0, 900, 700).data
}

describe('a stroke outline made into one path from whole numbers (outlinePath)', () => {
  it('fills exactly the pixels of the outline traced point by point, under any transform', () => {
    const outlines = [
      ...Array.from({ length: 60 }, (_, i) =>
        wander(i + 1, 40 + ((i * 137) % 700), 30 + ((i * 71) % 500), 50 + i * 4, 4 + (i % 5) * 3),
      ),
      // Far from the origin (a large board's strokes), and thin.
      wander(99, 7400.25, 6100.5, 300, 2),
      wander(98, -5200.75, 3900.125, 200, 16),
    ]
    const lineTo = outlines.map((o) => ({ path: strokePath(o, () => new Path2D()), unitX: 1, unitY: 1 }))
    // Every outline here has exact whole numbers (none reaches near an axis): the test below takes those.
    const made = outlines.map((o) => outlinePath(o))
    expect(made.filter((p) => p !== undefined).length).toBeGreaterThan(outlines.length * 0.8)
    expect(made.at(-1)).toBeDefined()
    expect(made.at(-2)).toBeDefined()
    const scaled = made.map((p, i) => p ?? (lineTo[i] as (typeof lineTo)[number]))
    // The export's group transforms: 2× with the band's offset, 1× moved by a fraction, turned and stretched.
    for (const matrix of [
      [2, 0, 0, 2, -31.5, -17.25],
      [1, 0, 0, 1, 0.375, -0.625],
      [1.3, 0.4, -0.25, 1.1, 5.5, 3.25],
      [0.12, 0, 0, 0.12, 900 - 7300 * 0.12, 700 - 6000 * 0.12],
      [0.15, 0, 0, 0.15, 5200 * 0.15, -3800 * 0.15],
    ]) {
      const want = fill(lineTo, matrix)
      const got = fill(scaled, matrix)
      let differ = 0
      let ink = 0
      for (let i = 0; i < want.length; i++) {
        if (want[i] !== got[i]) differ++
        if (want[i] !== 255) ink++
      }
      // Something was drawn, and not one byte differs.
      expect(ink).toBeGreaterThan(1000)
      expect(differ).toBe(0)
    }
  })

  it('makes an outline reaching near an axis into one path too, each coordinate rounded by at most 2^-32 of the largest', () => {
    // Crossing x = 0: x runs from about -100 to 100, with values down to ten-thousandths: no power of two makes them
    // all whole numbers below 2^31, so x is rounded (the old code left this outline to a lineTo per point).
    const crossing = new Float32Array([-100.5, 10, 0.0001234, 20, 100.25, 30, 0.5, 40])
    const made = outlinePath(crossing)
    expect(made).toBeDefined()
    // x at the largest power of two that keeps 100.5 below 2^31 (2^24); y exact, at the power that makes the last
    // significand bit of its smallest coordinate (10 = 1.25 × 2^3) a unit: 2^(23 - 3).
    expect(made?.unitX).toBe(2 ** -24)
    expect(made?.unitY).toBe(2 ** -20)
    const bounds = made?.path.getBounds() as number[]
    expect(bounds.map((v, i) => v * ((i % 2 === 0 ? made?.unitX : made?.unitY) as number))).toEqual([
      -100.5, 10, 100.25, 40,
    ])
    // A subnormal coordinate is rounded too (to 0).
    expect(outlinePath(new Float32Array([1e-40, 2, 3, 4, 5, 6]))).toBeDefined()
    // Not a finite number: lineTo skips it as it always did.
    expect(outlinePath(new Float32Array([1, 2, Number.NaN, 4, 5, 6]))).toBeUndefined()
    expect(outlinePath(new Float32Array([1, 2, Number.POSITIVE_INFINITY, 4, 5, 6]))).toBeUndefined()
    // Zeros are whole numbers at any scale: exact.
    const corner = outlinePath(new Float32Array([0, 0, 10.5, 0, 10.5, 7.25, 0, 7.25]))
    expect(corner?.unitX).toBe(2 ** -20)
    expect(corner?.unitY).toBe(2 ** -21)
  })

  it('fills the pixels of a lineTo path for outlines crossing the axes, but for a few levels at high zoom', () => {
    // Strokes wandering about the origin (each axis crossed), and lines from far out through it: none has exact
    // whole numbers below 2^31, all are rounded.
    const outlines = [
      ...Array.from({ length: 200 }, (_, i) =>
        wander(i + 7, ((i * 37) % 60) - 30, ((i * 53) % 60) - 30, 40 + (i % 9) * 30, 3 + (i % 6) * 3),
      ),
      ...Array.from({ length: 20 }, (_, i) => new Float32Array([3800, 3800, -0.01 * i, 3800, 1e-5, -3800])),
    ]
    const made = outlines.map((o) => outlinePath(o))
    expect(made.every((p) => p !== undefined)).toBe(true)
    const lineTo = outlines.map((o) => ({ path: strokePath(o, () => new Path2D()), unitX: 1, unitY: 1 }))
    const scaled = made as { path: Path2D; unitX: number; unitY: number }[]
    // The export's 2× and 1× with fractions, turned and stretched, and zoomed far in (8× and 32×) about the origin.
    const differences: { bytes: number; max: number }[] = []
    for (const matrix of [
      [2, 0, 0, 2, 450, 350],
      [1, 0, 0, 1, 450.375, 349.375],
      [1.3, 0.4, -0.25, 1.1, 455.5, 353.25],
      [8, 0, 0, 8, 450, 350],
      [32, 0, 0, 32, 450.5, 350.25],
    ]) {
      const want = fill(lineTo, matrix)
      const got = fill(scaled, matrix)
      let bytes = 0
      let max = 0
      let ink = 0
      for (let i = 0; i < want.length; i++) {
        const d = Math.abs((want[i] as number) - (got[i] as number))
        if (d > 0) bytes++
        if (d > max) max = d
        if (want[i] !== 255) ink++
      }
      expect(ink).toBeGreaterThan(100_000)
      differences.push({ bytes, max })
    }
    // Measured (Skia of @napi-rs/canvas 1.1.1): not a byte at 1×, 2× and 8×; 4 bytes by one level at 32×.
    for (const { bytes, max } of differences) {
      expect(bytes).toBeLessThanOrEqual(16)
      expect(max).toBeLessThanOrEqual(1)
    }
    expect(differences.slice(0, 3).every((d) => d.bytes === 0)).toBe(true)
  })
})
