import { ElementKind, type ImageAsset } from '../elements/types'
import { images } from '../scene/images'
import { type BandPlan, type BandShare, shareItems } from './bands'
import type { ExportLayout } from './layout'

/** A layout as a band worker gets it (a message): plain data, the items of its bands, the images they show. */
export type WorkerLayout = Omit<ExportLayout, 'asset' | 'notes'> & { assets: ImageAsset[] }

/**
 * What a worker needs of a layout to draw a share of its bands: plain data, its items, the bytes of its images. The
 * command line's worker threads (parallelBands) and the export dialog's Web Workers (bandWorkers) are given this.
 */
export function workerLayout(layout: ExportLayout, plan: BandPlan, share: BandShare): WorkerLayout {
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
 * The layout a worker draws from what it was given, its images decoded first (or the canvas paints grey boxes where
 * they go).
 */
export async function layoutInWorker(data: WorkerLayout): Promise<ExportLayout> {
  const assets = new Map<string, ImageAsset>(data.assets.map((a) => [a.id, a]))
  const layout: ExportLayout = { ...data, asset: (id) => assets.get(id), notes: [] }
  await Promise.all(
    layout.items.flatMap((i) => {
      const asset = i.element.kind === ElementKind.Image ? assets.get(i.element.assetId) : undefined
      return asset ? [images.load(asset)] : []
    }),
  )
  return layout
}
