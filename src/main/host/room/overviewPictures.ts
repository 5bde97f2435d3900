/**
 * The host's overview picture worker, seen from the host's thread: a worker thread (./pictureWorker.ts, built as
 * out/main/overviewWorker.js) that makes the overview's picture and the PNG of the canvas kept for the next start from
 * pixels the host's thread reads into a buffer shared with it (./overviewDraw.ts reads them a piece a slice). Made
 * in one piece on the host's thread, a picture of a 100,000-stroke board held the relay of everyone's ink 10–25 ms
 * quiet and up to ~230 ms under load (a fresh 16 MB canvas per copy and halving, their rasterizing, the copy-on-write
 * of the drawing's canvas once it was snapshotted: docs/performance.md, round thirteen). One per board that gets an
 * overview (HostOverview), started with its first picture, ended when idle (PICTURE_WORKER_IDLE_MS) and with the
 * board; without a built worker (the code run from source, as in unit tests) the host makes its pictures on its own
 * thread as before.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { PictureReply, PictureRequest } from './pictureMessages'

/** The built picture worker beside this module (out/main/overviewWorker.js), or undefined when running from source. */
export function builtPictureWorker(): string | undefined {
  for (const candidate of ['./overviewWorker.js', '../overviewWorker.js']) {
    const file = fileURLToPath(new URL(candidate, import.meta.url))
    if (existsSync(file)) return file
  }
  return undefined
}

/**
 * A worker with no picture to make for this long (ms) is ended, and the buffer let go: started again (under a
 * millisecond of the host's thread) with the next picture. While people draw, quick drawings come every few seconds
 * and it stays; once the board is quiet, the memory it kept (its heap, the native memory of its last canvases: tens of
 * MB) goes back.
 */
export const PICTURE_WORKER_IDLE_MS = 10_000

let live = 0
/** How many picture workers are running now (tests check that a board closed leaves none). */
export function livePictureWorkers(): number {
  return live
}

/** What the worker made: a PNG, its size, and how many times it was halved. */
export interface MadePicture {
  png: Uint8Array
  width: number
  height: number
  halvings: number
}

/** A request the worker has, and what waits for its reply. */
interface Job {
  taken: () => void
  resolve: (made: MadePicture) => void
  reject: (error: Error) => void
}

/** How many pieces were read into the shared buffer, and the most pixels one piece held (a test's count). */
export interface PiecesRead {
  pieces: number
  mostPixels: number
}

/** One board's picture worker (see the top of this file). */
export class PictureWorker {
  private worker: Worker | undefined
  /**
   * The pixels read for the worker: kept from picture to picture (a fresh 16 MB buffer costs ~10 ms of page faults on
   * the host's thread), grown when a larger picture needs it.
   */
  private buffer: SharedArrayBuffer | undefined
  /** The buffer's turns: a reader waits until the worker took the pixels the one before read. */
  private turn: Promise<void> = Promise.resolve()
  private readonly jobs = new Map<number, Job>()
  private nextId = 0
  /** Pictures asked for and not made yet (waiting for the buffer, read, or in the worker). */
  private asked = 0
  private ended = false
  /** Ends the worker once it was idle for PICTURE_WORKER_IDLE_MS. */
  private idle: ReturnType<typeof setTimeout> | undefined
  /** Why the worker stopped, once it did on its own (it is not started again: the host makes its pictures itself). */
  private broken: string | undefined
  /** The pieces read into the buffer so far (./overviewDraw.ts counts them). */
  readonly read: PiecesRead = { pieces: 0, mostPixels: 0 }

  constructor(
    private readonly file: string,
    /** How long it may be idle before it is ended (ms). */
    private readonly idleMs = PICTURE_WORKER_IDLE_MS,
  ) {}

  /** Whether pictures can be made here (not ended, the worker not stopped): otherwise the host makes them itself. */
  get usable(): boolean {
    return !this.ended && this.broken === undefined
  }

  /**
   * Makes a picture of `width` × `height` pixels (`request`): waits for the buffer, gives `fill` its first
   * width × height × 4 bytes to read the pixels into (RGBA, rows one after the other), then has the worker make it; the
   * next picture's pixels are read once the worker copied these. Rejects when the worker fails or stopped.
   */
  make(
    request: Pick<PictureRequest, 'kind' | 'width' | 'height' | 'halvings' | 'maxBytes'>,
    fill: (into: Uint8Array) => Promise<void>,
  ): Promise<MadePicture> {
    this.asked++
    if (this.idle) clearTimeout(this.idle)
    this.idle = undefined
    let release = () => {}
    const mine = new Promise<void>((resolve) => {
      release = resolve
    })
    const before = this.turn
    this.turn = mine
    const made = (async () => {
      try {
        await before
        if (this.broken !== undefined) throw new Error(`the overview picture worker stopped: ${this.broken}`)
        const bytes = request.width * request.height * 4
        if (!this.buffer || this.buffer.byteLength < bytes) {
          this.buffer = undefined
          this.buffer = new SharedArrayBuffer(bytes)
        }
        const buffer = this.buffer
        await fill(new Uint8Array(buffer, 0, bytes))
        const worker = this.started()
        const id = this.nextId++
        const reply = new Promise<MadePicture>((resolve, reject) => {
          this.jobs.set(id, { taken: release, resolve, reject })
        })
        worker.ref()
        worker.postMessage({ ...request, id, buffer } satisfies PictureRequest)
        return await reply
      } finally {
        release()
      }
    })()
    const done = () => {
      this.asked--
      this.endIfIdle()
    }
    made.then(done, done)
    return made
  }

  /** Ends the worker once the pictures asked for are made (a board closing keeps its last one: HostOverview.destroy). */
  end(): void {
    this.ended = true
    this.endIfIdle()
  }

  private endIfIdle(): void {
    if (this.asked > 0) return
    this.worker?.unref()
    if (this.ended) this.stop()
    else if (this.worker && !this.idle) {
      this.idle = setTimeout(() => {
        this.idle = undefined
        if (this.asked === 0) this.stop()
      }, this.idleMs)
      this.idle.unref?.()
    }
  }

  /** Ends the worker now (no picture is asked for), and lets the buffer go. */
  private stop(): void {
    if (this.idle) clearTimeout(this.idle)
    this.idle = undefined
    const worker = this.worker
    this.worker = undefined
    this.buffer = undefined
    void worker?.terminate()
  }

  private started(): Worker {
    if (this.worker) return this.worker
    const worker = new Worker(this.file)
    live++
    worker.once('exit', () => live--)
    worker.on('message', (message: PictureReply) => {
      const job = this.jobs.get(message.id)
      if (!job) return
      if (message.type === 'taken') {
        job.taken()
        return
      }
      this.jobs.delete(message.id)
      if (message.type === 'error') job.reject(new Error(message.message))
      else
        job.resolve({
          png: message.png,
          width: message.width,
          height: message.height,
          halvings: message.halvings,
        })
    })
    const stopped = (why: string) => {
      if (this.worker !== worker) return
      this.worker = undefined
      this.broken = why
      for (const job of this.jobs.values()) {
        job.taken()
        job.reject(new Error(`the overview picture worker stopped: ${why}`))
      }
      this.jobs.clear()
    }
    worker.on('error', (error) => stopped(error.message))
    worker.on('exit', (code) => stopped(`it exited (${code})`))
    this.worker = worker
    return worker
  }
}
