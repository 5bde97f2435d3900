import { distanceToSegmentSq } from '../geometry'
import { ArrowRoute, ElementKind, type LineShape } from './types'

// A curved arrow is one quadratic Bézier from its first to its last point that passes, halfway, through its bend
// point: the chord's midpoint moved `bend` units along the chord's left normal (as tldraw's arrows bend). Konva,
// SVG and PDF draw cubics, so the same curve is also given as the cubic it equals.

type Point = { x: number; y: number }

/** The left unit normal of the chord from a to b (screen axes: y grows down), or undefined for a point. */
function normal(a: Point, b: Point): Point | undefined {
  const dx = b.x - a.x
  const dy = b.y - a.y
  const len = Math.hypot(dx, dy)
  return len > 0 ? { x: dy / len, y: -dx / len } : undefined
}

/** Where the curve from a to b with `bend` passes halfway: the midpoint handle. */
export function bendPoint(a: Point, b: Point, bend: number): Point {
  const n = normal(a, b) ?? { x: 0, y: 0 }
  return { x: (a.x + b.x) / 2 + n.x * bend, y: (a.y + b.y) / 2 + n.y * bend }
}

/** The bend that puts the curve from a to b halfway through (the projection on its normal of) point p. */
export function bendThrough(a: Point, b: Point, p: Point): number {
  const n = normal(a, b)
  if (!n) return 0
  return (p.x - (a.x + b.x) / 2) * n.x + (p.y - (a.y + b.y) / 2) * n.y
}

/** The control point of the quadratic from a to b through its bend point (twice as far off the chord). */
export function quadraticControl(a: Point, b: Point, bend: number): Point {
  return bendPoint(a, b, 2 * bend)
}

/** The cubic Bézier [a, c1, c2, b] equal to the quadratic from a to b with `bend`, flat. */
export function cubicPoints(a: Point, b: Point, bend: number): number[] {
  const q = quadraticControl(a, b, bend)
  const k = 2 / 3
  return [
    a.x,
    a.y,
    a.x + k * (q.x - a.x),
    a.y + k * (q.y - a.y),
    b.x + k * (q.x - b.x),
    b.y + k * (q.y - b.y),
    b.x,
    b.y,
  ]
}

/** The point at t (0..1) of the quadratic from a to b with control q. */
export function quadraticAt(a: Point, q: Point, b: Point, t: number): Point {
  const u = 1 - t
  return { x: u * u * a.x + 2 * u * t * q.x + t * t * b.x, y: u * u * a.y + 2 * u * t * q.y + t * t * b.y }
}

/** The quadratic's exact bounding box: its ends and, per axis, the point where it turns back. */
export function quadraticBounds(a: Point, q: Point, b: Point) {
  const xs = [a.x, b.x]
  const ys = [a.y, b.y]
  for (const axis of ['x', 'y'] as const) {
    const den = a[axis] - 2 * q[axis] + b[axis]
    if (den === 0) continue
    const t = (a[axis] - q[axis]) / den
    if (t > 0 && t < 1) (axis === 'x' ? xs : ys).push(quadraticAt(a, q, b, t)[axis])
  }
  return { minX: Math.min(...xs), minY: Math.min(...ys), maxX: Math.max(...xs), maxY: Math.max(...ys) }
}

function ends(line: Pick<LineShape, 'points'>): [Point, Point] {
  const p = line.points
  const n = p.length
  return [
    { x: p[0] as number, y: p[1] as number },
    { x: p[n - 2] as number, y: p[n - 1] as number },
  ]
}

/** Whether an element is drawn as a curve: a curved arrow of two distinct points with a bend. */
export function isCurved(line: Pick<LineShape, 'kind' | 'route' | 'bend' | 'points'>): boolean {
  if (line.kind !== ElementKind.Arrow || line.route !== ArrowRoute.Curved || !line.bend) return false
  if (line.points.length !== 4) return false
  const [a, b] = ends(line)
  return a.x !== b.x || a.y !== b.y
}

/** What a line's node draws, in its own frame: its points, or the cubic of a curved arrow (`bezier`). */
export function linePath(line: Pick<LineShape, 'kind' | 'route' | 'bend' | 'points'>): {
  points: number[]
  bezier: boolean
} {
  if (!isCurved(line)) return { points: line.points, bezier: false }
  const [a, b] = ends(line)
  return { points: cubicPoints(a, b, line.bend), bezier: true }
}

/** Segments a curve is cut into where a polyline is needed (hit tests): under a pixel off at any usual size. */
const CURVE_SEGMENTS = 48

/** The line's path as a polyline in its own frame (a curve sampled finely): what hit tests measure against. */
export function linePolyline(line: Pick<LineShape, 'kind' | 'route' | 'bend' | 'points'>): number[] {
  if (!isCurved(line)) return line.points
  const [a, b] = ends(line)
  const q = quadraticControl(a, b, line.bend)
  const out: number[] = []
  for (let i = 0; i <= CURVE_SEGMENTS; i++) {
    const p = quadraticAt(a, q, b, i / CURVE_SEGMENTS)
    out.push(p.x, p.y)
  }
  return out
}

/** The line's path's bounds in its own frame (a curve's exact box, which its points alone would miss). */
export function linePathBounds(line: Pick<LineShape, 'kind' | 'route' | 'bend' | 'points'>) {
  if (!isCurved(line)) return undefined
  const [a, b] = ends(line)
  return quadraticBounds(a, quadraticControl(a, b, line.bend), b)
}

/** The point halfway along a line's path, in its own frame: a curve's bend point, a polyline's half length. */
export function pathMidpoint(line: Pick<LineShape, 'kind' | 'route' | 'bend' | 'points'>): Point {
  const [a, b] = ends(line)
  if (isCurved(line)) return bendPoint(a, b, line.bend)
  const p = line.points
  let total = 0
  for (let i = 2; i + 1 < p.length; i += 2)
    total += Math.hypot((p[i] as number) - (p[i - 2] as number), (p[i + 1] as number) - (p[i - 1] as number))
  let left = total / 2
  for (let i = 2; i + 1 < p.length; i += 2) {
    const ax = p[i - 2] as number
    const ay = p[i - 1] as number
    const len = Math.hypot((p[i] as number) - ax, (p[i + 1] as number) - ay)
    if (len >= left && len > 0) {
      const t = left / len
      return { x: ax + t * ((p[i] as number) - ax), y: ay + t * ((p[i + 1] as number) - ay) }
    }
    left -= len
  }
  return a
}

/** Squared distance from a point to a flat polyline. */
export function polylineDistanceSq(points: ArrayLike<number>, x: number, y: number): number {
  let best = Number.POSITIVE_INFINITY
  for (let i = 2; i + 1 < points.length; i += 2) {
    const d = distanceToSegmentSq(
      x,
      y,
      points[i - 2] as number,
      points[i - 1] as number,
      points[i] as number,
      points[i + 1] as number,
    )
    if (d < best) best = d
  }
  return best
}
