import { ElementKind, type ImageAsset } from '../elements/types'
import { images } from '../scene/images'
import { type BandPlan, type BandShare, inShare, shareItems } from './bands'
import type { ExportItem, ExportLayout } from './layout'
import { PackedItems, type PackedLayout, type PackedStrokes, StrokePacker } from './packedStrokes'
import { lastPlaces } from './raster'

/** A layout as a band worker gets it (a message): plain data, the items of its bands, the images they show. */
export type WorkerLayout = Omit<ExportLayout, 'asset' | 'notes' | 'table' | 'packed'> & {
  assets: ImageAsset[]
  /** Its strokes drawn as ink, in columns; `items` holds the other items. */
  packed: PackedStrokes
  /** What is at each place, bottom to top: ≥ 0 a packed stroke, < 0 the item `~place` of `items`. */
  places: Int32Array
}

/**
 * What a worker needs of a layout to draw a share of its bands: plain data, its items (its lean strokes drawn as ink
 * in columns, the others as they are), the bytes of its images. The command line's worker threads (parallelBands) and
 * the export dialog's Web Workers (bandWorkers) are given this. An id that comes twice is drawn once, at its last
 * place (lastPlaces): the earlier places are left out here.
 */
export function workerLayout(layout: ExportLayout, plan: BandPlan, share: BandShare): WorkerLayout {
  if (layout.packed) return packedShare(layout, layout.packed, plan, share)
  const all = shareItems(layout, plan, share)
  const drawn = lastPlaces(all.length, (i) => (all[i] as ExportItem).element.id)
  const items: ExportItem[] = []
  const places: number[] = []
  const packer = new StrokePacker()
  const assets = new Map<string, ImageAsset>()
  all.forEach((item, i) => {
    if (!drawn(i)) return
    const packed = packer.add(item)
    if (packed !== undefined) {
      places.push(packed)
      return
    }
    places.push(ownItem(layout, item, items, assets))
  })
  return {
    ...layoutData(layout),
    items,
    assets: [...assets.values()],
    packed: packer.done(),
    places: Int32Array.from(places),
  }
}

/**
 * workerLayout of a layout whose strokes are packed already (exportLayoutWalked): every share is given the layout's
 * own columns, in shared memory, and only its places and its other items are picked here. Packing each share anew
 * (the key of each stroke's style, a map of its id's last place, columns copied into the message) took 0.2-0.25 s of
 * the main thread per worker on the dense 100,000-stroke board, before that worker could draw.
 */
function packedShare(
  layout: ExportLayout,
  { strokes, places }: PackedLayout,
  plan: BandPlan,
  share: BandShare,
): WorkerLayout {
  const items: ExportItem[] = []
  const picked = new Int32Array(places.length)
  let n = 0
  const assets = new Map<string, ImageAsset>()
  const { bounds } = strokes
  for (const p of places) {
    if (p >= 0) {
      if (inShare(layout, plan, share, bounds[p * 4 + 1] as number, bounds[p * 4 + 3] as number))
        picked[n++] = p
      continue
    }
    const item = layout.items[~p] as ExportItem
    if (!inShare(layout, plan, share, item.bounds.minY, item.bounds.maxY)) continue
    picked[n++] = ownItem(layout, item, items, assets)
  }
  return {
    ...layoutData(layout),
    items,
    assets: [...assets.values()],
    packed: strokes,
    places: picked.slice(0, n),
  }
}

/**
 * Adds `item` to a share's own items (an image's bytes to `assets`, which cross with the share); returns its place
 * in the share's places (~its index: packed strokes have theirs ≥ 0).
 */
function ownItem(
  layout: ExportLayout,
  item: ExportItem,
  items: ExportItem[],
  assets: Map<string, ImageAsset>,
): number {
  const place = ~items.length
  items.push(item)
  const { element } = item
  if (element.kind === ElementKind.Image) {
    const asset = layout.asset(element.assetId)
    if (asset) assets.set(asset.id, asset)
  }
  return place
}

/** What of a layout crosses to a worker as it is: all but its functions, notes, table and packed columns. */
function layoutData(layout: ExportLayout) {
  const { asset: _asset, notes: _notes, table: _table, packed: _packed, ...data } = layout
  return data
}

/**
 * The layout a worker draws from what it was given (its painter reads the items through `table`), its images
 * decoded first (or the canvas paints grey boxes where they go).
 */
export async function layoutInWorker(data: WorkerLayout): Promise<ExportLayout> {
  const { packed, places, assets: list, ...rest } = data
  const assets = new Map<string, ImageAsset>(list.map((a) => [a.id, a]))
  const layout: ExportLayout = {
    ...rest,
    asset: (id) => assets.get(id),
    notes: [],
    table: new PackedItems(data.items, packed, places),
  }
  await Promise.all(
    layout.items.flatMap((i) => {
      const asset = i.element.kind === ElementKind.Image ? assets.get(i.element.assetId) : undefined
      return asset ? [images.load(asset)] : []
    }),
  )
  return layout
}
