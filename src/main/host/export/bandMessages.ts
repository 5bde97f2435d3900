import type { BandPlan } from '../../../shared/export'
import type { WorkerPlan } from '../../../shared/export/bandClaims'
import type { WorkerLayout } from '../../../shared/export/workerLayout'

/** An export layout as a worker thread gets it: plain data, its images' bytes instead of a lookup. */
/**
 * What a band worker is given when it starts: the layout (the items of the bands it can reach only), the plan, which
 * bands it draws from which end (WorkerPlan) and the runs' claims it shares with the worker at the other end.
 */
export interface WorkerStart {
  layout: WorkerLayout
  plan: BandPlan
  work: WorkerPlan
  /** The runs' claims (BandClaims). */
  claims: SharedArrayBuffer
  /** zlib's level for the bands' deflate. */
  level: number
}

/**
 * What a worker says: a band drawn and deflated (raw deflate, ending in a sync flush, or the final block for the
 * image's last band, with the Adler-32 and length of its PNG rows), that its share is done, or why it cannot go on.
 */
export type BandReply =
  | { type: 'band'; band: number; deflated: Uint8Array; adler: number; length: number }
  | { type: 'done' }
  | { type: 'error'; message: string }

/**
 * Asked of a warm worker while the main thread reads the board (exportLayoutWalked): the boxes of the lean strokes at
 * `offsets` (`lengths` bytes each) of an arena block; answered with a BoxReply of the same id (walkBoxes).
 */
export interface BoxRequest {
  type: 'boxes'
  id: number
  block: SharedArrayBuffer
  offsets: Uint32Array
  lengths: Uint32Array
}

/** The boxes a BoxRequest asked for (walkBoxes: six numbers a stroke, NaN first for malformed bytes). */
export interface BoxReply {
  type: 'boxes'
  id: number
  boxes: Float32Array
}
