import type { ElementAttrs } from './attrs'
import { localBox, nodeTransform, toBoard, toLocal } from './transform'
import { type BoardElement, ElementKind, type LineShape } from './types'

/** Space left between a bound arrow's tip and the outline it points at, board units. */
export const BINDING_GAP = 6

type Point = { x: number; y: number }

/** The board centre of an element's box. */
export function elementCentre(el: BoardElement): Point {
  const t = nodeTransform(el)
  return { x: t.x, y: t.y }
}

/**
 * Where a ray from an element's centre toward `toward` leaves its outline (an ellipse for ellipses, the box for
 * every other kind), pushed out by `gap`: the point a bound arrow end sits on.
 */
export function edgePoint(target: BoardElement, toward: Point, gap = BINDING_GAP): Point {
  const box = localBox(target)
  const t = nodeTransform(target, box)
  const q = toLocal(t, toward.x, toward.y)
  const rx = box.width / 2
  const ry = box.height / 2
  const dx = q.x - t.offsetX
  const dy = q.y - t.offsetY
  if ((dx === 0 && dy === 0) || rx <= 0 || ry <= 0) return { x: t.x, y: t.y }
  const k =
    target.kind === ElementKind.Ellipse
      ? 1 / Math.hypot(dx / rx, dy / ry)
      : Math.min(dx === 0 ? Infinity : rx / Math.abs(dx), dy === 0 ? Infinity : ry / Math.abs(dy))
  const edge = toBoard(t, t.offsetX + dx * k, t.offsetY + dy * k)
  const ex = edge.x - t.x
  const ey = edge.y - t.y
  const len = Math.hypot(ex, ey)
  if (len === 0) return edge
  return { x: edge.x + (ex / len) * gap, y: edge.y + (ey / len) * gap }
}

/** A line's points on the board (its rotation applied). */
export function linePointsOnBoard(line: LineShape): Point[] {
  const t = nodeTransform(line)
  const out: Point[] = []
  for (let i = 0; i + 1 < line.points.length; i += 2)
    out.push(toBoard(t, line.points[i] as number, line.points[i + 1] as number))
  return out
}

/**
 * The attributes that put a line's bound ends on the outlines of the elements they are bound to (`start`, `end`:
 * the bound elements as they are now, or undefined when that end is free). The result is unrotated, with x, y
 * at its first point. Undefined when nothing is bound.
 */
export function boundLineAttrs(
  line: LineShape,
  start: BoardElement | undefined,
  end: BoardElement | undefined,
): ElementAttrs | undefined {
  if (!start && !end) return undefined
  const pts = linePointsOnBoard(line)
  const n = pts.length
  if (n < 2) return undefined
  const first = pts[0] as Point
  const last = pts[n - 1] as Point
  // A straight arrow between two shapes aims centre to centre; otherwise each end aims at its neighbour point.
  const startAim = n === 2 && end ? elementCentre(end) : (pts[1] as Point)
  const endAim = n === 2 && start ? elementCentre(start) : (pts[n - 2] as Point)
  const newFirst = start && start.id !== line.id ? edgePoint(start, startAim) : first
  const newLast = end && end.id !== line.id ? edgePoint(end, endAim) : last
  pts[0] = newFirst
  pts[n - 1] = newLast
  const points: number[] = []
  for (const p of pts) points.push(p.x - newFirst.x, p.y - newFirst.y)
  return { x: newFirst.x, y: newFirst.y, rotation: 0, points }
}
