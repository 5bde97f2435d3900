/**
 * The host's overview of a large board (src/shared/sync/overview.ts): drawn a slice at a time after the host listens
 * (./overviewDraw.ts), kept as the frame a joining page gets before the board's parts, and kept up to date: every
 * edit makes it stale (a stale one is never sent up front), and it is drawn again once the board has been quiet for
 * a moment (on a large board, at most about a tenth of the host's time: OVERVIEW_GAP_PER_COST; a quick drawing, of
 * strokes added or of the regions a few changes touched, a quarter of a second after an edit: QUICK_QUIET_MS), or when
 * a joiner asks for it (which gets it between its parts once drawn). A whole drawing the host started on its own
 * gives way to the first edit that comes meanwhile (it would be stale, so of no use to anyone, and its slices would
 * hold up the relay of that edit and of the ones after it); one a joiner waits for goes on. Only for a board larger
 * than one part of a joiner's sync (`minBytes`): a smaller one arrives at once, and the host spends no time on it.
 * A drawing that shows the board as it is is kept on disk (../savedOverviews.ts) and taken up when the host opens the
 * board again (restore): served at once if the board is as it showed it, or with the strokes added since drawn onto it.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import { isFlatRecord } from '../../../shared/elements/entry'
import { idsInRecords, MOVES_ROOT } from '../../../shared/elements/moves'
import { idsInStyleRecords, STYLES_ROOT } from '../../../shared/elements/styles'
import { errorMessage } from '../../../shared/errors'
import { overviewFrame, overviewProblem, pngSize, readOverviewBody } from '../../../shared/sync/overview'
import { estimateLacking } from '../../../shared/sync/syncParts'
import type { SavedOverview } from '../savedOverviews'
import type { CanvasToKeep, OverviewCanvas, PictureCount, RasterCount, WalkCount } from './overviewDraw'
import { builtPictureWorker, PictureWorker } from './overviewPictures'
import { boardSince, elementOf } from './sinceSnapshot'
import type { KeptOpening } from './viewPreview'

/**
 * The overview is drawn again once the board has had no edit for this long (ms). While edits keep coming it is not
 * (a drawing of a 100,000-stroke board is seconds of the host's CPU): a joiner then asks for it, and gets it once
 * drawn.
 */
export const OVERVIEW_QUIET_MS = 2000
/**
 * A drawing the host starts on its own (not for a joiner) waits, after the last one ended, this many times the CPU
 * the last one took: the background share of the host's time the overview may take is at most 1 / (1 + this). A
 * 100,000-stroke board's drawing takes seconds of CPU, so on a board where people draw and pause it is drawn again
 * about once a minute, not after every pause; a small board's, a fraction of a second, after the quiet time alone.
 */
export const OVERVIEW_GAP_PER_COST = 10
/**
 * A quick drawing (HostOverview.quick: strokes added, or the regions of a few changes drawn again) the host starts on
 * its own once the board has had no edit for this long (ms), and no sooner than OVERVIEW_GAP_PER_COST times the last
 * quick drawing's CPU after it: the overview is kept fresh where that is cheap, so that a joiner after a small edit
 * finds it drawn, instead of the whole drawing's gap (a minute and more on a 100,000-stroke board) holding it back.
 * Short: a quick drawing does not give way to edits, but is a fraction of a second in slices, and the gap keeps its
 * share of the host's time as a whole drawing's.
 */
export const QUICK_QUIET_MS = 250

/** At most this many elements changed since the last drawing: the next is quick (HostOverview.quick). */
export const QUICK_CHANGES = 1000

/** The state vector of a replica with nothing: what a late joiner lacks is the whole board. */
const NOTHING = Y.encodeStateVector(new Y.Doc())

/**
 * About how many bytes the whole board takes in a sync: the store's estimate (./syncParts.ts), which counts a flat
 * stroke record as a few bytes, plus the points each record holds.
 */
export function boardBytes(doc: Y.Doc): number {
  let bytes = estimateLacking(doc, NOTHING)
  for (const value of doc.getMap<unknown>('elements').values())
    if (isFlatRecord(value) && value.points instanceof Uint8Array) bytes += value.points.byteLength
  return bytes
}

/** What the last drawing cost (for the host's log, tests and the bench). */
export interface OverviewFigures {
  /** Wall time from the start to the frame, ms. */
  wallMs: number
  /** The host process's CPU meanwhile (its other work included), ms. */
  cpuMs: number
  /** The longest the event loop was held by one slice, ms. */
  longestSliceMs: number
  /** All the drawing's slices together, ms: its own time on the event loop (the CPU above counts the host's other work too). */
  ownMs: number
  /** How late a timer fired meanwhile (the wait of a relay or a join that came in), ms: its 99th percentile and most. */
  loopDelayP99Ms: number
  loopDelayMaxMs: number
  slices: number
  width: number
  height: number
  bytes: number
  /** How many elements were drawn onto the last drawing's canvas; undefined: the whole board was drawn. */
  added?: number
  /**
   * The last drawing drew again only the regions that changes touched on its canvas: how many elements it drew there,
   * and how many had changed; undefined: the whole board was drawn, or strokes added onto it.
   */
  redrawn?: { drawn: number; changed: number }
  /** The overview is the one the host drew before it started (kept on disk), not drawn in this run. */
  kept?: true
  /** What the drawing's slices rasterized of what they drew (./overviewDraw.ts, RasterCount). */
  raster?: RasterCount
  /** The z-order entries the drawing walked, and the most between two looks at the clock (./overviewDraw.ts, WalkCount). */
  walked?: WalkCount
  /** What the picture step copied of the canvas at a time, and whether the picture worker made it (PictureCount). */
  picture?: PictureCount
}

/** A canvas the host kept from a drawing before it started, and the z-order it shows: decoded when next drawn onto. */
interface CanvasOnDisk {
  saved: CanvasToKeep
  order: unknown[]
  listed: Set<unknown>
}

/** One board's overview on the host (see the top of this file). */
export class HostOverview {
  private frameBytes: Uint8Array | undefined
  /** The board's version the frame shows (-1: none drawn yet). */
  private shows = -1
  /** Counts the board's edits. */
  private version = 0
  private building: Promise<void> | undefined
  /** The drawing under way gives way to the next edit: the host started it on its own and no joiner waits for it. */
  private yields = false
  /** An edit came while a drawing that gives way was under way: it stops at its next slice. */
  private abandoned = false
  private timer: ReturnType<typeof setTimeout> | undefined
  /** Set once an overview was asked for: until then edits schedule nothing. */
  private wanted = false
  private destroyed = false
  /**
   * When the last whole drawing and the last quick one ended (performance.now()) and the CPU each took (ms): the next
   * of its kind on its own waits (schedule).
   */
  private lastWhole = { at: Number.NEGATIVE_INFINITY, costMs: 0 }
  private lastQuick = { at: Number.NEGATIVE_INFINITY, costMs: 0 }
  /** The drawing under way is a quick one (`quick` as it started). */
  private buildingQuick = false
  /** When a drawing of its own is planned (performance.now()), or undefined: none planned. */
  plannedAt: number | undefined
  /** When the last drawing ended (performance.now()), or undefined: none yet. */
  get drawnAt(): number | undefined {
    const at = Math.max(this.lastWhole.at, this.lastQuick.at)
    return Number.isFinite(at) ? at : undefined
  }
  /** What the last drawing cost. */
  figures: OverviewFigures | undefined
  /** The last drawing's canvas, while strokes appended on top can be drawn onto it alone (appendToOverview). */
  private kept: OverviewCanvas | CanvasOnDisk | undefined
  /** Where each drawing that shows the board as it is goes, to be taken up at the host's next start (restore). */
  private keep: ((saved: Promise<SavedOverview>) => void) | undefined
  /** The board's opening now, kept with each drawing (openingWith). */
  private opening: ((whole: boolean) => KeptOpening | undefined) | undefined
  /**
   * A drawing of strokes added that showed the board as it was, not kept yet: kept when the board closes (unless
   * strokes are drawn onto its canvas first). Encoding a 100,000-stroke board's canvas takes ~0.5 s of CPU, many
   * times what drawing a few strokes onto it does; a host that stops without closing keeps the drawing before, and
   * its next start draws those strokes again.
   */
  private unkept: { canvas: OverviewCanvas; save: () => Promise<SavedOverview> } | undefined
  /** While the snapshot of a drawing to keep is taken in slices: keeps it with a snapshot taken at once (destroy). */
  private snapshotting: (() => void) | undefined
  /**
   * The elements edits changed since the last drawing began (ids: their own keys, or move and style records that name
   * them), or 'all' once an edit changed something else (the background): the board is then drawn whole.
   */
  private touched: Set<string> | 'all' = new Set()
  /** The picture worker (./overviewPictures.ts), started with the first drawing of a large board. */
  private pictures: PictureWorker | undefined

  constructor(
    private readonly doc: Y.Doc,
    /** A board whose whole state is at most this many bytes gets no overview. */
    private readonly minBytes: () => number,
    private readonly log: (line: string) => void,
    /** Called with the frame each time an overview is drawn (edits may have come while it was). */
    private readonly drawn?: (frame: Uint8Array) => void,
    /**
     * The picture worker's file (HostLimits.overviewWorker, read when the first picture is made): undefined, the one
     * built beside the host's code; false, or none built (the code run from source), and the host makes its pictures
     * on its own thread.
     */
    private readonly pictureWorker: () => string | false | undefined = () => undefined,
    /**
     * Whether the host relays between two pages or more now. The built worker starts only then: with one page or
     * none, no one's ink waits behind the picture step, and a worker (its ~30 MB and the CPU of its start) buys
     * nothing. A worker's file given (HostLimits.overviewWorker) is used whatever this says.
     */
    private readonly relaying: () => boolean = () => true,
  ) {
    doc.on('update', this.changed)
    doc.on('afterTransaction', this.noteChanges)
  }

  /** The Overview frame to send a joiner now, or undefined (not drawn yet, stale, or a small board). */
  frame(): Uint8Array | undefined {
    return this.shows === this.version ? this.frameBytes : undefined
  }

  /**
   * Whether the next drawing is one of milliseconds: the last drawing's canvas is at hand with where its elements lie,
   * and at most QUICK_CHANGES elements changed since (strokes added onto it, or the regions changes touched drawn
   * again), or such a drawing is under way. A joiner's board then waits for it a moment (./boardRoom.ts), so that the
   * picture comes before the parts.
   */
  get quick(): boolean {
    if (this.building) return this.buildingQuick
    const kept = this.kept
    return (
      kept !== undefined &&
      !('saved' in kept) &&
      kept.marks !== undefined &&
      this.touched !== 'all' &&
      this.touched.size <= QUICK_CHANGES
    )
  }

  /** Whether a drawing is under way. */
  get drawing(): boolean {
    return this.building !== undefined
  }

  /** Whether the overview shows the board as it is (or the board is too small for one). */
  get fresh(): boolean {
    return this.shows === this.version && !this.building
  }

  /**
   * Draws the overview unless it shows the board as it is, for a joiner (edits meanwhile do not stop it); resolves
   * once it does (or was found too small). From the first call on, edits make the host draw it again.
   */
  refresh(): Promise<void> {
    return this.draw(false)
  }

  /**
   * Draws the overview unless it shows the board as it is, as the host does on its own (after it listens): the
   * drawing stops at the first edit that comes meanwhile, and is drawn again once the board is quiet.
   */
  drawUntilEdited(): Promise<void> {
    return this.draw(true)
  }

  private draw(yields: boolean): Promise<void> {
    this.wanted = true
    if (this.destroyed) return Promise.resolve()
    if (this.building) {
      // A joiner now waits for the drawing under way: it goes on whatever comes.
      if (!yields) this.yields = false
      return this.building
    }
    if (this.shows === this.version) return Promise.resolve()
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    this.plannedAt = undefined
    this.yields = yields
    this.abandoned = false
    this.buildingQuick = this.quick
    this.building = this.build().finally(() => {
      this.building = undefined
      this.buildingQuick = false
      this.yields = false
      this.abandoned = false
      // Edits while it was drawn: it is stale already (or was stopped), and drawn again in a while.
      if (this.shows !== this.version) this.schedule()
    })
    return this.building
  }

  /** From now on, each drawing that shows the board as it is goes to `keep` (the host's SavedOverviews). */
  keepEach(keep: (saved: Promise<SavedOverview>) => void): void {
    this.keep = keep
  }

  /**
   * What a drawing kept goes with: the opening of the board as it is at that moment (./viewPreview.ts, KeptOpening),
   * from the room, which has the index.
   */
  openingWith(opening: (whole: boolean) => KeptOpening | undefined): void {
    this.opening = opening
  }

  /**
   * Takes up the overview the host drew of this board before it started (../savedOverviews.ts), before any drawing
   * of its own: served as it is when the board is as the picture showed it; when strokes were only added since, its
   * canvas is kept for them to be drawn onto (the next drawing draws those alone). One that is not of this board's
   * past, or under which something changed, is passed over with a log line (the board is drawn whole, as without).
   */
  restore(saved: SavedOverview): void {
    if (this.destroyed || this.building || this.kept || this.shows >= 0) return
    const started = performance.now()
    const why = this.takeUp(saved, started)
    if (why) this.log(`overview kept from before not used: ${why}`)
  }

  /** restore's work; returns why the overview kept is not used, or undefined once it is taken up. */
  private takeUp(saved: SavedOverview, started: number): string | undefined {
    let since: ReturnType<typeof boardSince>
    let image: ReturnType<typeof readOverviewBody>
    try {
      since = boardSince(this.doc, Y.decodeSnapshot(saved.snapshot))
      const decoder = decoding.createDecoder(saved.frame)
      decoding.readVarUint(decoder)
      image = readOverviewBody(decoder)
    } catch (error) {
      return `it cannot be read (${errorMessage(error)})`
    }
    const problem = overviewProblem(image)
    if (problem) return problem
    if (typeof since === 'string') return since
    const { touched, order } = since
    const listed = new Set(order)
    if (touched === 'all' || [...touched].some((id) => listed.has(id)))
      return 'the board changed under it since'
    this.kept = { saved: saved.canvas, order, listed }
    this.touched = touched
    if (touched.size > 0 || order.length !== this.doc.getArray('order').length) {
      this.log(
        `overview kept from before: ${touched.size} elements added since, drawn onto it when next drawn ` +
          `(board read against it in ${Math.round(performance.now() - started)} ms)`,
      )
      return undefined
    }
    this.frameBytes = saved.frame
    this.shows = this.version
    const size = pngSize(image.png) ?? { width: 0, height: 0 }
    this.figures = {
      wallMs: 0,
      cpuMs: 0,
      longestSliceMs: 0,
      ownMs: 0,
      loopDelayP99Ms: 0,
      loopDelayMaxMs: 0,
      slices: 0,
      ...size,
      bytes: saved.frame.byteLength,
      kept: true,
    }
    this.log(
      `overview ${size.width}×${size.height} px, ${Math.round(saved.frame.byteLength / 1024)} KB, as drawn before: ` +
        `the board is as it showed it, not drawn again (board read against it in ${Math.round(performance.now() - started)} ms)`,
    )
    return undefined
  }

  /** Stops watching the board; a drawing under way stops at its next slice. */
  destroy(): void {
    this.destroyed = true
    this.snapshotting?.()
    this.snapshotting = undefined
    if (this.unkept && this.keep) this.keep(this.unkept.save())
    this.unkept = undefined
    this.doc.off('update', this.changed)
    this.doc.off('afterTransaction', this.noteChanges)
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    this.plannedAt = undefined
    this.frameBytes = undefined
    this.kept = undefined
    // Once the pictures asked for are made (the last drawing kept above, one under way).
    this.pictures?.end()
  }

  /**
   * The picture worker, started now if it is not yet (none when the host makes its pictures itself: no worker built,
   * or none given while the host relays to fewer than two pages).
   */
  private picturesAtHand(): PictureWorker | undefined {
    if (this.pictures || this.destroyed) return this.pictures
    const given = this.pictureWorker()
    if (given === undefined && !this.relaying()) return undefined
    const file = given ?? builtPictureWorker()
    if (file) this.pictures = new PictureWorker(file)
    return this.pictures
  }

  /** Notes which elements a transaction changed (see `touched`). */
  private readonly noteChanges = (transaction: Y.Transaction): void => {
    // Only while there is a canvas to draw onto, or one being drawn (whose edits the next drawing must know).
    if ((!this.kept && !this.building) || this.touched === 'all') return
    const elements: unknown = this.doc.getMap<unknown>('elements')
    const order: unknown = this.doc.getArray<unknown>('order')
    // Looked up, not made: a board without move or style records has no such list.
    const moves: unknown = this.doc.share.get(MOVES_ROOT)
    const styles: unknown = this.doc.share.get(STYLES_ROOT)
    for (const [type, keys] of transaction.changed) {
      if (type === order) continue
      if (type === elements) {
        for (const key of keys) if (key !== null) this.touched.add(key)
        continue
      }
      if (type === moves || type === styles) {
        // A move or style record came or went (a large move or restyle, its undo or redo): the elements it names
        // changed, as if each had been written (the records' content is still there in afterTransaction).
        const { added, deleted } = new Y.YEvent(type as Y.Array<unknown>, transaction).changes
        const entries = [...added, ...deleted].flatMap((item) => item.content.getContent())
        for (const id of (type === moves ? idsInRecords : idsInStyleRecords)(entries)) this.touched.add(id)
        continue
      }
      const id = elementOf(type, elements as Y.Map<unknown>)
      if (id === undefined) {
        this.touched = 'all'
        return
      }
      this.touched.add(id)
    }
  }

  private readonly changed = (): void => {
    this.version++
    if (this.building && this.yields) this.abandoned = true
    this.schedule()
  }

  /**
   * Draws again once the board had no edit for OVERVIEW_QUIET_MS, and no sooner after the last whole drawing than
   * OVERVIEW_GAP_PER_COST times what it cost; a quick one (`quick`) once it had none for QUICK_QUIET_MS, and no sooner
   * than that many times the last quick drawing's cost after it. A joiner that asks for it meanwhile has it drawn at
   * once (refresh).
   */
  private schedule(): void {
    if (!this.wanted || this.destroyed || this.building) return
    if (this.timer) clearTimeout(this.timer)
    const now = performance.now()
    const [quiet, last] = this.quick ? [QUICK_QUIET_MS, this.lastQuick] : [OVERVIEW_QUIET_MS, this.lastWhole]
    const due = Math.max(now + quiet, last.at + OVERVIEW_GAP_PER_COST * last.costMs)
    this.plannedAt = due
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.plannedAt = undefined
      void this.draw(true)
    }, due - now)
    this.timer.unref?.()
  }

  /**
   * Ends a drawing (done, given way or given up): when it ended and its CPU since `cpu` (ms), for the next plan of its
   * kind (whole or quick).
   */
  private spent(cpu: NodeJS.CpuUsage, quick: boolean): number {
    const used = process.cpuUsage(cpu)
    const costMs = (used.user + used.system) / 1000
    const last = { at: performance.now(), costMs }
    if (quick) this.lastQuick = last
    else this.lastWhole = last
    return costMs
  }

  private async build(): Promise<void> {
    const version = this.version
    // The last drawing's canvas is brought up to date when only elements changed since (that board was large):
    // strokes added on top are drawn onto it alone, and the regions other changes touched are drawn again
    // (./overviewDraw.ts, appendToOverview).
    const kept = this.kept
    const touched = this.touched
    this.kept = undefined
    this.touched = new Set()
    const appending = kept !== undefined && touched !== 'all'
    // Strokes are drawn onto that canvas now: what it showed is no longer there to keep.
    if (appending && kept === this.unkept?.canvas) this.unkept = undefined
    // Small boards arrive at once: no overview (a walk over the board's structs and records, no decoding).
    const small = () => {
      const min = this.minBytes()
      if (Number.isFinite(min) && boardBytes(this.doc) > min) return false
      this.frameBytes = undefined
      this.shows = version
      return true
    }
    if (!appending && small()) return
    const started = performance.now()
    const cpu = process.cpuUsage()
    const delay = monitorEventLoopDelay({ resolution: 10 })
    delay.enable()
    try {
      const { appendToOverview, boardSnapshot, canvasToKeep, drawOverview, keptCanvas, yjsSnapshot } =
        await import('./overviewDraw')
      const pictures = this.picturesAtHand()
      // A canvas kept from before the host started is decoded now that strokes are drawn onto it.
      let onto = kept && 'saved' in kept ? undefined : kept
      if (appending && kept && 'saved' in kept)
        onto = await keptCanvas(kept.saved, kept.order).catch((error) => {
          this.log(`overview kept from before not used: ${errorMessage(error)}`)
          return undefined
        })
      // Drawing what was added, or the regions a few changes touched, takes milliseconds: it goes on whatever comes
      // (a region of more than a quarter of the board's elements is drawn whole); a whole drawing of the host's own
      // gives way to an edit.
      const added =
        appending && onto
          ? await appendToOverview(this.doc, onto, touched, () => this.destroyed, pictures)
          : 'whole'
      if (added === 'whole' && appending && small()) return
      // A drawing of its own planned as a quick one that has to be whole after all (the changes reach too much of the
      // board): not before a whole drawing's gap, as any whole drawing of its own.
      if (
        added === 'whole' &&
        this.yields &&
        performance.now() < this.lastWhole.at + OVERVIEW_GAP_PER_COST * this.lastWhole.costMs
      ) {
        this.touched = 'all'
        this.spent(cpu, true)
        return
      }
      const drawing =
        added === 'whole'
          ? await drawOverview(this.doc, () => this.destroyed || this.abandoned, pictures)
          : added
      if (this.destroyed) return
      // Given way to an edit: nothing drawn; what it cost counts towards when the host tries again on its own.
      if (this.abandoned && added === 'whole') {
        this.spent(cpu, false)
        return
      }
      // Edits that came while it was drawn are the next drawing's to look at (noted from now on).
      this.kept = drawing?.kept
      this.frameBytes = drawing ? overviewFrame(drawing.image) : undefined
      this.shows = version
      delay.disable()
      const cpuMs = this.spent(cpu, added !== 'whole')
      this.figures = {
        wallMs: performance.now() - started,
        cpuMs,
        longestSliceMs: drawing?.longestSliceMs ?? 0,
        ownMs: drawing?.busyMs ?? 0,
        loopDelayP99Ms: delay.percentile(99) / 1e6,
        loopDelayMaxMs: delay.max / 1e6,
        slices: drawing?.slices ?? 0,
        width: drawing?.width ?? 0,
        height: drawing?.height ?? 0,
        bytes: this.frameBytes?.byteLength ?? 0,
        added: drawing?.added,
        redrawn: drawing?.redrawn,
        raster: drawing?.raster,
        walked: drawing?.walked,
        picture: drawing?.picture,
      }
      const f = this.figures
      // Joiners waiting for it get it even when edits came while it was drawn: it is no older than their join.
      if (this.frameBytes) this.drawn?.(this.frameBytes)
      // Kept for the host's next start when it shows the board as it is (no edit came while it was drawn): a whole
      // drawing at once, one of strokes added when the board closes (see `unkept`).
      if (this.keep && drawing && this.frameBytes && version === this.version) {
        const frame = this.frameBytes
        const canvas = drawing.kept
        // Taken with the snapshot: the opening is of the same board (after a drawing of strokes added, only when the
        // room has it at hand: those come after every pause in the drawing on a busy board).
        const whole = drawing.added === undefined && drawing.redrawn === undefined
        const opening = this.opening?.(whole)
        const save = (snapshot: () => Y.Snapshot) => () =>
          canvasToKeep(canvas, pictures).then((kept) => ({
            snapshot: Y.encodeSnapshot(snapshot()),
            frame,
            canvas: kept,
            ...(opening ? { opening } : {}),
          }))
        this.unkept = undefined
        // The board's snapshot in slices (./overviewDraw.ts; 10–20 ms in one piece on a 100,000-stroke board, after
        // every drawing): none when an edit came meanwhile (the picture no longer shows the board as it is). Made
        // Yjs's snapshot and encoded only when the drawing is kept (one of strokes added: when the board closes). A
        // close meanwhile keeps the drawing with the snapshot taken at once, when the board is still as drawn.
        const keep = this.keep
        this.snapshotting = () => {
          if (version !== this.version) return
          const now = Y.snapshot(this.doc)
          keep(save(() => now)())
        }
        const taken = await boardSnapshot(this.doc, () => this.destroyed)
        this.snapshotting = undefined
        if (taken && !this.destroyed) {
          const saveTaken = save(() => yjsSnapshot(taken))
          if (whole) keep(saveTaken())
          else this.unkept = { canvas, save: saveTaken }
        }
      }
      const how =
        f.added !== undefined
          ? `(${f.added} added) `
          : f.redrawn
            ? `(${f.redrawn.drawn} redrawn around ${f.redrawn.changed} changed) `
            : ''
      this.log(
        `overview ${how}${f.width}×${f.height} px, ${Math.round(f.bytes / 1024)} KB, in ${Math.round(f.wallMs)} ms ` +
          `(CPU ${Math.round(f.cpuMs)} ms, ${f.slices} slices, longest ${Math.round(f.longestSliceMs)} ms; ` +
          `event loop delay p99 ${Math.round(f.loopDelayP99Ms)} ms, max ${Math.round(f.loopDelayMaxMs)} ms; ` +
          `its slices ${Math.round(f.ownMs)} ms in all` +
          `${f.picture?.worker ? `; its picture read in ${f.picture.pieces} pieces for the worker` : ''}` +
          `${version !== this.version ? '; stale already' : ''})`,
      )
    } catch (error) {
      // No overview is no loss: joiners get the board as they did without one. What the attempt cost counts
      // towards when the host tries again on its own.
      this.frameBytes = undefined
      this.shows = version
      this.spent(cpu, false)
      this.log(`overview not drawn: ${errorMessage(error)}`)
    } finally {
      delay.disable()
    }
  }
}
