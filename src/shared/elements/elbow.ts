import type { Rect } from '../geometry'

// Elbow routing, as Excalidraw's and tldraw's elbow arrows: right-angled segments that leave the start shape and
// enter the end shape square to one of their sides (at its middle) and go around both shapes. It is a shortest-path
// search on the grid of lines through the shapes' edges (grown by a margin), the ends' stubs and the midlines
// between them; a turn costs as much as BEND_COST units of length. If the two grown boxes are disjoint, that grid
// always holds a way around (from any corner of a box one of its two outward rays is free), so a route is found
// whenever the shapes do not overlap; the margin shrinks until they are disjoint.

type Point = { x: number; y: number }

/** One end of an elbow arrow: a free point, or the box of the shape it is bound to. */
export interface ElbowEnd {
  /** Where a free end is (ignored when `box` is given: a bound end sits at the middle of a side). */
  point: Point
  box?: Rect
}

/** A side of a box. */
export type Side = 'top' | 'right' | 'bottom' | 'left'
const SIDES: readonly Side[] = ['top', 'right', 'bottom', 'left']

/** Outward unit normal of each side; also the four headings of a segment. */
const HEADING: Record<Side, Point> = {
  top: { x: 0, y: -1 },
  right: { x: 1, y: 0 },
  bottom: { x: 0, y: 1 },
  left: { x: -1, y: 0 },
}

/** Widest margin kept around the shapes, board units; narrower when they are closer than twice this. */
export const ELBOW_MARGIN = 24
/** What a turn costs, in units of length: fewer turns win over a slightly shorter way. */
const BEND_COST = 30
/** What leaving or entering by a side that does not face the other end costs. */
const SIDE_COST = 60
/** How much cheaper a turn onto a midline is. */
const MID_BONUS = 1
/** A free end reached along the other axis: it may turn there, a little dearer than a real turn. */
const FREE_TURN_COST = BEND_COST * 1.5

/** The side of `box` that the ray from its centre toward `p` leaves through. */
export function facingSide(box: Rect, p: Point): Side {
  const cx = (box.minX + box.maxX) / 2
  const cy = (box.minY + box.maxY) / 2
  const dx = (p.x - cx) / Math.max(1e-9, (box.maxX - box.minX) / 2)
  const dy = (p.y - cy) / Math.max(1e-9, (box.maxY - box.minY) / 2)
  if (Math.abs(dx) >= Math.abs(dy)) return dx >= 0 ? 'right' : 'left'
  return dy >= 0 ? 'bottom' : 'top'
}

/** The middle of a side of `box`, `out` units outside it. */
export function sidePoint(box: Rect, side: Side, out: number): Point {
  const h = HEADING[side]
  const cx = (box.minX + box.maxX) / 2
  const cy = (box.minY + box.maxY) / 2
  return {
    x: h.x === 0 ? cx : h.x > 0 ? box.maxX + out : box.minX - out,
    y: h.y === 0 ? cy : h.y > 0 ? box.maxY + out : box.minY - out,
  }
}

const grow = (r: Rect, by: number): Rect => ({
  minX: r.minX - by,
  minY: r.minY - by,
  maxX: r.maxX + by,
  maxY: r.maxY + by,
})
const centre = (r: Rect): Point => ({ x: (r.minX + r.maxX) / 2, y: (r.minY + r.maxY) / 2 })
const strictlyInside = (p: Point, r: Rect) => p.x > r.minX && p.x < r.maxX && p.y > r.minY && p.y < r.maxY
const openOverlap = (a: Rect, b: Rect) =>
  a.minX < b.maxX && b.minX < a.maxX && a.minY < b.maxY && b.minY < a.maxY

/** Whether the axis-parallel segment a-b passes through the open interior of r. */
function segmentCrosses(a: Point, b: Point, r: Rect): boolean {
  return openOverlap(
    {
      minX: Math.min(a.x, b.x),
      minY: Math.min(a.y, b.y),
      maxX: Math.max(a.x, b.x),
      maxY: Math.max(a.y, b.y),
    },
    r,
  )
}

/** Whether the axis-parallel segment a-b passes through the open interior of any of the boxes. */
function blocked(a: Point, b: Point, boxes: readonly Rect[]): boolean {
  const x0 = Math.min(a.x, b.x)
  const x1 = Math.max(a.x, b.x)
  const y0 = Math.min(a.y, b.y)
  const y1 = Math.max(a.y, b.y)
  for (const r of boxes) if (x0 < r.maxX && r.minX < x1 && y0 < r.maxY && r.minY < y1) return true
  return false
}

/** How one end meets the grid: where the search starts or stops, the heading there, and the path beyond it. */
interface Port {
  /** The grid point next to the end (the end itself when free). */
  stub: Point
  /** A bound end's heading out of its shape (the search leaves the start, and enters the end against it). */
  heading: Point
  /** The end point itself. */
  end: Point
  free: boolean
  cost: number
}

function ports(end: ElbowEnd, other: Point, gap: number, margin: number): Port[] {
  if (!end.box) {
    const d = { x: other.x - end.point.x, y: other.y - end.point.y }
    const heading =
      Math.abs(d.x) >= Math.abs(d.y) ? { x: Math.sign(d.x) || 1, y: 0 } : { x: 0, y: Math.sign(d.y) }
    return [{ stub: end.point, heading, end: end.point, free: true, cost: 0 }]
  }
  const box = end.box
  const preferred = facingSide(box, other)
  return SIDES.map((side) => ({
    stub: sidePoint(box, side, gap + margin),
    heading: HEADING[side],
    end: sidePoint(box, side, gap),
    free: false,
    cost: side === preferred ? 0 : SIDE_COST,
  }))
}

/** Removes repeated points and the middle of three points on one line. */
function simplify(points: Point[]): Point[] {
  const out: Point[] = []
  for (const p of points) {
    const last = out[out.length - 1]
    if (last && last.x === p.x && last.y === p.y) continue
    const prev = out[out.length - 2]
    if (prev && last && ((prev.x === last.x && last.x === p.x) || (prev.y === last.y && last.y === p.y)))
      out[out.length - 1] = p
    else out.push(p)
  }
  return out
}

/** A small binary heap of [cost, state] for the search. */
class Heap {
  private readonly items: [number, number][] = []
  get size(): number {
    return this.items.length
  }
  push(cost: number, state: number): void {
    const a = this.items
    a.push([cost, state])
    let i = a.length - 1
    while (i > 0) {
      const up = (i - 1) >> 1
      if ((a[up] as [number, number])[0] <= cost) break
      ;[a[i], a[up]] = [a[up] as [number, number], a[i] as [number, number]]
      i = up
    }
  }
  pop(): [number, number] {
    const a = this.items
    const top = a[0] as [number, number]
    const last = a.pop() as [number, number]
    if (a.length > 0) {
      a[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < a.length && (a[l] as [number, number])[0] < (a[m] as [number, number])[0]) m = l
        if (r < a.length && (a[r] as [number, number])[0] < (a[m] as [number, number])[0]) m = r
        if (m === i) break
        ;[a[i], a[m]] = [a[m] as [number, number], a[i] as [number, number]]
        i = m
      }
    }
    return top
  }
}

const DIRS: readonly Point[] = [HEADING.right, HEADING.left, HEADING.bottom, HEADING.top]
const dirIndex = (h: Point) => DIRS.findIndex((d) => d.x === h.x && d.y === h.y)

/**
 * The cheapest grid path from any of the start ports to any of the end ports around `obstacles` (each port's own
 * cost counted), as the whole route from end point to end point, or undefined when there is none.
 */
function search(
  starts: readonly Port[],
  ends: readonly Port[],
  obstacles: readonly Rect[],
  guides: { xs: number[]; ys: number[] },
  frame: number,
): Point[] | undefined {
  // Midlines (between the stubs, between the shapes): a turn onto one is a hair cheaper, so that of two routes
  // alike the one that runs down the middle wins, as people draw them.
  const midXs = new Set(guides.xs)
  const midYs = new Set(guides.ys)
  // Between the stubs of the sides that face each other (the route people expect most often).
  const s0 = starts.find((p) => p.cost === 0) ?? starts[0]
  const e0 = ends.find((p) => p.cost === 0) ?? ends[0]
  if (s0 && e0) {
    midXs.add((s0.stub.x + e0.stub.x) / 2)
    midYs.add((s0.stub.y + e0.stub.y) / 2)
  }
  const xs0 = [...midXs, ...[...starts, ...ends].map((p) => p.stub.x)]
  const ys0 = [...midYs, ...[...starts, ...ends].map((p) => p.stub.y)]
  for (const r of obstacles) {
    xs0.push(r.minX, r.maxX)
    ys0.push(r.minY, r.maxY)
  }
  const uniq = (v: number[]) => {
    const sorted = [...new Set(v)].sort((a, b) => a - b)
    return [(sorted[0] as number) - frame, ...sorted, (sorted[sorted.length - 1] as number) + frame]
  }
  const xs = uniq(xs0)
  const ys = uniq(ys0)
  const nx = xs.length
  const ny = ys.length
  const n = nx * ny
  const free = new Uint8Array(n)
  for (let k = 0; k < n; k++) {
    const p = { x: xs[k % nx] as number, y: ys[Math.floor(k / nx)] as number }
    free[k] = obstacles.some((r) => strictlyInside(p, r)) ? 0 : 1
  }
  const nodeOf = (p: Point) => xs.indexOf(p.x) + ys.indexOf(p.y) * nx
  const dist = new Float64Array(n * 4).fill(Number.POSITIVE_INFINITY)
  const from = new Int32Array(n * 4).fill(-1)
  const origin = new Int32Array(n * 4).fill(-1)
  const heap = new Heap()
  starts.forEach((s, si) => {
    const node = nodeOf(s.stub)
    if (!free[node]) return
    const startDir = dirIndex(s.heading)
    // A free start may set off in any heading; the one toward the end costs nothing, the others a turn.
    for (let d = 0; d < 4; d++) {
      if (!s.free && d !== startDir) continue
      const c = s.cost + (d === startDir ? 0 : FREE_TURN_COST)
      const st = node * 4 + d
      if (c < (dist[st] as number)) {
        dist[st] = c
        origin[st] = si
        heap.push(c, st)
      }
    }
  })
  const goals = new Map<number, Port[]>()
  for (const e of ends) {
    const node = nodeOf(e.stub)
    if (free[node]) goals.set(node, [...(goals.get(node) ?? []), e])
  }
  let best: { cost: number; state: number; end: Port } | undefined
  while (heap.size > 0) {
    const [cost, state] = heap.pop()
    if (cost > (dist[state] as number)) continue
    if (best && cost >= best.cost) break
    const node = state >> 2
    const dir = state & 3
    for (const e of goals.get(node) ?? []) {
      // Entering a bound end along its heading would run back through its own stub.
      if (!e.free && dir === dirIndex(e.heading)) continue
      const entry = dirIndex({ x: -e.heading.x, y: -e.heading.y })
      const total = cost + e.cost + (dir === entry ? 0 : e.free ? FREE_TURN_COST : BEND_COST)
      if (!best || total < best.cost) best = { cost: total, state, end: e }
    }
    const i = node % nx
    const j = Math.floor(node / nx)
    const a = { x: xs[i] as number, y: ys[j] as number }
    for (let d = 0; d < 4; d++) {
      if ((d ^ 1) === dir) continue
      const h = DIRS[d] as Point
      const ni = i + h.x
      const nj = j + h.y
      if (ni < 0 || nj < 0 || ni >= nx || nj >= ny) continue
      const next = ni + nj * nx
      if (!free[next]) continue
      const b = { x: xs[ni] as number, y: ys[nj] as number }
      if (blocked(a, b, obstacles)) continue
      const onMid = h.x === 0 ? midXs.has(a.x) : midYs.has(a.y)
      const turn = d === dir ? 0 : BEND_COST - (onMid ? MID_BONUS : 0)
      const c = cost + Math.abs(b.x - a.x) + Math.abs(b.y - a.y) + turn
      const key = next * 4 + d
      if (c < (dist[key] as number)) {
        dist[key] = c
        from[key] = state
        origin[key] = origin[state] as number
        heap.push(c, key)
      }
    }
  }
  if (!best) return undefined
  const path: Point[] = [best.end.end]
  for (let st = best.state; st >= 0; st = from[st] as number) {
    const k = st >> 2
    path.push({ x: xs[k % nx] as number, y: ys[Math.floor(k / nx)] as number })
  }
  path.push((starts[origin[best.state] as number] as Port).end)
  return path.reverse()
}

/** A plain right-angled way between two ports through the middle, for shapes that overlap (no way goes around). */
function fallback(s: Port, e: Port): Point[] {
  const horizontal = s.heading.y === 0
  const mid = horizontal
    ? [
        { x: (s.stub.x + e.stub.x) / 2, y: s.stub.y },
        { x: (s.stub.x + e.stub.x) / 2, y: e.stub.y },
      ]
    : [
        { x: s.stub.x, y: (s.stub.y + e.stub.y) / 2 },
        { x: e.stub.x, y: (s.stub.y + e.stub.y) / 2 },
      ]
  return simplify([s.end, s.stub, ...mid, e.stub, e.end])
}

/**
 * The elbow route between two ends: a polyline of axis-parallel segments. A bound end sits `gap` units outside
 * the middle of one side of its box and the route leaves or enters there square to that side; the route does not
 * pass through either box when the boxes are apart (the search's margin shrinks to fit between them). Shapes that
 * overlap get a plain two-turn route through the middle.
 */
export function routeElbow(start: ElbowEnd, end: ElbowEnd, gap = 0): Point[] {
  const sRef = start.box ? centre(start.box) : start.point
  const eRef = end.box ? centre(end.box) : end.point
  const boxes = [start.box, end.box].filter((b): b is Rect => b !== undefined)
  const guides = { xs: [] as number[], ys: [] as number[] }
  const [b1, b2] = boxes
  if (b1 && b2) {
    if (b1.maxX < b2.minX) guides.xs.push((b1.maxX + b2.minX) / 2)
    if (b2.maxX < b1.minX) guides.xs.push((b2.maxX + b1.minX) / 2)
    if (b1.maxY < b2.minY) guides.ys.push((b1.maxY + b2.minY) / 2)
    if (b2.maxY < b1.minY) guides.ys.push((b2.maxY + b1.minY) / 2)
  }
  for (const margin of [
    ELBOW_MARGIN,
    ELBOW_MARGIN / 2,
    ELBOW_MARGIN / 4,
    ELBOW_MARGIN / 8,
    ELBOW_MARGIN / 32,
  ]) {
    const grownStart = start.box && grow(start.box, margin)
    const grownEnd = end.box && grow(end.box, margin)
    if (grownStart && grownEnd && openOverlap(grownStart, grownEnd)) continue
    const grown = [grownStart, grownEnd].filter((b): b is Rect => b !== undefined)
    // A stub (from the end to the grid) must not run into the other shape's margin.
    const clear = (p: Port, other: Rect | undefined) => !other || !segmentCrosses(p.end, p.stub, other)
    const starts = ports(start, eRef, gap, margin).filter((p) => clear(p, grownEnd))
    const ends = ports(end, sRef, gap, margin).filter((p) => clear(p, grownStart))
    const found = search(starts, ends, grown, guides, Math.max(margin, 10))
    if (found) return simplify(found)
  }
  return fallback(facingPort(start, eRef, gap), facingPort(end, sRef, gap))
}

/** The port of an end on the side that faces the other end, for the fallback. */
function facingPort(end: ElbowEnd, other: Point, gap: number): Port {
  const [free] = ports(end, other, gap, gap)
  if (!end.box || !free) return free as Port
  const side = facingSide(end.box, other)
  return {
    stub: sidePoint(end.box, side, gap + ELBOW_MARGIN / 2),
    end: sidePoint(end.box, side, gap),
    heading: HEADING[side],
    free: false,
    cost: 0,
  }
}
