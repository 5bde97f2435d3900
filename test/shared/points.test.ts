import { describe, expect, it } from 'vitest'
import { decodePoints, encodePoints, POINT_STRIDE, pointCount } from '../../src/shared/points'

describe('stroke point encoding', () => {
  it('round-trips x, y, pressure triples through float32 bytes', () => {
    const flat = [0, 0, 0.5, 10.25, -3.5, 1, 1e6, -1e6, 0.125]
    const bytes = encodePoints(flat)
    expect(bytes.byteLength).toBe(flat.length * 4)
    expect(Array.from(decodePoints([bytes]))).toEqual(flat)
  })

  it('joins chunks in order', () => {
    const a = encodePoints([1, 2, 0.5])
    const b = encodePoints([3, 4, 0.25, 5, 6, 0.75])
    expect(Array.from(decodePoints([a, b]))).toEqual([1, 2, 0.5, 3, 4, 0.25, 5, 6, 0.75])
    expect(pointCount(decodePoints([a, b]))).toBe(3)
  })

  it('ignores a trailing partial point in a damaged chunk', () => {
    const whole = encodePoints([1, 2, 0.5, 3, 4, 0.5])
    expect(Array.from(decodePoints([whole.subarray(0, whole.byteLength - 4)]))).toEqual([1, 2, 0.5])
  })

  it('reads chunks that are views into a larger buffer', () => {
    const big = new Uint8Array(8 + 12)
    big.set(encodePoints([7, 8, 0.5]), 8)
    expect(Array.from(decodePoints([big.subarray(8)]))).toEqual([7, 8, 0.5])
  })

  it('refuses data that is not whole triples', () => {
    expect(() => encodePoints([1, 2])).toThrow(/triples/)
    expect(POINT_STRIDE).toBe(3)
  })
})
