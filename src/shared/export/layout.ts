import type { Board, Stroke } from '../board'
import { type Rect, rectsIntersect, unionRects } from '../geometry'
import { strokeOutline } from '../scene'
import { backgroundColor, inkColor } from './color'
import {
  ExportError,
  type ExportOptions,
  FORMATS,
  MAX_CANVAS_PIXELS,
  MAX_CANVAS_SIDE,
  normalizeExportOptions,
} from './options'

/** One stroke as exported: its colour as exported and the outline the scene code fills. */
export interface ExportItem {
  stroke: Stroke
  outline: Float32Array
  /** Bounds of the outline: exactly where ink may fall. */
  bounds: Rect
}

/** What an export draws, where, and at which size: everything but the drawing itself. */
export interface ExportLayout {
  options: ExportOptions
  /** The board area the output covers, padding included (board units). */
  rect: Rect
  /** Output px per board unit. */
  scale: number
  /** Output size in px. */
  width: number
  height: number
  /** Elements, bottom to top. */
  items: ExportItem[]
  /** Background fill #rrggbb, or undefined for transparent. */
  background: string | undefined
  /** Things the person should know about the result (a clamped size, a background the format forced). */
  notes: string[]
}

/** Works out what an export of a board holds and how big it is; throws ExportError for an export that cannot be. */
export function exportLayout(board: Board, input: Partial<ExportOptions>): ExportLayout {
  const options = normalizeExportOptions(input)
  const info = FORMATS[options.format]
  const notes: string[] = []
  const view = options.area === 'visible' ? viewRect(options) : undefined
  const selected = options.area === 'selection' ? new Set(options.selection) : undefined

  const items: ExportItem[] = []
  for (const stroke of board.strokes()) {
    if (selected && !selected.has(stroke.id)) continue
    const outline = strokeOutline(stroke)
    if (outline.length < 4) continue
    const bounds = outlineBounds(outline)
    if (view && !rectsIntersect(bounds, view)) continue
    items.push({ stroke: { ...stroke, color: inkColor(stroke.color, options.dark) }, outline, bounds })
  }

  let content: Rect | undefined
  if (view) content = view
  else content = unionRects(items.map((i) => i.bounds))
  if (!content) {
    throw new ExportError(
      options.area === 'selection'
        ? 'The selection holds nothing that can be exported.'
        : 'The board is empty: there is nothing to export.',
    )
  }
  const padding = view ? 0 : options.padding
  const contentW = Math.max(content.maxX - content.minX, 1e-3)
  const contentH = Math.max(content.maxY - content.minY, 1e-3)

  let scale = options.scale
  if (options.targetWidth !== undefined) {
    scale = (options.targetWidth - 2 * padding) / contentW
    if (!(scale > 0))
      throw new ExportError(
        `A width of ${options.targetWidth} px leaves no room inside ${padding} px of padding.`,
      )
  }
  const sizeAt = (s: number) => ({
    width: Math.max(1, Math.ceil(contentW * s + 2 * padding - 1e-6)),
    height: Math.max(1, Math.ceil(contentH * s + 2 * padding - 1e-6)),
  })
  let size = sizeAt(scale)
  // Formats whose encoder takes one canvas stop at a canvas' limits; PNG streams tiles, up to its own cap.
  const maxSide = info.maxSide
  const maxPixels = info.vector || options.format === 'png' ? Number.POSITIVE_INFINITY : MAX_CANVAS_PIXELS
  const fits = (s: { width: number; height: number }) =>
    s.width <= maxSide && s.height <= maxSide && s.width * s.height <= maxPixels
  if (!fits(size)) {
    const wanted = size
    for (let i = 0; i < 8 && !fits(size); i++) {
      const shrink = Math.min(
        (maxSide - 2 * padding) / (size.width - 2 * padding),
        (maxSide - 2 * padding) / (size.height - 2 * padding),
        Math.sqrt(maxPixels / (size.width * size.height)),
      )
      scale *= Math.min(shrink, 0.999)
      size = sizeAt(scale)
    }
    if (!fits(size) || !(scale > 0))
      throw new ExportError(`This export is too large for ${info.label}, even scaled down; try PNG.`)
    const limit =
      maxPixels === Number.POSITIVE_INFINITY
        ? `${maxSide.toLocaleString('en-US')} px a side`
        : `${Math.min(maxSide, MAX_CANVAS_SIDE).toLocaleString('en-US')} px a side and ${Math.round(maxPixels / 1e6)} megapixels`
    notes.push(
      `${info.label} holds at most ${limit}: exported at ${size.width} × ${size.height} px (${round2(scale)}×) instead of ${wanted.width} × ${wanted.height}${options.format === 'png' ? '' : '; PNG exports larger images'}.`,
    )
  }

  let background = backgroundColor(options.background, options.dark)
  if (background === undefined && !info.transparency) {
    background = backgroundColor('board', options.dark)
    notes.push(`${info.label} has no transparency: exported on the board colour (${background}).`)
  }
  const pad = padding / scale
  const minX = content.minX - pad
  const minY = content.minY - pad
  const rect = { minX, minY, maxX: minX + size.width / scale, maxY: minY + size.height / scale }
  return { options, rect, scale, width: size.width, height: size.height, items, background, notes }
}

/** The board area a viewport shows. */
function viewRect(options: ExportOptions): Rect {
  const v = options.viewport
  if (!v) throw new ExportError('Exporting the visible area needs the view.')
  return { minX: v.x, minY: v.y, maxX: v.x + v.width / v.zoom, maxY: v.y + v.height / v.zoom }
}

/** Bounds of a flat [x, y, ...] polygon. */
export function outlineBounds(outline: Float32Array): Rect {
  let minX = Number.POSITIVE_INFINITY
  let minY = Number.POSITIVE_INFINITY
  let maxX = Number.NEGATIVE_INFINITY
  let maxY = Number.NEGATIVE_INFINITY
  for (let i = 0; i + 1 < outline.length; i += 2) {
    const x = outline[i] as number
    const y = outline[i + 1] as number
    if (x < minX) minX = x
    if (x > maxX) maxX = x
    if (y < minY) minY = y
    if (y > maxY) maxY = y
  }
  return { minX, minY, maxX, maxY }
}

function round2(n: number): number {
  return Math.round(n * 100) / 100
}
