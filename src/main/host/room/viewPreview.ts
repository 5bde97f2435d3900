/**
 * The host's side of a view preview (src/shared/sync/preview.ts): the finished strokes of a board whose bounds meet
 * a joiner's view, in z-order, as frames of flat records. A stroke's bounds need its points decoded: they are kept
 * per record (a record is a value that is replaced, never changed, when the stroke is edited). Decoding every stroke
 * of a 100,000-stroke board takes the host seconds, so a join decodes only the strokes that start near the view (the
 * first point is read from the header: a fraction of the cost) and those already measured; a stroke starting farther
 * than PREVIEW_REACH outside the view is left to the board's parts. With the room's index of where strokes start
 * (./strokeStarts.ts), a join looks only at the strokes that start near its view (and at those move records name),
 * and the host measures the strokes near where pages open before the first one asks (`measureNear`).
 */
import type * as Y from 'yjs'
import { elementRect, readStroke } from '../../../shared/board'
import { type FlatRecord, isFlatRecord } from '../../../shared/elements/entry'
import { idsInRecords, MOVES_ROOT, shiftOf } from '../../../shared/elements/moves'
import { STYLES_ROOT, styledEntry } from '../../../shared/elements/styles'
import { grownRect, type Rect, rectsIntersect } from '../../../shared/geometry'
import { type PreviewElement, previewElementBytes, previewFrame } from '../../../shared/sync/preview'
import { SLICE_MS, type StrokeStarts, startOfRecord, startsNear } from './strokeStarts'

/**
 * How far outside the view a stroke may start and still be measured for a preview (board units): a long pen stroke
 * at 100 %. One that starts farther and still reaches into the view comes with the board's parts.
 */
export const PREVIEW_REACH = 2000

/** A record's bounds where its own keys place it (before any move record), or null for one that reads as no stroke. */
const boundsOfRecord = new WeakMap<FlatRecord, Rect | null>()
/** A record's first point where its own keys place it, for a record only moved by its x and y (else not kept). */
const startsKnown = new WeakMap<FlatRecord, { x: number; y: number } | null>()

/** Where a stroke starts on the board before any move record, or undefined when its keys turn or stretch it. */
function recordStart(record: FlatRecord): { x: number; y: number } | null | undefined {
  let start = startsKnown.get(record)
  if (start !== undefined) return start
  start = startOfRecord(record)
  if (start === undefined) return undefined
  startsKnown.set(record, start)
  return start
}

function recordBounds(id: string, record: FlatRecord): Rect | null {
  let rect = boundsOfRecord.get(record)
  if (rect === undefined) {
    const stroke = readStroke(id, record, null)
    rect = stroke ? elementRect(stroke) : null
    boundsOfRecord.set(record, rect)
  }
  return rect
}

/** Preview elements packed into frames of at most `frameBytes`, all of them within `maxBytes`. */
class PreviewFramer {
  private readonly frames: Uint8Array[] = []
  private frame: PreviewElement[] = []
  private size = 0
  private total = 0

  constructor(
    private readonly frameBytes: number,
    private readonly maxBytes: number,
  ) {}

  /** Adds an element, in a new frame when this one is full; false (nothing added) once the whole would pass maxBytes. */
  add(element: PreviewElement): boolean {
    const bytes = previewElementBytes(element)
    if (this.total + bytes > this.maxBytes) return false
    if (this.frame.length > 0 && this.size + bytes > this.frameBytes) {
      this.frames.push(previewFrame(this.frame))
      this.frame = []
      this.size = 0
    }
    this.frame.push(element)
    this.size += bytes
    this.total += bytes
    return true
  }

  /** The frames, the last one closed. */
  done(): Uint8Array[] {
    if (this.frame.length > 0) this.frames.push(previewFrame(this.frame))
    this.frame = []
    return this.frames
  }
}

/**
 * Preview frames of the finished strokes of `doc` whose bounds meet `view`, bottom to top, each frame within
 * `frameBytes` and all within `maxBytes` (strokes past it come with the board). A stroke a move or style record
 * names goes with its place and style written in its record, as the page would read it with the board.
 */
export function previewFrames(
  doc: Y.Doc,
  view: Rect,
  frameBytes: number,
  maxBytes: number,
  starts?: StrokeStarts,
  ready?: ReadyOrder,
): Uint8Array[] {
  const elements = doc.getMap<unknown>('elements')
  const order = doc.getArray<unknown>('order')
  const frames = new PreviewFramer(frameBytes, maxBytes)
  const seen = new Set<string>()
  const near = reachOf(view)
  // Most boards hold no move or style record: then no stroke needs a look for one.
  const moves = doc.share.has(MOVES_ROOT) && doc.getArray(MOVES_ROOT).length > 0
  const styles = doc.share.has(STYLES_ROOT) && doc.getArray(STYLES_ROOT).length > 0
  // With the index: only strokes starting near the view, and every stroke a move record names (its own record's
  // start is not where it is), are looked at below; the same checks then pick the same strokes.
  let candidates: Set<string> | undefined
  if (starts) {
    candidates = starts.near(near)
    if (moves) for (const id of idsInRecords(doc.getArray(MOVES_ROOT))) candidates.add(id)
  }
  // The z-order kept for views around where pages open holds every candidate, in the same order: a few thousand
  // ids to walk instead of the board's whole z-order.
  const ordered = (candidates && ready?.covering(view)) ?? order.toArray()
  for (const id of ordered) {
    if (typeof id !== 'string' || (candidates && !candidates.has(id)) || seen.has(id)) continue
    seen.add(id)
    const stored = elements.get(id)
    if (!isFlatRecord(stored)) continue
    // The record as the board reads it: a style record's values over its own (a copy only where one names it).
    const record = styles ? (styledEntry(id, stored, doc) as FlatRecord) : stored
    const shift = moves ? shiftOf(doc, id) : undefined
    if (!boundsOfRecord.has(record)) {
      // Not measured yet: only a stroke that starts near the view is (a turned or stretched one always).
      const start = recordStart(record)
      if (start === null) continue
      if (start) {
        const x = start.x + (shift?.dx ?? 0)
        const y = start.y + (shift?.dy ?? 0)
        if (x < near.minX || x > near.maxX || y < near.minY || y > near.maxY) continue
      }
    }
    const rect = recordBounds(id, record)
    if (!rect) continue
    const placed = shift
      ? {
          minX: rect.minX + shift.dx,
          minY: rect.minY + shift.dy,
          maxX: rect.maxX + shift.dx,
          maxY: rect.maxY + shift.dy,
        }
      : rect
    if (!rectsIntersect(placed, view)) continue
    const element: PreviewElement = { id, record: shift ? moved(record, shift.dx, shift.dy) : record }
    if (!frames.add(element)) break
  }
  return frames.done()
}

/** The area around a view whose strokes are measured for its preview. */
function reachOf(view: Rect): Rect {
  return grownRect(view, PREVIEW_REACH)
}

/**
 * Measures, a slice at a time, the strokes a preview of `view` would measure (those starting near it), so that the
 * first page to ask finds them measured; returns a function that stops it. Bounded work: only around one view.
 */
export function measureNear(doc: Y.Doc, starts: StrokeStarts, view: Rect, measured?: () => void): () => void {
  const elements = doc.getMap<unknown>('elements')
  const ids = [...starts.near(reachOf(view))]
  let at = 0
  let timer: ReturnType<typeof setImmediate> | undefined
  const step = () => {
    const until = performance.now() + SLICE_MS
    for (; at < ids.length && (at % 20 !== 0 || performance.now() < until); at++) {
      const id = ids[at] as string
      const stored = elements.get(id)
      if (isFlatRecord(stored)) recordBounds(id, stored)
    }
    timer = at < ids.length ? setImmediate(step) : undefined
    if (!timer) measured?.()
  }
  timer = setImmediate(step)
  return () => {
    if (timer) clearImmediate(timer)
    timer = undefined
  }
}

/**
 * How long the board must have had no edit before the kept z-order is made again (ms): while people draw, joins walk
 * the board's z-order as they did without it.
 */
const READY_QUIET_MS = 2000

/**
 * The z-order of the strokes any preview of a view within `area` may send (those that start near it, and those move
 * records name), kept for as long as the board does not change, so that a join's preview walks a few thousand ids
 * instead of the board's whole z-order (100,000 on the largest boards, and reading them out of Yjs is most of a cold
 * preview's time). Made once the index is complete, by a preview of `area` itself, which also gets the code a
 * join's preview runs compiled before the first join; made again once the board has been quiet for READY_QUIET_MS.
 */
export class ReadyOrder {
  private ids: unknown[] | undefined
  /** Counts the board's edits; the ids hold for the count they were made at. */
  private version = 0
  private madeAt = -1
  private timer: ReturnType<typeof setTimeout> | undefined
  private warming: ReturnType<typeof setImmediate> | undefined
  private destroyed = false

  constructor(
    private readonly doc: Y.Doc,
    private readonly starts: StrokeStarts,
    private readonly area: Rect,
    /** The frame size and cap of a join's preview (the warming preview is made as a join's would be). */
    private readonly frameBytes: number,
    private readonly maxBytes: number,
  ) {
    doc.on('update', this.changed)
  }

  /** Makes the kept z-order for the board as it is now, and runs a preview of the area with it. */
  make(): void {
    if (this.destroyed) return
    const doc = this.doc
    const candidates = this.starts.near(reachOf(this.area))
    if (doc.share.has(MOVES_ROOT)) for (const id of idsInRecords(doc.getArray(MOVES_ROOT))) candidates.add(id)
    this.ids = doc
      .getArray<unknown>('order')
      .toArray()
      .filter((id) => typeof id === 'string' && candidates.has(id))
    this.madeAt = this.version
    // The warming preview in a turn of its own: the host's other work gets in between the two (each tens of ms).
    if (this.warming) clearImmediate(this.warming)
    this.warming = setImmediate(() => {
      this.warming = undefined
      previewFrames(doc, this.area, this.frameBytes, this.maxBytes, this.starts, this)
    })
  }

  /** The kept z-order and the area it covers, while the board is unchanged since it was made; else undefined. */
  current(): { area: Rect; ids: readonly unknown[] } | undefined {
    return this.ids && this.madeAt === this.version ? { area: this.area, ids: this.ids } : undefined
  }

  /**
   * The kept z-order when it holds every candidate of a preview of `view` (the board unchanged since it was made,
   * and the strokes that start near `view` among those near the area), else undefined.
   */
  covering(view: Rect): readonly unknown[] | undefined {
    if (!this.ids || this.madeAt !== this.version) return undefined
    const near = reachOf(view)
    const area = reachOf(this.area)
    const inside =
      near.minX >= area.minX && near.minY >= area.minY && near.maxX <= area.maxX && near.maxY <= area.maxY
    return inside ? this.ids : undefined
  }

  /** Stops watching the board. */
  destroy(): void {
    this.destroyed = true
    this.doc.off('update', this.changed)
    if (this.timer) clearTimeout(this.timer)
    if (this.warming) clearImmediate(this.warming)
    this.timer = undefined
    this.warming = undefined
    this.ids = undefined
  }

  private readonly changed = (): void => {
    this.version++
    if (this.destroyed || !this.ids) return
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.make()
    }, READY_QUIET_MS)
    this.timer.unref?.()
  }
}

/** A record with a move record's shift written into its place. */
function moved(record: FlatRecord, dx: number, dy: number): FlatRecord {
  const x = typeof record.x === 'number' ? record.x : 0
  const y = typeof record.y === 'number' ? record.y : 0
  return { ...record, x: x + dx, y: y + dy }
}

/**
 * What a first join's preview needs of a board, kept with its overview for the host's next start
 * (../savedOverviews.ts): the strokes a preview of a view around where pages open may send (those that start near
 * `area`), bottom to top, each with its bounds and where it starts. A host that opens the board again unchanged
 * answers the first pages' previews from it (keptPreviewFrames) before it has indexed and measured the board (about a
 * second of CPU on a 100,000-stroke board, which the opening page would share the cores with).
 */
export interface KeptOpening {
  area: Rect
  ids: string[]
  /** Each stroke's bounds: minX, minY, maxX, maxY. */
  rects: Float64Array
  /** Each stroke's start where its own record places it (x, y); NaN for a turned or stretched one. */
  starts: Float64Array
}

/** Whether a board holds move or style records (a preview then needs more than a stroke's own record). */
function hasRecords(doc: Y.Doc): boolean {
  return (
    (doc.share.has(MOVES_ROOT) && doc.getArray(MOVES_ROOT).length > 0) ||
    (doc.share.has(STYLES_ROOT) && doc.getArray(STYLES_ROOT).length > 0)
  )
}

/**
 * The opening to keep for the board as it is now (see KeptOpening), or undefined: the index not complete yet, or a
 * board with move or style records (its strokes' places and looks are not their records' alone). Measures what was
 * not measured yet (nothing, once the strokes near where pages open were: ReadyOrder).
 */
export function openingToKeep(
  doc: Y.Doc,
  starts: StrokeStarts | undefined,
  ready: ReadyOrder | undefined,
  area: Rect,
): KeptOpening | undefined {
  if (!starts?.complete || hasRecords(doc)) return undefined
  const elements = doc.getMap<unknown>('elements')
  let ordered = ready?.current()
  if (ordered && ordered.area !== area) ordered = undefined
  let list: readonly unknown[]
  if (ordered) list = ordered.ids
  else {
    const candidates = starts.near(reachOf(area))
    list = doc
      .getArray<unknown>('order')
      .toArray()
      .filter((id) => typeof id === 'string' && candidates.has(id))
  }
  const ids: string[] = []
  const rects: number[] = []
  const points: number[] = []
  const seen = new Set<string>()
  for (const id of list) {
    if (typeof id !== 'string' || seen.has(id)) continue
    seen.add(id)
    const stored = elements.get(id)
    if (!isFlatRecord(stored)) continue
    const start = recordStart(stored)
    if (start === null) continue
    const rect = recordBounds(id, stored)
    if (!rect) continue
    ids.push(id)
    rects.push(rect.minX, rect.minY, rect.maxX, rect.maxY)
    points.push(start?.x ?? Number.NaN, start?.y ?? Number.NaN)
  }
  return { area, ids, rects: Float64Array.from(rects), starts: Float64Array.from(points) }
}

/**
 * A preview of `view` from a kept opening (KeptOpening), for a board as it was when kept (the caller knows: nothing
 * changed since), or undefined when the opening does not hold every candidate of `view` (a view away from where pages
 * open) or the board has move or style records. The same strokes in the same frames as previewFrames with the index
 * gives once the strokes near the area are measured: those starting in the index's cells near the view (or turned)
 * whose bounds meet it, bottom to top.
 */
export function keptPreviewFrames(
  doc: Y.Doc,
  view: Rect,
  frameBytes: number,
  maxBytes: number,
  kept: KeptOpening,
): Uint8Array[] | undefined {
  const near = reachOf(view)
  const area = reachOf(kept.area)
  if (near.minX < area.minX || near.minY < area.minY || near.maxX > area.maxX || near.maxY > area.maxY)
    return undefined
  if (hasRecords(doc)) return undefined
  const elements = doc.getMap<unknown>('elements')
  const frames = new PreviewFramer(frameBytes, maxBytes)
  for (let i = 0; i < kept.ids.length; i++) {
    const x = kept.starts[2 * i] as number
    const y = kept.starts[2 * i + 1] as number
    if (!startsNear(Number.isNaN(x) ? undefined : { x, y }, near)) continue
    const rect = {
      minX: kept.rects[4 * i] as number,
      minY: kept.rects[4 * i + 1] as number,
      maxX: kept.rects[4 * i + 2] as number,
      maxY: kept.rects[4 * i + 3] as number,
    }
    if (!rectsIntersect(rect, view)) continue
    const id = kept.ids[i] as string
    const record = elements.get(id)
    if (!isFlatRecord(record)) continue
    // Measured once more when the index path meets it: the bounds are the record's, known now.
    if (!boundsOfRecord.has(record)) boundsOfRecord.set(record, rect)
    const element: PreviewElement = { id, record }
    if (!frames.add(element)) break
  }
  return frames.done()
}
