/**
 * Draws a board's overview (src/shared/sync/overview.ts): the whole board in one PNG of at most MAX_OVERVIEW_SIDE
 * pixels on its long side, on @napi-rs/canvas, with the scene's and the export's drawing code. At that scale most
 * ink is a pixel or less wide: it is drawn as the screen draws it zoomed out (src/renderer/src/canvas/boardScene.ts),
 * its centre line or a dot, and only wide ink as its outline; other elements are the export's nodes. The work is
 * cut into slices of a few milliseconds (as ./strokeStarts.ts builds its index): the host relays between them.
 * @napi-rs/canvas records what is drawn on a canvas (its PageRecorder) and rasterizes it when the canvas is first read
 * (getImageData, drawImage of it, encode), in one piece: a slice that drew on a canvas reads one pixel of it before it
 * ends (settleCanvas), so that its rasterizing is part of that slice, not of a later step that would hold the host's
 * event loop for all of it at once.
 * Loaded on the first overview only, so that a host that never makes one never loads the canvas library for it.
 */
import '../export/nodeCanvas'
import { Canvas, Image, Path2D } from '@napi-rs/canvas'
import type { Context } from 'konva/lib/Context'
import { Group } from 'konva/lib/Group'
import { Transform } from 'konva/lib/Util'
import * as Y from 'yjs'
import { elementRect, readElement } from '../../../shared/board'
import { isFlatRecord } from '../../../shared/elements/entry'
import { MOVES_ROOT } from '../../../shared/elements/moves'
import { drawnInPlace, nodeTransform } from '../../../shared/elements/transform'
import { type BoardElement, ElementKind, type Stroke } from '../../../shared/elements/types'
import { konvaTransform } from '../../../shared/export/inkDraw'
import { exportCanvas } from '../../../shared/export/raster'
import { grownRect, type Rect, unionRects } from '../../../shared/geometry'
import {
  centreLineWidth,
  elementNode,
  inkAlpha,
  strokeOutline,
  strokePath,
  traceCentreLine,
} from '../../../shared/scene'
import { MAX_OVERVIEW_BYTES, MAX_OVERVIEW_SIDE, type OverviewImage } from '../../../shared/sync/overview'
import { type Affine, InkRaster } from './inkRaster'
import type { PictureWorker } from './overviewPictures'
import { nextSlice } from './pageOpening'
import { fitPicture, settleCanvas } from './pictureFit'
import { SLICE_MS, startOfRecord } from './strokeStarts'

/** Ink narrower than this many pixels is drawn as its centre line (the screen's CENTRE_LINE_PX). */
const CENTRE_LINE_PX = 2
/** Points nearer than this many pixels to the last one drawn are left out of a centre line (the screen's). */
const CENTRE_LINE_TOLERANCE_PX = 0.5
/** A stroke smaller than this many pixels both ways is drawn as a dot (the screen's DOT_PX). */
const DOT_PX = 2
/** Elements drawn between two looks at the clock. */
const CHECK_EVERY = 4
/**
 * The most pixels one drawing's centre lines may step over: ink that would cover the largest picture eight times
 * over (about 34 million; a 100,000-stroke board of ordinary ink takes a few million). A board of strokes that run
 * across it point after point would otherwise cost the host minutes of CPU for one picture: it gets none, and its
 * joiners get the board as they did before overviews.
 */
export const MAX_OVERVIEW_STEPS = 8 * MAX_OVERVIEW_SIDE * MAX_OVERVIEW_SIDE

/** A drawing given up because its ink is more than an overview may cost (MAX_OVERVIEW_STEPS). */
export class OverviewTooCostly extends Error {}

/** What a drawing reports besides its image: how long it took and how often it let the host's other work in. */
export interface OverviewDrawing {
  image: OverviewImage
  width: number
  height: number
  slices: number
  /** The longest one slice held the host's event loop, ms. */
  longestSliceMs: number
  /** All its slices together, ms: the drawing's own time on the event loop. */
  busyMs: number
  /** What its slices rasterized (SliceCount.raster). */
  raster: RasterCount
  /** The z-order entries it walked (SliceCount.walked). */
  walked: WalkCount
  /** What its picture step copied of the canvas at a time (SliceCount.picture). */
  picture: PictureCount
  /** The canvas it was drawn on, kept so that elements added on top later are drawn onto it alone. */
  kept: OverviewCanvas
  /** How many elements were drawn onto the kept canvas (undefined: the whole board was drawn). */
  added?: number
  /**
   * A redraw of the regions changes touched (redrawChanged): how many elements were drawn again there, and how many
   * had changed (undefined: the whole board was drawn, or only strokes added on top).
   */
  redrawn?: { drawn: number; changed: number }
}

/**
 * Where an element drawn on a canvas lies on the board, what its centre line cost (MAX_OVERVIEW_STEPS), and whether it
 * was drawn on the canvas itself (wide ink, other elements) rather than into the raster of thin ink: what a redraw of
 * a region (redrawChanged) needs to find what lies there without reading the board's elements.
 */
export interface Mark extends Rect {
  steps: number
  wide: boolean
}

/**
 * A drawing's canvas and what it shows: the z-order as it was read (the ids under everything drawn since), the
 * placement of the board on it, and the extent of what was drawn. appendToOverview draws onto it what was appended to
 * the z-order since, when nothing else changed.
 */
export interface OverviewCanvas {
  canvas: ReturnType<typeof exportCanvas>
  box: Rect
  s: number
  width: number
  height: number
  extent: Rect
  /** The z-order as read, raw (ids, and anything a malformed board has there). */
  order: unknown[]
  /** The same entries as a set. */
  listed: Set<unknown>
  /** Pixels the centre lines stepped over, every drawing onto this canvas counted (MAX_OVERVIEW_STEPS). */
  steps: number
  /** How many times the last picture was halved to fit a frame: the next starts there (ink added only grows it). */
  halvings?: number
  /**
   * While its pixels are read for the copy kept for the next start (canvasToKeep, a piece a slice): nothing is drawn
   * onto it until that read is done (appendToOverview waits for it).
   */
  reading?: Promise<void>
  /**
   * Each element drawn on it, by id (undefined for a canvas kept from before the host started: it is drawn whole
   * once anything under its strokes changes).
   */
  marks?: Map<string, Mark>
}

/**
 * A drawing's slices: how many, the longest (ms), all of them together (ms: the drawing's own time on the event
 * loop), and how long pages opening held it back (./pageOpening.ts).
 */
interface SliceCount {
  slices: number
  longest: number
  busyMs: number
  heldMs: number
  /**
   * Rasterizes what the slice drew (a Painter's settle) before the slice ends; true when it read its canvas. Set
   * while elements are painted.
   */
  settle?: () => boolean
  /** Whether drawing is left on the canvas not rasterized (counted in raster.leftAtSliceEnd when a slice ends so). */
  unsettled?: () => boolean
  /** How long the last settle took (ms): the next slice draws for that much less, so that a slice stays a slice. */
  settleMs: number
  raster: RasterCount
  /** The z-order entries its pieces walked (inSteps). */
  walked: WalkCount
  /** What its picture step copied of the canvas at a time. */
  picture: PictureCount
}

/**
 * What a drawing's picture step copied of its canvas at a time: in how many pieces, and the most pixels one piece held
 * (one step of the host's thread: the whole crop when the host makes the picture itself, at most PIECE_PIXELS when its
 * picture worker does), and whether the worker made it.
 */
export interface PictureCount {
  pieces: number
  mostPixels: number
  worker: boolean
}

/**
 * The most pixels of a drawing's canvas the host's thread reads in one piece for its picture worker (getImageData of
 * whole rows: 64 rows of the largest canvas, 512 KB, ~0.1–1 ms); as many pieces as fit go in a slice of SLICE_MS.
 */
export const PIECE_PIXELS = 128 * 1024

/**
 * The z-order entries a drawing walked (read, made a set of, compared with the last drawing's): in all, and the most
 * one piece walked between two looks at the clock (WALK_EVERY, unless a read had to be done in one piece).
 */
export interface WalkCount {
  total: number
  most: number
}

/**
 * What a drawing's slices rasterized: how many times a slice read its canvas to rasterize what it drew (the PageRecorder
 * plays back only what was recorded since the last read), and how many slices ended with drawing on a canvas not
 * rasterized yet (left for a later step to rasterize in one piece: none).
 */
export interface RasterCount {
  reads: number
  leftAtSliceEnd: number
}

/**
 * A drawing's slices, none yet. Every drawing (whole, strokes added, regions drawn again) is held back while a page
 * opens (the page's preview first; a joiner's parts wait for a quick drawing, ./boardRoom.ts).
 */
const sliceCount = (): SliceCount => ({
  slices: 0,
  longest: 0,
  busyMs: 0,
  heldMs: 0,
  settleMs: 0,
  raster: { reads: 0, leftAtSliceEnd: 0 },
  walked: { total: 0, most: 0 },
  picture: { pieces: 0, mostPixels: 0, worker: false },
})

/** Ends a slice begun at `start`: rasterizes what it drew (count.settle), then counts it. */
function endSlice(count: SliceCount, start: number): void {
  if (count.settle) {
    const at = performance.now()
    if (count.settle()) {
      count.settleMs = performance.now() - at
      count.raster.reads++
    }
  }
  if (count.unsettled?.()) count.raster.leftAtSliceEnd++
  count.slices++
  const took = performance.now() - start
  count.longest = Math.max(count.longest, took)
  count.busyMs += took
}

/**
 * Runs `each(i)` for i in [0, n), a slice of SLICE_MS at a time (the rasterizing of what it drew included); false when
 * `cancelled` stopped it.
 */
async function inSlices(
  n: number,
  each: (i: number) => void,
  cancelled: () => boolean,
  count: SliceCount,
): Promise<boolean> {
  let i = 0
  while (i < n) {
    if (cancelled()) return false
    const start = performance.now()
    // What the last slice took to rasterize is taken from this one's drawing time (a quarter of a slice at least).
    const until = start + Math.max(SLICE_MS / 4, SLICE_MS - count.settleMs)
    for (; i < n && (i % CHECK_EVERY !== 0 || performance.now() < until || i === 0); i++) each(i)
    endSlice(count, start)
    // The host's other work between slices, and while a page is opening, the page (./pageOpening.ts).
    if (i < n) await nextSlice(count)
  }
  return !cancelled()
}

/**
 * Runs `work` as a slice of its own (a step that cannot be cut: a copy or a scaling of a whole canvas, each with its
 * rasterizing), then lets the host's other work in.
 */
async function inStep(count: SliceCount, work: () => void): Promise<void> {
  const start = performance.now()
  work()
  endSlice(count, start)
  await nextSlice(count)
}

/** The z-order's ids, each once, at its lowest place (as the board reads it). */
function orderIds(order: unknown[]): string[] {
  return orderIdsOf(order, new Set(order))
}

/**
 * orderIds, given the z-order's entries as a set: the z-order itself when it is all ids, each once (as on every board
 * the app writes), without a copy.
 */
function orderIdsOf(order: unknown[], listed: ReadonlySet<unknown>): string[] {
  if (listed.size === order.length && order.every((id) => typeof id === 'string')) return order as string[]
  return [...listed].filter((id): id is string => typeof id === 'string')
}

/**
 * Entries of the z-order a walk over it (a read, a set made, a comparison) takes between two looks at the clock. A
 * 100,000-entry z-order is 10–60 ms of such walks (read, made a set of, compared with the last one): the start of a
 * drawing goes in slices as its drawing does, so that no piece of it holds the relay for all of it.
 */
export const WALK_EVERY = 512
/** How many times a read of the z-order starts again after an edit of it (readOrder), before it reads in one piece. */
const READ_TRIES = 3

/**
 * Work done in pieces, run by inSteps: each piece yields how many entries of the z-order it walked (at most
 * WALK_EVERY), and the last returns those it walked after the last yield.
 */
type Steps = Generator<number, number | undefined>

/**
 * Runs `steps` a slice of SLICE_MS at a time (a look at the clock after each piece), the host's other work between
 * slices, counting the z-order entries walked (SliceCount.walked); false when `cancelled` stopped it (the steps are
 * then ended, their `finally` run).
 */
async function inSteps(steps: Steps, cancelled: () => boolean, count: SliceCount): Promise<boolean> {
  try {
    for (;;) {
      if (cancelled()) return false
      const start = performance.now()
      const until = start + SLICE_MS
      let piece: IteratorResult<number, number | undefined>
      do {
        piece = steps.next()
        const walked = piece.value ?? 0
        count.walked.total += walked
        if (walked > count.walked.most) count.walked.most = walked
      } while (!piece.done && performance.now() < until)
      endSlice(count, start)
      if (piece.done) return !cancelled()
      await nextSlice(count)
    }
  } finally {
    steps.return(undefined)
  }
}

/**
 * Reads the board's z-order into `into.order` in pieces (inSteps): its items walked in place, as ./sinceSnapshot.ts
 * walks them. An edit of the z-order between two pieces makes the read start again (what was read may no longer be one
 * moment's z-order); after READ_TRIES starts it is read in one piece.
 */
function* readOrder(doc: Y.Doc, into: { order: unknown[] }): Steps {
  const type = doc.getArray<unknown>('order')
  let edited = false
  const onEdit = (transaction: Y.Transaction) => {
    if (transaction.changed.has(type as never)) edited = true
  }
  doc.on('afterTransaction', onEdit)
  try {
    for (let tries = 0; tries < READ_TRIES; tries++) {
      edited = false
      const order: unknown[] = []
      let walked = 0
      for (let item = type._start; item !== null && !edited; item = item.right) {
        if (item.deleted || !item.countable) continue
        // An item may hold many entries (a board's z-order written in one go is one item): cut within it too.
        const content = item.content.getContent()
        for (let i = 0; i < content.length && !edited; i++) {
          order.push(content[i])
          if (++walked === WALK_EVERY) {
            yield walked
            walked = 0
          }
        }
      }
      if (!edited) {
        into.order = order
        return walked
      }
    }
  } finally {
    doc.off('afterTransaction', onEdit)
  }
  into.order = type.toArray()
  return into.order.length
}

/**
 * Makes `into.listed` the z-order's entries as a set and `into.ids` its ids (orderIdsOf), in pieces (inSteps).
 */
function* listOrder(order: unknown[], into: { listed: Set<unknown>; ids: string[] }): Steps {
  const listed = new Set<unknown>()
  let allIds = true
  let walked = 0
  for (let i = 0; i < order.length; i++) {
    const entry = order[i]
    listed.add(entry)
    if (typeof entry !== 'string') allIds = false
    if (++walked === WALK_EVERY) {
      yield walked
      walked = 0
    }
  }
  into.listed = listed
  if (allIds && listed.size === order.length) {
    into.ids = order as string[]
    return walked
  }
  // A malformed board's z-order (entries twice, or not ids): its ids filtered in one piece.
  into.ids = [...listed].filter((id): id is string => typeof id === 'string')
  return walked + listed.size
}

/**
 * The overview of `doc` as it is now, or undefined for a board with nothing on it (or when `cancelled` said so
 * between two slices). The elements are read from the document at each slice: an edit meanwhile may or may not be
 * in the picture, and the caller (./overview.ts) counts the picture as stale then.
 */
export async function drawOverview(
  doc: Y.Doc,
  cancelled: () => boolean,
  pictures?: PictureWorker,
): Promise<OverviewDrawing | undefined> {
  const count = sliceCount()
  const read = { order: [] as unknown[], listed: new Set<unknown>(), ids: [] as string[] }
  if (!(await inSteps(readOrder(doc, read), cancelled, count))) return undefined
  if (!(await inSteps(listOrder(read.order, read), cancelled, count))) return undefined
  const { order, ids, listed } = read
  // The extent is first guessed from where strokes start (read from their headers: a fraction of decoding them) and
  // grown by a margin; drawing measures each element it reads, and draws again in the rare case one reached past.
  const guess = await guessExtent(doc, ids, cancelled, count)
  if (!guess) return undefined
  const margin = Math.max(64, 0.05 * Math.max(guess.maxX - guess.minX, guess.maxY - guess.minY))
  let drawing = await drawWithin(doc, ids, grownRect(guess, margin), cancelled, count)
  if (drawing && !inside(drawing.extent, drawing.box))
    drawing = await drawWithin(doc, ids, drawing.extent, cancelled, count)
  if (!drawing) return undefined
  return finished({ ...drawing, order, listed }, count, pictures)
}

/**
 * A drawing's result: the picture of its canvas (made by `pictures` when it can), the canvas (kept for the next
 * drawing) and what its slices took.
 */
async function finished(
  kept: OverviewCanvas,
  count: SliceCount,
  pictures: PictureWorker | undefined,
): Promise<OverviewDrawing | undefined> {
  const out = pictures?.usable ? await pictureInWorker(kept, count, pictures) : await picture(kept, count)
  return (
    out && {
      ...out,
      kept,
      slices: count.slices,
      longestSliceMs: count.longest,
      busyMs: count.busyMs,
      raster: count.raster,
      walked: count.walked,
      picture: count.picture,
    }
  )
}

/**
 * Brings `kept` (the canvas of the last drawing) up to date: `touched` are the ids of the elements edits changed since
 * (added, replaced, changed or deleted). When elements were only appended to the z-order, those are drawn onto it
 * alone; when something under them changed (a delete, a move, a restyle, a z-order changed), the regions the changes
 * touched are drawn again (redrawChanged). Returns 'whole' when the board must be drawn whole instead (see
 * redrawChanged; or a new element reaches past the drawing's box). Undefined when `cancelled` stopped it; `kept` is then
 * half drawn, and must not be drawn onto again.
 */
export async function appendToOverview(
  doc: Y.Doc,
  kept: OverviewCanvas,
  touched: ReadonlySet<string>,
  cancelled: () => boolean,
  pictures?: PictureWorker,
): Promise<OverviewDrawing | 'whole' | undefined> {
  // The copy of its pixels kept for the next start is read first (canvasToKeep): drawn onto meanwhile, it would be
  // of no one drawing.
  await kept.reading
  const count = sliceCount()
  const read = { order: [] as unknown[] }
  if (!(await inSteps(readOrder(doc, read), cancelled, count))) return undefined
  const { order } = read
  const under = { found: false }
  if (!(await inSteps(changedUnder(order, kept, touched, under), cancelled, count))) return undefined
  if (under.found) return redrawChanged(doc, kept, order, touched, cancelled, count, pictures)
  const ids = orderIds(order.slice(kept.order.length)).filter((id) => !kept.listed.has(id))
  const painter = new Painter(doc, kept, false, kept.marks)
  const drawn = await paintAll(painter, ids, cancelled, count)
  if (!drawn) return undefined
  kept.steps = painter.steps
  if (painter.extent) {
    if (!inside(painter.extent, kept.box)) return 'whole'
    kept.extent = union(kept.extent, painter.extent)
  }
  for (let i = kept.order.length; i < order.length; i++) kept.listed.add(order[i])
  kept.order = order
  const done = await finished(kept, count, pictures)
  return done && { ...done, added: ids.length }
}

/**
 * Sets `into.found` when something under the elements appended to the z-order since `kept` was drawn changed: the
 * z-order no longer starts with kept's, or an element kept shows was touched. Yields every WALK_EVERY entries (run by
 * inSteps).
 */
function* changedUnder(
  order: unknown[],
  kept: OverviewCanvas,
  touched: ReadonlySet<string>,
  into: { found: boolean },
): Steps {
  for (const id of touched)
    if (kept.listed.has(id)) {
      into.found = true
      return 0
    }
  if (order.length < kept.order.length) {
    into.found = true
    return 0
  }
  let walked = 0
  for (let i = 0; i < kept.order.length; i++) {
    if (order[i] !== kept.order[i]) {
      into.found = true
      return walked
    }
    if (++walked === WALK_EVERY) {
      yield walked
      walked = 0
    }
  }
  return walked
}

/** A region redraw's cells: squares of this many pixels of the canvas, each drawn again whole or not at all. */
const REGION_CELL_PX = 16
/**
 * Pixels an element's ink may reach past its bounds on the canvas: a centre line's pixel is the floor of its point, a
 * filled outline's antialiased edge reaches a pixel out. An element whose bounds grown by this touch a region is drawn
 * again there.
 */
const REGION_MARGIN_PX = 2
/**
 * A redraw of regions draws again at most this share of the board's elements: past it a whole drawing is about as
 * cheap (it reads every element once more, but gives way to an edit, and places the board afresh).
 */
const REGION_MOST_SHARE = 1 / 4
/** ... and up to this many on any board (a small board's whole drawing is as cheap). */
const REGION_FEWEST = 32

/**
 * Adds to `changed` the elements whose place in the z-order changed since `kept` was drawn: the elements that kept
 * their places relative to each other are drawn where they were; any other (gone, new, or passed over by the walk
 * below: moved up or down) is a change. `ids`: the z-order's ids now. Yields every WALK_EVERY entries walked (run by
 * inSteps).
 */
function* orderChanges(ids: string[], kept: OverviewCanvas, changed: Set<string>): Steps {
  let walked = 0
  // kept's ids (orderIdsOf): its z-order itself when it is all ids, each once (as when it was read).
  let allIds = kept.listed.size === kept.order.length
  for (let i = 0; allIds && i < kept.order.length; i++) {
    if (typeof kept.order[i] !== 'string') allIds = false
    if (++walked === WALK_EVERY) {
      yield walked
      walked = 0
    }
  }
  const before = allIds ? (kept.order as string[]) : orderIdsOf(kept.order, kept.listed)
  let at = 0
  const next = () => {
    changed.add(before[at++] as string)
    return ++walked === WALK_EVERY
  }
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as string
    if (!kept.listed.has(id) || changed.has(id)) changed.add(id)
    else {
      while (at < before.length && before[at] !== id)
        if (next()) {
          yield walked
          walked = 0
        }
      at++
    }
    if (++walked === WALK_EVERY) {
      yield walked
      walked = 0
    }
  }
  while (at < before.length)
    if (next()) {
      yield walked
      walked = 0
    }
  return walked
}

/**
 * Draws again, on `kept`, the regions the changes since it was drawn touched: each changed element's old bounds (its
 * mark) and new ones, and those of elements whose place in the z-order changed, grown by REGION_MARGIN_PX, in cells
 * of REGION_CELL_PX. The cells are cleared, then every element whose mark reaches into them is drawn again, in the
 * z-order, clipped to them, the thin ink laid down where a whole drawing lays it (before each element drawn on the
 * canvas itself, in the regions or not): the cells get the pixels a whole drawing on the same box gives. Returns
 * 'whole' when the board is better drawn whole: the canvas has no marks (kept from before the host started), a changed
 * element now reaches past its box, what is left fills under half of it (a fresh drawing places it larger), the
 * regions hold more than REGION_MOST_SHARE of the elements, or the board has nothing left.
 */
async function redrawChanged(
  doc: Y.Doc,
  kept: OverviewCanvas,
  order: unknown[],
  touched: ReadonlySet<string>,
  cancelled: () => boolean,
  count: SliceCount,
  pictures: PictureWorker | undefined,
): Promise<OverviewDrawing | 'whole' | undefined> {
  const marks = kept.marks
  if (!marks) return 'whole'
  // The walks below go over the whole z-order (100,000 ids on the largest boards), in slices: no allocation per
  // element there.
  const now = { listed: new Set<unknown>(), ids: [] as string[] }
  if (!(await inSteps(listOrder(order, now), cancelled, count))) return undefined
  const { listed, ids } = now
  const changed = new Set<string>(touched)
  if (!(await inSteps(orderChanges(ids, kept, changed), cancelled, count))) return undefined
  const { box, s, width, height } = kept
  const cols = Math.ceil(width / REGION_CELL_PX)
  const rows = Math.ceil(height / REGION_CELL_PX)
  const cells = new Uint8Array(cols * rows)
  /** The cells `r` reaches (grown by the margin), clamped to the canvas: set by cellsOf (no allocation per element). */
  let c0 = 0
  let r0 = 0
  let c1 = 0
  let r1 = 0
  /** Sets c0, r0, c1, r1 to the cells `r` reaches; false when it is off the canvas. */
  const cellsOf = (r: Rect): boolean => {
    c0 = Math.floor(((r.minX - box.minX) * s - REGION_MARGIN_PX) / REGION_CELL_PX)
    r0 = Math.floor(((r.minY - box.minY) * s - REGION_MARGIN_PX) / REGION_CELL_PX)
    c1 = Math.floor(((r.maxX - box.minX) * s + REGION_MARGIN_PX) / REGION_CELL_PX)
    r1 = Math.floor(((r.maxY - box.minY) * s + REGION_MARGIN_PX) / REGION_CELL_PX)
    if (!(c1 >= 0 && r1 >= 0 && c0 < cols && r0 < rows)) return false
    if (c0 < 0) c0 = 0
    if (r0 < 0) r0 = 0
    if (c1 > cols - 1) c1 = cols - 1
    if (r1 > rows - 1) r1 = rows - 1
    return true
  }
  // Which rows and columns hold a marked cell: most elements lie in none, and are passed by without a look at cells.
  const rowsMarked = new Uint8Array(rows)
  const colsMarked = new Uint8Array(cols)
  const mark = (r: Rect) => {
    if (!cellsOf(r)) return
    for (let y = r0; y <= r1; y++) cells.fill(1, y * cols + c0, y * cols + c1 + 1)
    rowsMarked.fill(1, r0, r1 + 1)
    colsMarked.fill(1, c0, c1 + 1)
  }
  const reaches = (r: Rect) => {
    if (!cellsOf(r)) return false
    let any = false
    for (let y = r0; y <= r1 && !any; y++) any = rowsMarked[y] === 1
    if (!any) return false
    any = false
    for (let x = c0; x <= c1 && !any; x++) any = colsMarked[x] === 1
    if (!any) return false
    for (let y = r0; y <= r1; y++)
      for (let i = y * cols + c0; i <= y * cols + c1; i++) if (cells[i]) return true
    return false
  }
  // The changed elements as they are now (read: a few, or the share below, one at a time), their old places and new
  // ones marked; one that now reaches past the box has the board drawn whole.
  const elements = doc.getMap<unknown>('elements')
  const fresh = new Map<string, Rect>()
  const past = { box: false }
  const readChanged = function* (): Steps {
    for (const id of changed) {
      yield 0
      const old = marks.get(id)
      if (old) mark(old)
      if (!listed.has(id)) continue
      const el = readElement(id, elements.get(id) as never, doc)
      if (!el) continue
      const r = elementRect(el)
      if (![r.minX, r.minY, r.maxX, r.maxY].every(Number.isFinite)) continue
      if (!inside(r, box)) {
        past.box = true
        return 0
      }
      fresh.set(id, r)
      mark(r)
    }
    return 0
  }
  if (!(await inSteps(readChanged(), cancelled, count))) return undefined
  if (past.box) return 'whole'
  // What is drawn again, in the z-order (null: the thin ink laid down, where a whole drawing lays it), and the extent.
  const redraw: (string | null)[] = []
  let drawn = 0
  // The extent: the union of what is drawn, bounds not all finite left out (as union() does), kept as numbers.
  let minX = Number.POSITIVE_INFINITY
  let minY = Number.POSITIVE_INFINITY
  let maxX = Number.NEGATIVE_INFINITY
  let maxY = Number.NEGATIVE_INFINITY
  const walked = await inSlices(
    ids.length,
    (i) => {
      const id = ids[i] as string
      const r = changed.has(id) ? fresh.get(id) : marks.get(id)
      if (!r) return
      if (
        Number.isFinite(r.minX) &&
        Number.isFinite(r.minY) &&
        Number.isFinite(r.maxX) &&
        Number.isFinite(r.maxY)
      ) {
        if (r.minX < minX) minX = r.minX
        if (r.minY < minY) minY = r.minY
        if (r.maxX > maxX) maxX = r.maxX
        if (r.maxY > maxY) maxY = r.maxY
      }
      if (reaches(r)) {
        redraw.push(id)
        drawn++
      } else if ((r as Partial<Mark>).wide && redraw.length > 0 && redraw.at(-1) !== null) redraw.push(null)
    },
    cancelled,
    count,
  )
  if (!walked) return undefined
  const extent = minX <= maxX ? { minX, minY, maxX, maxY } : undefined
  if (!extent || drawn > Math.max(REGION_FEWEST, ids.length * REGION_MOST_SHARE)) return 'whole'
  const long = (r: Rect) => Math.max(r.maxX - r.minX, r.maxY - r.minY)
  if (long(extent) < long(box) / 2) return 'whole'
  // The centre lines' cost: the canvas's less what is drawn again or gone, plus what the redraw traces.
  let steps = kept.steps
  for (const id of new Set([...changed, ...(redraw.filter((id) => id !== null) as string[])]))
    steps -= marks.get(id)?.steps ?? 0
  for (const id of changed) marks.delete(id)
  // Drawn on a blank canvas of the same size, then the cells copied onto the kept one (cleared first): the pixels a
  // whole drawing gives (a clip path instead would change how Skia covers the edges of the ink drawn through it).
  const scratch = exportCanvas(width, height)
  const painter = new Painter(doc, { ...kept, canvas: scratch, steps: Math.max(0, steps) }, true, marks)
  if (!(await paintAll(painter, redraw, cancelled, count))) return undefined
  const raw = kept.canvas.getContext()._context
  const from = scratch._canvas as unknown as Canvas
  // The cells copied and rasterized in a step of their own (the scratch canvas was rasterized by its slices).
  await inStep(count, () => {
    raw.setTransform(1, 0, 0, 1, 0, 0)
    raw.globalAlpha = 1
    for (let y = 0; y < rows; y++)
      for (let x = 0; x < cols; x++) {
        if (!cells[y * cols + x]) continue
        let end = x
        while (end + 1 < cols && cells[y * cols + end + 1]) end++
        const px = x * REGION_CELL_PX
        const py = y * REGION_CELL_PX
        const w = Math.min(width, (end + 1) * REGION_CELL_PX) - px
        const h = Math.min(height, py + REGION_CELL_PX) - py
        raw.clearRect(px, py, w, h)
        raw.drawImage(from as never, px, py, w, h, px, py, w, h)
        x = end
      }
    settleCanvas(kept.canvas._canvas as unknown as Canvas)
  })
  kept.steps = painter.steps
  kept.extent = extent
  kept.order = order
  kept.listed = listed
  const done = await finished(kept, count, pictures)
  return done && { ...done, redrawn: { drawn, changed: changed.size } }
}

/** Structs of the board's store walked between two looks at the clock (boardSnapshot). */
const STRUCTS_EVERY = 4096

/**
 * A board's Yjs snapshot as boardSnapshot took it: the state vector, and each client's deleted ranges as numbers
 * (clock, length, clock, length, ...), not as Yjs's one object per range (100,000 of them on a 100,000-stroke board,
 * after every drawing, for the host's heap to collect): made a Y.Snapshot (`take`) only when the drawing is kept.
 */
export interface BoardSnapshot {
  sv: Map<number, number>
  ranges: Map<number, number[]>
}

/**
 * The board's Yjs snapshot, as Y.snapshot takes it (the state vector, and the deleted ranges from one walk over the
 * structs, consecutive deleted structs one range), taken in slices: a 100,000-stroke board has ~400,000 structs and
 * 100,000 deleted ranges (each stroke's live points, deleted at pen-up), 10–20 ms in one piece. Undefined when the
 * board changed between two slices (it would not be one moment's board), or when `cancelled` said so.
 */
export async function boardSnapshot(
  doc: Y.Doc,
  cancelled: () => boolean,
): Promise<BoardSnapshot | undefined> {
  const sv = new Map<number, number>()
  for (const client of doc.store.clients.keys()) sv.set(client, Y.getState(doc.store, client))
  const ranges = new Map<number, number[]>()
  let edited = false
  // A transaction that added or deleted something (as Yjs's 'update' tells): one that changed nothing (a peer's sync
  // with nothing new) leaves the snapshot as it is.
  const onEdit = (transaction: Y.Transaction) => {
    if (transaction.deleteSet.clients.size > 0) edited = true
    for (const [client, clock] of transaction.afterState)
      if (transaction.beforeState.get(client) !== clock) edited = true
  }
  const walk = function* (): Steps {
    let walked = 0
    for (const [client, structs] of doc.store.clients) {
      const own: number[] = []
      for (let i = 0; i < structs.length; i++) {
        const struct = structs[i] as Y.Item | Y.GC
        if (struct.deleted) {
          const at = own.length
          // The struct before was deleted (structs follow each other clock to clock): one range.
          if (at > 0 && (own[at - 2] as number) + (own[at - 1] as number) === struct.id.clock)
            own[at - 1] = (own[at - 1] as number) + struct.length
          else own.push(struct.id.clock, struct.length)
        }
        if (++walked === STRUCTS_EVERY) {
          yield 0
          walked = 0
          if (edited) return 0
        }
      }
      if (own.length > 0) ranges.set(client, own)
    }
    return 0
  }
  doc.on('afterTransaction', onEdit)
  try {
    if (!(await inSteps(walk(), () => cancelled() || edited, sliceCount())) || edited) return undefined
  } finally {
    doc.off('afterTransaction', onEdit)
  }
  return { sv, ranges }
}

/** `taken` as the Y.Snapshot Y.snapshot gives for the same board. */
export function yjsSnapshot(taken: BoardSnapshot): Y.Snapshot {
  const ds = Y.createDeleteSet()
  for (const [client, own] of taken.ranges) {
    const items: { clock: number; len: number }[] = []
    for (let i = 0; i < own.length; i += 2) items.push({ clock: own[i] as number, len: own[i + 1] as number })
    ds.clients.set(client, items as never)
  }
  return Y.createSnapshot(ds, new Map(taken.sv))
}

/**
 * A drawing's canvas as a host keeps it for its next start (../savedOverviews.ts): where it places the board, and its
 * pixels as a PNG (lossless: decoded onto a canvas again, they are the same pixels).
 */
export interface CanvasToKeep {
  box: Rect
  s: number
  width: number
  height: number
  extent: Rect
  steps: number
  halvings: number
  png: Uint8Array
}

/**
 * `kept`'s canvas to keep: its pixels copied now (strokes drawn onto it later are not in the copy), encoded off the
 * event loop. With a picture worker (`pictures`), its pixels are read a piece a slice (readPieces; nothing is drawn
 * onto it until they are: `reading`) and the worker encodes them; without one, copied onto a fresh canvas in one step.
 */
export async function canvasToKeep(kept: OverviewCanvas, pictures?: PictureWorker): Promise<CanvasToKeep> {
  const source = kept.canvas._canvas as unknown as Canvas
  const { box, s, width, height, extent, steps } = kept
  const placed = { box, s, width, height, extent, steps, halvings: kept.halvings ?? 0 }
  if (pictures?.usable) {
    let read = () => {}
    const reading = new Promise<void>((resolve) => {
      read = resolve
    })
    const before = kept.reading
    kept.reading = before ? Promise.all([before, reading]).then(() => undefined) : reading
    const made = pictures.make(
      { kind: 'png', width, height, halvings: 0, maxBytes: Number.POSITIVE_INFINITY },
      (into) => readPieces(source, { x: 0, y: 0, width, height }, into, sliceCount(), pictures).finally(read),
    )
    made.then(read, read)
    const { png } = await made
    return { ...placed, png }
  }
  const copy = new Canvas(width, height)
  copy.getContext('2d').drawImage(source, 0, 0)
  // The copy rasterized now, and encoded in a later turn (encode would rasterize it first, in the same turn).
  settleCanvas(copy)
  await new Promise<void>((resolve) => setImmediate(resolve))
  return copy.encode('png').then((png) => ({
    ...placed,
    png: new Uint8Array(png.buffer, png.byteOffset, png.byteLength),
  }))
}

/**
 * Reads `rect` of `source` into `into` (RGBA rows one after the other, as getImageData gives them) a piece of whole rows
 * of at most PIECE_PIXELS at a time, as many pieces a slice of SLICE_MS as fit, the host's other work between slices:
 * no fresh canvas and no copy of the drawing's canvas in one piece (@napi-rs/canvas's getImageData copies out the rows
 * asked for, of a canvas the drawing's slices rasterized already). Counted in `count.picture` and `pictures.read`.
 */
async function readPieces(
  source: Canvas,
  rect: { x: number; y: number; width: number; height: number },
  into: Uint8Array,
  count: SliceCount,
  pictures: PictureWorker,
): Promise<void> {
  const context = source.getContext('2d')
  const rows = Math.max(1, Math.floor(PIECE_PIXELS / rect.width))
  let y = 0
  while (y < rect.height) {
    const start = performance.now()
    do {
      const height = Math.min(rows, rect.height - y)
      const piece = context.getImageData(rect.x, rect.y + y, rect.width, height)
      into.set(piece.data, y * rect.width * 4)
      y += height
      const pixels = rect.width * height
      count.picture.pieces++
      count.picture.mostPixels = Math.max(count.picture.mostPixels, pixels)
      pictures.read.pieces++
      pictures.read.mostPixels = Math.max(pictures.read.mostPixels, pixels)
    } while (y < rect.height && performance.now() < start + SLICE_MS)
    endSlice(count, start)
    if (y < rect.height) await nextSlice(count)
  }
}

/**
 * The canvas a host kept (canvasToKeep), drawn again from its PNG, with the z-order it showed: appendToOverview draws
 * onto it what was added since. Throws when the PNG is no picture of that canvas's size.
 */
export async function keptCanvas(kept: CanvasToKeep, order: unknown[]): Promise<OverviewCanvas> {
  const image = new Image()
  image.src = Buffer.from(kept.png.buffer, kept.png.byteOffset, kept.png.byteLength)
  await image.decode()
  if (image.width !== kept.width || image.height !== kept.height)
    throw new Error(`its picture is ${image.width}×${image.height} px, not ${kept.width}×${kept.height}`)
  const canvas = exportCanvas(kept.width, kept.height)
  const raw = canvas.getContext()._context
  raw.setTransform(1, 0, 0, 1, 0, 0)
  raw.drawImage(image as never, 0, 0)
  // Rasterized now: the first drawing onto it would otherwise rasterize the whole picture in its first step.
  settleCanvas(canvas._canvas as unknown as Canvas)
  const { box, s, width, height, extent, steps, halvings } = kept
  return { canvas, box, s, width, height, extent, steps, halvings, order, listed: new Set(order) }
}

/** The pixels of a drawing's canvas its picture shows (its extent only, its margin cut off), and where on the board. */
function cropOf(drawing: OverviewCanvas): {
  x0: number
  y0: number
  full: { width: number; height: number }
  rect: Rect
} {
  const { box, s, extent } = drawing
  const x0 = Math.max(0, Math.floor((extent.minX - box.minX) * s))
  const y0 = Math.max(0, Math.floor((extent.minY - box.minY) * s))
  const x1 = Math.min(drawing.width, Math.ceil((extent.maxX - box.minX) * s))
  const y1 = Math.min(drawing.height, Math.ceil((extent.maxY - box.minY) * s))
  const full = { width: Math.max(1, x1 - x0), height: Math.max(1, y1 - y0) }
  const rect = {
    minX: box.minX + x0 / s,
    minY: box.minY + y0 / s,
    maxX: box.minX + (x0 + full.width) / s,
    maxY: box.minY + (y0 + full.height) / s,
  }
  return { x0, y0, full, rect }
}

/**
 * The picture of a drawing's extent only, in whole pixels, halved until its PNG fits a frame (pictureFit.ts), made on
 * the host's thread: the crop copied onto a fresh canvas, each halving a step of its own.
 */
async function picture(
  drawing: OverviewCanvas,
  count: SliceCount,
): Promise<Pick<OverviewDrawing, 'image' | 'width' | 'height'> | undefined> {
  const source = drawing.canvas._canvas as unknown as Canvas
  const { x0, y0, full, rect } = cropOf(drawing)
  // Each copy and each halving a step of its own, rasterized in it: encode then finds nothing left to rasterize.
  const crop = new Canvas(full.width, full.height)
  await inStep(count, () => {
    crop.getContext('2d').drawImage(source, x0, y0, full.width, full.height, 0, 0, full.width, full.height)
    settleCanvas(crop)
  })
  count.picture.pieces++
  count.picture.mostPixels = Math.max(count.picture.mostPixels, full.width * full.height)
  const fitted = await fitPicture(crop, drawing.halvings ?? 0, MAX_OVERVIEW_BYTES, (work) =>
    inStep(count, work),
  )
  drawing.halvings = fitted.halvings
  if (fitted.png.byteLength > MAX_OVERVIEW_BYTES) return undefined
  const { png } = fitted
  return {
    image: { rect, png: new Uint8Array(png.buffer, png.byteOffset, png.byteLength) },
    width: fitted.width,
    height: fitted.height,
  }
}

/**
 * picture() made by the picture worker (./overviewPictures.ts): the crop's pixels read a piece a slice (readPieces)
 * into its buffer, then the halvings and encodes off the host's thread. The same pixels, so the same PNG.
 */
async function pictureInWorker(
  drawing: OverviewCanvas,
  count: SliceCount,
  pictures: PictureWorker,
): Promise<Pick<OverviewDrawing, 'image' | 'width' | 'height'> | undefined> {
  const source = drawing.canvas._canvas as unknown as Canvas
  const { x0, y0, full, rect } = cropOf(drawing)
  count.picture.worker = true
  const made = await pictures.make(
    { kind: 'picture', ...full, halvings: drawing.halvings ?? 0, maxBytes: MAX_OVERVIEW_BYTES },
    (into) => readPieces(source, { x: x0, y: y0, ...full }, into, count, pictures),
  )
  drawing.halvings = made.halvings
  if (made.png.byteLength > MAX_OVERVIEW_BYTES) return undefined
  return { image: { rect, png: made.png }, width: made.width, height: made.height }
}

/** Whether `inner` lies within `outer`. */
function inside(inner: Rect, outer: Rect): boolean {
  return (
    inner.minX >= outer.minX &&
    inner.minY >= outer.minY &&
    inner.maxX <= outer.maxX &&
    inner.maxY <= outer.maxY
  )
}

/** `r` grown to hold `p`'s rectangle (or `p` itself when there is none yet); a rectangle not all finite is left out. */
function union(r: Rect | undefined, p: Rect): Rect {
  if (![p.minX, p.minY, p.maxX, p.maxY].every(Number.isFinite)) return r as Rect
  return unionRects(r ? [r, p] : [p]) as Rect
}

/**
 * A first guess of the board's extent: where each plain stroke starts, and the bounds of everything else (read in
 * full: shapes, turned or stretched strokes, and every stroke of a board with move records).
 */
async function guessExtent(
  doc: Y.Doc,
  ids: string[],
  cancelled: () => boolean,
  count: SliceCount,
): Promise<Rect | undefined> {
  const elements = doc.getMap<unknown>('elements')
  const moves = doc.share.has(MOVES_ROOT) && doc.getArray(MOVES_ROOT).length > 0
  let extent: Rect | undefined
  const done = await inSlices(
    ids.length,
    (i) => {
      const id = ids[i] as string
      const value = elements.get(id)
      if (!moves && isFlatRecord(value)) {
        const start = startOfRecord(value)
        if (start === null) return
        if (start) {
          extent = union(extent, { minX: start.x, minY: start.y, maxX: start.x, maxY: start.y })
          return
        }
      }
      const el = readElement(id, value as never, doc)
      if (el) extent = union(extent, elementRect(el))
    },
    cancelled,
    count,
  )
  return done ? extent : undefined
}

/** Where a canvas shows the board: its box at scale `s`, in `width` × `height` pixels. */
type Placed = Pick<OverviewCanvas, 'canvas' | 'box' | 's' | 'width' | 'height' | 'steps'>

/**
 * Draws elements onto a canvas one at a time, as they come in the z-order, measuring each: thin ink into a raster of
 * its own (laid onto the canvas before anything the canvas draws over it, and at the end), everything else on the
 * canvas.
 */
class Painter {
  /** The union of the bounds of the elements drawn. */
  extent: Rect | undefined
  private readonly elements: Y.Map<unknown>
  private readonly raw: Context['_context']
  private readonly group: Group
  private readonly pixels: Affine
  private readonly raster: InkRaster
  /** Something was drawn on the canvas since it was last read (settle). */
  private recorded = false
  /** The rest of the thin ink's area being laid down a band at a time (flush with a number of rows). */
  private laying: { x: number; y: number; width: number; height: number } | undefined

  constructor(
    private readonly doc: Y.Doc,
    private readonly on: Placed,
    /** Whether the canvas holds nothing yet (the raster's pixels are then put on it as they are). */
    private canvasEmpty: boolean,
    /** Where each element painted lies, noted (Mark); an element that cannot be read is taken out. */
    private readonly marks?: Map<string, Mark>,
  ) {
    const { box, s, width, height } = on
    this.elements = doc.getMap<unknown>('elements')
    this.raw = on.canvas.getContext()._context
    this.group = new Group({ x: -box.minX * s, y: -box.minY * s, scaleX: s, scaleY: s })
    this.pixels = [s, 0, 0, s, -box.minX * s, -box.minY * s]
    this.raster = new InkRaster(width, height)
  }

  /** Pixels the centre lines stepped over on this canvas, the drawings before this one's counted. */
  get steps(): number {
    return this.on.steps + this.raster.steps
  }

  paint(id: string): void {
    const { raw, on } = this
    const el = readElement(id, this.elements.get(id) as never, this.doc)
    if (!el) {
      this.marks?.delete(id)
      return
    }
    const bounds = elementRect(el)
    this.extent = union(this.extent, bounds)
    const stepsBefore = this.raster.steps
    if (el.kind === ElementKind.Stroke && drawThin(this.raster, this.pixels, el as Stroke, on.s, bounds)) {
      this.marks?.set(id, { ...bounds, steps: this.raster.steps - stepsBefore, wide: false })
      if (this.steps > MAX_OVERVIEW_STEPS)
        throw new OverviewTooCostly(
          `too much ink for an overview (its centre lines would cross more than ${MAX_OVERVIEW_STEPS} pixels)`,
        )
      return
    }
    this.marks?.set(id, { ...bounds, steps: 0, wide: true })
    this.flush()
    this.canvasEmpty = false
    this.recorded = true
    if (el.kind === ElementKind.Stroke) {
      raw.setTransform(on.s, 0, 0, on.s, -on.box.minX * on.s, -on.box.minY * on.s)
      drawWide(raw, el as Stroke)
      return
    }
    drawNode(el, this.group, on.canvas)
  }

  /**
   * Rasterizes what was drawn on the canvas since the last call (settleCanvas); false when nothing was. A slice that
   * drew calls it before it ends.
   */
  settle(): boolean {
    if (!this.recorded) return false
    this.recorded = false
    settleCanvas(this.on.canvas._canvas as unknown as Canvas)
    return true
  }

  /** Whether something drawn on the canvas is not rasterized yet. */
  get unsettled(): boolean {
    return this.recorded
  }

  /** Whether thin ink drawn is not laid onto the canvas yet (flush). */
  get toLay(): boolean {
    return this.laying !== undefined || this.raster.touched
  }

  /** The canvas's width in pixels. */
  get width(): number {
    return this.on.width
  }

  /**
   * Lets go of the group. Thin ink not laid down yet stays out: a painting stopped half-way (given way to an edit, or
   * thrown) leaves a canvas that is not used again.
   */
  finish(): void {
    this.group.destroy()
  }

  /**
   * Lays the thin ink drawn so far onto the canvas: done before anything drawn on the canvas itself, and by a redraw
   * of a region where a whole drawing drew such an element outside the region (the same layers, the same pixels). At
   * most `rows` rows of it (the rest at the next call: each pixel is laid on its own, so bands give the same pixels as
   * the whole); true once all of it is laid.
   */
  flush(rows = Number.POSITIVE_INFINITY): boolean {
    const { raster } = this
    if (!this.canvasEmpty && !this.laying) {
      // Over what the canvas holds, only the squares thin ink was drawn in (a transparent pixel laid over the canvas
      // changes nothing, so the pixels are those of the whole area): ink far apart is not one large layer.
      let left = rows
      for (let run = raster.takeRun(); run; run = left > 0 ? raster.takeRun() : undefined) {
        this.lay(run)
        left -= run.height
      }
      return !raster.touched
    }
    // On an empty canvas (putImageData replaces what is under it: the whole area, in bands).
    const area = this.laying ?? raster.take()
    if (!area) return true
    const band = { ...area, height: Math.min(area.height, Math.max(1, rows)) }
    this.laying =
      band.height < area.height
        ? { ...area, y: area.y + band.height, height: area.height - band.height }
        : undefined
    this.lay(band)
    if (this.laying === undefined) return true
    return rows === Number.POSITIVE_INFINITY ? this.flush() : false
  }

  /** Lays the thin ink of one rectangle of the raster onto the canvas, and clears it there. */
  private lay(band: { x: number; y: number; width: number; height: number }): void {
    const { raster, raw } = this
    const image = raw.createImageData(band.width, band.height)
    for (let row = 0; row < band.height; row++) {
      const from = ((band.y + row) * this.on.width + band.x) * 4
      image.data.set(raster.data.subarray(from, from + band.width * 4), row * band.width * 4)
    }
    raw.setTransform(1, 0, 0, 1, 0, 0)
    if (this.canvasEmpty) raw.putImageData(image, band.x, band.y)
    else {
      // Over what the canvas holds (putImageData would replace it).
      const layer = new Canvas(band.width, band.height)
      layer.getContext('2d').putImageData(image as never, 0, 0)
      raw.drawImage(layer as never, band.x, band.y)
    }
    this.recorded = true
    raster.clear(band.x, band.y, band.width, band.height)
  }
}

/** Rows of thin ink laid down at a time at the end of a painting (about 1 MB of pixels on the largest canvas). */
const FLUSH_BAND_PIXELS = 256 * 1024

/**
 * Paints `ids` in slices (null: lays the thin ink drawn so far down), then lays the last thin ink down in slices of
 * bands (at once when a slice threw); each slice rasterizes what it drew before it ends. False when cancelled.
 */
async function paintAll(
  painter: Painter,
  ids: (string | null)[],
  cancelled: () => boolean,
  count: SliceCount,
): Promise<boolean> {
  count.settle = () => painter.settle()
  count.unsettled = () => painter.unsettled
  try {
    const painted = await inSlices(
      ids.length,
      (i) => {
        const id = ids[i]
        if (id === null || id === undefined) painter.flush()
        else painter.paint(id)
      },
      cancelled,
      count,
    )
    if (!painted) return false
    // The last thin ink (up to the whole canvas of it): in bands, as many a slice as fit.
    const rows = Math.max(1, Math.floor(FLUSH_BAND_PIXELS / Math.max(1, painter.width)))
    while (painter.toLay) {
      await nextSlice(count)
      const start = performance.now()
      const until = start + Math.max(SLICE_MS / 4, SLICE_MS - count.settleMs)
      while (!painter.flush(rows) && performance.now() < until);
      endSlice(count, start)
    }
    return !cancelled()
  } finally {
    painter.finish()
    count.settle = undefined
    count.unsettled = undefined
  }
}

/** Draws every element of the board at the scale that fits `box` in MAX_OVERVIEW_SIDE, measuring each. */
async function drawWithin(
  doc: Y.Doc,
  ids: string[],
  box: Rect,
  cancelled: () => boolean,
  count: SliceCount,
): Promise<Omit<OverviewCanvas, 'order' | 'listed'> | undefined> {
  const w = Math.max(1, box.maxX - box.minX)
  const h = Math.max(1, box.maxY - box.minY)
  // At most a pixel per board unit: a board smaller than the image is drawn at 100 %.
  const s = Math.min(1, MAX_OVERVIEW_SIDE / w, MAX_OVERVIEW_SIDE / h)
  const width = Math.min(MAX_OVERVIEW_SIDE, Math.max(1, Math.ceil(w * s)))
  const height = Math.min(MAX_OVERVIEW_SIDE, Math.max(1, Math.ceil(h * s)))
  const placed: Placed = { canvas: exportCanvas(width, height), box, s, width, height, steps: 0 }
  const marks = new Map<string, Mark>()
  const painter = new Painter(doc, placed, true, marks)
  const drawn = await paintAll(painter, ids, cancelled, count)
  if (!drawn || !painter.extent) return undefined
  return { ...placed, extent: painter.extent, steps: painter.steps, marks }
}

/** The transform that places a stroke (board = C + R·S·(p − offset)), or undefined at its stored points. */
function placement(stroke: Stroke): ReturnType<typeof nodeTransform> | undefined {
  return drawnInPlace(stroke) ? undefined : nodeTransform(stroke)
}

/**
 * A stroke as the screen draws it at scale `s` when it is thin there (./inkRaster.ts): a dot of its size, or its
 * centre line at its coverage. False for a stroke wide enough to show its outline (drawWide draws it).
 */
function drawThin(raster: InkRaster, pixels: Affine, stroke: Stroke, s: number, b: Rect): boolean {
  if (b.maxX - b.minX < DOT_PX / s && b.maxY - b.minY < DOT_PX / s) {
    raster.ink(stroke.color, inkAlpha(stroke))
    raster.dot(pixels, b.minX, b.minY, b.maxX, b.maxY)
    return true
  }
  const t = placement(stroke)
  const stretch = t ? Math.min(Math.abs(t.scaleX), Math.abs(t.scaleY)) : 1
  if (stroke.width * stretch * s >= CENTRE_LINE_PX) return false
  // The board's pixels, then the stroke's own placement (as Konva would place its node).
  const map = t ? (new Transform([...pixels]).multiply(konvaTransform(t)).getMatrix() as Affine) : pixels
  // A line under a pixel wide covers its pixels in part: its colour at that coverage.
  raster.ink(stroke.color, inkAlpha(stroke) * Math.min(1, centreLineWidth(stroke) * stretch * s))
  traceCentreLine(raster.line(map), stroke.points, CENTRE_LINE_TOLERANCE_PX / (s * stretch))
  return true
}

/** A stroke wide enough at the overview's scale to show its outline: filled as the export fills it. */
function drawWide(ctx: Context['_context'], stroke: Stroke): void {
  ctx.globalAlpha = inkAlpha(stroke)
  ctx.fillStyle = stroke.color
  const t = placement(stroke)
  if (t) {
    const [a, b, c, d, e, f] = konvaTransform(t).getMatrix() as Affine
    ctx.transform(a, b, c, d, e, f)
  }
  const outline = strokeOutline(stroke)
  if (outline.length >= 4)
    ctx.fill(strokePath(outline, () => new Path2D()) as unknown as Parameters<Context['_context']['fill']>[0])
  ctx.globalAlpha = 1
}

/** Any other element as the export draws it: its scene node in a group that places the board on the canvas. */
function drawNode(el: BoardElement, group: Group, canvas: ReturnType<typeof exportCanvas>): void {
  // Images are not decoded for an overview: the node draws the placeholder the scene shows until they are.
  const node = elementNode(el)
  group.add(node)
  group.drawScene(canvas)
  group.removeChildren()
  node.destroy()
}
