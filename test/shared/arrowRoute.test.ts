// Arrows that bend: the curve maths, elbow routing (fuzzed), bounds, hit tests, the board's re-routing, the checks
// on the new keys (the board's and the host's guard), and the curve in SVG and PDF exports.

import fc from 'fast-check'
import { decodePDFRawStream, PDFDocument, PDFRawStream } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  ArrowRoute,
  attrsFromTransform,
  Board,
  ElementError,
  ElementKind,
  elementRect,
  type LineShape,
  localBox,
} from '../../src/shared/board'
import { BINDING_GAP } from '../../src/shared/elements/arrow'
import { arrowMidpoint, bendToward, routeChangeAttrs, shapeBox } from '../../src/shared/elements/arrowRoute'
import {
  bendPoint,
  bendThrough,
  cubicPoints,
  linePolyline,
  quadraticAt,
  quadraticBounds,
  quadraticControl,
} from '../../src/shared/elements/curve'
import { routeElbow } from '../../src/shared/elements/elbow'
import { exportBoard, exportLayout } from '../../src/shared/export'
import type { Rect } from '../../src/shared/geometry'
import { hitsElement } from '../../src/shared/selection/hitTest'
import { BoardGuard, DEFAULT_GUARD_LIMITS } from '../../src/shared/validate/boardGuard'
import { elementMap } from '../support/elementMap'
import { decodeImage, pixelOf } from './exportFixtures'

type Point = { x: number; y: number }

/** A cubic Bézier's point at t. */
function cubicAt(c: number[], t: number): Point {
  const u = 1 - t
  const w = [u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t]
  return {
    x: w.reduce((s, k, i) => s + k * (c[2 * i] as number), 0),
    y: w.reduce((s, k, i) => s + k * (c[2 * i + 1] as number), 0),
  }
}

function arrowOn(board: Board, id: string): LineShape {
  return board.readElement(id) as LineShape
}

/** A line's points on the board (unrotated lines: x, y plus each point). */
function boardPoints(line: LineShape): Point[] {
  const out: Point[] = []
  for (let i = 0; i < line.points.length; i += 2)
    out.push({ x: line.x + (line.points[i] as number), y: line.y + (line.points[i + 1] as number) })
  return out
}

/** Whether the segment a-b (axis-parallel) meets the closed rectangle r. */
function touches(a: Point, b: Point, r: Rect): boolean {
  return (
    Math.max(a.x, b.x) >= r.minX &&
    Math.min(a.x, b.x) <= r.maxX &&
    Math.max(a.y, b.y) >= r.minY &&
    Math.min(a.y, b.y) <= r.maxY
  )
}

/** Every segment of a route runs along an axis. */
function orthogonal(route: Point[]): boolean {
  return route.every(
    (p, i) => i === 0 || p.x === (route[i - 1] as Point).x || p.y === (route[i - 1] as Point).y,
  )
}

/**
 * Whether a route's end `p` (with its neighbour `q`) sits `gap` outside the middle of a side of box r and its segment
 * runs square to that side, away from it.
 */
function leavesSide(p: Point, q: Point, r: Rect, gap: number): boolean {
  const cx = (r.minX + r.maxX) / 2
  const cy = (r.minY + r.maxY) / 2
  const near = (a: number, b: number) => Math.abs(a - b) < 1e-6
  if (near(p.x, cx) && near(p.y, r.minY - gap)) return q.x === p.x && q.y < p.y
  if (near(p.x, cx) && near(p.y, r.maxY + gap)) return q.x === p.x && q.y > p.y
  if (near(p.y, cy) && near(p.x, r.minX - gap)) return q.y === p.y && q.x < p.x
  if (near(p.y, cy) && near(p.x, r.maxX + gap)) return q.y === p.y && q.x > p.x
  return false
}

const coord = fc.integer({ min: -2000, max: 2000 })
const size = fc.integer({ min: 0, max: 400 })
const box = fc
  .record({ x: coord, y: coord, w: size, h: size })
  .map(({ x, y, w, h }): Rect => ({ minX: x, minY: y, maxX: x + w, maxY: y + h }))
/** Two boxes at least 2 units apart along some axis (shapes that do not overlap). */
const twoBoxes = fc
  .record({ a: box, b: box })
  .filter(
    ({ a, b }) =>
      a.maxX + 2 <= b.minX || b.maxX + 2 <= a.minX || a.maxY + 2 <= b.minY || b.maxY + 2 <= a.minY,
  )

describe('curve maths', () => {
  it('puts the bend point on the left normal of the chord, and bendThrough undoes bendPoint', () => {
    // Left to right on screen: a positive bend bulges up (y grows down).
    expect(bendPoint({ x: 0, y: 0 }, { x: 100, y: 0 }, 30)).toEqual({ x: 50, y: -30 })
    fc.assert(
      fc.property(coord, coord, coord, coord, fc.integer({ min: -500, max: 500 }), (ax, ay, bx, by, bend) => {
        fc.pre(ax !== bx || ay !== by)
        const m = bendPoint({ x: ax, y: ay }, { x: bx, y: by }, bend)
        expect(bendThrough({ x: ax, y: ay }, { x: bx, y: by }, m)).toBeCloseTo(bend, 6)
      }),
    )
  })

  it('draws a cubic that starts and ends at the points and passes through the bend point halfway', () => {
    fc.assert(
      fc.property(coord, coord, coord, coord, fc.integer({ min: -500, max: 500 }), (ax, ay, bx, by, bend) => {
        fc.pre(ax !== bx || ay !== by)
        const a = { x: ax, y: ay }
        const b = { x: bx, y: by }
        const c = cubicPoints(a, b, bend)
        const mid = cubicAt(c, 0.5)
        const m = bendPoint(a, b, bend)
        expect(mid.x).toBeCloseTo(m.x, 6)
        expect(mid.y).toBeCloseTo(m.y, 6)
        // The same curve as the quadratic everywhere, not only halfway.
        const q = quadraticControl(a, b, bend)
        for (const t of [0, 0.2, 0.7, 1]) {
          expect(cubicAt(c, t).x).toBeCloseTo(quadraticAt(a, q, b, t).x, 6)
          expect(cubicAt(c, t).y).toBeCloseTo(quadraticAt(a, q, b, t).y, 6)
        }
      }),
    )
  })

  it('bounds a quadratic exactly: every point inside, the bulge on the edge', () => {
    fc.assert(
      fc.property(coord, coord, coord, coord, coord, coord, (ax, ay, qx, qy, bx, by) => {
        const a = { x: ax, y: ay }
        const q = { x: qx, y: qy }
        const b = { x: bx, y: by }
        const r = quadraticBounds(a, q, b)
        let reach = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity }
        for (let i = 0; i <= 400; i++) {
          const p = quadraticAt(a, q, b, i / 400)
          const inside =
            p.x >= r.minX - 1e-6 && p.x <= r.maxX + 1e-6 && p.y >= r.minY - 1e-6 && p.y <= r.maxY + 1e-6
          if (!inside) expect(p).toEqual(r)
          reach = {
            minX: Math.min(reach.minX, p.x),
            minY: Math.min(reach.minY, p.y),
            maxX: Math.max(reach.maxX, p.x),
            maxY: Math.max(reach.maxY, p.y),
          }
        }
        // Tight: sampled points come within a hair of every edge.
        const span = Math.max(1, r.maxX - r.minX, r.maxY - r.minY)
        expect(reach.minX - r.minX).toBeLessThan(span * 1e-3)
        expect(r.maxX - reach.maxX).toBeLessThan(span * 1e-3)
        expect(reach.minY - r.minY).toBeLessThan(span * 1e-3)
        expect(r.maxY - reach.maxY).toBeLessThan(span * 1e-3)
      }),
    )
  })
})

describe('a curved arrow on the board', () => {
  function curved(bend: number) {
    const board = new Board(new Y.Doc(), 'ann')
    const id = board.addShape(ElementKind.Arrow, {
      x: 100,
      y: 100,
      points: [0, 0, 200, 0],
      route: ArrowRoute.Curved,
      bend,
    })
    return { board, id, arrow: arrowOn(board, id) }
  }

  it('has bounds and a box that hold its bulge, not only its two points', () => {
    const { arrow } = curved(60)
    // Halfway it stands 60 above the chord (y = 100): its box reaches y = 40.
    expect(localBox(arrow)).toMatchObject({ x: 0, width: 200 })
    expect(localBox(arrow).y).toBeCloseTo(-60, 6)
    expect(elementRect(arrow).minY).toBeLessThanOrEqual(40)
    expect(elementRect(arrow).maxY).toBeGreaterThanOrEqual(100)
    const straight = { ...arrow, route: ArrowRoute.Straight }
    expect(elementRect(straight).minY).toBeGreaterThan(80)
  })

  it('is hit on its curve, not on its chord', () => {
    const { arrow } = curved(60)
    expect(hitsElement(arrow, 200, 40, 3)).toBe(true)
    expect(hitsElement(arrow, 200, 100, 3)).toBe(false)
    // The same arrow straight is hit on the chord.
    expect(hitsElement({ ...arrow, route: ArrowRoute.Straight }, 200, 100, 3)).toBe(true)
    // Its sampled path runs through the bend point.
    const pts = linePolyline(arrow)
    expect(pts.length).toBeGreaterThan(20)
  })

  it('gives its midpoint on the path (for labels) and the bend toward a dragged point', () => {
    const { board, id, arrow } = curved(60)
    expect(arrowMidpoint(arrow)).toEqual({ x: 200, y: 40 })
    // Dragging the handle to (170, 190) bends it 90 the other way (the projection on the normal).
    const bend = bendToward(arrow, { x: 170, y: 190 })
    expect(bend).toBeCloseTo(-90, 6)
    board.updateElement(id, { bend })
    expect(arrowMidpoint(arrowOn(board, id)).y).toBeCloseTo(190, 6)
    // A straight or elbow arrow's midpoint is halfway along its polyline.
    const straight = { ...arrow, route: ArrowRoute.Straight, points: [0, 0, 100, 0, 100, 100] }
    expect(arrowMidpoint(straight)).toEqual({ x: 200, y: 100 })
  })

  it('keeps its bend through a resize: doubled with the size, turned over by a flip', () => {
    const { arrow } = curved(40)
    const box = localBox(arrow)
    const cx = arrow.x + box.x + box.width / 2
    const cy = arrow.y + box.y + box.height / 2
    const grown = attrsFromTransform(arrow, { x: cx, y: cy, rotation: 0, scaleX: 2, scaleY: 2 })
    expect(grown.bend).toBeCloseTo(80, 6)
    const flipped = attrsFromTransform(arrow, { x: cx, y: cy, rotation: 0, scaleX: 1, scaleY: -1 })
    expect(flipped.bend).toBeCloseTo(-40, 6)
  })

  it('aims bound ends along its curve, and reaches a peer with its route and bend', () => {
    const a = new Board(new Y.Doc(), 'ann')
    const b = new Board(new Y.Doc(), 'bob')
    a.doc.on('update', (u: Uint8Array) => Y.applyUpdate(b.doc, u))
    const left = a.addShape(ElementKind.Rect, { x: 0, y: 0, width: 100, height: 100 })
    const right = a.addShape(ElementKind.Rect, { x: 400, y: 0, width: 100, height: 100 })
    const id = a.addShape(ElementKind.Arrow, {
      x: 110,
      y: 50,
      points: [0, 0, 280, 0],
      route: ArrowRoute.Curved,
      bend: 100,
      startBinding: left,
      endBinding: right,
    })
    const arrow = arrowOn(b, id)
    expect(arrow).toMatchObject({ route: 'curved', bend: 100 })
    // Aimed up toward the bend point: each end leaves its box through the top half of the facing side.
    const [start, end] = [boardPoints(arrow)[0] as Point, boardPoints(arrow)[1] as Point]
    expect(start.y).toBeLessThan(50)
    expect(end.y).toBeLessThan(50)
    expect(start.x).toBeGreaterThan(100)
    expect(end.x).toBeLessThan(400)
  })
})

describe('elbow routing', () => {
  it('between two boxes: right angles only, around both, leaving and entering square to a side', () => {
    fc.assert(
      fc.property(twoBoxes, ({ a, b }) => {
        const route = routeElbow(
          { point: { x: 0, y: 0 }, box: a },
          { point: { x: 0, y: 0 }, box: b },
          BINDING_GAP,
        )
        expect(route.length).toBeGreaterThanOrEqual(2)
        expect(orthogonal(route)).toBe(true)
        for (let i = 1; i < route.length; i++) {
          expect(touches(route[i - 1] as Point, route[i] as Point, a)).toBe(false)
          expect(touches(route[i - 1] as Point, route[i] as Point, b)).toBe(false)
        }
        const n = route.length
        expect(leavesSide(route[0] as Point, route[1] as Point, a, BINDING_GAP)).toBe(true)
        expect(leavesSide(route[n - 1] as Point, route[n - 2] as Point, b, BINDING_GAP)).toBe(true)
      }),
      { numRuns: 300 },
    )
  })

  it('from a box to a free point, and between free points: ends exactly at the free points', () => {
    fc.assert(
      fc.property(box, coord, coord, fc.boolean(), (a, px, py, fromBox) => {
        const p = { x: px, y: py }
        fc.pre(px < a.minX - 1 || px > a.maxX + 1 || py < a.minY - 1 || py > a.maxY + 1)
        const route = fromBox
          ? routeElbow({ point: p, box: a }, { point: p }, BINDING_GAP)
          : routeElbow({ point: p }, { point: p, box: a }, BINDING_GAP)
        expect(orthogonal(route)).toBe(true)
        for (let i = 1; i < route.length; i++)
          expect(touches(route[i - 1] as Point, route[i] as Point, a)).toBe(false)
        const n = route.length
        if (fromBox) {
          expect(route[n - 1]).toEqual(p)
          expect(leavesSide(route[0] as Point, route[1] as Point, a, BINDING_GAP)).toBe(true)
        } else {
          expect(route[0]).toEqual(p)
          expect(leavesSide(route[n - 1] as Point, route[n - 2] as Point, a, BINDING_GAP)).toBe(true)
        }
      }),
      { numRuns: 300 },
    )
    // Two free points: one right-angled way (three legs through the middle, along the longer axis first).
    expect(routeElbow({ point: { x: 0, y: 0 } }, { point: { x: 200, y: 80 } })).toEqual([
      { x: 0, y: 0 },
      { x: 100, y: 0 },
      { x: 100, y: 80 },
      { x: 200, y: 80 },
    ])
  })

  it('takes the facing sides of two boxes side by side', () => {
    const a = { minX: 0, minY: 0, maxX: 100, maxY: 100 }
    const b = { minX: 300, minY: 150, maxX: 400, maxY: 250 }
    const route = routeElbow({ point: { x: 0, y: 0 }, box: a }, { point: { x: 0, y: 0 }, box: b }, 6)
    expect(route).toEqual([
      { x: 106, y: 50 },
      { x: 200, y: 50 },
      { x: 200, y: 200 },
      { x: 294, y: 200 },
    ])
  })
})

describe('an elbow arrow on the board', () => {
  it('is routed when drawn, and routed again when a shape it is bound to moves', () => {
    const board = new Board(new Y.Doc(), 'ann')
    const left = board.addShape(ElementKind.Rect, { x: 0, y: 0, width: 100, height: 100 })
    const right = board.addShape(ElementKind.Ellipse, { x: 300, y: 150, width: 100, height: 100 })
    const id = board.addShape(ElementKind.Arrow, {
      x: 50,
      y: 50,
      points: [0, 0, 300, 150],
      route: ArrowRoute.Elbow,
      startBinding: left,
      endBinding: right,
    })
    const check = () => {
      const arrow = arrowOn(board, id)
      const pts = boardPoints(arrow)
      const boxes = [shapeBox(board.readElement(left) as never), shapeBox(board.readElement(right) as never)]
      expect(orthogonal(pts)).toBe(true)
      for (let i = 1; i < pts.length; i++)
        for (const r of boxes) expect(touches(pts[i - 1] as Point, pts[i] as Point, r)).toBe(false)
      expect(leavesSide(pts[0] as Point, pts[1] as Point, boxes[0] as Rect, BINDING_GAP)).toBe(true)
      const n = pts.length
      expect(leavesSide(pts[n - 1] as Point, pts[n - 2] as Point, boxes[1] as Rect, BINDING_GAP)).toBe(true)
      return pts
    }
    expect(check()[0]).toEqual({ x: 106, y: 50 })
    // The ellipse moves above and left of the rectangle: the arrow goes around, from another side.
    board.beginAction()
    board.updateElement(right, { x: -300, y: -400 })
    const moved = check()
    expect(moved[0]).toEqual({ x: 50, y: -6 })
    expect(arrowOn(board, id)).toMatchObject({ startBinding: left, endBinding: right })
  })

  it('goes back to a straight arrow between its ends (bindings kept), and curved bends it', () => {
    const board = new Board(new Y.Doc(), 'ann')
    const left = board.addShape(ElementKind.Rect, { x: 0, y: 0, width: 100, height: 100 })
    const right = board.addShape(ElementKind.Rect, { x: 300, y: 150, width: 100, height: 100 })
    const id = board.addShape(ElementKind.Arrow, {
      x: 50,
      y: 50,
      points: [0, 0, 300, 150],
      route: ArrowRoute.Elbow,
      startBinding: left,
      endBinding: right,
    })
    expect(arrowOn(board, id).points.length).toBeGreaterThan(4)
    board.updateElement(id, routeChangeAttrs(arrowOn(board, id), ArrowRoute.Straight))
    const straight = arrowOn(board, id)
    expect(straight.points.length).toBe(4)
    expect(straight).toMatchObject({ route: 'straight', startBinding: left, endBinding: right })
    board.updateElement(id, routeChangeAttrs(straight, ArrowRoute.Curved))
    const bent = arrowOn(board, id)
    expect(bent.route).toBe('curved')
    expect(Math.abs(bent.bend)).toBeGreaterThan(10)
    // Curved again keeps the bend a person gave it.
    board.updateElement(id, { bend: -33 })
    expect(routeChangeAttrs(arrowOn(board, id), ArrowRoute.Curved)).toEqual({ route: 'curved' })
  })
})

describe('the new keys are checked', () => {
  it('by the board: a route it knows, a finite bend, and only on arrows', () => {
    const board = new Board(new Y.Doc(), 'ann')
    const id = board.addShape(ElementKind.Arrow, { points: [0, 0, 10, 10] })
    expect(() => board.updateElement(id, { route: 'zigzag' as never })).toThrow(ElementError)
    expect(() => board.updateElement(id, { route: 'zigzag' as never })).toThrow(/straight, curved, elbow/)
    expect(() => board.updateElement(id, { bend: Number.NaN })).toThrow(/bend/)
    const line = board.addShape(ElementKind.Line, { points: [0, 0, 10, 10] })
    expect(() => board.updateElement(line, { route: ArrowRoute.Curved })).toThrow(/a line has no "route"/)
    // Read with defaults when absent, and when a peer wrote something else.
    expect(arrowOn(board, id)).toMatchObject({ route: 'straight', bend: 0 })
    elementMap(board, id)?.set('route', 42)
    expect(arrowOn(board, id).route).toBe('straight')
  })

  it("by the host's guard: a peer's bad route or bend is refused, a good one accepted", () => {
    const doc = new Y.Doc()
    const guard = new BoardGuard(doc, DEFAULT_GUARD_LIMITS)
    const board = new Board(new Y.Doc(), 'ann')
    const offer = (fn: () => void) => {
      const before = Y.encodeStateVector(board.doc)
      fn()
      const verdict = guard.check(Y.encodeStateAsUpdate(board.doc, before))
      if (verdict.ok) {
        Y.applyUpdate(doc, Y.encodeStateAsUpdate(board.doc, Y.encodeStateVector(doc)))
        verdict.commit()
      }
      return verdict
    }
    let id = ''
    expect(
      offer(() => {
        id = board.addShape(ElementKind.Arrow, { points: [0, 0, 100, 0], route: ArrowRoute.Curved, bend: 20 })
      }).ok,
    ).toBe(true)
    const bad = offer(() => elementMap(board, id)?.set('route', 'spiral'))
    expect(bad.ok).toBe(false)
    expect(bad.ok ? '' : bad.reason).toMatch(/route/)
    const worse = offer(() => elementMap(board, id)?.set('bend', 'far'))
    expect(worse.ok).toBe(false)
  })
})

describe('export', () => {
  it('paints a curved arrow in PNG through its bend point, and not along its chord', async () => {
    const board = new Board(new Y.Doc(), 'ann')
    board.addShape(ElementKind.Arrow, {
      x: 0,
      y: 0,
      points: [0, 0, 200, 0],
      route: ArrowRoute.Curved,
      bend: 50,
    })
    const options = { format: 'png' as const, scale: 1, padding: 20 }
    const layout = exportLayout(board, options)
    const image = await decodeImage((await exportBoard(board, options)).bytes as Uint8Array)
    const dark = (x: number, y: number) => {
      const { px, py } = pixelOf(layout, x, y)
      let n = 0
      for (let dy = -2; dy <= 2; dy++)
        for (let dx = -2; dx <= 2; dx++) {
          const i = ((py + dy) * image.width + px + dx) * 4
          if ((image.data[i] as number) < 100 && (image.data[i + 3] as number) > 200) n++
        }
      return n
    }
    expect(dark(100, -50)).toBeGreaterThan(0)
    expect(dark(100, 0)).toBe(0)
  })

  it('writes a curved arrow as a cubic curve in SVG and PDF', async () => {
    const board = new Board(new Y.Doc(), 'ann')
    board.addShape(ElementKind.Arrow, {
      x: 0,
      y: 0,
      points: [0, 0, 200, 0],
      route: ArrowRoute.Curved,
      bend: 50,
      endArrow: true,
    })
    const svg = new TextDecoder().decode((await exportBoard(board, { format: 'svg' })).bytes as Uint8Array)
    // The shaft: M start C control control end (the bulge of 50 is a control point 66.67 off the chord).
    expect(svg).toMatch(/d="M0 0C ?66\.67 -66\.67 133\.33 -66\.67 200 0"/)
    const pdf = await PDFDocument.load((await exportBoard(board, { format: 'pdf' })).bytes as Uint8Array)
    const streams = pdf.context
      .enumerateIndirectObjects()
      .flatMap(([, o]) =>
        o instanceof PDFRawStream ? [new TextDecoder().decode(decodePDFRawStream(o).decode())] : [],
      )
    expect(streams.some((s) => /66\.67 -66\.67 133\.33 -66\.67 200 0 c/.test(s))).toBe(true)
  })
})
