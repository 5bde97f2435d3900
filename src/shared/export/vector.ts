import { Group } from 'konva/lib/Group'
import type { Shape } from 'konva/lib/Shape'
import type { Arrow } from 'konva/lib/shapes/Arrow'
import type { Text } from 'konva/lib/shapes/Text'
import { linePolyline } from '../elements/curve'
import { polylineOutside } from '../elements/label'
import { type BoardElement, ElementKind, type ImageAsset } from '../elements/types'
import { type ElementNode, elementNode, strokeShapeOutline } from '../scene'
import { labelledParts } from '../scene/labelNode'
import { type Blend, itemBlend } from './blend'
import type { ExportItem, ExportLayout } from './layout'

// SVG and PDF keep vectors: each element becomes a few primitives in its own frame (the frame its scene node
// draws in) under the node's own transform. The primitives are read off the scene node itself — its transform, a
// stroke's outline, Konva.Text's wrapped lines — so the vector files place, wrap and shape ink as the screen does.

/** An affine transform [a, b, c, d, e, f]: x' = a·x + c·y + e, y' = b·x + d·y + f (canvas, SVG and PDF order). */
export type Matrix = [number, number, number, number, number, number]

/** How a primitive is painted: a fill, an outline, or both. */
export interface Paint {
  /** #rrggbb, or undefined for no fill. */
  fill?: string
  /** #rrggbb, or undefined for no outline. */
  stroke?: string
  /** 0..1, the outline's own alpha (a note's faint border). */
  strokeOpacity?: number
  strokeWidth: number
  /** Dash and gap lengths; empty for a solid outline. */
  dash: number[]
  lineCap: 'butt' | 'round'
  lineJoin: 'miter' | 'round'
}

/** One line of a laid-out text: where its alphabetic baseline starts, and its width as the screen measured it. */
export interface TextLine {
  text: string
  x: number
  /** The alphabetic baseline. */
  y: number
  width: number
}

/** A drawing primitive in an element's own frame. */
export type VectorPart =
  /** A stroke's ink: its pen outline polygon, filled with the non-zero rule. */
  | { type: 'outline'; points: Float32Array; fill: string }
  /** An open polyline [x0, y0, x1, y1, ...]; with `bezier`, cubic Béziers [x0, y0, c1x, c1y, c2x, c2y, x1, y1, ...]. */
  | { type: 'polyline'; points: number[]; paint: Paint; bezier?: boolean }
  /** A closed polygon [x0, y0, ...] (an arrowhead). */
  | { type: 'polygon'; points: number[]; paint: Paint }
  | { type: 'rect'; width: number; height: number; radius: number; paint: Paint }
  | { type: 'ellipse'; cx: number; cy: number; rx: number; ry: number; paint: Paint }
  | { type: 'text'; lines: TextLine[]; fontSize: number; fontFamily: string; color: string }
  /** An image stretched over 0, 0, width, height; without its asset (not arrived) a grey box is drawn instead. */
  | { type: 'image'; width: number; height: number; asset: ImageAsset }

/** An element as vector primitives under a transform. */
export interface VectorElement {
  id: string
  kind: BoardElement['kind']
  matrix: Matrix
  /** 0..1: the element's opacity (a highlighter's translucency included). */
  opacity: number
  blend: Blend
  parts: VectorPart[]
}

/** What a missing image shows: the scene's grey box. */
const MISSING_IMAGE: Paint = {
  fill: '#e9ecef',
  stroke: '#adb5bd',
  strokeWidth: 1,
  dash: [],
  lineCap: 'butt',
  lineJoin: 'miter',
}

/** An exported element as vector primitives, read from its scene node (the node is made and destroyed here). */
export function vectorElement(item: ExportItem, layout: ExportLayout): VectorElement {
  const node = elementNode(item.element, layout.asset)
  try {
    return {
      id: item.element.id,
      kind: item.element.kind,
      matrix: node.getTransform().getMatrix().slice() as Matrix,
      opacity: Math.min(1, Math.max(0, node.opacity())),
      blend: itemBlend(item, layout.options.dark),
      parts: withLabel(partsOf(item.element, node, layout), node),
    }
  } finally {
    node.destroy()
  }
}

function shapePaint(node: Shape, join: Paint['lineJoin'] = 'miter', cap: Paint['lineCap'] = 'butt'): Paint {
  const fill = node.fill()
  const stroke = node.stroke()
  return {
    fill: typeof fill === 'string' && fill ? fill : undefined,
    stroke: typeof stroke === 'string' && stroke ? stroke : undefined,
    strokeWidth: node.strokeWidth(),
    dash: node.dashEnabled() ? (node.dash() ?? []) : [],
    lineCap: cap,
    lineJoin: join,
  }
}

function partsOf(el: BoardElement, node: ElementNode, layout: ExportLayout): VectorPart[] {
  switch (el.kind) {
    case ElementKind.Stroke: {
      const points = strokeShapeOutline(node as Shape) ?? new Float32Array(0)
      return points.length >= 4 ? [{ type: 'outline', points, fill: el.color }] : []
    }
    case ElementKind.Rect:
      return [
        {
          type: 'rect',
          width: el.width,
          height: el.height,
          radius: 0,
          paint: shapePaint(labelledParts(node).shape),
        },
      ]
    case ElementKind.Ellipse:
      return [
        {
          type: 'ellipse',
          cx: el.width / 2,
          cy: el.height / 2,
          rx: el.width / 2,
          ry: el.height / 2,
          paint: shapePaint(labelledParts(node).shape),
        },
      ]
    case ElementKind.Line:
    case ElementKind.Arrow: {
      // The scene's Konva.Arrow: the shaft stroked (dashed if asked), each head a triangle filled and stroked solid.
      const arrow = labelledParts(node).shape as Arrow
      const shaft = shapePaint(arrow, 'round', 'round')
      // A curved arrow's node draws a cubic; a head points along its last control leg (as Konva's does).
      const points = arrow.points()
      const paint = { ...shaft, fill: undefined }
      // A label's gap cuts the shaft into pieces (as the scene clips it); a curve is cut as the polyline it is
      // sampled into.
      const { gap } = labelledParts(node)
      const parts: VectorPart[] = gap
        ? polylineOutside(arrow.bezier() ? linePolyline(el) : points, gap).map((piece) => ({
            type: 'polyline',
            points: piece,
            paint,
          }))
        : [{ type: 'polyline', points, paint, ...(arrow.bezier() ? { bezier: true } : {}) }]
      const head = { length: arrow.pointerLength(), width: arrow.pointerWidth() }
      const headPaint: Paint = { ...shaft, dash: [] }
      if (el.endArrow)
        parts.push({ type: 'polygon', points: arrowHead(points, false, head), paint: headPaint })
      if (el.startArrow)
        parts.push({ type: 'polygon', points: arrowHead(points, true, head), paint: headPaint })
      return parts
    }
    case ElementKind.Text:
      return [textPart(node as Text)]
    case ElementKind.Note: {
      const [bg, text] = (node as Group).getChildren() as [Shape, Text]
      return [
        {
          type: 'rect',
          width: el.width,
          height: el.height,
          radius: Number(bg.getAttr('cornerRadius')) || 0,
          // The scene's border is #00000022: black at 0x22 alpha.
          paint: { ...shapePaint(bg), fill: el.fillColor, stroke: '#000000', strokeOpacity: 0x22 / 255 },
        },
        textPart(text),
      ]
    }
    case ElementKind.Frame: {
      const [outline, label] = (node as Group).getChildren() as [Shape, Text]
      return [
        { type: 'rect', width: el.width, height: el.height, radius: 0, paint: shapePaint(outline) },
        textPart(label),
      ]
    }
    case ElementKind.Image: {
      const asset = layout.asset(el.assetId)
      if (asset) return [{ type: 'image', width: el.width, height: el.height, asset }]
      return [{ type: 'rect', width: el.width, height: el.height, radius: 0, paint: MISSING_IMAGE }]
    }
  }
}

/** A labelled shape's parts, its label's text last (drawn over the shape, as the scene's group draws it). */
function withLabel(parts: VectorPart[], node: ElementNode): VectorPart[] {
  const { label } = labelledParts(node)
  return label ? [...parts, textPart(label)] : parts
}

/**
 * The lines Konva.Text draws — its own wrapping (textArr), measured with the same canvas font — with the baseline
 * Konva puts them on (alphabetic, centred in the line height from the font's ascent and descent).
 */
function textPart(node: Text): VectorPart {
  const fontSize = node.fontSize()
  const lineHeight = node.lineHeight() * fontSize
  const m = node.measureSize('M') as { fontBoundingBoxAscent?: number; fontBoundingBoxDescent?: number }
  const ascent = m.fontBoundingBoxAscent ?? fontSize * 0.8
  const descent = m.fontBoundingBoxDescent ?? fontSize * 0.2
  const padding = node.padding()
  // A note's text node sits NOTE_PADDING in; a text's node is the element itself.
  const ox = node.parent instanceof Group ? node.x() : 0
  const oy = node.parent instanceof Group ? node.y() : 0
  const top = oy + padding + (ascent - descent) / 2 + lineHeight / 2
  // A centred text (a shape's label) puts each line in the middle of its width, as Konva.Text does.
  const inner = node.width() - padding * 2
  const indent = (width: number) => (node.align() === 'center' ? (inner - width) / 2 : 0)
  const lines: TextLine[] = node.textArr.map((line, i) => ({
    text: line.text,
    x: ox + padding + indent(line.width),
    y: top + i * lineHeight,
    width: line.width,
  }))
  const fill = node.fill()
  return {
    type: 'text',
    lines,
    fontSize,
    fontFamily: node.fontFamily(),
    color: typeof fill === 'string' ? fill : '#000000',
  }
}

/** The triangle Konva.Arrow draws at one end: tip at the end point, its base `length` back along the last segment. */
function arrowHead(points: number[], atStart: boolean, head: { length: number; width: number }): number[] {
  const n = points.length
  const ex = (atStart ? points[0] : points[n - 2]) as number
  const ey = (atStart ? points[1] : points[n - 1]) as number
  let dx = 0
  let dy = 0
  // Repeated end points give no direction: walk toward the other end until a distinct point (as Konva does).
  for (let i = atStart ? 0 : n - 2; !dx && !dy && i >= 0 && i < n; i += atStart ? 2 : -2) {
    dx = ex - (points[i] as number)
    dy = ey - (points[i + 1] as number)
  }
  const a = Math.atan2(dy, dx)
  const cos = Math.cos(a)
  const sin = Math.sin(a)
  const half = head.width / 2
  const at = (x: number, y: number) => [ex + x * cos - y * sin, ey + x * sin + y * cos]
  return [ex, ey, ...at(-head.length, half), ...at(-head.length, -half)]
}
