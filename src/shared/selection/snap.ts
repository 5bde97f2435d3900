import type { Rect } from '../geometry'

// Snapping a moved or resized selection to other elements and to the grid, as pure maths over rectangles (the
// elements' shape bounds, bounds.ts). The other elements' edges and centres are sorted once, when a
// gesture starts, so each pointer move costs a binary search whatever the number of elements.

/** A line something may snap to: x = `at` (a vertical line) or y = `at`, with the extent `from..to` along it. */
export interface SnapLine {
  at: number
  from: number
  to: number
}

/** A guide to draw while snapped: the segment x = `at` (axis 'x') or y = `at` (axis 'y'), from `from` to `to`. */
export interface SnapGuide {
  axis: 'x' | 'y'
  at: number
  from: number
  to: number
}

/** How snapping behaves for one gesture. */
export interface SnapOptions {
  /** Board units within which an edge or centre is pulled onto another's (a few screen pixels, over the zoom). */
  threshold: number
  /** Grid spacing in board units when snapping to the grid, else undefined. */
  grid?: number
}

/** What snapping did to a move: the corrected offset and the guides to show. */
export interface SnappedMove {
  dx: number
  dy: number
  guides: SnapGuide[]
}

/** What snapping did to a dragged point (a resize handle): where it goes and the guides to show. */
export interface SnappedPoint {
  x: number
  y: number
  guides: SnapGuide[]
}

/** How close two coordinates must be to count as lined up (rounding of sums, not a pull). */
const SAME = 1e-6

/** The left, centre and right of a rectangle (or top, middle, bottom for 'y'). */
function linesOf(r: Rect, axis: 'x' | 'y'): [number, number, number] {
  return axis === 'x' ? [r.minX, (r.minX + r.maxX) / 2, r.maxX] : [r.minY, (r.minY + r.maxY) / 2, r.maxY]
}

/** The first index of sorted `lines` whose `at` is not below `v`. */
function lowerBound(lines: readonly SnapLine[], v: number): number {
  let lo = 0
  let hi = lines.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((lines[mid] as SnapLine).at < v) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** The edges and centres of the elements a gesture may snap to, sorted on each axis. */
export class SnapTargets {
  /** Vertical lines: each target's left, centre and right, with its top-to-bottom extent. */
  readonly xs: readonly SnapLine[]
  /** Horizontal lines: each target's top, middle and bottom, with its left-to-right extent. */
  readonly ys: readonly SnapLine[]

  constructor(rects: Iterable<Rect>) {
    const xs: SnapLine[] = []
    const ys: SnapLine[] = []
    for (const r of rects) {
      for (const at of linesOf(r, 'x')) xs.push({ at, from: r.minY, to: r.maxY })
      for (const at of linesOf(r, 'y')) ys.push({ at, from: r.minX, to: r.maxX })
    }
    xs.sort((a, b) => a.at - b.at)
    ys.sort((a, b) => a.at - b.at)
    this.xs = xs
    this.ys = ys
  }

  /** The line on an axis nearest to `v`, if one is within `threshold`. */
  nearest(axis: 'x' | 'y', v: number, threshold: number): SnapLine | undefined {
    const lines = axis === 'x' ? this.xs : this.ys
    const i = lowerBound(lines, v)
    let best: SnapLine | undefined
    for (const line of [lines[i - 1], lines[i]]) {
      if (
        line &&
        Math.abs(line.at - v) <= threshold &&
        (!best || Math.abs(line.at - v) < Math.abs(best.at - v))
      )
        best = line
    }
    return best
  }

  /** Every line on an axis at `v` (lined up with it exactly). */
  at(axis: 'x' | 'y', v: number): SnapLine[] {
    const lines = axis === 'x' ? this.xs : this.ys
    const out: SnapLine[] = []
    for (let i = lowerBound(lines, v - SAME); i < lines.length && (lines[i] as SnapLine).at <= v + SAME; i++)
      out.push(lines[i] as SnapLine)
    return out
  }
}

/**
 * The correction on one axis that brings the nearest of `values` onto a target line, within the threshold; the
 * grid otherwise (its first value, the box's left or top edge, onto the nearest grid line, as in Excalidraw).
 */
function pull(targets: SnapTargets, axis: 'x' | 'y', values: readonly number[], opts: SnapOptions): number {
  let best: number | undefined
  for (const v of values) {
    const line = targets.nearest(axis, v, opts.threshold)
    if (line && (best === undefined || Math.abs(line.at - v) < Math.abs(best))) best = line.at - v
  }
  if (best !== undefined) return best
  const first = values[0]
  if (opts.grid && opts.grid > 0 && first !== undefined)
    return Math.round(first / opts.grid) * opts.grid - first
  return 0
}

/**
 * The guides for `values` on an axis: one per value that lies on target lines, spanning those targets and the span
 * `from..to` of the thing being snapped.
 */
function guidesAt(
  targets: SnapTargets,
  axis: 'x' | 'y',
  values: readonly number[],
  from: number,
  to: number,
): SnapGuide[] {
  const out: SnapGuide[] = []
  for (const v of new Set(values)) {
    const lines = targets.at(axis, v)
    if (lines.length === 0) continue
    let lo = from
    let hi = to
    for (const line of lines) {
      lo = Math.min(lo, line.from)
      hi = Math.max(hi, line.to)
    }
    out.push({ axis, at: v, from: lo, to: hi })
  }
  return out
}

/**
 * Snaps a box (the selection's bounds where the move started) moved by (dx, dy): its left, centre or right edge,
 * whichever is nearest a target's left, centre or right within the threshold, goes onto it (the grid otherwise),
 * and the same for top, middle and bottom. Returns the corrected offset and the guides of every line the moved box
 * now lies on.
 */
export function snapMove(
  box: Rect,
  dx: number,
  dy: number,
  targets: SnapTargets,
  opts: SnapOptions,
): SnappedMove {
  const moved = { minX: box.minX + dx, minY: box.minY + dy, maxX: box.maxX + dx, maxY: box.maxY + dy }
  const sx = pull(targets, 'x', linesOf(moved, 'x'), opts)
  const sy = pull(targets, 'y', linesOf(moved, 'y'), opts)
  const out = { minX: moved.minX + sx, minY: moved.minY + sy, maxX: moved.maxX + sx, maxY: moved.maxY + sy }
  return {
    dx: dx + sx,
    dy: dy + sy,
    guides: [
      ...guidesAt(targets, 'x', linesOf(out, 'x'), out.minY, out.maxY),
      ...guidesAt(targets, 'y', linesOf(out, 'y'), out.minX, out.maxX),
    ],
  }
}

/**
 * Snaps a dragged point, a resize handle, on the axes it moves along (a side handle moves along one): onto the
 * nearest target line within the threshold, or onto the grid. Returns the point and the guides through it.
 */
export function snapPoint(
  p: { x: number; y: number },
  axes: { x: boolean; y: boolean },
  targets: SnapTargets,
  opts: SnapOptions,
): SnappedPoint {
  const x = axes.x ? p.x + pull(targets, 'x', [p.x], opts) : p.x
  const y = axes.y ? p.y + pull(targets, 'y', [p.y], opts) : p.y
  return {
    x,
    y,
    guides: [
      ...(axes.x ? guidesAt(targets, 'x', [x], y, y) : []),
      ...(axes.y ? guidesAt(targets, 'y', [y], x, x) : []),
    ],
  }
}
