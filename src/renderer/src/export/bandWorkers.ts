// The export dialog's PNG bands drawn in Web Workers (bandWorker.ts), through the same seam as the command line's
// worker threads (ExportRun.bands; src/main/host/export/parallelBands.ts): each worker draws a run of bands one after
// another (bandShares, so that it traces each stroke once) and deflates each band itself; the compressed bands are
// joined here in order into the PNG's one zlib stream, their Adler-32s combined. The page's main thread only passes
// bytes on, so it stays free for the progress bar and Cancel. Memory: a band or two per worker plus the compressed
// bands waiting for their turn.
import {
  type BandPlan,
  type BandRenderer,
  bandCount,
  bandPlan,
  bandShares,
  type ExportLayout,
  type ExportOptions,
} from '../../../shared/export'
import { BandJoin } from '../../../shared/export/bandJoin'
import { workerLayout } from '../../../shared/export/workerLayout'
import { loadedFontSources } from '../fonts'
import type { BandReply, PageMessage } from './bandMessages'
import { countExportWorkers } from './workerCounts'

/**
 * The most workers drawing by default, one per core up to this, as the command line's (its DEFAULT_WORKERS): on a
 * dense 20,000-stroke board at 2× the page's memory grew by 620-660 MB during the export with four against 420-430 MB
 * with two (about 110 MB a worker; docs/performance.md, "Round thirteen, after the merges").
 */
export const DEFAULT_WORKERS = 4

/** The device memory each default worker needs, in GB, as the command line's (its MEMORY_PER_WORKER). */
const GB_PER_WORKER = 1

/** zlib's level for the bands, as the command line's (PNG_DEFLATE_LEVEL): unfiltered rows deflate well at a fast level. */
const DEFLATE_LEVEL = 2

/** How long a worker may take to load, add the fonts and say it can draw before the export draws on the page instead. */
const READY_MS = 10_000

/**
 * How many workers an export would use here: one per core, at most DEFAULT_WORKERS and one per GB of the device's
 * memory where the browser tells it (Chromium's `navigator.deviceMemory`, rounded down to a power of two and at most
 * 8), at least one; 0 where the browser lacks Worker or OffscreenCanvas, or a second core (the page draws).
 */
export function browserWorkers(): number {
  if (typeof Worker !== 'function' || typeof OffscreenCanvas !== 'function') return 0
  const cores = navigator.hardwareConcurrency ?? 1
  if (cores < 2) return 0
  const memory = (navigator as { deviceMemory?: number }).deviceMemory
  const fit = memory === undefined ? DEFAULT_WORKERS : Math.floor(memory / GB_PER_WORKER)
  return Math.max(1, Math.min(DEFAULT_WORKERS, cores, fit))
}

/** Whether an export with these options, laid out as `layout`, would draw its bands in workers (a PNG of several bands). */
export function wantsWorkers(layout: ExportLayout, options: Partial<ExportOptions>): boolean {
  return (options.format ?? 'png') === 'png' && browserWorkers() > 0 && bandCount(bandPlan(layout)) > 1
}

/** Workers started and ready to draw, for one export; close() ends them (also after the export used them). */
export interface BandWorkers {
  bands: BandRenderer
  close(): void
}

/**
 * Starts `count` band workers and waits until each has loaded and can draw; undefined (no error shown) where one
 * fails to start, says it cannot draw, or takes too long: the export then draws on the page, as without workers.
 */
export async function startBandWorkers(count = browserWorkers()): Promise<BandWorkers | undefined> {
  if (count < 1) return undefined
  const pool: Worker[] = []
  const fonts = loadedFontSources()
  let closed = false
  const close = () => {
    if (closed) return
    closed = true
    for (const w of pool) w.terminate()
    countExportWorkers(0, pool.length)
  }
  try {
    const ready: Promise<void>[] = []
    for (let i = 0; i < count; i++) {
      const worker = new Worker(new URL('./bandWorker.ts', import.meta.url), {
        type: 'module',
        name: 'lanvas-export-band',
      })
      pool.push(worker)
      countExportWorkers(1)
      ready.push(
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('the worker did not start')), READY_MS)
          worker.onerror = (event) => {
            clearTimeout(timer)
            event.preventDefault()
            reject(new Error(event.message || 'the worker did not start'))
          }
          worker.onmessage = (event: MessageEvent<BandReply>) => {
            clearTimeout(timer)
            if (event.data.type === 'ready') resolve()
            else
              reject(new Error(event.data.type === 'error' ? event.data.message : 'the worker did not start'))
          }
        }),
      )
      worker.postMessage({ type: 'fonts', fonts } satisfies PageMessage)
    }
    await Promise.all(ready)
  } catch (error) {
    close()
    console.warn(`The export draws on the page: ${error instanceof Error ? error.message : String(error)}`)
    return undefined
  }
  let used = false
  const bands: BandRenderer = (layout, plan, signal, onDrawn) => {
    if (used) throw new Error('These export workers have drawn an export already.')
    used = true
    return drawInWorkers(pool, layout, plan, signal, onDrawn, close)
  }
  return { bands, close }
}

async function* drawInWorkers(
  pool: Worker[],
  layout: ExportLayout,
  plan: BandPlan,
  signal: AbortSignal | undefined,
  onDrawn: ((bands: number) => void) | undefined,
  close: () => void,
): AsyncGenerator<{ bytes: Uint8Array; rows: number }> {
  try {
    signal?.throwIfAborted()
    const total = bandCount(plan)
    const shares = bandShares(layout, plan, pool.length)
    /** Bands drawn and deflated, waiting for their turn in the stream. */
    const join = new BandJoin()
    let count = 0
    const fail = (error: unknown) => join.fail(error)
    shares.forEach((share, i) => {
      const worker = pool[i] as Worker
      worker.onerror = (event) => {
        event.preventDefault()
        fail(new Error(`An export worker failed: ${event.message}`))
      }
      worker.onmessage = (event: MessageEvent<BandReply>) => {
        const message = event.data
        if (message.type === 'error') fail(new Error(`An export worker failed: ${message.message}`))
        else if (message.type === 'band') {
          join.add(message)
          countExportWorkers(0, 0, 1)
          onDrawn?.(++count)
        }
      }
      const start: PageMessage = {
        type: 'start',
        layout: workerLayout(layout, plan, share),
        plan,
        share,
        level: DEFLATE_LEVEL,
      }
      worker.postMessage(start)
    })
    const onAbort = () => fail(signal?.reason)
    signal?.addEventListener('abort', onAbort)
    try {
      yield* join.stream(plan, total)
    } finally {
      signal?.removeEventListener('abort', onAbort)
    }
  } finally {
    // Done, failed or cancelled: the workers end now (a cancelled one stops mid-band).
    close()
  }
}
