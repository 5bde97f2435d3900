// A PNG export drawn by worker threads: each worker draws a run of bands one after another (bandShares, so that it
// traces each stroke once) and deflates each band itself; the compressed bands are joined in order into the one zlib
// stream of the PNG, their Adler-32s combined (as pigz does). Memory stays at a band or two per worker plus the
// compressed bands waiting for their turn.
import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { ElementKind, type ImageAsset } from '../../../shared/elements/types'
import {
  type BandPlan,
  type BandRenderer,
  type BandShare,
  bandCount,
  bandShares,
  type ExportLayout,
  shareItems,
} from '../../../shared/export'
import { adler32Combine, ZLIB_HEADER, zlibTrailer } from '../../../shared/export/png'
import type { BandReply, WorkerLayout, WorkerStart } from './bandMessages'
import { PNG_DEFLATE_LEVEL } from './nodeCanvas'

/** At most this many workers by default: each holds its own band canvas, rows and heap. */
const MAX_WORKERS = 4

let live = 0
/** How many export workers are running now (tests check that an aborted export leaves none). */
export function liveExportWorkers(): number {
  return live
}

/** The built worker beside this module (out/main/exportWorker.js), or undefined when running from source. */
export function builtWorkerFile(): string | undefined {
  for (const candidate of ['./exportWorker.js', '../exportWorker.js']) {
    const file = fileURLToPath(new URL(candidate, import.meta.url))
    if (existsSync(file)) return file
  }
  return undefined
}

/** What a worker needs of a layout to draw a share of its bands: plain data, its items, the bytes of its images. */
function workerLayout(layout: ExportLayout, plan: BandPlan, share: BandShare): WorkerLayout {
  const items = shareItems(layout, plan, share)
  const assets = new Map<string, ImageAsset>()
  for (const { element } of items)
    if (element.kind === ElementKind.Image) {
      const asset = layout.asset(element.assetId)
      if (asset) assets.set(asset.id, asset)
    }
  const { asset: _asset, notes: _notes, ...data } = layout
  return { ...data, items, assets: [...assets.values()] }
}

/**
 * A BandRenderer that draws in `workers` worker threads (one per core by default, at most MAX_WORKERS) from the built
 * worker file; undefined when there is no built worker (running from source), so that the export draws on its own
 * thread.
 */
export function parallelBands(
  options: { workerFile?: string; workers?: number } = {},
): BandRenderer | undefined {
  const file = options.workerFile ?? builtWorkerFile()
  if (!file) return undefined
  const workers = Math.max(1, options.workers ?? Math.min(MAX_WORKERS, availableParallelism()))
  return (layout, plan, signal, onDrawn) => drawInWorkers(file, workers, layout, plan, signal, onDrawn)
}

type Drawn = Extract<BandReply, { type: 'band' }>

async function* drawInWorkers(
  file: string,
  workers: number,
  layout: ExportLayout,
  plan: BandPlan,
  signal?: AbortSignal,
  onDrawn?: (bands: number) => void,
): AsyncGenerator<{ bytes: Uint8Array; rows: number }> {
  signal?.throwIfAborted()
  const total = bandCount(plan)
  const shares = bandShares(layout, plan, workers)
  /** Bands drawn and deflated, waiting for their turn in the stream. */
  const drawn = new Map<number, Drawn>()
  const pool: Worker[] = []
  let count = 0
  let failure: { error: unknown } | undefined
  let finished = false
  let wake: (() => void) | undefined
  const notify = () => {
    const w = wake
    wake = undefined
    w?.()
  }
  const fail = (error: unknown) => {
    failure ??= { error }
    notify()
  }
  for (const share of shares) {
    const start: WorkerStart = {
      layout: workerLayout(layout, plan, share),
      plan,
      share,
      level: PNG_DEFLATE_LEVEL,
    }
    const worker = new Worker(file, { workerData: start })
    live++
    pool.push(worker)
    let done = false
    worker.on('exit', () => {
      live--
      if (!finished && !done) fail(new Error('An export worker stopped before the export was done.'))
    })
    worker.on('error', (error) => fail(new Error(`An export worker failed: ${error.message}`)))
    worker.on('message', (message: BandReply) => {
      if (message.type === 'error') fail(new Error(`An export worker failed: ${message.message}`))
      else if (message.type === 'done') done = true
      else {
        drawn.set(message.band, message)
        onDrawn?.(++count)
        notify()
      }
    })
  }
  const onAbort = () => fail(signal?.reason)
  signal?.addEventListener('abort', onAbort)
  try {
    yield { bytes: ZLIB_HEADER, rows: 0 }
    let adler = 1
    for (let band = 0; band < total; ) {
      if (failure) throw failure.error
      const next = drawn.get(band)
      if (!next) {
        await new Promise<void>((resolve) => {
          wake = resolve
        })
        continue
      }
      drawn.delete(band)
      adler = adler32Combine(adler, next.adler, next.length)
      yield { bytes: next.deflated, rows: Math.min(plan.bandHeight, plan.height - band * plan.bandHeight) }
      band++
    }
    if (failure) throw failure.error
    yield { bytes: zlibTrailer(adler), rows: 0 }
  } finally {
    finished = true
    signal?.removeEventListener('abort', onAbort)
    await Promise.all(pool.map((w) => w.terminate()))
  }
}
