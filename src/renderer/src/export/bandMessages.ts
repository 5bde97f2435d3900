import type { BandPlan, BandShare } from '../../../shared/export'
import type { WorkerLayout } from '../../../shared/export/workerLayout'
import type { FontSource } from '../fonts'

// What the page and its export workers (bandWorkers.ts, bandWorker.ts) say to each other: as the command line's
// worker threads (src/main/host/export/bandMessages.ts), plus a first exchange: the page gives the worker the shipped
// fonts it has loaded, and the worker says "ready" once it has them and an OffscreenCanvas to draw on (or why not, and
// the page draws on its own thread instead).

/** An export layout as a worker gets it: plain data, its images' bytes instead of a lookup. */
/** What the page says to a band worker: first its fonts, then what to draw. */
export type PageMessage = { type: 'fonts'; fonts: FontSource[] } | ({ type: 'start' } & WorkerStart)

/** What a band worker is given: the layout (its share's items only), the plan and its bands. */
export interface WorkerStart {
  layout: WorkerLayout
  plan: BandPlan
  share: BandShare
  /** zlib's level for the bands' deflate. */
  level: number
}

/**
 * What a worker says: that it can draw (it has loaded and made a 2D OffscreenCanvas), a band drawn and deflated (raw
 * deflate ending in a sync flush, or the final block for the image's last band, with the Adler-32 and length of its
 * PNG rows), that its share is done, or why it cannot go on.
 */
export type BandReply =
  | { type: 'ready' }
  | { type: 'band'; band: number; deflated: Uint8Array; adler: number; length: number }
  | { type: 'done' }
  | { type: 'error'; message: string }
