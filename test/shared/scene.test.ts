import { describe, expect, it } from 'vitest'
import { elementRect, type Stroke } from '../../src/shared/board'
import { unionRects } from '../../src/shared/geometry'
import {
  createStrokeShape,
  ElementIndex,
  hasConstantMousePressure,
  strokeOutline,
  strokeShapeOutline,
  updateStrokeShape,
} from '../../src/shared/scene'

function stroke(id: string, pts: number[][], width = 4, done = true, color = '#1e1e1e'): Stroke {
  return {
    ...{ x: 0, y: 0, rotation: 0, opacity: 1, locked: false, highlighter: false, scaleX: 1, scaleY: 1 },
    ...{ id, kind: 'stroke', color, width, author: 't', done, points: Float32Array.from(pts.flat()) },
  }
}

/** Non-zero winding point-in-polygon test on a flat [x, y, ...] polygon: the rule canvas fill() uses. */
function inside(poly: Float32Array, x: number, y: number): boolean {
  let winding = 0
  const n = poly.length / 2
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n
    const xi = poly[i * 2] as number
    const yi = poly[i * 2 + 1] as number
    const xj = poly[j * 2] as number
    const yj = poly[j * 2 + 1] as number
    const side = (xj - xi) * (y - yi) - (x - xi) * (yj - yi)
    if (yi <= y && yj > y && side > 0) winding++
    else if (yi > y && yj <= y && side < 0) winding--
  }
  return winding !== 0
}

function yExtentAt(poly: Float32Array, x: number): number {
  let min = Number.POSITIVE_INFINITY
  let max = Number.NEGATIVE_INFINITY
  for (let y = -50; y <= 50; y += 0.05) {
    if (inside(poly, x, y)) {
      min = Math.min(min, y)
      max = Math.max(max, y)
    }
  }
  return max - min
}

const line = (pressure: number, n = 60) => Array.from({ length: n }, (_, i) => [i * 2, 0, pressure])

describe('strokeOutline', () => {
  it('is empty for a stroke without points', () => {
    expect(strokeOutline(stroke('a', [])).length).toBe(0)
  })

  it('covers every interior point of a curved stroke', () => {
    const pts = Array.from({ length: 80 }, (_, i) => [i * 3, Math.sin(i / 8) * 40, 0.5])
    const outline = strokeOutline(stroke('a', pts, 6))
    expect(outline.length).toBeGreaterThan(20)
    // The ends are smoothed; the middle of the stroke must be ink.
    for (const [x, y] of pts.slice(5, -5)) expect(inside(outline, x as number, y as number)).toBe(true)
    expect(inside(outline, 120, 200)).toBe(false)
  })

  it('is about `width` wide at pressure 0.5, and wider when pressed harder', () => {
    const medium = yExtentAt(strokeOutline(stroke('a', line(0.51), 10)), 60)
    const hard = yExtentAt(strokeOutline(stroke('b', line(1), 10)), 60)
    expect(medium).toBeGreaterThan(8.5)
    expect(medium).toBeLessThan(11.5)
    expect(hard).toBeGreaterThan(medium * 1.3)
  })

  it('keeps a fast mouse line (constant 0.5 pressure) within 20% of its width', () => {
    const fast = Array.from({ length: 30 }, (_, i) => [i * 10, 0, 0.5])
    const w = yExtentAt(strokeOutline(stroke('a', fast, 10)), 150)
    expect(w).toBeGreaterThan(7.9)
    expect(w).toBeLessThan(12.1)
  })

  it('draws a single point as a dot', () => {
    const outline = strokeOutline(stroke('a', [[10, 10, 0.5]], 8))
    expect(inside(outline, 10, 10)).toBe(true)
    expect(inside(outline, 20, 10)).toBe(false)
  })

  it('treats constant 0.5 pressure as a mouse stroke', () => {
    expect(hasConstantMousePressure(Float32Array.from(line(0.5).flat()))).toBe(true)
    expect(hasConstantMousePressure(Float32Array.from([...line(0.5).flat(), 1, 1, 0.7]))).toBe(false)
  })
})

describe('stroke shapes', () => {
  it('keeps the outline on the shape and follows changes', () => {
    const s = stroke('a', line(0.5), 4, false, '#e03131')
    const shape = createStrokeShape(s)
    expect(shape.fill()).toBe('#e03131')
    expect(shape.listening()).toBe(false)
    const first = strokeShapeOutline(shape)
    expect(first?.length).toBeGreaterThan(0)
    const longer = stroke('a', line(0.5, 120), 4, true, '#1971c2')
    updateStrokeShape(shape, longer)
    expect(shape.fill()).toBe('#1971c2')
    expect(strokeShapeOutline(shape)).not.toBe(first)
    expect(strokeShapeOutline(shape)).toEqual(strokeOutline(longer))
  })
})

describe('ElementIndex', () => {
  // A 100 x 100 grid of short strokes, 10 units apart.
  const grid: Stroke[] = []
  for (let gx = 0; gx < 100; gx++)
    for (let gy = 0; gy < 100; gy++)
      grid.push(
        stroke(
          `${gx},${gy}`,
          [
            [gx * 10, gy * 10, 0.5],
            [gx * 10 + 2, gy * 10 + 2, 0.5],
          ],
          1,
        ),
      )

  it('returns exactly the elements whose bounds meet the view', () => {
    const index = new ElementIndex()
    for (const s of grid) index.setBounds(s.id, elementRect(s))
    expect(index.size).toBe(10_000)
    const view = { minX: 95, minY: 195, maxX: 300, maxY: 310 }
    const expected = grid
      .filter((s) => {
        const b = elementRect(s)
        return b.minX <= view.maxX && view.minX <= b.maxX && b.minY <= view.maxY && view.minY <= b.maxY
      })
      .map((s) => s.id)
      .sort()
    expect(expected.length).toBeGreaterThan(100)
    expect(index.search(view).sort()).toEqual(expected)
  })

  it('forgets deleted elements and moves changed ones', () => {
    const index = new ElementIndex()
    const a = stroke('a', [[0, 0, 0.5]], 2)
    index.setBounds('a', elementRect(a))
    index.setBounds('b', elementRect(stroke('b', [[500, 500, 0.5]], 2)))
    expect(index.search({ minX: -5, minY: -5, maxX: 5, maxY: 5 })).toEqual(['a'])
    index.setBounds('a', elementRect(stroke('a', [[1000, 1000, 0.5]], 2)))
    expect(index.search({ minX: -5, minY: -5, maxX: 5, maxY: 5 })).toEqual([])
    expect(index.search({ minX: 990, minY: 990, maxX: 1010, maxY: 1010 })).toEqual(['a'])
    index.delete('a')
    expect(index.has('a')).toBe(false)
    expect(index.search({ minX: -10_000, minY: -10_000, maxX: 10_000, maxY: 10_000 })).toEqual(['b'])
  })

  it('finds exactly the elements left after most of them or a few were deleted, added again or moved', () => {
    const index = new ElementIndex()
    for (const s of grid) index.setBounds(s.id, elementRect(s))
    const everywhere = { minX: -10_000, minY: -10_000, maxX: 10_000, maxY: 10_000 }
    // All but the first column go (more than stay), then one comes back elsewhere and a kept one moves.
    const kept = grid.filter((s) => s.id.startsWith('0,'))
    for (const s of grid) if (!kept.includes(s)) index.delete(s.id)
    expect(index.size).toBe(kept.length)
    expect(index.has('5,5')).toBe(false)
    expect(index.search(everywhere).sort()).toEqual(kept.map((s) => s.id).sort())
    expect(index.countUpTo(everywhere, 1000)).toBe(kept.length)
    index.setBounds('5,5', { minX: 2000, minY: 2000, maxX: 2001, maxY: 2001 })
    index.setBounds('0,7', { minX: 3000, minY: 3000, maxX: 3001, maxY: 3001 })
    expect(index.search({ minX: 1990, minY: 1990, maxX: 3010, maxY: 3010 }).sort()).toEqual(['0,7', '5,5'])
    expect(index.search({ minX: -5, minY: 65, maxX: 5, maxY: 75 })).toEqual([])
    // A few go (fewer than stay): out of the tree one by one.
    for (const id of ['0,1', '0,2', '5,5']) index.delete(id)
    expect(index.search(everywhere).sort()).toEqual(
      kept
        .map((s) => s.id)
        .filter((id) => id !== '0,1' && id !== '0,2')
        .sort(),
    )
    expect(index.bounds()).toEqual(
      unionRects([
        ...kept.filter((s) => !['0,1', '0,2', '0,7'].includes(s.id)).map(elementRect),
        { minX: 3000, minY: 3000, maxX: 3001, maxY: 3001 },
      ]),
    )
  })

  it("bounds every element it holds, as the board's content bounds, after moves and deletes", () => {
    const index = new ElementIndex()
    expect(index.bounds()).toBeUndefined()
    for (const s of grid) index.setBounds(s.id, elementRect(s))
    const all = (ids: Iterable<Stroke>) => unionRects([...ids].map(elementRect))
    expect(index.bounds()).toEqual(all(grid))
    // The far corner moves out, then the whole last column and row go: the box follows each time.
    index.setBounds('99,99', elementRect(stroke('99,99', [[5000, -3000, 0.5]], 4)))
    expect(index.bounds()).toEqual(
      unionRects([
        ...grid.slice(0, -1).map(elementRect),
        elementRect(stroke('99,99', [[5000, -3000, 0.5]], 4)),
      ]),
    )
    const kept = grid.filter((s) => !s.id.startsWith('99,') && !s.id.endsWith(',99'))
    for (const s of grid) if (!kept.includes(s)) index.delete(s.id)
    expect(index.bounds()).toEqual(all(kept))
    for (const s of kept) index.delete(s.id)
    expect(index.bounds()).toBeUndefined()
  })
})
