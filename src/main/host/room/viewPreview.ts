/**
 * The host's side of a view preview (src/shared/sync/preview.ts): the finished strokes of a board whose bounds meet
 * a joiner's view, in z-order, as frames of flat records. A stroke's bounds need its points decoded: they are kept
 * per record (a record is a value that is replaced, never changed, when the stroke is edited), so a board's strokes
 * are decoded once for all the joins of the host's run: ahead of the first join, a slice at a time between the host's
 * other work (StrokeBounds), as decoding 100,000 strokes takes the host a second or more.
 */
import type * as Y from 'yjs'
import { elementRect, readStroke } from '../../../shared/board'
import { type FlatRecord, isFlatRecord } from '../../../shared/elements/entry'
import { shiftOf } from '../../../shared/elements/moves'
import { type Rect, rectsIntersect } from '../../../shared/geometry'
import { type PreviewElement, previewElementBytes, previewFrame } from '../../../shared/sync/preview'

/** A record's bounds where its own keys place it (before any move record), or null for one that reads as no stroke. */
const boundsOfRecord = new WeakMap<FlatRecord, Rect | null>()

function recordBounds(id: string, record: FlatRecord): Rect | null {
  let rect = boundsOfRecord.get(record)
  if (rect === undefined) {
    const stroke = readStroke(id, record, null)
    rect = stroke ? elementRect(stroke) : null
    boundsOfRecord.set(record, rect)
  }
  return rect
}

/**
 * Preview frames of the finished strokes of `doc` whose bounds meet `view`, bottom to top, each frame within
 * `frameBytes` and all within `maxBytes` (strokes past it come with the board). A stroke a move record moves goes
 * with its place written in its record, as the page would read it with the board.
 */
export function previewFrames(doc: Y.Doc, view: Rect, frameBytes: number, maxBytes: number): Uint8Array[] {
  const elements = doc.getMap<unknown>('elements')
  const order = doc.getArray<unknown>('order')
  const frames: Uint8Array[] = []
  let frame: PreviewElement[] = []
  let size = 0
  let total = 0
  const seen = new Set<string>()
  for (const id of order) {
    if (typeof id !== 'string' || seen.has(id)) continue
    seen.add(id)
    const record = elements.get(id)
    if (!isFlatRecord(record)) continue
    const rect = recordBounds(id, record)
    if (!rect) continue
    const shift = shiftOf(doc, id)
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
    const bytes = previewElementBytes(element)
    if (total + bytes > maxBytes) break
    if (frame.length > 0 && size + bytes > frameBytes) {
      frames.push(previewFrame(frame))
      frame = []
      size = 0
    }
    frame.push(element)
    size += bytes
    total += bytes
  }
  if (frame.length > 0) frames.push(previewFrame(frame))
  return frames
}

/** A record with a move record's shift written into its place. */
function moved(record: FlatRecord, dx: number, dy: number): FlatRecord {
  const x = typeof record.x === 'number' ? record.x : 0
  const y = typeof record.y === 'number' ? record.y : 0
  return { ...record, x: x + dx, y: y + dy }
}

/** Strokes whose bounds are found in one slice of StrokeBounds' work (a few ms: the host's other work goes between). */
const SLICE_STROKES = 500
/** A board with at most this many strokes left to measure is measured at once when a join asks (tens of ms). */
const AT_ONCE_STROKES = 5000

/**
 * Finds the bounds of a board's finished strokes ahead of need, a slice at a time (setImmediate), so that a join
 * asking for a view preview finds them ready. Strokes drawn later are measured when a preview needs them.
 */
export class StrokeBounds {
  private ids: string[] | undefined
  private next = 0
  private timer: ReturnType<typeof setImmediate> | undefined
  private readonly waiting: (() => void)[] = []
  private stopped = false

  constructor(private readonly doc: Y.Doc) {}

  /** Whether every stroke the board held when measuring began is measured. */
  get ready(): boolean {
    return this.ids !== undefined && this.next >= this.ids.length
  }

  /** Starts measuring (if not yet), one slice at a time. */
  start(): void {
    if (this.ids || this.stopped) return
    this.ids = [...this.doc.getMap<unknown>('elements').keys()]
    this.schedule()
  }

  /**
   * Calls `cb` once every stroke is measured: at once when it is, or when little is left (measured now), else after
   * the slices still to come.
   */
  whenReady(cb: () => void): void {
    this.start()
    const ids = this.ids as string[]
    if (ids.length - this.next <= AT_ONCE_STROKES) this.measure(ids.length)
    if (this.ready) cb()
    else this.waiting.push(cb)
  }

  /** Stops measuring (the board closed); nothing waiting is called. */
  stop(): void {
    this.stopped = true
    this.waiting.length = 0
    if (this.timer) clearImmediate(this.timer)
    this.timer = undefined
  }

  private schedule(): void {
    if (this.timer || this.stopped || this.ready) return
    this.timer = setImmediate(() => {
      this.timer = undefined
      if (this.stopped) return
      this.measure(this.next + SLICE_STROKES)
      if (!this.ready) this.schedule()
    })
  }

  private measure(upTo: number): void {
    const ids = this.ids as string[]
    const elements = this.doc.getMap<unknown>('elements')
    const end = Math.min(upTo, ids.length)
    for (; this.next < end; this.next++) {
      const id = ids[this.next] as string
      const record = elements.get(id)
      if (isFlatRecord(record)) recordBounds(id, record)
    }
    if (this.ready) for (const cb of this.waiting.splice(0)) cb()
  }
}
