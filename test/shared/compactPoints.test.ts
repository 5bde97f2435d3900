import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  COMPACT_STEP_BITS,
  CompactPointsError,
  compactPointsBox,
  compactPointsProblem,
  compactPointsStart,
  decodeCompactPoints,
  encodeCompactPoints,
  MAX_COMPACT_POINTS_BYTES,
  PRESSURE_STEPS,
} from '../../src/shared/compactPoints'
import { STROKE_LIMITS } from '../../src/shared/elements/types'
import { pointsBounds } from '../../src/shared/geometry'

const STEP = 1 / 2 ** COMPACT_STEP_BITS
const SEED = 20261206

/** Flat points from a smooth pen path: what a person draws. */
function penPath(n: number, pressure: (i: number) => number): number[] {
  const out: number[] = []
  for (let i = 0; i < n; i++) out.push(500 + i * 2.71, -200 + Math.sin(i / 9) * 60, pressure(i))
  return out
}

/** Every value within half a quantization step (coordinates) or half a pressure step. */
function expectClose(decoded: Float32Array, flat: readonly number[]): void {
  expect(decoded.length).toBe(flat.length)
  for (let i = 0; i < flat.length; i++) {
    const half = i % 3 === 2 ? 0.5 / PRESSURE_STEPS : STEP / 2
    // Float32 storage of the decoded value adds its own rounding on large coordinates.
    const slack = Math.abs(flat[i] as number) * 2 ** -23
    expect(Math.abs((decoded[i] as number) - (flat[i] as number))).toBeLessThanOrEqual(half + slack)
  }
}

const coordinate = fc.double({ min: -1e7, max: 1e7, noNaN: true })
const point = fc.tuple(coordinate, coordinate, fc.double({ min: 0, max: 1, noNaN: true }))

describe('compact stroke points', () => {
  it('round-trips a pen stroke within half a step and keeps the count', () => {
    const flat = penPath(200, (i) => 0.2 + 0.6 * Math.abs(Math.sin(i / 13)))
    const bytes = encodeCompactPoints(flat)
    expectClose(decodeCompactPoints(bytes), flat)
    // Smooth ink takes about a byte per value: x, y and pressure.
    expect(bytes.byteLength).toBeLessThanOrEqual(200 * 3 + 16)
  })

  it('leaves pressure out of mouse ink, and keeps the mouse pressure exact', () => {
    const flat = penPath(200, () => 0.5)
    const bytes = encodeCompactPoints(flat)
    expect(bytes.byteLength).toBeLessThanOrEqual(200 * 2 + 16)
    const decoded = decodeCompactPoints(bytes)
    for (let i = 2; i < decoded.length; i += 3) expect(decoded[i]).toBe(0.5)
    expectClose(decoded, flat)
  })

  it('reads where a stroke starts from its header alone, as decoding it does (property)', () => {
    fc.assert(
      fc.property(fc.array(point, { minLength: 1, maxLength: 50 }), fc.boolean(), (points, second) => {
        const bytes = encodeCompactPoints(points.flat(), { secondOrder: second })
        const decoded = decodeCompactPoints(bytes)
        const start = compactPointsStart(bytes)
        // Decoded points are Float32; the start is the exact value they round.
        expect(start && [Math.fround(start.x), Math.fround(start.y)]).toEqual([decoded[0], decoded[1]])
      }),
      { seed: SEED, numRuns: 200 },
    )
    expect(compactPointsStart(new Uint8Array([9, 0, 4, 0]))).toBeUndefined()
    expect(compactPointsStart(new Uint8Array([1, 0]))).toBeUndefined()
  })

  it('gives the box of the points decoding gives, without decoding them, and nothing for malformed bytes (property)', () => {
    fc.assert(
      fc.property(fc.array(point, { minLength: 1, maxLength: 120 }), fc.boolean(), (points, second) => {
        const bytes = encodeCompactPoints(points.flat(), { secondOrder: second })
        const box = compactPointsBox(bytes)
        // Two points, the box's corners: measured as points, the very bounds of the decoded points.
        expect(box?.length).toBe(6)
        expect(pointsBounds(box as Float32Array)).toEqual(pointsBounds(decodeCompactPoints(bytes)))
        expect(compactPointsBox(bytes.subarray(0, bytes.byteLength - 1))).toBeUndefined()
      }),
      { seed: SEED, numRuns: 300 },
    )
    expect(compactPointsBox(new Uint8Array([9, 0, 4, 0]))).toBeUndefined()
  })

  it('round-trips any points on the board (property)', () => {
    fc.assert(
      fc.property(fc.array(point, { minLength: 1, maxLength: 300 }), fc.boolean(), (points, second) => {
        const flat = points.flat()
        const decoded = decodeCompactPoints(encodeCompactPoints(flat, { secondOrder: second }))
        expectClose(decoded, flat)
      }),
      { seed: SEED, numRuns: 300 },
    )
  })

  it('refuses every cut of a valid value, and every value with bytes after its points (property)', () => {
    fc.assert(
      fc.property(
        fc.array(point, { minLength: 1, maxLength: 50 }),
        fc.nat(),
        fc.nat(255),
        (points, at, extra) => {
          const bytes = encodeCompactPoints(points.flat())
          const cut = bytes.subarray(0, at % bytes.byteLength)
          expect(compactPointsProblem(cut)).toBeDefined()
          const longer = new Uint8Array(bytes.byteLength + 1)
          longer.set(bytes)
          longer[bytes.byteLength] = extra
          expect(compactPointsProblem(longer)).toBe('something follows the last point')
        },
      ),
      { seed: SEED, numRuns: 300 },
    )
  })

  it('never throws anything but its own error on random bytes, and decodes only what it accepts (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (raw) => {
        const bytes = Uint8Array.from([1, raw[0] ?? 0, raw[1] ?? 0, ...raw.subarray(2)])
        const problem = compactPointsProblem(bytes)
        if (problem === undefined) {
          const flat = decodeCompactPoints(bytes)
          for (let i = 0; i < flat.length; i += 3) {
            expect(Math.abs(flat[i] as number)).toBeLessThanOrEqual(1e7)
            expect(flat[i + 2]).toBeGreaterThanOrEqual(0)
            expect(flat[i + 2]).toBeLessThanOrEqual(1)
          }
        } else expect(() => decodeCompactPoints(bytes)).toThrow(CompactPointsError)
      }),
      { seed: SEED, numRuns: 2000 },
    )
  })

  it('says what is wrong with malformed values', () => {
    const good = encodeCompactPoints([1, 2, 0.5, 3, 4, 0.5])
    const changed = (i: number, v: number) => {
      const b = good.slice()
      b[i] = v
      return b
    }
    expect(compactPointsProblem(good)).toBeUndefined()
    expect(compactPointsProblem(new Uint8Array(0))).toBe('the points end early')
    expect(compactPointsProblem(changed(0, 2))).toBe('points of a newer format (2); update Lanvas')
    expect(compactPointsProblem(changed(0, 0))).toBe('not compact points (version 0)')
    expect(compactPointsProblem(changed(1, 0x80))).toBe('unknown flags 128')
    expect(compactPointsProblem(changed(2, 9))).toBe('a step of 1/2^9 unit; at most 1/2^8')
    // Header: version 1, flags, step 1/16, Golomb orders (x/y, pressure), count, [constant pressure].
    // A count the bytes cannot hold is refused before anything is allocated.
    expect(compactPointsProblem(Uint8Array.from([1, 0, 4, 0, 0xa0, 0x9c, 0x01, 128, 0]))).toBe(
      '20000 points cannot fit in 9 bytes',
    )
    expect(compactPointsProblem(Uint8Array.from([1, 0, 4, 0, 0xa1, 0x9c, 0x01, 128]))).toBe(
      `20001 points; a stroke holds 1 to ${STROKE_LIMITS.maxPoints}`,
    )
    expect(compactPointsProblem(Uint8Array.from([1, 0, 4, 0, 0, 128]))).toBe(
      '0 points; a stroke holds 1 to 20000',
    )
    expect(compactPointsProblem(Uint8Array.from([1, 0, 4, 0, 1, 0x81, 0x02, 0, 0, 0, 0]))).toBe(
      'a pressure above 1',
    )
    // A point at the board's edge in 1/256 steps, read with a step of 1 unit: 256 times beyond it.
    const edge = encodeCompactPoints([1e7, 0, 0.5], { stepBits: 8 })
    expect(compactPointsProblem(edge)).toBeUndefined()
    edge[2] = 0
    expect(compactPointsProblem(edge)).toBe('a point lies outside the board (beyond ±10000000)')
    // A code whose prefix of zeros never ends.
    expect(compactPointsProblem(Uint8Array.from([1, 0, 4, 0, 1, 128, 0, 0, 0, 0, 0, 0, 0, 0]))).toBe(
      'a number is too long',
    )
    const longer = new Uint8Array(good.byteLength + 1)
    longer.set(good)
    expect(compactPointsProblem(longer)).toBe('something follows the last point')
    expect(() => decodeCompactPoints(changed(0, 7))).toThrow(/newer format/)
  })

  it('refuses to encode no points or more than a stroke holds', () => {
    expect(() => encodeCompactPoints([])).toThrow(CompactPointsError)
    expect(() => encodeCompactPoints(new Float32Array((STROKE_LIMITS.maxPoints + 1) * 3))).toThrow(
      /1 to 20000 points/,
    )
  })

  it('fits the largest stroke within the size cap the guard gives the value', () => {
    // The worst case: every point jumps across the whole board and pressure swings from 0 to 1.
    const flat: number[] = []
    for (let i = 0; i < STROKE_LIMITS.maxPoints; i++) flat.push(i % 2 ? 1e7 : -1e7, i % 2 ? -1e7 : 1e7, i % 2)
    const bytes = encodeCompactPoints(flat)
    expect(bytes.byteLength).toBeLessThanOrEqual(MAX_COMPACT_POINTS_BYTES)
    expect(compactPointsProblem(bytes)).toBeUndefined()
  })
})
