import { BINDING_GAP, boundLineAttrs, edgePoint, elementCentre, linePointsOnBoard } from './arrow'
import type { ElementAttrs } from './attrs'
import { bendPoint, bendThrough, isCurved, pathMidpoint } from './curve'
import { routeElbow } from './elbow'
import { boxCorners, localBox, nodeTransform, toBoard, toLocal } from './transform'
import { ArrowRoute, type BoardElement, ElementKind, type LineShape } from './types'

// How an arrow's route and bend meet its bindings and the style panel: the glue between the pure maths of
// ./curve.ts and ./elbow.ts and the board (Board.rebind calls lineLayoutAttrs whenever a line or what it is bound
// to changes, so every peer stores the same route).

type Point = { x: number; y: number }

/** A new curved arrow's bend, as a share of its length: a visible arc that still reads as pointing at its end. */
export const DEFAULT_BEND_RATIO = 0.2

/** The axis-aligned board box of an element's shape (its local box turned, without ink): what elbows go around. */
export function shapeBox(el: BoardElement) {
  const box = localBox(el)
  const corners = boxCorners(nodeTransform(el, box), box)
  const xs = corners.map((c) => c.x)
  const ys = corners.map((c) => c.y)
  return { minX: Math.min(...xs), minY: Math.min(...ys), maxX: Math.max(...xs), maxY: Math.max(...ys) }
}

/** The point halfway along an arrow's drawn path, on the board: a curve's bend point, a polyline's half length. */
export function arrowMidpoint(line: LineShape): Point {
  const m = pathMidpoint(line)
  return toBoard(nodeTransform(line), m.x, m.y)
}

/** The bend that makes a two-point arrow's curve pass halfway through (the projection of) board point p. */
export function bendToward(line: LineShape, p: Point): number {
  const t = nodeTransform(line)
  const q = toLocal(t, p.x, p.y)
  const n = line.points.length
  const a = { x: line.points[0] as number, y: line.points[1] as number }
  const b = { x: line.points[n - 2] as number, y: line.points[n - 1] as number }
  return bendThrough(a, b, q)
}

function sameLayout(line: LineShape, attrs: ElementAttrs): boolean {
  const p = attrs.points as number[]
  return (
    attrs.x === line.x &&
    attrs.y === line.y &&
    line.rotation === 0 &&
    p.length === line.points.length &&
    p.every((v, i) => v === line.points[i])
  )
}

function fromBoardPoints(pts: readonly Point[]): ElementAttrs {
  const first = pts[0] as Point
  const points: number[] = []
  for (const p of pts) points.push(p.x - first.x, p.y - first.y)
  return { x: first.x, y: first.y, rotation: 0, points }
}

/** An elbow arrow's route from its ends (bound ends at the middle of a side of their shape's box). */
function elbowAttrs(line: LineShape, start?: BoardElement, end?: BoardElement): ElementAttrs {
  const pts = linePointsOnBoard(line)
  const first = pts[0] as Point
  const last = pts[pts.length - 1] as Point
  const bound = (el?: BoardElement) => (el && el.id !== line.id ? shapeBox(el) : undefined)
  return fromBoardPoints(
    routeElbow({ point: first, box: bound(start) }, { point: last, box: bound(end) }, BINDING_GAP),
  )
}

/** A curved arrow's bound ends, each aimed at the bend point of the curve between the shapes' centres. */
function curvedAttrs(line: LineShape, start?: BoardElement, end?: BoardElement): ElementAttrs | undefined {
  if (!start && !end) return undefined
  const [first, last] = linePointsOnBoard(line) as [Point, Point]
  const from = start && start.id !== line.id ? elementCentre(start) : first
  const to = end && end.id !== line.id ? elementCentre(end) : last
  const aim = bendPoint(from, to, line.bend)
  return fromBoardPoints([
    start && start.id !== line.id ? edgePoint(start, aim) : first,
    end && end.id !== line.id ? edgePoint(end, aim) : last,
  ])
}

/**
 * The attributes that lay a line out after it or what it is bound to changed: an elbow arrow routed afresh, a
 * curved arrow's bound ends re-aimed along its curve, a straight line's bound ends put on their outlines. Undefined
 * when nothing is to change. `start`, `end`: the bound elements as they are now.
 */
export function lineLayoutAttrs(
  line: LineShape,
  start: BoardElement | undefined,
  end: BoardElement | undefined,
): ElementAttrs | undefined {
  let attrs: ElementAttrs | undefined
  if (line.kind === ElementKind.Arrow && line.route === ArrowRoute.Elbow) attrs = elbowAttrs(line, start, end)
  else if (isCurved(line)) attrs = curvedAttrs(line, start, end)
  else attrs = boundLineAttrs(line, start, end)
  return attrs && !sameLayout(line, attrs) ? attrs : undefined
}

/**
 * What choosing a route in the style panel sets on an arrow: the route; a route that leaves elbow keeps only the
 * ends (the corners were the elbow's); curved on an unbent arrow bends it by DEFAULT_BEND_RATIO of its length.
 * Bindings are named so that the new points do not let go of them.
 */
export function routeChangeAttrs(line: LineShape, route: ArrowRoute): ElementAttrs {
  const out: ElementAttrs = { route }
  const pts = linePointsOnBoard(line)
  const first = pts[0] as Point
  const last = pts[pts.length - 1] as Point
  if (line.route === ArrowRoute.Elbow && route !== ArrowRoute.Elbow && pts.length > 2) {
    Object.assign(out, fromBoardPoints([first, last]), {
      startBinding: line.startBinding ?? null,
      endBinding: line.endBinding ?? null,
    })
  }
  if (route === ArrowRoute.Curved && !line.bend)
    out.bend = Math.round(DEFAULT_BEND_RATIO * Math.hypot(last.x - first.x, last.y - first.y))
  return out
}
