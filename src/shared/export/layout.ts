import type { Board } from '../board'
import { compactPointsBox } from '../compactPoints'
import { isBoardColor } from '../elements/attrs'
import { type ElementEntry, isFlatRecord, ownKey } from '../elements/entry'
import { elementKey } from '../elements/inkRecord'
import { shiftOf } from '../elements/moves'
import { readStroke } from '../elements/read'
import { readStrokePoints } from '../elements/strokePoints'
import { styleOf } from '../elements/styles'
import { elementRect } from '../elements/transform'
import { type BoardElement, ElementKind, type ImageAsset, type Stroke } from '../elements/types'
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
import { PackedItems, type PackedLayout, StrokePacker, valuesKey } from './packedStrokes'
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
 * Walks lean strokes' compact bytes for their boxes elsewhere (the command line: its band workers, before they draw):
 * the strokes at `offsets` (`lengths` bytes each) of an arena block, answered with compactPointsBox's six numbers a
 * stroke (its box as two points), NaN first for bytes that are no compact points. walkBoxes answers it.
 */
export type BoxWalker = (
  block: SharedArrayBuffer,
  offsets: Uint32Array,
  lengths: Uint32Array,
) => Promise<Float32Array>

/** compactPointsBox's six numbers a stroke. */
const BOX_FLOATS = 2 * POINT_STRIDE

/** The boxes a BoxWalker answers, walked on this thread with compactPointsBox (the same numbers). */
export function walkBoxes(block: ArrayBufferLike, offsets: Uint32Array, lengths: Uint32Array): Float32Array {
  const bytes = new Uint8Array(block)
  const out = new Float32Array(offsets.length * BOX_FLOATS)
  for (let i = 0; i < offsets.length; i++) {
    const at = offsets[i] as number
    const box = compactPointsBox(bytes.subarray(at, at + (lengths[i] as number)))
    if (box) out.set(box, i * BOX_FLOATS)
    else out[i * BOX_FLOATS] = Number.NaN
  }
  return out
}

/** Strokes of one arena block sent to a BoxWalker at a time: small enough that the last one does not keep this thread waiting long. */
const WALK_BATCH_BYTES = 512 * 1024

/**
 * Copies byte strings into a few large blocks. The board's compact bytes are views into the buffer the board file was
 * read from (Yjs decodes them in place): a copy lets that buffer, and the board, go once the layout is made. With a
 * BoxWalker, the copies' boxes are walked elsewhere batch by batch while this thread reads the board's other strokes.
 */
class ByteArena {
  private block: Uint8Array = new Uint8Array(0)
  private used = 0
  /** The copies walked elsewhere (walkLater), in the order they were copied: their boxes come in this order. */
  private walks: Uint8Array[] = []
  /** Where the copies of the batch not yet sent to the walker begin in `walks` (they are all in `block`). */
  private batchStart = 0
  private batchBytes = 0
  /** The boxes asked for so far, a batch each (walkBoxes' numbers for its copies), in order. */
  private readonly batches: Promise<Float32Array>[] = []
  private boxes: Float32Array[] = []
  /** The next walked copy (nextWalked), its box's batch and its place in it. */
  private taken = 0
  private batch = 0
  private inBatch = 0

  constructor(private readonly walker?: BoxWalker) {}

  /**
   * Whether boxes are walked elsewhere (walkLater): a walker is given and the blocks are shared, so that it reads the
   * copies where they lie.
   */
  get walking(): boolean {
    return this.walker !== undefined && typeof SharedArrayBuffer === 'function'
  }

  copy(bytes: Uint8Array): Uint8Array {
    if (bytes.byteLength > ARENA_BYTES / 4) return bytes.slice()
    if (this.used + bytes.byteLength > this.block.byteLength) {
      this.send()
      const shared = sharedBlock()
      this.block = shared ? new Uint8Array(shared) : new Uint8Array(ARENA_BYTES)
      this.used = 0
    }
    const out = this.block.subarray(this.used, this.used + bytes.byteLength)
    out.set(bytes)
    this.used += bytes.byteLength
    return out
  }

  /**
   * Has the box of `copy` walked elsewhere (`walking`; `copy` is what copy() has just returned for bytes that fit a
   * block, so it lies in the shared block being filled): its box is one of nextWalked's, in the order of these calls,
   * once walked() has resolved.
   */
  walkLater(copy: Uint8Array): void {
    this.walks.push(copy)
    this.batchBytes += copy.byteLength
    if (this.batchBytes >= WALK_BATCH_BYTES) this.send()
  }

  /** Sends the batch (the copies since batchStart, all in `block`) to the walker. */
  private send(): void {
    const { walker, walks, batchStart } = this
    if (!walker || walks.length === batchStart) return
    const n = walks.length - batchStart
    const offsets = new Uint32Array(n)
    const lengths = new Uint32Array(n)
    for (let i = 0; i < n; i++) {
      const copy = walks[batchStart + i] as Uint8Array
      offsets[i] = copy.byteOffset
      lengths[i] = copy.byteLength
    }
    this.batches.push(walker(this.block.buffer as SharedArrayBuffer, offsets, lengths))
    this.batchStart = walks.length
    this.batchBytes = 0
  }

  /** Resolves once every box asked for has been walked. */
  async walked(): Promise<void> {
    this.send()
    this.boxes = await Promise.all(this.batches)
  }

  /**
   * The next walked copy (in walkLater's order) and its box as compactPointsBox gives it, written into `box`; the box
   * is false for bytes that are no compact points.
   */
  nextWalked(box: Float32Array): { compact: Uint8Array; box: boolean } {
    const compact = this.walks[this.taken++] as Uint8Array
    let boxes = this.boxes[this.batch] as Float32Array
    if (this.inBatch * BOX_FLOATS >= boxes.length) {
      this.batch++
      this.inBatch = 0
      boxes = this.boxes[this.batch] as Float32Array
    }
    const at = this.inBatch++ * BOX_FLOATS
    if (Number.isNaN(boxes[at])) return { compact, box: false }
    for (let i = 0; i < BOX_FLOATS; i++) box[i] = boxes[at + i] as number
    return { compact, box: true }
  }

  /** Lets the copies' list and the walked boxes go. */
  done(): void {
    this.walks = []
    this.boxes = []
  }
}

/**
 * The strokes of a walked layout (exportLayoutWalked) whose boxes are walked elsewhere, in the order they were read:
 * each one's id and style (StrokePacker.styleOf: its element but for id and points), so that its element need not be
 * held while the boxes are walked; their columns are made once their boxes come back.
 */
class WalkedStrokes {
  readonly packer = new StrokePacker()
  readonly ids: string[] = []
  readonly styles: number[] = []
  /** For each style, a stroke of it, whose points are set to each walked box in turn to measure its bounds. */
  readonly measured: Stroke[] = []
  /**
   * What a flat record read as (its style, or null: no stroke), by the key of its values but its points (valuesKey):
   * a record that no style or move record names reads, but for its id and points, as every record of the same values
   * does (readStroke reads nothing else of it), so most strokes of a board are not read one by one (on the dense
   * 100,000-stroke board 4 keys: readStroke and the style's key were 0.6-0.9 s of the thread the workers wait for).
   */
  private readonly records = new Map<string, number | null>()

  constructor(private readonly board: Board) {}

  /**
   * Adds the stroke `id`, whose entry is `map` (its points a placeholder): its index, or undefined for one the packer
   * keeps out; null for an entry that is no well-formed stroke (left out of the export).
   */
  add(id: string, map: ElementEntry): number | null | undefined {
    const { doc } = this.board
    const key = isFlatRecord(map) && !styleOf(doc, id) && !shiftOf(doc, id) ? valuesKey(map) : undefined
    let style = key === undefined ? undefined : this.records.get(key)
    if (style === undefined) {
      const el = readStroke(id, map, doc, NO_POINTS)
      style = el ? this.packer.styleOf(el) : null
      if (style === undefined) return undefined
      if (el && style !== null) this.measured[style] ??= { ...el }
      if (key !== undefined) this.records.set(key, style)
    }
    if (style === null) return null
    this.ids.push(id)
    this.styles.push(style)
    return this.ids.length - 1
  }
}

/**
 * An element of the board as a lean layout reads it: a stroke whose points are compact is read with its points' box
 * (compactPointsBox: two points, the box's corners) instead of its decoded points, so its bounds are those of its
 * points without an array of them made only to be measured; anything else as readElement reads it. `stored`: the
 * compact bytes of such a stroke. With the arena's walker, such a stroke's box is walked elsewhere: it is read as a
 * stroke alone, its points a placeholder, kept in `walked` (its index there: `walkedAt`), and its box comes from the
 * arena (nextWalked) in its turn.
 */
function readLean(
  board: Board,
  id: string,
  arena: ByteArena,
  walked: WalkedStrokes | undefined,
): { el: BoardElement | undefined; stored?: Uint8Array; walkedAt?: number } {
  const map = board.elements.get(id)
  if (map && ownKey(map, 'kind') === ElementKind.Stroke) {
    const stored = elementKey(map, 'points')
    if (stored instanceof Uint8Array) {
      if (walked && arena.walking && stored.byteLength <= ARENA_BYTES / 4) {
        const walkedAt = walked.add(id, map)
        if (walkedAt === null) return { el: undefined }
        if (walkedAt !== undefined) {
          arena.walkLater(arena.copy(stored))
          return { el: undefined, walkedAt }
        }
      }
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
   * What a painter draws instead of `items`, where set: the items with the strokes packed into columns (a walked
   * layout's, a band worker's: packedStrokes.ts). `items` then holds only the items that are not packed.
   */
  table?: PainterItems
  /**
   * A walked layout's strokes packed into columns, in shared memory, and the order of all its items
   * (exportLayoutWalked): every band worker's share is given these columns (workerLayout). `table` reads them.
   */
  packed?: PackedLayout
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

/** What a layout has read of a board: its options, the area it covers, its elements read. */
interface Reading {
  options: ExportOptions
  /** The board area the output is cut to (the visible area, a frame), if any. */
  view: Rect | undefined
  /** Items, bottom to top (but the strokes whose boxes are walked). */
  items: ExportItem[]
  /** With walked strokes, what is at each place, bottom to top: ≥ 0 a walked stroke, < 0 the item `~place`. */
  order?: number[]
}

/**
 * Reads what an export of a board holds (see exportLayout), element by element, bottom to top; a stroke whose box
 * the arena's walker walks goes to `walked` instead of becoming an item (Reading.order says where it is).
 */
function readItems(
  board: Board,
  input: Partial<ExportOptions>,
  arena: ByteArena | undefined,
  walked?: WalkedStrokes,
): Reading {
  const options = normalizeExportOptions(input)
  const frame = options.area === 'frame' ? exportedFrame(board, options.frame) : undefined
  const view = options.area === 'visible' ? viewRect(options) : frame?.rect
  const selected = options.area === 'selection' ? new Set(options.selection) : frame?.members

  const items: ExportItem[] = []
  const order: number[] | undefined = walked ? [] : undefined
  // One element read at a time: a lean layout never holds every stroke's decoded points together.
  for (const id of board.elementIds()) {
    if (selected && !selected.has(id)) continue
    const lean = arena ? readLean(board, id, arena, walked) : { el: board.readElement(id), stored: undefined }
    if (lean.walkedAt !== undefined) {
      order?.push(lean.walkedAt)
      continue
    }
    const item = layoutItem(lean.el, options, view, arena, lean.stored)
    if (!item) continue
    order?.push(~items.length)
    items.push(item)
  }
  return { options, view, items, ...(order ? { order } : {}) }
}

/** Where an element's ink falls, or undefined when an export leaves it out (bounds not finite, or outside `view`). */
function keptBounds(el: BoardElement, view: Rect | undefined): Rect | undefined {
  const bounds = inkBounds(el)
  if (![bounds.minX, bounds.minY, bounds.maxX, bounds.maxY].every(Number.isFinite)) return undefined
  return view && !rectsIntersect(bounds, view) ? undefined : bounds
}

/**
 * The item of an element as read (undefined for one an export leaves out: malformed, without ink, outside the area):
 * lean (a copy of its compact bytes, not its points) when the layout is lean and the board stores it compact.
 */
function layoutItem(
  el: BoardElement | undefined,
  options: ExportOptions,
  view: Rect | undefined,
  arena: ByteArena | undefined,
  stored: Uint8Array | undefined,
): ExportItem | undefined {
  if (!el) return undefined
  if (!drawsInk(el)) return undefined
  const bounds = keptBounds(el, view)
  if (!bounds) return undefined
  const element = exportedElement(el, options.dark)
  if (!arena || !stored || element.kind !== ElementKind.Stroke) return { element, bounds }
  return { element: { ...element, points: NO_POINTS }, bounds, compact: arena.copy(stored) }
}

/**
 * Works out what an export of a board holds and how big it is; throws ExportError for an export that cannot be.
 * With `lean`, finished strokes keep their compact bytes instead of their points (ExportItem.compact): read them
 * with itemElement (a PNG's bands do). The layout keeps nothing of the board (its doc, its file's buffer): a caller
 * that needs the board no more can let it go before drawing (the command line's export does).
 */
export function exportLayout(board: Board, input: Partial<ExportOptions>, lean = false): ExportLayout {
  const reading = readItems(board, input, lean ? new ByteArena() : undefined)
  const { items } = reading
  return sizedLayout(board, reading, items, unionRects(items.map((i) => i.bounds)), lean)
}

/**
 * A lean exportLayout (a PNG's) whose strokes' boxes, the walk through every stroke's compact bytes, are walked by
 * `walker` (the command line's band workers, waiting for their shares) while this thread reads the rest of the board:
 * the same items, their slowest part off the thread the band workers wait for. Its strokes are packed into columns
 * in shared memory as their boxes come back (ExportLayout.packed: `items` holds only the other items, `table` reads
 * them all), once for all the band workers' shares (workerLayout gives each the same columns).
 */
export async function exportLayoutWalked(
  board: Board,
  input: Partial<ExportOptions>,
  walker: BoxWalker,
): Promise<ExportLayout> {
  const arena = new ByteArena(walker)
  const walked = new WalkedStrokes(board)
  const reading = readItems(board, input, arena, walked)
  await arena.walked()
  const { options, view, items, order = [] } = reading
  const { packer, ids, styles, measured } = walked
  // Each walked stroke's box is written into one array, which the stroke of its style measured for it holds as its
  // points while its bounds are measured (a stroke's bounds are its element's but for id and points, and its box).
  const box = new Float32Array(2 * POINT_STRIDE)
  const places = new Int32Array(order.length)
  let n = 0
  for (const place of order) {
    if (place < 0) {
      places[n++] = place
      continue
    }
    const next = arena.nextWalked(box)
    if (!next.box) continue
    const style = styles[place] as number
    const el = measured[style] as Stroke
    el.points = box
    // What layoutItem keeps of a stroke with its box for points (which draws ink: it has two points).
    const bounds = keptBounds(el, view)
    if (bounds) places[n++] = packer.push(style, ids[place] as string, next.compact, bounds)
  }
  arena.done()
  // Every stroke's style drawn as exportedElement makes it (its colours in a dark export).
  const strokes = packer.done(true, (t) => exportedElement(t as Stroke, options.dark) as Stroke)
  const packed = { strokes, places: places.slice(0, n) }
  const table = new PackedItems(items, strokes, packed.places)
  const all = function* () {
    for (let z = 0; z < table.count; z++) yield table.bounds(z)
  }
  return { ...sizedLayout(board, reading, items, unionRects(all()), true), packed, table }
}

/**
 * The layout of what readItems read, its items `items` and the union of every item's bounds `content`: its size,
 * background, notes and images.
 */
function sizedLayout(
  board: Board,
  reading: Reading,
  items: ExportItem[],
  content: Rect | undefined,
  lean: boolean,
): ExportLayout {
  const { options, view } = reading
  const info = FORMATS[options.format]
  const notes: string[] = []
  content = view ?? content
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
      assets.set(element.assetId, a && lean ? { ...a, bytes: a.bytes.slice() } : a)
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
