import type { ImageAsset } from '../../../shared/elements/types'
import type { BandPlan, BandShare, ExportLayout } from '../../../shared/export'
import type { BandEnd } from '../../../shared/export/bandClaims'

/** An export layout as a worker thread gets it: plain data, its images' bytes instead of a lookup. */
export type WorkerLayout = Omit<ExportLayout, 'asset' | 'notes'> & { assets: ImageAsset[] }

/**
 * What a band worker is given when it starts: the layout (its run's items only), the plan, its run of bands and the
 * end it draws them from (the worker at the other end, if any, shares `claims`: BandClaims).
 */
export interface WorkerStart {
  layout: WorkerLayout
  plan: BandPlan
  share: BandShare
  end: BandEnd
  /** The runs' claims (BandClaims), and which of them is this worker's run. */
  claims: SharedArrayBuffer
  slot: number
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
