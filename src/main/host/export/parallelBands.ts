// A PNG export drawn by worker threads, a band each at a time: one band per core in flight, the rows sent back in
// order to the one PNG stream (deflate is Node's zlib behind CompressionStream). Memory stays at a few bands.
import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { ElementKind, type ImageAsset } from '../../../shared/elements/types'
import { type BandPlan, type BandRenderer, bandCount, type ExportLayout } from '../../../shared/export'
import type { BandReply, WorkerLayout } from './bandMessages'

/** At most this many workers by default: past it, deflating the rows on one thread is what the export waits for. */
const MAX_WORKERS = 4
/** Bands drawn ahead of the one the PNG waits for, per worker: enough to keep every worker busy. */
const AHEAD_PER_WORKER = 2

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

/** What a worker needs of a layout: plain data and the bytes of the images it draws. */
function workerLayout(layout: ExportLayout): WorkerLayout {
  const assets = new Map<string, ImageAsset>()
  for (const { element } of layout.items)
    if (element.kind === ElementKind.Image) {
      const asset = layout.asset(element.assetId)
      if (asset) assets.set(asset.id, asset)
    }
  const { asset: _asset, notes: _notes, ...data } = layout
  return { ...data, assets: [...assets.values()] }
}

/**
 * A BandRenderer that draws in `workers` worker threads (one per core by default) from the built worker file;
 * undefined when there is no built worker (running from source), so that the export draws on its own thread.
 */
export function parallelBands(
  options: { workerFile?: string; workers?: number } = {},
): BandRenderer | undefined {
  const file = options.workerFile ?? builtWorkerFile()
  if (!file) return undefined
  const workers = Math.max(1, options.workers ?? Math.min(MAX_WORKERS, availableParallelism()))
  return (layout, plan, signal) => drawInWorkers(file, workers, layout, plan, signal)
}

async function* drawInWorkers(
  file: string,
  workers: number,
  layout: ExportLayout,
  plan: BandPlan,
  signal?: AbortSignal,
): AsyncGenerator<Uint8Array> {
  signal?.throwIfAborted()
  const total = bandCount(plan)
  const count = Math.min(workers, total)
  const ahead = AHEAD_PER_WORKER * count
  const drawn = new Map<number, Uint8Array>()
  const idle: Worker[] = []
  const pool: Worker[] = []
  let next = 0
  let wanted = 0
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
  const give = (worker: Worker) => {
    if (next < total && next < wanted + ahead) worker.postMessage({ band: next++ })
    else idle.push(worker)
  }
  const data = workerLayout(layout)
  for (let i = 0; i < count; i++) {
    const worker = new Worker(file, { workerData: { layout: data, plan } })
    live++
    pool.push(worker)
    worker.on('exit', () => {
      live--
      if (!finished) fail(new Error('An export worker stopped before the export was done.'))
    })
    worker.on('error', (error) => fail(new Error(`An export worker failed: ${error.message}`)))
    worker.on('message', (message: BandReply) => {
      if (message.type === 'error') fail(new Error(`An export worker failed: ${message.message}`))
      else if (message.type === 'ready') give(worker)
      else {
        drawn.set(message.band, message.rows)
        give(worker)
        notify()
      }
    })
  }
  const onAbort = () => fail(signal?.reason)
  signal?.addEventListener('abort', onAbort)
  try {
    while (wanted < total) {
      if (failure) throw failure.error
      const rows = drawn.get(wanted)
      if (!rows) {
        await new Promise<void>((resolve) => {
          wake = resolve
        })
        continue
      }
      drawn.delete(wanted)
      wanted++
      while (idle.length > 0 && next < total && next < wanted + ahead)
        idle.shift()?.postMessage({ band: next++ })
      yield rows
    }
  } finally {
    finished = true
    signal?.removeEventListener('abort', onAbort)
    await Promise.all(pool.map((w) => w.terminate()))
  }
}
