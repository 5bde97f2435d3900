import { describe, expect, it } from 'vitest'
import { centreLineWidth, ElementIndex, strokeOutline, traceCentreLine } from '../../src/shared/scene'

/** Records what a centre line traces. */
function traced(flat: number[], tolerance: number): number[][] {
  const out: number[][] = []
  traceCentreLine({ moveTo: (x, y) => out.push([x, y]), lineTo: (x, y) => out.push([x, y]) }, flat, tolerance)
  return out
}

describe('centre lines (level of detail)', () => {
  it('keeps the ends and leaves out points nearer than the tolerance to the last one kept', () => {
    const flat: number[] = []
    for (let i = 0; i <= 100; i++) flat.push(i, 0, 0.5)
    expect(traced(flat, 10)).toEqual([
      [0, 0],
      [10, 0],
      [20, 0],
      [30, 0],
      [40, 0],
      [50, 0],
      [60, 0],
      [70, 0],
      [80, 0],
      [90, 0],
      [100, 0],
    ])
    expect(traced(flat, 0).length).toBe(101)
  })

  it('gives a one-point stroke a segment, so its round cap shows as a dot', () => {
    expect(traced([5, 5, 0.5], 1)).toHaveLength(2)
  })

  it('is as wide as the outline on average: mouse ink at its width, pen ink thinner under light pressure', () => {
    const mouse = { width: 10, points: Float32Array.of(0, 0, 0.5, 100, 0, 0.5) }
    const light = { width: 10, points: Float32Array.of(0, 0, 0.2, 100, 0, 0.2) }
    const firm = { width: 10, points: Float32Array.of(0, 0, 0.9, 100, 0, 0.9) }
    expect(centreLineWidth(light)).toBeLessThan(centreLineWidth(mouse))
    expect(centreLineWidth(firm)).toBeGreaterThan(centreLineWidth(mouse))
    // The outline of a straight firm stroke, measured across its middle, against the width the line is given.
    const many: number[] = []
    for (let x = 0; x <= 100; x += 2) many.push(x, 0, 0.9)
    const outline = strokeOutline({ width: 10, points: Float32Array.from(many), done: true })
    let top = Number.POSITIVE_INFINITY
    let bottom = Number.NEGATIVE_INFINITY
    for (let i = 0; i + 1 < outline.length; i += 2) {
      const x = outline[i] as number
      const y = outline[i + 1] as number
      if (Math.abs(x - 50) < 10) {
        top = Math.min(top, y)
        bottom = Math.max(bottom, y)
      }
    }
    expect(bottom - top).toBeGreaterThan(10)
    expect(Math.abs(centreLineWidth(firm) - (bottom - top))).toBeLessThan((bottom - top) * 0.3)
  })
})

describe('ElementIndex.countUpTo', () => {
  it('counts what intersects a rectangle, and stops at the limit', () => {
    const index = new ElementIndex()
    for (let i = 0; i < 500; i++)
      index.setBounds(`e${i}`, { minX: i * 10, minY: 0, maxX: i * 10 + 5, maxY: 5 })
    const rect = { minX: 0, minY: 0, maxX: 995, maxY: 10 }
    expect(index.countUpTo(rect, 1000)).toBe(index.search(rect).length)
    expect(index.countUpTo(rect, 1000)).toBe(100)
    expect(index.countUpTo(rect, 30)).toBe(30)
    expect(index.countUpTo({ minX: -50, minY: -50, maxX: -10, maxY: -10 }, 10)).toBe(0)
  })
})
