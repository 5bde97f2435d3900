import type { Board } from '../board'
import { compactPointsBox } from '../compactPoints'
import { isBoardColor } from '../elements/attrs'
import { ownKey } from '../elements/entry'
import { elementKey } from '../elements/inkRecord'
import { readStroke } from '../elements/read'
import { readStrokePoints } from '../elements/strokePoints'
import { elementRect } from '../elements/transform'
import { type BoardElement, ElementKind, type ImageAsset } from '../elements/types'
import { type Rect, rectsIntersect, unionRects } from '../geometry'
import { POINT_STRIDE } from '../points'
import { elementNode } from '../scene'
import { BOARD_PAPER, backgroundColor, exportedElement } from './color'
import { exportedFrame } from './frameArea'
import {
  ExportError,
  type ExportOptions,
  FORMATS,
  MAX_CANVAS_PIXELS,
  MAX_CANVAS_SIDE,
  normalizeExportOptions,
} from './options'
import type { PainterItems } from './raster'

/** One element as exported: the element with its colours as exported, and where its ink may fall. */
export interface ExportItem {
  /** The element; a lean stroke's `points` are empty until itemElement decodes them from `compact`. */
  element: BoardElement
  /** Board bounds of its ink, rotation and scale included (elementRect). */
  bounds: Rect
  /**
   * A lean stroke's points as the board stores them (its compact bytes, a few per point): a PNG layout keeps strokes
   * this way and decodes each where a band draws it, so that an export never holds every stroke's points at once.
   */
  compact?: Uint8Array
}

const NO_POINTS = new Float32Array(0)

/** An item's element with its points: a lean stroke's are decoded (each call decodes them again). */
export function itemElement(item: ExportItem): BoardElement {
  const { element, compact } = item
  if (!compact || element.kind !== ElementKind.Stroke) return element
  return { ...element, points: readStrokePoints(compact) ?? NO_POINTS }
}

/** Lean strokes' compact bytes are copied into blocks of this size. */
const ARENA_BYTES = 4 * 1024 * 1024

/**
 * A block the band workers of a parallel export share instead of copying (a SharedArrayBuffer crosses to a worker
 * as the same memory), where the platform has them: Node does; a page that is not cross-origin isolated does not,
 * and gets plain blocks (its export draws on its own thread).
 */
function sharedBlock(): SharedArrayBuffer | undefined {
  return typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(ARENA_BYTES) : undefined
}

/**
 * Copies byte strings into a few large blocks. The board's compact bytes are views into the buffer the board file was
 * read from (Yjs decodes them in place): a copy lets that buffer, and the board, go once the layout is made.
 */
class ByteArena {
  private block: Uint8Array = new Uint8Array(0)
  private used = 0

  copy(bytes: Uint8Array): Uint8Array {
    if (bytes.byteLength > ARENA_BYTES / 4) return bytes.slice()
    if (this.used + bytes.byteLength > this.block.byteLength) {
      const shared = sharedBlock()
      this.block = shared ? new Uint8Array(shared) : new Uint8Array(ARENA_BYTES)
      this.used = 0
    }
    const out = this.block.subarray(this.used, this.used + bytes.byteLength)
    out.set(bytes)
    this.used += bytes.byteLength
    return out
  }
}

/**
 * The item of an element: lean (a copy of its compact bytes, not its points) when asked and the board stores it
 * compact.
 */
function exportItem(
  element: BoardElement,
  bounds: Rect,
  arena: ByteArena | undefined,
  stored: Uint8Array | undefined,
): ExportItem {
  if (!arena || !stored || element.kind !== ElementKind.Stroke) return { element, bounds }
  return { element: { ...element, points: NO_POINTS }, bounds, compact: arena.copy(stored) }
}

/**
 * An element of the board as a lean layout reads it: a stroke whose points are compact is read with its points' box
 * (compactPointsBox: two points, the box's corners) instead of its decoded points, so its bounds are those of its
 * points without an array of them made only to be measured; anything else as readElement reads it. `stored`: the
 * compact bytes of such a stroke.
 */
function readLean(board: Board, id: string): { el: BoardElement | undefined; stored?: Uint8Array } {
  const map = board.elements.get(id)
  if (map && ownKey(map, 'kind') === ElementKind.Stroke) {
    const stored = elementKey(map, 'points')
    if (stored instanceof Uint8Array) {
      // Malformed points: readStroke would find none and leave the stroke out; so does this.
      const box = compactPointsBox(stored)
      return { el: box && readStroke(id, map, board.doc, box), stored }
    }
  }
  return { el: board.readElement(id) }
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
  /**
   * An image's bytes, by asset id (undefined while they have not arrived: drawn as a grey box). Read when the layout
   * is made: the layout holds no reference to the board, which can go before anything is drawn.
   */
  asset: (assetId: string) => ImageAsset | undefined
  /** Background fill #rrggbb, or undefined for transparent. */
  background: string | undefined
  /** Things the person should know about the result (a clamped size, a background the format forced). */
  notes: string[]
  /**
   * What a painter draws instead of `items`, where set: a band worker's items with its strokes packed into columns
   * (workerLayout.ts). `items` then holds only the items that are not packed.
   */
  table?: PainterItems
}

/** The board's `meta` key holding its background colour (the renderer's canvas options set it). */
const BACKGROUND_KEY = 'background'

/** The board's paper colour: its chosen background, or white. */
export function boardPaper(board: Board): string {
  const c = board.meta.get(BACKGROUND_KEY)
  return isBoardColor(c) ? c.toLowerCase() : BOARD_PAPER
}

/**
 * Where an element's ink may fall. Its elementRect; for a text, also the box Konva.Text draws, which is taller when
 * Konva breaks a word too long for the width into pieces (the elements' own line estimate keeps it whole), so that
 * no line of a text is cut off the export; for a frame, also its name above it.
 */
function inkBounds(el: BoardElement): Rect {
  const rect = elementRect(el)
  if (el.kind !== ElementKind.Text && el.kind !== ElementKind.Frame) return rect
  const node = elementNode(el)
  const drawn = node.getClientRect()
  node.destroy()
  return unionRects([
    rect,
    { minX: drawn.x, minY: drawn.y, maxX: drawn.x + drawn.width, maxY: drawn.y + drawn.height },
  ]) as Rect
}

/** Whether an element draws anything at all (a stroke without points, a text without letters do not). */
function drawsInk(el: BoardElement): boolean {
  if (el.kind === ElementKind.Stroke) return el.points.length >= POINT_STRIDE
  if (el.kind === ElementKind.Text) return el.text.trim() !== ''
  return true
}

/**
 * Works out what an export of a board holds and how big it is; throws ExportError for an export that cannot be.
 * With `lean`, finished strokes keep their compact bytes instead of their points (ExportItem.compact): read them
 * with itemElement (a PNG's bands do). The layout keeps nothing of the board (its doc, its file's buffer): a caller
 * that needs the board no more can let it go before drawing (the command line's export does).
 */
export function exportLayout(board: Board, input: Partial<ExportOptions>, lean = false): ExportLayout {
  const options = normalizeExportOptions(input)
  const info = FORMATS[options.format]
  const notes: string[] = []
  const frame = options.area === 'frame' ? exportedFrame(board, options.frame) : undefined
  const view = options.area === 'visible' ? viewRect(options) : frame?.rect
  const selected = options.area === 'selection' ? new Set(options.selection) : frame?.members

  const items: ExportItem[] = []
  const arena = lean ? new ByteArena() : undefined
  // One element read at a time: a lean layout never holds every stroke's decoded points together.
  for (const id of board.elementIds()) {
    if (selected && !selected.has(id)) continue
    const { el, stored } = arena ? readLean(board, id) : { el: board.readElement(id), stored: undefined }
    if (!el) continue
    if (!drawsInk(el)) continue
    const bounds = inkBounds(el)
    if (![bounds.minX, bounds.minY, bounds.maxX, bounds.maxY].every(Number.isFinite)) continue
    if (view && !rectsIntersect(bounds, view)) continue
    items.push(exportItem(exportedElement(el, options.dark), bounds, arena, stored))
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
  // Padding is in board units, scaled with the content: a 2× export is the 1× image at twice the resolution, and a
  // width keeps the aspect ratio.
  const padding = view ? 0 : options.padding
  const totalW = Math.max(content.maxX - content.minX, 1e-3) + 2 * padding
  const totalH = Math.max(content.maxY - content.minY, 1e-3) + 2 * padding

  let scale = options.targetWidth === undefined ? options.scale : options.targetWidth / totalW
  const sizeAt = (s: number) => ({
    width: Math.max(1, Math.ceil(totalW * s - 1e-6)),
    height: Math.max(1, Math.ceil(totalH * s - 1e-6)),
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
        maxSide / size.width,
        maxSide / size.height,
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

  const paper = boardPaper(board)
  let background = backgroundColor(options.background, options.dark, paper)
  if (background === undefined && !info.transparency) {
    background = backgroundColor('board', options.dark, paper)
    notes.push(`${info.label} has no transparency: exported on the board colour (${background}).`)
  }
  const minX = content.minX - padding
  const minY = content.minY - padding
  const rect = { minX, minY, maxX: minX + size.width / scale, maxY: minY + size.height / scale }
  const assets = new Map<string, ImageAsset | undefined>()
  for (const { element } of items)
    if (element.kind === ElementKind.Image && !assets.has(element.assetId)) {
      const a = board.asset(element.assetId)
      // A lean layout (a PNG's) copies the bytes: a view would keep the whole board file's buffer.
      assets.set(element.assetId, a && arena ? { ...a, bytes: a.bytes.slice() } : a)
    }
  const asset = (assetId: string) => assets.get(assetId)
  return { options, rect, scale, width: size.width, height: size.height, items, asset, background, notes }
}

/** The board area a viewport shows. */
function viewRect(options: ExportOptions): Rect {
  const v = options.viewport
  if (!v) throw new ExportError('Exporting the visible area needs the view.')
  return { minX: v.x, minY: v.y, maxX: v.x + v.width / v.zoom, maxY: v.y + v.height / v.zoom }
}

function round2(n: number): number {
  return Math.round(n * 100) / 100
}
