import type { Context } from 'konva/lib/Context'
import { Group } from 'konva/lib/Group'
import { Shape } from 'konva/lib/Shape'
import { Arrow } from 'konva/lib/shapes/Arrow'
import { Rect } from 'konva/lib/shapes/Rect'
import { Text } from 'konva/lib/shapes/Text'
import type { Board } from '../board'
import { linePath } from '../elements/curve'
import { FRAME_LOOK, frameLabel, frameLabelBox } from '../elements/frame'
import { shownLabel } from '../elements/label'
import { LINE_HEIGHT, NOTE_PADDING } from '../elements/text'
import { arrowHeadLength, localBox, nodeTransform } from '../elements/transform'
import {
  type BoardElement,
  type BoxShape,
  ElementKind,
  type FrameElement,
  type ImageAsset,
  type ImageElement,
  type LineShape,
  NO_FILL,
  type NoteElement,
  type Stroke,
  type TextElement,
} from '../elements/types'
import { drawnFontFamily } from '../fonts'
import { images } from './images'
import { applyLabel, labelGroup, labelledParts } from './labelNode'
import { strokeOutline } from './outline'
import { createStrokeShape, updateStrokeShape } from './strokeShape'

/** A board element on a Konva canvas: one node whose transform is the element's placement. */
export type ElementNode = Shape | Group

/** Name every element node carries, so a stage can find them (stage.find('.lanvas-element')). */
export const ELEMENT_NODE_NAME = 'lanvas-element'

/** How opaque highlighter ink is; it is also multiplied, so ink under it stays dark. */
export const HIGHLIGHTER_ALPHA = 0.4

/** Where an image node finds its bytes: the board it belongs to. */
export type AssetLookup = (assetId: string) => ImageAsset | undefined

/** Konva's value for a text that is as wide as its longest line. */
const AUTO = 'auto'
const KIND = Symbol('lanvas.kind')
const ASSETS = Symbol('lanvas.assets')
type Tagged = ElementNode & { [KIND]?: string; [ASSETS]?: AssetLookup; __element?: BoardElement }

/**
 * The node for an element of a board, or undefined when the id is no well-formed element. The one entry point the
 * screen and export share: the same node draws the same pixels everywhere. Nodes do not listen for events (tools
 * hit-test the board); a selection tool may turn `listening` on.
 */
export function createElementNode(board: Board, id: string): ElementNode | undefined {
  const el = board.readElement(id)
  return el ? elementNode(el, (assetId) => board.asset(assetId)) : undefined
}

/** A node for an element already read from a board; `assets` finds image bytes (images draw grey without it). */
export function elementNode(el: BoardElement, assets?: AssetLookup): ElementNode {
  let node: Tagged
  switch (el.kind) {
    case ElementKind.Stroke:
      node = createStrokeShape(el as Stroke, strokeOutline(el as Stroke))
      break
    case ElementKind.Rect:
      node = new Rect({ perfectDrawEnabled: false })
      break
    case ElementKind.Ellipse:
      node = new Shape({ perfectDrawEnabled: false, sceneFunc: drawEllipse })
      break
    case ElementKind.Line:
    case ElementKind.Arrow:
      node = new Arrow({ points: [], perfectDrawEnabled: false, lineCap: 'round', lineJoin: 'round' })
      break
    case ElementKind.Text:
      node = new Text({ lineHeight: LINE_HEIGHT, wrap: 'word', perfectDrawEnabled: false })
      break
    case ElementKind.Note:
      node = new Group()
      node.add(new Rect({ cornerRadius: 3, stroke: '#00000022', strokeWidth: 1, perfectDrawEnabled: false }))
      node.add(
        new Text({
          x: NOTE_PADDING,
          y: NOTE_PADDING,
          lineHeight: LINE_HEIGHT,
          wrap: 'word',
          perfectDrawEnabled: false,
        }),
      )
      break
    case ElementKind.Image:
      node = new Shape({ perfectDrawEnabled: false, sceneFunc: drawImage })
      break
    case ElementKind.Frame:
      node = new Group()
      node.add(
        new Rect({
          stroke: FRAME_LOOK.stroke,
          strokeWidth: FRAME_LOOK.strokeWidth,
          perfectDrawEnabled: false,
        }),
      )
      node.add(
        new Text({
          fontSize: FRAME_LOOK.labelFontSize,
          fontFamily: drawnFontFamily(FRAME_LOOK.labelFontFamily),
          fill: FRAME_LOOK.labelColor,
          lineHeight: LINE_HEIGHT,
          wrap: 'none',
          perfectDrawEnabled: false,
        }),
      )
      break
  }
  // A labelled shape is a group of its shape and its label (./labelNode.ts); its kind tag says so, so that adding
  // or removing the label makes a new node.
  if (shownLabel(el) !== undefined) node = labelGroup(node as Shape, 'points' in el)
  node[KIND] = nodeKind(el)
  node[ASSETS] = assets
  node.id(el.id)
  node.name(ELEMENT_NODE_NAME)
  node.listening(false)
  applyElement(node, el)
  return node
}

/**
 * Brings a node up to date with its element. Returns the node to show: the same one, or a new one when the element
 * changed kind (which a well-behaved board never does); the caller swaps it in and destroys the old one.
 */
export function updateElementNode(node: ElementNode, el: BoardElement, assets?: AssetLookup): ElementNode {
  const tagged = node as Tagged
  if (tagged[KIND] !== nodeKind(el)) return elementNode(el, assets ?? tagged[ASSETS])
  if (assets) tagged[ASSETS] = assets
  if (el.kind === ElementKind.Stroke) updateStrokeShape(node as Shape, el as Stroke)
  applyElement(tagged, el)
  return node
}

/** The element a node was last drawn from. */
export function nodeElement(node: ElementNode): BoardElement | undefined {
  return (node as Tagged).__element
}

/** What a node is drawn as: the element's kind, and whether its label is part of it. */
function nodeKind(el: BoardElement): string {
  return shownLabel(el) === undefined ? el.kind : `${el.kind}+label`
}

function dash(el: { dashed: boolean; strokeWidth: number }): number[] {
  return el.dashed ? [el.strokeWidth * 4, el.strokeWidth * 3] : []
}

/** The opacity an element is drawn with: its own, and highlighter ink fainter (HIGHLIGHTER_ALPHA). */
export function inkAlpha(el: BoardElement): number {
  const highlighter = el.kind === ElementKind.Stroke && el.highlighter === true
  return (el.opacity ?? 1) * (highlighter ? HIGHLIGHTER_ALPHA : 1)
}

function applyElement(node: Tagged, el: BoardElement): void {
  node.__element = el
  const box = localBox(el)
  node.setAttrs(nodeTransform(el, box))
  const highlighter = el.kind === ElementKind.Stroke && el.highlighter === true
  node.opacity(inkAlpha(el))
  node.globalCompositeOperation(highlighter ? 'multiply' : 'source-over')
  switch (el.kind) {
    case ElementKind.Rect:
    case ElementKind.Ellipse: {
      const s = el as BoxShape
      labelledParts(node).shape.setAttrs({
        width: s.width,
        height: s.height,
        stroke: s.strokeColor,
        strokeWidth: s.strokeWidth,
        fill: s.fillColor === NO_FILL ? undefined : s.fillColor,
        dash: dash(s),
        dashEnabled: s.dashed,
      })
      break
    }
    case ElementKind.Line:
    case ElementKind.Arrow: {
      const l = el as LineShape
      const head = arrowHeadLength(l.strokeWidth)
      const path = linePath(l)
      labelledParts(node).shape.setAttrs({
        points: path.points,
        bezier: path.bezier,
        stroke: l.strokeColor,
        fill: l.strokeColor,
        strokeWidth: l.strokeWidth,
        dash: dash(l),
        dashEnabled: l.dashed,
        pointerAtBeginning: l.startArrow,
        pointerAtEnding: l.endArrow,
        pointerLength: head,
        pointerWidth: head * 0.8,
      })
      break
    }
    case ElementKind.Text: {
      const t = el as TextElement
      node.setAttrs({
        text: t.text,
        fontSize: t.fontSize,
        fontFamily: drawnFontFamily(t.fontFamily),
        fill: t.color,
      })
      // Auto width: Konva measures the lines itself, so a measurement of ours a hair short never wraps them.
      ;(node as Text).width(t.width > 0 ? t.width : (AUTO as unknown as number))
      break
    }
    case ElementKind.Note: {
      const n = el as NoteElement
      const [bg, text] = (node as Group).getChildren() as [Rect, Text]
      bg.setAttrs({ width: n.width, height: n.height, fill: n.fillColor })
      text.setAttrs({
        text: n.text,
        fontSize: n.fontSize,
        fill: n.color,
        fontFamily: drawnFontFamily('sans-serif'),
        width: Math.max(1, n.width - 2 * NOTE_PADDING),
        height: Math.max(1, n.height - 2 * NOTE_PADDING),
      })
      node.setAttrs({ width: n.width, height: n.height })
      break
    }
    case ElementKind.Image: {
      const i = el as ImageElement
      node.setAttrs({ width: i.width, height: i.height })
      break
    }
    case ElementKind.Frame: {
      const f = el as FrameElement
      const [outline, label] = (node as Group).getChildren() as [Rect, Text]
      outline.setAttrs({ width: f.width, height: f.height })
      label.setAttrs({ text: frameLabel(f), y: frameLabelBox(f).y })
      node.setAttrs({ width: f.width, height: f.height })
      break
    }
  }
  const text = shownLabel(el)
  if (text !== undefined && node instanceof Group) applyLabel(node, el as BoxShape | LineShape, text)
}

function drawEllipse(ctx: Context, shape: Shape): void {
  const w = shape.width()
  const h = shape.height()
  ctx.beginPath()
  ctx.ellipse(w / 2, h / 2, Math.max(0, w / 2), Math.max(0, h / 2), 0, 0, Math.PI * 2)
  ctx.closePath()
  ctx.fillStrokeShape(shape)
}

function drawImage(ctx: Context, shape: Shape): void {
  const node = shape as Tagged
  const el = node.__element as ImageElement | undefined
  const w = shape.width()
  const h = shape.height()
  const source = el ? images.get(node[ASSETS]?.(el.assetId)) : undefined
  if (source) {
    ctx.drawImage(source as Parameters<typeof ctx.drawImage>[0], 0, 0, w, h)
    return
  }
  // Not decoded yet (or its bytes have not arrived): a grey box where it will be.
  ctx.beginPath()
  ctx.rect(0, 0, w, h)
  ctx.setAttr('fillStyle', '#e9ecef')
  ctx.fill()
  ctx.setAttr('strokeStyle', '#adb5bd')
  ctx.setAttr('lineWidth', 1)
  ctx.stroke()
}

/**
 * Decodes every image a board shows (or the given elements show), so that drawing them next paints pixels rather
 * than grey boxes: export awaits this before it paints.
 */
export async function loadBoardImages(board: Board, elements = board.readElements()): Promise<void> {
  const pending: Promise<unknown>[] = []
  for (const el of elements) {
    if (el.kind !== ElementKind.Image) continue
    const asset = board.asset(el.assetId)
    if (asset) pending.push(images.load(asset))
  }
  await Promise.all(pending)
}
