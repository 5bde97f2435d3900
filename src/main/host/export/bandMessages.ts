import type { ImageAsset } from '../../../shared/elements/types'
import type { ExportLayout } from '../../../shared/export'

/** An export layout as a worker thread gets it: plain data, its images' bytes instead of a lookup. */
export type WorkerLayout = Omit<ExportLayout, 'asset' | 'notes'> & { assets: ImageAsset[] }

/** The main thread asks a worker for one band. */
export interface BandRequest {
  band: number
}

/** What a worker says: ready to draw, a band's filtered rows, or why it cannot go on. */
export type BandReply =
  | { type: 'ready' }
  | { type: 'band'; band: number; rows: Uint8Array }
  | { type: 'error'; message: string }
