// Where a shape's or an arrow's label goes (issue 13): centred in a rectangle or ellipse and wrapped to fit inside
// it, or centred on an arrow's midpoint. All in the element's own frame, so the element's transform moves, turns
// and scales the label with it; the scene, the exports and the editor all place it from here.
import { linePolyline } from './curve'
import { LINE_HEIGHT, textWidth, wrapLines } from './text'
import { type BoardElement, type BoxShape, ELEMENT_DEFAULTS, ElementKind, type LineShape } from './types'

/** Space between a shape's outline and its label, board units. */
export const LABEL_PADDING = 8
/** The font labels are set in. */
export const LABEL_FONT_FAMILY = 'sans-serif'
/** An arrow's label wraps at this many times its font size at least (Excalidraw's ratio)... */
export const ARROW_LABEL_MIN_EMS = 11
/** ...or at this share of the arrow's length when that is wider. */
export const ARROW_LABEL_LENGTH_SHARE = 0.7

/** An element that can carry a label: a rectangle, an ellipse, a line or an arrow. */
export type LabelledElement = BoxShape | LineShape

/** Whether an element is of a kind that carries a label. */
export function holdsLabel(el: BoardElement): el is LabelledElement {
  return (
    el.kind === ElementKind.Rect ||
    el.kind === ElementKind.Ellipse ||
    el.kind === ElementKind.Line ||
    el.kind === ElementKind.Arrow
  )
}

/** The label an element shows, or undefined when it has none (or only blanks, which draw nothing). */
export function shownLabel(el: BoardElement): string | undefined {
  if (!holdsLabel(el) || el.label === undefined || el.label.trim() === '') return undefined
  return el.label
}

/** How a label is set: its font size and colour (the shape's outline colour unless it has its own). */
export function labelStyle(el: LabelledElement): { fontSize: number; color: string; fontFamily: string } {
  return {
    fontSize: el.labelFontSize ?? ELEMENT_DEFAULTS.labelFontSize,
    color: el.labelColor ?? el.strokeColor,
    fontFamily: LABEL_FONT_FAMILY,
  }
}

/** Where a label goes in its element's frame: the centre of its text block and the width its lines wrap at. */
export interface LabelFrame {
  cx: number
  cy: number
  /** Lines wrap at this width and are centred in it. */
  wrapWidth: number
}

/** The point halfway along a polyline [x0, y0, x1, y1, ...], and the polyline's length. */
export function polylineMidpoint(points: readonly number[]): { x: number; y: number; length: number } {
  let length = 0
  for (let i = 2; i + 1 < points.length; i += 2)
    length += Math.hypot(
      (points[i] as number) - (points[i - 2] as number),
      (points[i + 1] as number) - (points[i - 1] as number),
    )
  let left = length / 2
  for (let i = 2; i + 1 < points.length; i += 2) {
    const x0 = points[i - 2] as number
    const y0 = points[i - 1] as number
    const dx = (points[i] as number) - x0
    const dy = (points[i + 1] as number) - y0
    const seg = Math.hypot(dx, dy)
    if (seg > 0 && left <= seg) return { x: x0 + (dx * left) / seg, y: y0 + (dy * left) / seg, length }
    left -= seg
  }
  return { x: points[0] ?? 0, y: points[1] ?? 0, length }
}

/**
 * Where an element's label goes: in a rectangle, its box less LABEL_PADDING; in an ellipse, the rectangle inscribed
 * in it (1/√2 of each side) less the padding; on a line or arrow, centred on the point halfway along it, wrapping
 * at ARROW_LABEL_MIN_EMS ems or ARROW_LABEL_LENGTH_SHARE of its length, whichever is wider (a curve's length is
 * that of the polyline it is sampled into).
 */
export function labelFrame(el: LabelledElement): LabelFrame {
  if ('points' in el) {
    // Halfway along the path drawn: a curved arrow's bend point, an elbow's or polyline's half length.
    const mid = polylineMidpoint(linePolyline(el))
    const { fontSize } = labelStyle(el)
    return {
      cx: mid.x,
      cy: mid.y,
      wrapWidth: Math.max(fontSize * ARROW_LABEL_MIN_EMS, mid.length * ARROW_LABEL_LENGTH_SHARE),
    }
  }
  const share = el.kind === ElementKind.Ellipse ? Math.SQRT1_2 : 1
  return {
    cx: el.width / 2,
    cy: el.height / 2,
    wrapWidth: Math.max(1, el.width * share - 2 * LABEL_PADDING),
  }
}

/** The lines a label breaks into (at newlines, and at word boundaries to fit its frame). */
export function labelLines(el: LabelledElement, text: string = el.label ?? ''): string[] {
  const { fontSize, fontFamily } = labelStyle(el)
  return wrapLines(text, fontSize, fontFamily, labelFrame(el).wrapWidth)
}

/**
 * The box a label's text covers in its element's frame (an estimate from the platform's text measure; the scene
 * lets Konva.Text measure and centres what it measured), or undefined when the element shows no label.
 */
export function labelBox(
  el: BoardElement,
): { x: number; y: number; width: number; height: number } | undefined {
  const text = shownLabel(el)
  if (text === undefined || !holdsLabel(el)) return undefined
  const { fontSize, fontFamily } = labelStyle(el)
  const frame = labelFrame(el)
  const lines = labelLines(el, text)
  const widest = Math.max(...lines.map((l) => textWidth(l, fontSize, fontFamily)))
  const width = Math.min(frame.wrapWidth, widest)
  const height = lines.length * fontSize * LINE_HEIGHT
  return { x: frame.cx - width / 2, y: frame.cy - height / 2, width, height }
}

/**
 * How far a label reaches past its element's own box (a label taller than its shape, or wider than its arrow), so
 * that the element's bounds hold all its ink; 0 without a label.
 */
export function labelOverflow(
  el: BoardElement,
  box: { x: number; y: number; width: number; height: number },
): number {
  const label = labelBox(el)
  if (!label) return 0
  return Math.max(
    0,
    box.x - label.x,
    box.y - label.y,
    label.x + label.width - (box.x + box.width),
    label.y + label.height - (box.y + box.height),
  )
}

/** The element as it draws without its label (while its label is edited in place). */
export function withoutLabel<T extends BoardElement>(el: T): T {
  if (!holdsLabel(el) || el.label === undefined) return el
  const { label: _label, ...rest } = el
  return rest as T
}

/** Space left clear around an arrow's label, board units: the shaft stops this far from the words. */
export const ARROW_LABEL_GAP = 4

/** A rectangle in an element's own frame. */
export interface GapRect {
  x: number
  y: number
  width: number
  height: number
}

/**
 * The parts of a polyline [x0, y0, x1, y1, ...] that lie outside a rectangle, each a polyline of its own (an
 * arrow's shaft with the gap for its label cut out), in order along the line. Each segment is clipped
 * (Liang–Barsky) and what is left of it on either side of the rectangle kept.
 */
export function polylineOutside(points: readonly number[], r: GapRect): number[][] {
  const pieces: number[][] = []
  let current: number[] = []
  const add = (x: number, y: number) => {
    const n = current.length
    if (n >= 2 && current[n - 2] === x && current[n - 1] === y) return
    current.push(x, y)
  }
  const cut = () => {
    if (current.length >= 4) pieces.push(current)
    current = []
  }
  for (let i = 2; i + 1 < points.length; i += 2) {
    const x0 = points[i - 2] as number
    const y0 = points[i - 1] as number
    const x1 = points[i] as number
    const y1 = points[i + 1] as number
    const inside = segmentInside(x0, y0, x1, y1, r)
    if (!inside) {
      add(x0, y0)
      add(x1, y1)
      continue
    }
    const [t0, t1] = inside
    const at = (t: number): [number, number] => [x0 + (x1 - x0) * t, y0 + (y1 - y0) * t]
    if (t0 > 0) {
      add(x0, y0)
      add(...at(t0))
    }
    cut()
    if (t1 < 1) {
      add(...at(t1))
      add(x1, y1)
    }
  }
  cut()
  return pieces
}

/** The parameter range [t0, t1] of a segment inside a rectangle, or undefined when it misses it. */
function segmentInside(
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  r: GapRect,
): [number, number] | undefined {
  const dx = x1 - x0
  const dy = y1 - y0
  let t0 = 0
  let t1 = 1
  const edges: [number, number][] = [
    [-dx, x0 - r.x],
    [dx, r.x + r.width - x0],
    [-dy, y0 - r.y],
    [dy, r.y + r.height - y0],
  ]
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return undefined
      continue
    }
    const t = q / p
    if (p < 0) t0 = Math.max(t0, t)
    else t1 = Math.min(t1, t)
    if (t0 > t1) return undefined
  }
  return t1 - t0 > 0 ? [t0, t1] : undefined
}
