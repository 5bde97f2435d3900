import { pointsBounds, type Rect } from '../geometry'
import { POINT_STRIDE } from '../points'
import type { ElementAttrs } from './attrs'
import { bendPoint, bendThrough, linePathBounds } from './curve'
import { frameLabelBox } from './frameLabel'
import { labelOverflow } from './label'
import { textBoxSize } from './text'
import { type BoardElement, ELEMENT_LIMITS, ElementKind, type LineShape, type Stroke } from './types'

// Every element is drawn in its own frame and placed on the board by one transform:
//   board point = C + R(rotation) · S(scaleX, scaleY) · (p − lc)
// where lc is the centre of the element's local box and C = (x + scaleX·lc.x, y + scaleY·lc.y). That is exactly
// Konva's node transform with offset = lc and position = C (see nodeTransform), so a Konva Transformer acting on a
// scene node changes the same numbers this file reads.

/** A rectangle in an element's own frame. */
export interface LocalBox {
  x: number
  y: number
  width: number
  height: number
}

/** Konva node attributes that place an element (position is the centre; offset the local centre). */
export interface NodeTransform {
  x: number
  y: number
  offsetX: number
  offsetY: number
  rotation: number
  scaleX: number
  scaleY: number
}

/** Arrowhead length for a line's stroke width. */
export function arrowHeadLength(strokeWidth: number): number {
  return Math.max(10, strokeWidth * 4)
}

function flatBounds(values: ArrayLike<number>, stride: number): LocalBox {
  const r = pointsBounds(values, 0, stride)
  return { x: r.minX, y: r.minY, width: r.maxX - r.minX, height: r.maxY - r.minY }
}

/** The element's box in its own frame, without stroke widths: what rotation turns about and selection shows. */
export function localBox(el: BoardElement): LocalBox {
  switch (el.kind) {
    case ElementKind.Stroke:
      return flatBounds(el.points, POINT_STRIDE)
    case ElementKind.Line:
    case ElementKind.Arrow: {
      // A curve bulges past its two points: its box is the curve's.
      const curve = linePathBounds(el)
      if (!curve) return flatBounds(el.points, 2)
      return { x: curve.minX, y: curve.minY, width: curve.maxX - curve.minX, height: curve.maxY - curve.minY }
    }
    case ElementKind.Text: {
      const size = textBoxSize(el.text, el.fontSize, el.fontFamily, el.width)
      return { x: 0, y: 0, ...size }
    }
    default:
      return { x: 0, y: 0, width: el.width, height: el.height }
  }
}

/** How far ink reaches past the local box (half a stroke, an arrowhead), in the element's own units. */
export function inkPadding(el: BoardElement): number {
  switch (el.kind) {
    case ElementKind.Stroke:
      // Pressure can make ink wider than its nominal width.
      return el.width
    case ElementKind.Rect:
    case ElementKind.Ellipse:
      return el.strokeWidth / 2
    case ElementKind.Line:
    case ElementKind.Arrow:
      return el.strokeWidth / 2 + (el.startArrow || el.endArrow ? arrowHeadLength(el.strokeWidth) / 2 : 0)
    default:
      return 0
  }
}

function scalesOf(el: BoardElement): { sx: number; sy: number } {
  if (el.kind === ElementKind.Stroke) return { sx: el.scaleX ?? 1, sy: el.scaleY ?? 1 }
  return { sx: 1, sy: 1 }
}

/** The Konva attributes that place an element's node. */
export function nodeTransform(el: BoardElement, box: LocalBox = localBox(el)): NodeTransform {
  const { sx, sy } = scalesOf(el)
  const lcx = box.x + box.width / 2
  const lcy = box.y + box.height / 2
  return {
    x: (el.x ?? 0) + sx * lcx,
    y: (el.y ?? 0) + sy * lcy,
    offsetX: lcx,
    offsetY: lcy,
    rotation: el.rotation ?? 0,
    scaleX: sx,
    scaleY: sy,
  }
}

/**
 * Whether a stroke's points are where it shows (not moved, turned or stretched), read from its keys alone: no pass
 * over its points (isIdentity of its nodeTransform says the same after one).
 */
export function drawnInPlace(s: Stroke): boolean {
  return s.x === 0 && s.y === 0 && s.rotation === 0 && s.scaleX === 1 && s.scaleY === 1
}

/** Whether an element is drawn exactly at its stored coordinates (no move, turn or scale). */
export function isIdentity(t: NodeTransform): boolean {
  return t.rotation === 0 && t.scaleX === 1 && t.scaleY === 1 && t.x === t.offsetX && t.y === t.offsetY
}

/** Maps a point of the element's own frame to the board. */
export function toBoard(t: NodeTransform, px: number, py: number): { x: number; y: number } {
  const a = (t.rotation * Math.PI) / 180
  const cos = Math.cos(a)
  const sin = Math.sin(a)
  const dx = (px - t.offsetX) * t.scaleX
  const dy = (py - t.offsetY) * t.scaleY
  return { x: t.x + dx * cos - dy * sin, y: t.y + dx * sin + dy * cos }
}

/** Maps a board point into the element's own frame. */
export function toLocal(t: NodeTransform, bx: number, by: number): { x: number; y: number } {
  const a = (-t.rotation * Math.PI) / 180
  const cos = Math.cos(a)
  const sin = Math.sin(a)
  const dx = bx - t.x
  const dy = by - t.y
  return { x: t.offsetX + (dx * cos - dy * sin) / t.scaleX, y: t.offsetY + (dx * sin + dy * cos) / t.scaleY }
}

/** The four corners of a local rectangle on the board, clockwise from its top-left. */
export function boxCorners(t: NodeTransform, box: LocalBox): { x: number; y: number }[] {
  return [
    toBoard(t, box.x, box.y),
    toBoard(t, box.x + box.width, box.y),
    toBoard(t, box.x + box.width, box.y + box.height),
    toBoard(t, box.x, box.y + box.height),
  ]
}

/** Axis-aligned board bounds of an element's ink (a label reaching past its shape too), rotation and scale included. */
export function elementRect(el: BoardElement): Rect {
  const box = localBox(el)
  const t = nodeTransform(el, box)
  const pad = Math.max(inkPadding(el), labelOverflow(el, box))
  const padded = { x: box.x - pad, y: box.y - pad, width: box.width + 2 * pad, height: box.height + 2 * pad }
  if (el.kind === ElementKind.Frame) {
    // A frame is never turned; its name above it is part of what it draws (and what a click on it picks).
    const label = frameLabelBox(el)
    return {
      minX: el.x + Math.min(padded.x, label.x),
      minY: el.y + Math.min(padded.y, label.y),
      maxX: el.x + Math.max(padded.x + padded.width, label.x + label.width),
      maxY: el.y + padded.y + padded.height,
    }
  }
  if (isIdentity(t)) {
    return { minX: padded.x, minY: padded.y, maxX: padded.x + padded.width, maxY: padded.y + padded.height }
  }
  const corners = boxCorners(t, padded)
  const xs = corners.map((c) => c.x)
  const ys = corners.map((c) => c.y)
  return { minX: Math.min(...xs), minY: Math.min(...ys), maxX: Math.max(...xs), maxY: Math.max(...ys) }
}

/** The new position/size/turn a Konva Transformer gives a node, in the element's own terms. */
export interface TransformChange {
  /** The node's new position: the element's centre on the board. */
  x: number
  y: number
  rotation: number
  scaleX: number
  scaleY: number
}

const clampScale = (s: number): number => {
  const a = Math.min(ELEMENT_LIMITS.maxScale, Math.max(ELEMENT_LIMITS.minScale, Math.abs(s)))
  return s < 0 ? -a : a
}

/**
 * The attributes to store after a node was moved, turned or resized (e.g. by a Konva Transformer): strokes keep
 * a scale; boxes, lines and notes take it into their size or points; text takes it into its font size.
 */
export function attrsFromTransform(el: BoardElement, change: TransformChange): ElementAttrs {
  const box = localBox(el)
  const lcx = box.x + box.width / 2
  const lcy = box.y + box.height / 2
  const sx = clampScale(change.scaleX)
  const sy = clampScale(change.scaleY)
  const rotation = change.rotation
  switch (el.kind) {
    case ElementKind.Stroke:
      return { x: change.x - sx * lcx, y: change.y - sy * lcy, rotation, scaleX: sx, scaleY: sy }
    case ElementKind.Line:
    case ElementKind.Arrow: {
      const line = el as LineShape
      const points = line.points.map((v, i) => (i % 2 === 0 ? v * sx : v * sy))
      const out: ElementAttrs = { x: change.x - sx * lcx, y: change.y - sy * lcy, rotation, points }
      if (line.bend) out.bend = stretchedBend(line, sx, sy)
      return out
    }
    case ElementKind.Text: {
      const fontSize = Math.min(
        ELEMENT_LIMITS.maxFontSize,
        Math.max(ELEMENT_LIMITS.minFontSize, el.fontSize * Math.abs(sy)),
      )
      const width = el.width > 0 ? el.width * Math.abs(sx) : 0
      const size = textBoxSize(el.text, fontSize, el.fontFamily, width)
      return { x: change.x - size.width / 2, y: change.y - size.height / 2, rotation, fontSize, width }
    }
    default: {
      const width = Math.min(ELEMENT_LIMITS.maxSize, el.width * Math.abs(sx))
      const height = Math.min(ELEMENT_LIMITS.maxSize, el.height * Math.abs(sy))
      return { x: change.x - width / 2, y: change.y - height / 2, rotation, width, height }
    }
  }
}

/** A bend after its line's points were stretched by (sx, sy): its bend point stretched the same way. */
function stretchedBend(line: LineShape, sx: number, sy: number): number {
  const p = line.points
  const n = p.length
  const a = { x: p[0] as number, y: p[1] as number }
  const b = { x: p[n - 2] as number, y: p[n - 1] as number }
  const m = bendPoint(a, b, line.bend)
  const s = (q: { x: number; y: number }) => ({ x: q.x * sx, y: q.y * sy })
  return bendThrough(s(a), s(b), s(m))
}
