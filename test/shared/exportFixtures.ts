import '../../src/main/host/export/nodeCanvas'
import { Canvas, loadImage } from '@napi-rs/canvas'
import { Layer } from 'konva/lib/Layer'
import { Stage } from 'konva/lib/Stage'
import { Rect } from 'konva/lib/shapes/Rect'
import { Board } from '../../src/shared/board'
import type { ExportLayout } from '../../src/shared/export'
import { createElementNode, createStrokeShape, loadBoardImages } from '../../src/shared/scene'

/** A stroke of the known board: where its ink is (centre-line points) and how it looks. */
export interface KnownStroke {
  color: string
  width: number
  points: number[][]
}

/** Four strokes in different colours and widths, well apart, drawn with pen pressure and with a mouse (0.5). */
export const KNOWN_STROKES: KnownStroke[] = [
  { color: '#1e1e1e', width: 4, points: line(0, 0, 200, 0, 40, 0.5) },
  { color: '#e03131', width: 12, points: line(0, 80, 200, 160, 40, 0.7) },
  { color: '#1971c2', width: 8, points: wave(20, 240, 60) },
  { color: '#2f9e44', width: 20, points: line(260, 0, 260, 240, 30, 0.5) },
]

function line(x0: number, y0: number, x1: number, y1: number, n: number, pressure: number): number[][] {
  return Array.from({ length: n }, (_, i) => [
    x0 + ((x1 - x0) * i) / (n - 1),
    y0 + ((y1 - y0) * i) / (n - 1),
    pressure,
  ])
}

function wave(x0: number, y0: number, n: number): number[][] {
  return Array.from({ length: n }, (_, i) => [x0 + i * 3, y0 + Math.sin(i / 6) * 20, 0.3 + (i % 10) / 20])
}

/** A board holding the known strokes, drawn the way the pen tool draws: begin, append in chunks, finish. */
export function knownBoard(strokes: KnownStroke[] = KNOWN_STROKES): Board {
  const board = new Board(undefined, 'test')
  for (const s of strokes) {
    const flat = s.points.flat()
    const id = board.beginStroke({ color: s.color, width: s.width }, flat.slice(0, 6))
    for (let at = 6; at < flat.length; at += 15) board.appendPoints(id, flat.slice(at, at + 15))
    board.finishStroke(id)
  }
  return board
}

/**
 * The reference: the board drawn the way the screen draws it, a Konva stage and layer of stroke shapes under the
 * export's transform, on a background. Returns RGBA pixels.
 */
export function referencePixels(
  board: Board,
  layout: ExportLayout,
  colorOf = (c: string) => c,
): Uint8ClampedArray {
  const stage = new Stage({ width: layout.width, height: layout.height } as never)
  const layer = new Layer()
  stage.add(layer)
  layer.getCanvas().setPixelRatio(1)
  stage.scale({ x: layout.scale, y: layout.scale })
  stage.position({ x: -layout.rect.minX * layout.scale, y: -layout.rect.minY * layout.scale })
  if (layout.background) {
    const { minX, minY, maxX, maxY } = layout.rect
    layer.add(
      new Rect({ x: minX, y: minY, width: maxX - minX, height: maxY - minY, fill: layout.background }),
    )
  }
  for (const s of board.strokes()) layer.add(createStrokeShape({ ...s, color: colorOf(s.color) }))
  layer.draw()
  const ctx = layer.getCanvas().getContext()._context
  const data = ctx.getImageData(0, 0, layout.width, layout.height).data
  stage.destroy()
  return data
}

/** The image of the all-kinds board: 64 × 32 px, its left half red and its right half blue. */
export function twoColourImage(format: 'png' | 'jpeg' | 'webp' = 'png'): Uint8Array {
  const canvas = new Canvas(64, 32)
  const ctx = canvas.getContext('2d')
  ctx.fillStyle = IMAGE_LEFT
  ctx.fillRect(0, 0, 32, 32)
  ctx.fillStyle = IMAGE_RIGHT
  ctx.fillRect(32, 0, 32, 32)
  return new Uint8Array(canvas.encodeSync(format as 'png'))
}
export const IMAGE_LEFT = '#e03131'
export const IMAGE_RIGHT = '#1971c2'

/** Where each element of the all-kinds board is, by kind (board units), for checks of what lands where. */
export const ALL_KINDS = {
  /**
   * A pen line (40..200, 60) moved by (20, 10) and turned 90° about its centre (140, 70): it runs down x = 140
   * from y = -10 to 150; moved but not turned it would cross (80, 70).
   */
  stroke: { color: '#1971c2', x: 140, yFrom: -10, yTo: 150, unturned: { x: 80, y: 70 } },
  /** Highlighter across the rectangle at y = 70, from x = 180 to 380. */
  highlighter: { color: '#ffd43b', y: 70, xFrom: 180, xTo: 380 },
  rect: { x: 200, y: 20, width: 160, height: 100, fill: '#a5d8ff', stroke: '#e03131', strokeWidth: 4 },
  /** An ellipse in the box 400, 20, 160 × 100, turned 20°. */
  ellipse: { x: 400, y: 20, width: 160, height: 100, rotation: 20, stroke: '#2f9e44', strokeWidth: 4 },
  line: { x: 20, y: 260, points: [0, 0, 200, 0, 200, 60], stroke: '#1e1e1e', strokeWidth: 3 },
  /** A dashed arrow with heads at both ends. */
  arrow: { x: 260, y: 260, points: [0, 0, 200, 60], stroke: '#9c36b5', strokeWidth: 4 },
  text: { x: 20, y: 380, text: 'Hello Lanvas', fontSize: 32, color: '#e03131' },
  note: {
    x: 300,
    y: 360,
    width: 180,
    height: 140,
    text: 'Buy milk, then remember that long notes wrap inside',
    fill: '#ffec99',
  },
  /** The two-colour image at 600, 300, shown at 128 × 64. */
  image: { x: 600, y: 300, width: 128, height: 64 },
  /** A frame around the text (its only member), its name above it; it lies within the other elements' bounds. */
  frame: { x: 20, y: 372, width: 240, height: 56, name: 'Greeting' },
} as const

/** A board with one element of every kind (and a highlighter), as people make them with the tools. */
export function allKindsBoard(imageFormat: 'png' | 'jpeg' | 'webp' = 'png'): Board {
  const k = ALL_KINDS
  const board = new Board(undefined, 'test')
  const stroke = board.beginStroke({ color: k.stroke.color, width: 8 }, line(40, 60, 200, 60, 20, 0.5).flat())
  board.finishStroke(stroke)
  // Moved and turned as the select tool does it: the points stay, x/y/rotation place them.
  board.updateElement(stroke, { x: 20, y: 10, rotation: 90 })
  board.addShape('rect', {
    x: k.rect.x,
    y: k.rect.y,
    width: k.rect.width,
    height: k.rect.height,
    fillColor: k.rect.fill,
    strokeColor: k.rect.stroke,
    strokeWidth: k.rect.strokeWidth,
    dashed: true,
  })
  const h = k.highlighter
  const highlighter = board.beginStroke(
    { color: h.color, width: 24, highlighter: true },
    line(h.xFrom, h.y, h.xTo, h.y, 20, 0.5).flat(),
  )
  board.finishStroke(highlighter)
  board.addShape('ellipse', {
    x: k.ellipse.x,
    y: k.ellipse.y,
    width: k.ellipse.width,
    height: k.ellipse.height,
    rotation: k.ellipse.rotation,
    strokeColor: k.ellipse.stroke,
    strokeWidth: k.ellipse.strokeWidth,
  })
  board.addShape('line', {
    x: k.line.x,
    y: k.line.y,
    points: [...k.line.points],
    strokeColor: k.line.stroke,
    strokeWidth: k.line.strokeWidth,
  })
  board.addShape('arrow', {
    x: k.arrow.x,
    y: k.arrow.y,
    points: [...k.arrow.points],
    strokeColor: k.arrow.stroke,
    strokeWidth: k.arrow.strokeWidth,
    startArrow: true,
    endArrow: true,
    dashed: true,
  })
  board.addText({
    x: k.text.x,
    y: k.text.y,
    text: k.text.text,
    fontSize: k.text.fontSize,
    color: k.text.color,
  })
  board.addNote({ x: k.note.x, y: k.note.y, width: k.note.width, height: k.note.height, text: k.note.text })
  const image = board.addImage(twoColourImage(imageFormat), `image/${imageFormat}`, 64, 32, { x: 0, y: 0 })
  board.updateElement(image, { ...k.image })
  board.addFrame({ ...k.frame })
  return board
}

/**
 * The reference for any board: every element's own scene node (createElementNode, as the screen makes them) on a
 * Konva stage under the export's transform, images decoded first. Returns RGBA pixels.
 */
export async function sceneReference(board: Board, layout: ExportLayout): Promise<Uint8ClampedArray> {
  await loadBoardImages(board)
  const stage = new Stage({ width: layout.width, height: layout.height } as never)
  const layer = new Layer()
  stage.add(layer)
  layer.getCanvas().setPixelRatio(1)
  stage.scale({ x: layout.scale, y: layout.scale })
  stage.position({ x: -layout.rect.minX * layout.scale, y: -layout.rect.minY * layout.scale })
  if (layout.background) {
    const { minX, minY, maxX, maxY } = layout.rect
    layer.add(
      new Rect({ x: minX, y: minY, width: maxX - minX, height: maxY - minY, fill: layout.background }),
    )
  }
  for (const id of board.elementIds()) {
    const node = createElementNode(board, id)
    if (node) layer.add(node)
  }
  layer.draw()
  const ctx = layer.getCanvas().getContext()._context
  const data = ctx.getImageData(0, 0, layout.width, layout.height).data
  stage.destroy()
  return data
}

/** Decodes an image file (PNG, JPEG, WebP) into RGBA pixels. */
export async function decodeImage(
  bytes: Uint8Array,
): Promise<{ width: number; height: number; data: Uint8ClampedArray }> {
  const image = await loadImage(Buffer.from(bytes))
  const canvas = new Canvas(image.width, image.height)
  const ctx = canvas.getContext('2d')
  ctx.drawImage(image, 0, 0)
  return {
    width: image.width,
    height: image.height,
    data: ctx.getImageData(0, 0, image.width, image.height).data as unknown as Uint8ClampedArray,
  }
}

/** How two RGBA images differ: the share of pixels with any channel off by more than `tolerance`, and the largest difference. */
export function compareImages(a: ArrayLike<number>, b: ArrayLike<number>, tolerance: number) {
  let off = 0
  let max = 0
  for (let i = 0; i < a.length; i += 4) {
    let d = 0
    for (let c = 0; c < 4; c++) d = Math.max(d, Math.abs((a[i + c] as number) - (b[i + c] as number)))
    if (d > tolerance) off++
    max = Math.max(max, d)
  }
  return { offShare: off / (a.length / 4), max }
}

/** The output pixel of a board point in an export. */
export function pixelOf(layout: ExportLayout, x: number, y: number): { px: number; py: number } {
  return {
    px: Math.floor((x - layout.rect.minX) * layout.scale),
    py: Math.floor((y - layout.rect.minY) * layout.scale),
  }
}
