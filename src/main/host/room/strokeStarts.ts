/**
 * Where each finished stroke of a board starts, in a grid of cells (the host's spatial index for view first,
 * ./viewPreview.ts): a preview then looks at the strokes that start near the view, not at every stroke of the board.
 * Built after the board opened, a few milliseconds at a time between the host's other work (a 100,000-stroke board's first
 * points take a fraction of a second to read; the host is listening meanwhile), and kept up to date from then on
 * with every change of the board's elements: the ids an edit changed are placed a little later, also in slices
 * (an edit of 10,000 strokes reaches the other people first), and at once when the index is asked. A stroke's start is where its own record places it: a move record's
 * shift is not in it (the preview looks at the strokes move records name on its own), and a style record changes no
 * place. A turned or stretched stroke has no start that bounds it here: it is always looked at.
 */
import type * as Y from 'yjs'
import { compactPointsStart } from '../../../shared/compactPoints'
import { type FlatRecord, isFlatRecord } from '../../../shared/elements/entry'
import type { Rect } from '../../../shared/geometry'

/** A cell's side (board units): a view at 100 % with its reach around it covers some tens of cells. */
const CELL = 1024
/**
 * How long one slice of the building may hold the host's event loop (ms): the page that loads meanwhile (its script,
 * its fonts, its WebSocket) is served between slices.
 */
export const SLICE_MS = 4
/**
 * How long changed ids wait before they are placed (ms): the host sends the edit on first, and in the same process
 * (the app that hosts) the edit is drawn before its index is kept.
 */
const SETTLE_MS = 50
/** Records read between two looks at the clock. */
const CHECK_EVERY = 200
/** The grid's cells are keyed by one number: rows this far apart (cells per row at most, on either side of 0). */
const ROW = 1 << 21
// Cell keys are whole numbers: this one is no cell.
const TURNED = 0.5

/** A stroke record's start where its own keys place it; null for one with no start; undefined when turned. */
export function startOfRecord(record: FlatRecord): { x: number; y: number } | null | undefined {
  if ((record.rotation ?? 0) !== 0 || (record.scaleX ?? 1) !== 1 || (record.scaleY ?? 1) !== 1)
    return undefined
  const first = record.points instanceof Uint8Array ? compactPointsStart(record.points) : undefined
  if (!first) return null
  const x = first.x + (typeof record.x === 'number' ? record.x : 0)
  const y = first.y + (typeof record.y === 'number' ? record.y : 0)
  return Number.isFinite(x) && Number.isFinite(y) ? { x, y } : null
}

function cellCoord(v: number): number {
  return Math.max(-ROW / 2 + 1, Math.min(ROW / 2 - 1, Math.floor(v / CELL)))
}

/**
 * Whether the index's `near(area)` holds a stroke that starts at `start` (undefined: turned or stretched, always
 * held): the same cells, without the index.
 */
export function startsNear(start: { x: number; y: number } | undefined, area: Rect): boolean {
  if (!start) return true
  const cx = cellCoord(start.x)
  const cy = cellCoord(start.y)
  return (
    cx >= cellCoord(area.minX) &&
    cx <= cellCoord(area.maxX) &&
    cy >= cellCoord(area.minY) &&
    cy <= cellCoord(area.maxY)
  )
}

/** The index of where a board's strokes start (see the top of this file). */
export class StrokeStarts {
  private readonly elements: Y.Map<unknown>
  /** Each indexed id's cell (TURNED for a turned or stretched stroke). */
  private readonly cellOf = new Map<string, number>()
  private readonly cells = new Map<number, Set<string>>()
  private readonly turned = new Set<string>()
  /** Ids still to read while the index is built (listed by its first slice; undefined once it is complete). */
  private pending: string[] | undefined = []
  private listed = false
  private at = 0
  private timer: ReturnType<typeof setImmediate> | undefined
  /**
   * The ids each edit since the last placing changed (Yjs's own set of each event, kept as it is: an edit of
   * 10,000 strokes costs the host no copy of their ids before it relays the edit), in the order they came.
   */
  private dirty: Set<string>[] = []
  /** Where the placing of the first of them stopped (its sets are Yjs's: read, never changed). */
  private dirtyAt: Iterator<string> | undefined
  private settle: ReturnType<typeof setTimeout> | undefined
  private dirtyTimer: ReturnType<typeof setImmediate> | undefined
  private destroyed = false

  constructor(
    doc: Y.Doc,
    /** Called once the index is complete (built in slices, or finished by a query). */
    private readonly onComplete?: () => void,
  ) {
    this.elements = doc.getMap<unknown>('elements')
    this.elements.observe(this.changed)
    // Listing 100,000 ids is the first slice's work, not the caller's (the host prints its address meanwhile).
    this.timer = setImmediate(this.slice)
  }

  /** Whether every stroke is indexed (the building slices are done). */
  get complete(): boolean {
    return this.pending === undefined
  }

  /**
   * The ids of strokes that start within `area` and of every turned or stretched stroke (a superset: a caller
   * checks each). Finishes the index first if it is still being built.
   */
  near(area: Rect): Set<string> {
    this.finish()
    this.placeDirty(Number.POSITIVE_INFINITY)
    const out = new Set(this.turned)
    const x0 = cellCoord(area.minX)
    const x1 = cellCoord(area.maxX)
    const y0 = cellCoord(area.minY)
    const y1 = cellCoord(area.maxY)
    for (let cy = y0; cy <= y1; cy++)
      for (let cx = x0; cx <= x1; cx++) {
        const ids = this.cells.get(cy * ROW + cx)
        if (ids) for (const id of ids) out.add(id)
      }
    return out
  }

  /** Stops watching the board. */
  destroy(): void {
    this.destroyed = true
    this.elements.unobserve(this.changed)
    if (this.timer) clearImmediate(this.timer)
    this.stopDirtyTimer()
    this.pending = undefined
    this.dirty = []
    this.dirtyAt = undefined
  }

  private readonly changed = (event: Y.YMapEvent<unknown>): void => {
    if (event.keysChanged.size === 0) return
    this.dirty.push(event.keysChanged)
    if (this.settle || this.dirtyTimer) return
    this.settle = setTimeout(this.dirtySlice, SETTLE_MS)
    this.settle.unref?.()
  }

  /** Places changed ids for a slice of time, and comes back for the rest between the host's other work. */
  private readonly dirtySlice = (): void => {
    this.settle = undefined
    this.dirtyTimer = undefined
    if (this.destroyed) return
    this.placeDirty(performance.now() + SLICE_MS)
    if (this.dirty.length > 0) this.dirtyTimer = setImmediate(this.dirtySlice)
  }

  /** Places changed ids until `until` (performance.now()), or all of them. */
  private placeDirty(until: number): void {
    let n = 0
    while (this.dirty.length > 0) {
      this.dirtyAt ??= (this.dirty[0] as Set<string>).values()
      for (let next = this.dirtyAt.next(); !next.done; next = this.dirtyAt.next()) {
        this.place(next.value)
        if (++n % CHECK_EVERY === 0 && performance.now() >= until) return
      }
      this.dirty.shift()
      this.dirtyAt = undefined
    }
    this.stopDirtyTimer()
  }

  private stopDirtyTimer(): void {
    if (this.settle) clearTimeout(this.settle)
    if (this.dirtyTimer) clearImmediate(this.dirtyTimer)
    this.settle = undefined
    this.dirtyTimer = undefined
  }

  private readonly slice = (): void => {
    this.timer = undefined
    if (this.destroyed || !this.pending) return
    // A board read from a file holds its roots untyped; Yjs types one on its first get by walking all its items
    // (the z-order of 100,000 strokes: a while). Done here, between the host's work, not at the first join.
    if (this.at === 0) this.elements.doc?.getArray('order')
    this.list()
    const until = performance.now() + SLICE_MS
    while (this.at < this.pending.length && performance.now() < until) {
      const end = Math.min(this.at + CHECK_EVERY, this.pending.length)
      for (; this.at < end; this.at++) this.place(this.pending[this.at] as string)
    }
    if (this.at < this.pending.length) this.timer = setImmediate(this.slice)
    else this.completed()
  }

  private finish(): void {
    if (!this.pending) return
    if (this.timer) clearImmediate(this.timer)
    this.timer = undefined
    this.list()
    for (; this.at < this.pending.length; this.at++) this.place(this.pending[this.at] as string)
    this.completed()
  }

  /** The ids to index: every key of the board's elements as the building starts. */
  private list(): void {
    if (this.listed) return
    this.listed = true
    this.pending = [...this.elements.keys()]
  }

  private completed(): void {
    this.pending = undefined
    this.onComplete?.()
  }

  /** Indexes `id` as the board has it now (or forgets it). */
  private place(id: string): void {
    const value = this.elements.get(id)
    const start = isFlatRecord(value) ? startOfRecord(value) : null
    const cell =
      start === undefined ? TURNED : start ? cellCoord(start.y) * ROW + cellCoord(start.x) : undefined
    const was = this.cellOf.get(id)
    if (was === cell) return
    if (was === TURNED) this.turned.delete(id)
    else if (was !== undefined) {
      const ids = this.cells.get(was)
      ids?.delete(id)
      if (ids?.size === 0) this.cells.delete(was)
    }
    if (cell === undefined) {
      this.cellOf.delete(id)
      return
    }
    this.cellOf.set(id, cell)
    if (cell === TURNED) this.turned.add(id)
    else {
      let ids = this.cells.get(cell)
      if (!ids) {
        ids = new Set()
        this.cells.set(cell, ids)
      }
      ids.add(id)
    }
  }
}
