import { describe, expect, it } from 'vitest'
import type { Rect } from '../../src/shared/geometry'
import { SnapTargets, snapMove, snapPoint } from '../../src/shared/selection'

const rect = (x: number, y: number, w: number, h: number): Rect => ({
  minX: x,
  minY: y,
  maxX: x + w,
  maxY: y + h,
})
const opts = { threshold: 8 }

describe('snapping a moved box', () => {
  // One other element: 100..220 across, 300..380 down (centre 160, 340).
  const targets = new SnapTargets([rect(100, 300, 120, 80)])
  const box = rect(400, 100, 50, 30)

  it('pulls the nearest edge onto another element’s edge and shows a guide through both', () => {
    // Moved by (-296, 0) its left is at 104: 4 from the target's left.
    const s = snapMove(box, -296, 0, targets, opts)
    expect(s.dx).toBe(-300)
    expect(s.dy).toBe(0)
    expect(s.guides).toEqual([{ axis: 'x', at: 100, from: 100, to: 380 }])
  })

  it('lines up centres, and right edges with left edges', () => {
    // Centre 425 - 260 = 165 → 160.
    expect(snapMove(box, -260, 0, targets, opts).dx).toBe(-265)
    // Right 450 - 225 = 225 → 220 (the target's right).
    expect(snapMove(box, -225, 0, targets, opts).dx).toBe(-230)
    // Its top onto the target's middle, with the guide along y = 340.
    const s = snapMove(box, 0, 243, targets, opts)
    expect(s.dy).toBe(240)
    expect(s.guides).toEqual([{ axis: 'y', at: 340, from: 100, to: 450 }])
  })

  it('takes the nearest of several lines, on both axes at once', () => {
    const many = new SnapTargets([rect(100, 300, 120, 80), rect(103, 0, 10, 10)])
    // Left at 104: 1 from 103, 4 from 100.
    const s = snapMove(box, -296, 197, many, opts)
    expect(s.dx).toBe(-297)
    // Top at 297 → 300.
    expect(s.dy).toBe(200)
    expect(s.guides.map((g) => [g.axis, g.at])).toEqual([
      ['x', 103],
      ['y', 300],
    ])
  })

  it('leaves a move alone past the threshold, and shows no guide', () => {
    const s = snapMove(box, -280, 30, targets, opts)
    expect(s).toEqual({ dx: -280, dy: 30, guides: [] })
  })

  it('snaps the top-left corner to the grid when no element is near', () => {
    const s = snapMove(box, 13, 29, new SnapTargets([]), { threshold: 8, grid: 24 })
    // 413 → 408 (17 × 24), 129 → 120.
    expect(s).toEqual({ dx: 8, dy: 20, guides: [] })
  })

  it('prefers an element to the grid', () => {
    const s = snapMove(box, -296, 0, targets, { threshold: 8, grid: 24 })
    expect(s.dx).toBe(-300)
  })

  it('spans every element on the line in one guide', () => {
    const col = new SnapTargets([rect(0, 0, 50, 50), rect(0, 500, 80, 20)])
    const s = snapMove(rect(200, 200, 30, 30), -198, 0, col, opts)
    expect(s.dx).toBe(-200)
    expect(s.guides).toEqual([{ axis: 'x', at: 0, from: 0, to: 520 }])
  })

  it('finds the nearest line among many, as a search of every line would', () => {
    const rects = Array.from({ length: 5000 }, (_, i) =>
      rect((i * 37) % 5000, (i * 53) % 5000, 10 + (i % 7), 10),
    )
    const t = new SnapTargets(rects)
    expect(t.xs).toHaveLength(15_000)
    const all = rects.flatMap((r) => [r.minX, (r.minX + r.maxX) / 2, r.maxX])
    for (let k = 0; k < 200; k++) {
      const b = rect(k * 24.7, 9000, 13, 5)
      const edges = [b.minX, b.minX + 6.5, b.maxX]
      let best: number | undefined
      for (const v of edges)
        for (const a of all)
          if (Math.abs(a - v) <= 3 && (best === undefined || Math.abs(a - v) < Math.abs(best))) best = a - v
      expect(Math.abs(snapMove(b, 0, 0, t, { threshold: 3 }).dx)).toBeCloseTo(Math.abs(best ?? 0), 9)
    }
  })
})

describe('snapping a resize handle', () => {
  const targets = new SnapTargets([rect(100, 300, 120, 80)])

  it('moves a corner onto the nearest lines on both axes', () => {
    const s = snapPoint({ x: 223, y: 294 }, { x: true, y: true }, targets, opts)
    expect([s.x, s.y]).toEqual([220, 300])
    expect(s.guides).toEqual([
      { axis: 'x', at: 220, from: 300, to: 380 },
      { axis: 'y', at: 300, from: 100, to: 220 },
    ])
  })

  it('moves a side handle along its own axis only', () => {
    const s = snapPoint({ x: 223, y: 294 }, { x: true, y: false }, targets, opts)
    expect([s.x, s.y]).toEqual([220, 294])
    expect(s.guides).toEqual([{ axis: 'x', at: 220, from: 294, to: 380 }])
  })

  it('goes to the grid when nothing is near', () => {
    const s = snapPoint({ x: 13, y: 37 }, { x: true, y: true }, new SnapTargets([]), {
      threshold: 4,
      grid: 24,
    })
    expect([s.x, s.y]).toEqual([24, 48])
  })
})
