// A PNG export drawn by worker threads: two workers draw a run of bands one after another from its two ends until
// they meet (bandShares, BandClaims: so that they end together and each traces each stroke about once) and each
// deflates its bands itself; the compressed bands are joined in order into the one zlib
// stream of the PNG, their Adler-32s combined (as pigz does). Memory stays at a band or two per worker plus the
// compressed bands waiting for their turn.
import { existsSync } from 'node:fs'
import { availableParallelism, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import {
  type BandPlan,
  type BandRenderer,
  type BoxWalker,
  bandCount,
  type ExportLayout,
  walkBoxes,
} from '../../../shared/export'
import { BandClaims, workerPlans } from '../../../shared/export/bandClaims'
import { BandJoin } from '../../../shared/export/bandJoin'
import { workerLayout } from '../../../shared/export/workerLayout'
import { platform } from '../../../shared/platform'
import type { BandReply, BoxReply, BoxRequest, WorkerStart } from './bandMessages'
import { collectYoungGarbage, PNG_DEFLATE_LEVEL } from './nodeCanvas'

/**
 * The most workers drawing by default, one per core up to this: four keep the dense 100,000-stroke export at 2× under
 * 1 GB (907-921 MB on this 2-core machine with `--workers 4`: each worker's strokes travel as columns and its held
 * paths keep one copy of their points; docs/performance.md, "Round twelve, helper exportcores"), and a machine with
 * more cores can ask for more (`--workers N`).
 */
export const DEFAULT_WORKERS = 4

/**
 * The machine's memory each default worker needs (os.totalmem()): a worker's heap, band canvas, rows and paths are
 * 150-200 MB on the dense board, so a machine of 2 GB draws with two, of 1 GB on its own thread, and the export stays
 * within about a quarter of the memory.
 */
export const MEMORY_PER_WORKER = 1024 * 1024 * 1024

/**
 * A worker's young generation, in MB (V8's default is up to 48): its allocation is a stroke's outline and path at a
 * time, so a small nursery costs no more CPU and keeps each worker's heap near what it holds (measured: heap 72–85
 * MB against 100–210 MB, the same CPU).
 */
const WORKER_YOUNG_GENERATION_MB = 6

/**
 * How many workers draw by default on a machine of `cores` and `memory` bytes: one per core, at most DEFAULT_WORKERS
 * and one per MEMORY_PER_WORKER; 1 draws on this thread.
 */
export function defaultWorkers(cores = availableParallelism(), memory = totalmem()): number {
  const fit = Math.floor(memory / MEMORY_PER_WORKER)
  return Math.max(1, Math.min(DEFAULT_WORKERS, cores, fit))
}

/** Bands the main thread writes between its own collections (it frees the compressed bands the workers sent). */
const COLLECT_EVERY_BANDS = 4

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

/** How a parallel export runs. */
export interface ParallelBandsOptions {
  /** The worker script (default: the built one beside this module). */
  workerFile?: string
  /** How many workers (default: defaultWorkers()). */
  workers?: number
  /**
   * Called once every worker has its share (they hold their own copies): a caller that owns the layout can let its
   * items go and give the memory back (the command line does) before the workers' drawing takes its own.
   */
  onStarted?: () => void
  /**
   * Start the workers now, not when the export draws, so that their code loads while this thread reads and lays out
   * the board (the command line: about half a second of each worker's start on the idle core). They do not keep the
   * process alive until an export uses them; the first export drawn uses them, later ones start their own.
   */
  warm?: boolean
}

/** A worker thread of the export, started (its code loading) and waiting for its WorkerStart. */
function startWorker(file: string): Worker {
  return new Worker(file, { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } })
}

/**
 * A BandRenderer that draws in `workers` worker threads (defaultWorkers()) from the built worker file; undefined when
 * there is no built worker (running from source), so that the export draws on its own thread.
 */
export function parallelBands(options: ParallelBandsOptions = {}): BandRenderer | undefined {
  return parallelExport(options)?.bands
}

/** A parallel export's workers: they draw the bands and, warm, walk the layout's boxes before (BoxWalker). */
export interface ParallelExport {
  bands: BandRenderer
  /** Walks a lean layout's strokes' boxes in the warm workers while they wait (exportLayoutWalked); when warm. */
  walker?: BoxWalker
}

/** parallelBands, with the warm workers' BoxWalker: the command line's parallel export. */
export function parallelExport(options: ParallelBandsOptions = {}): ParallelExport | undefined {
  const file = options.workerFile ?? builtWorkerFile()
  if (!file) return undefined
  const workers = Math.max(1, options.workers ?? defaultWorkers())
  let warm = options.warm
    ? Array.from({ length: workers }, () => {
        const worker = startWorker(file)
        worker.unref()
        return worker
      })
    : []
  const bands: BandRenderer = (layout, plan, signal, onDrawn) => {
    const started = warm
    warm = []
    return drawInWorkers(file, workers, started, layout, plan, signal, onDrawn, options.onStarted)
  }
  // Every warm worker walks the boxes, up to one per core (more would only take turns on the same cores): the walk
  // (decoding each stroke's points) is 0.9 s of CPU on the dense 100,000-stroke board, the main thread's reading
  // that goes with it 0.4 s since the walked layout reads few strokes one by one, so the main thread waited for a
  // lone walker; it was the other way round when one fewer than drew walked (docs/performance.md, round fourteen).
  const walkers = warm.slice(0, Math.max(1, availableParallelism()))
  return { bands, ...(options.warm ? { walker: boxWalker(walkers) } : {}) }
}

/**
 * A BoxWalker of warm workers: each batch goes to the next worker in turn, which walks it while this thread reads on
 * (the workers have nothing else to do before their shares come). A worker is held (ref) while it has batches, so
 * that the process waits for them; a batch whose worker has stopped is walked here.
 */
function boxWalker(workers: Worker[]): BoxWalker {
  const asked = new Map<
    number,
    { worker: Worker; request: BoxRequest; resolve: (boxes: Float32Array) => void }
  >()
  const busy = new Map<Worker, number>()
  let ids = 0
  let turn = 0
  const settle = (worker: Worker, id: number, boxes?: Float32Array) => {
    const entry = asked.get(id)
    if (!entry || entry.worker !== worker) return
    asked.delete(id)
    const { block, offsets, lengths } = entry.request
    entry.resolve(boxes ?? walkBoxes(block, offsets, lengths))
    const left = (busy.get(worker) ?? 1) - 1
    busy.set(worker, left)
    if (left === 0) worker.unref()
  }
  for (const worker of workers) {
    worker.on('message', (message: BoxReply | BandReply) => {
      if (message.type === 'boxes') settle(worker, message.id, message.boxes)
    })
    // Its batches are walked here instead.
    worker.on('exit', () => {
      for (const [id, entry] of [...asked]) if (entry.worker === worker) settle(worker, id)
    })
    // A listener of its messages holds the worker's port again: a warm worker no export uses (a PNG of one band is
    // drawn on the main thread) must not keep the process alive.
    worker.unref()
  }
  return (block, offsets, lengths) =>
    new Promise((resolve) => {
      const live = workers.filter((w) => w.threadId >= 0)
      const worker = live[turn++ % Math.max(1, live.length)]
      if (!worker) {
        resolve(walkBoxes(block, offsets, lengths))
        return
      }
      const id = ids++
      const request: BoxRequest = { type: 'boxes', id, block, offsets, lengths }
      asked.set(id, { worker, request, resolve })
      busy.set(worker, (busy.get(worker) ?? 0) + 1)
      worker.ref()
      worker.postMessage(request)
    })
}

async function* drawInWorkers(
  file: string,
  workers: number,
  warm: Worker[],
  layout: ExportLayout,
  plan: BandPlan,
  signal?: AbortSignal,
  onDrawn?: (bands: number) => void,
  onStarted?: () => void,
): AsyncGenerator<{ bytes: Uint8Array; rows: number }> {
  signal?.throwIfAborted()
  const total = bandCount(plan)
  // Two workers to a run, one from each end (BandClaims), so that they end together (workerPlans).
  const plans = workerPlans(layout, plan, workers)
  const claims = BandClaims.buffer(plans.length)
  /** Bands drawn and deflated, waiting for their turn in the stream. */
  const join = new BandJoin()
  const pool: Worker[] = []
  let count = 0
  let finished = false
  const fail = (error: unknown) => join.fail(error)
  // Each worker is given its share as soon as it is made: the first draws while this thread makes the next's. In a
  // function of its own, whose frame goes when it returns: this generator, suspended while it writes, would otherwise
  // keep the last share (and the items it holds) alive to the end, and onStarted's caller could not give its memory
  // back.
  const startAll = () => {
    for (const work of plans) {
      const start: WorkerStart = {
        layout: workerLayout(layout, plan, work.reach),
        plan,
        work,
        claims,
        level: PNG_DEFLATE_LEVEL,
      }
      // A warm worker that has stopped (threadId -1) is replaced.
      let worker = warm.shift()
      while (worker && worker.threadId < 0) worker = warm.shift()
      worker ??= startWorker(file)
      worker.ref()
      worker.postMessage(start)
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
          join.add(message)
          onDrawn?.(++count)
        }
      })
    }
  }
  try {
    startAll()
  } catch (error) {
    await Promise.all([...pool, ...warm].map((w) => w.terminate()))
    throw error
  }
  // The workers hold their shares now.
  onStarted?.()
  // Where this thread only exports (the command line), a collection now and then frees the compressed bands already
  // written: its heap allocates too little for V8 to collect by itself, and they would add up to the whole file. A
  // young-generation one: the bands arrived since the last are young, and freeing them needs no marking of the whole
  // heap (a full collection here took 100-350 ms of a core the two workers draw on, every 4 bands).
  const collect = platform().collectGarbage && collectYoungGarbage
  const onAbort = () => fail(signal?.reason)
  signal?.addEventListener('abort', onAbort)
  try {
    yield* join.stream(plan, total, (band) => {
      if (band % COLLECT_EVERY_BANDS === 0) collect?.()
    })
  } finally {
    finished = true
    signal?.removeEventListener('abort', onAbort)
    await Promise.all([...pool, ...warm].map((w) => w.terminate()))
  }
}
