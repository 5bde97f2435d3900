import '../../src/main/host/export/nodeCanvas'
import { Canvas, loadImage } from '@napi-rs/canvas'
import { Layer } from 'konva/lib/Layer'
import { Stage } from 'konva/lib/Stage'
import { Rect } from 'konva/lib/shapes/Rect'
import { Board } from '../../src/shared/board'
import type { ExportLayout } from '../../src/shared/export'
import { createStrokeShape } from '../../src/shared/scene'

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
