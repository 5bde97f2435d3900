import type { SceneCanvas } from 'konva/lib/Canvas'
import type { ExportItem, ExportLayout } from './layout'
import { MAX_CANVAS_PIXELS, MAX_CANVAS_SIDE } from './options'
import { itemWork } from './packedStrokes'
import { packRows, pngRowBytes } from './png'
import type { ExportPainter, PainterItems } from './raster'

/**
 * Tiles are at most TILE_WIDTH px wide (a band is as high as BAND_BYTES allows, up to a canvas' side); the PNG band
 * (one row of tiles) is at most BAND_BYTES of RGBA. Each tile a stroke touches builds its edges and fills it again,
 * but a tile's pixels stay in the cache while a band's strokes blend into them: on the dense 100,000-stroke board at
 * 2× (bands 15,692 × 267 px) 4,096 px tiles took 15 % less of Skia's drawing than one tile the band's width, 2,048 and
 * 1,024 px ones more again (docs/performance.md, "Round ten, helper exportwall"). Antialiased edges move with a tile's origin: against
 * full-width tiles 0.62 % of that board's bytes, nearly all by 1–2 levels, up to 50 on near-horizontal edges cut by
 * a tile's side; every export path draws the same tiles, so they agree with each other.
 * 16 MB bands, not 32: two band workers (the default) each hold a band's canvas and its packed rows, and at 32 MB the
 * dense 100,000-stroke export peaked at 1.09 GB; at 16 MB 0.87 GB, in the same time (more strokes cross a band edge,
 * but a smaller band is kinder to the cache). Antialiased edges move by a few levels on 0.08 % of bytes against 32 MB
 * bands (Skia's coverage near a band's clip); every export path draws the same bands, so they agree with each other.
 */
const TILE_WIDTH = 4096
const BAND_BYTES = 16 * 1024 * 1024
/**
 * A tile's pixels are read this many bytes of RGBA at a time. A whole band's getImageData (32 MB) is a fresh mapping
 * each time (above malloc's mmap threshold in @napi-rs/canvas), whose page faults made reading a band 100-130 ms;
 * a few MB reuse the same memory: 15-20 ms a band (docs/performance.md, "Round nine, helper exportcpu"). Same pixels, read in pieces.
 */
const READ_BYTES = 4 * 1024 * 1024

/** How a streamed PNG is cut: bands of `bandHeight` rows top to bottom, each drawn in tiles `tileWidth` wide. */
export interface BandPlan {
  width: number
  height: number
  bandHeight: number
  tileWidth: number
  /** RGBA rows (a transparent background); RGB when false. */
  alpha: boolean
}

/** The bands and tiles of a PNG export: one band is at most 32 MB of RGBA, one tile fits a canvas. */
export function bandPlan(layout: ExportLayout): BandPlan {
  const { width, height } = layout
  const bandHeight = Math.max(1, Math.min(height, MAX_CANVAS_SIDE, Math.floor(BAND_BYTES / (width * 4)) || 1))
  const tileWidth = Math.max(1, Math.min(width, TILE_WIDTH, Math.floor(MAX_CANVAS_PIXELS / bandHeight)))
  return { width, height, bandHeight, tileWidth, alpha: layout.background === undefined }
}

/** How many bands a plan has. */
export function bandCount(plan: BandPlan): number {
  return Math.ceil(plan.height / plan.bandHeight)
}

/**
 * Draws band `index` of a plan tile by tile on `canvas` (tileWidth × bandHeight) and returns its rows packed as PNG
 * rows (packRows: filter None, RGB or RGBA as the plan says) with the number of rows: each tile's pixels go straight
 * to their place, the band is never held as RGBA. Every path that writes a PNG draws its bands here, so that the
 * tiles, and so the pixels, are the same whoever draws them. `reuse`, a buffer an earlier band returned and no longer
 * in use, is written over (every byte) instead of allocating another.
 */
export function drawBand(
  painter: ExportPainter,
  canvas: SceneCanvas,
  plan: BandPlan,
  index: number,
  signal?: AbortSignal,
  reuse?: Uint8Array,
): { rows: Uint8Array; count: number } {
  const { width, height, bandHeight, tileWidth, alpha } = plan
  const y = index * bandHeight
  const h = Math.min(bandHeight, height - y)
  const ctx = canvas.getContext()._context
  const bytes = h * pngRowBytes(width, alpha)
  const rows = reuse && reuse.byteLength >= bytes ? reuse.subarray(0, bytes) : new Uint8Array(bytes)
  const stride = pngRowBytes(width, alpha)
  for (let x = 0; x < width; x += tileWidth) {
    signal?.throwIfAborted()
    const w = Math.min(tileWidth, width - x)
    painter.paint(canvas, { x, y, width: w, height: h })
    const step = Math.max(1, Math.floor(READ_BYTES / (w * 4)))
    for (let top = 0; top < h; top += step) {
      const count = Math.min(step, h - top)
      const out = rows.subarray(top * stride, (top + count) * stride)
      packRows(ctx.getImageData(0, top, w, count).data, w, count, out, width, x, alpha)
    }
  }
  return { rows, count: h }
}

/** Bands `from` to `to` (inclusive) of a plan: one worker's share of a parallel export (bandShares). */
export interface BandShare {
  from: number
  to: number
}

/** The bands an item's ink may touch: its bounds' top and bottom in output rows, a row of antialiasing either side. */
function itemBands(layout: ExportLayout, plan: BandPlan, minY: number, maxY: number) {
  const last = bandCount(plan) - 1
  const top = Math.floor((minY - layout.rect.minY) * layout.scale) - 1
  const bottom = Math.ceil((maxY - layout.rect.minY) * layout.scale) + 1
  return {
    first: Math.min(last, Math.max(0, Math.floor(top / plan.bandHeight))),
    last: Math.min(last, Math.max(0, Math.floor(bottom / plan.bandHeight))),
  }
}

/** Whether a share of a plan's bands draws an item whose bounds' top and bottom are `minY` and `maxY`. */
export function inShare(
  layout: ExportLayout,
  plan: BandPlan,
  share: BandShare,
  minY: number,
  maxY: number,
): boolean {
  const { first, last } = itemBands(layout, plan, minY, maxY)
  return last >= share.from && first <= share.to
}

/**
 * Cuts a plan's bands into `count` runs of bands one after another, each about as much drawing as the others (an
 * item's work, its stored points, spread over the bands it crosses), or in proportion to `weights` (a run two
 * workers draw from both ends: BandClaims): a worker drawing one run top to bottom traces each stroke once, where
 * bands handed out in turn would have every worker trace most of the long strokes.
 */
export function bandShares(
  layout: ExportLayout,
  plan: BandPlan,
  count: number,
  weights?: readonly number[],
): BandShare[] {
  const total = bandCount(plan)
  const n = Math.max(1, Math.min(count, total))
  // Share i ends where the work done reaches the weights of shares 0 to i over all n (even shares without weights).
  const weight = (i: number) => weights?.[i] ?? 1
  let weightSum = 0
  for (let i = 0; i < n; i++) weightSum += weight(i)
  const work = new Float64Array(total)
  // Every band costs a little (clearing, reading, packing, deflating its pixels), ink or not.
  work.fill(64)
  // A packed layout's items are read through its table (its strokes are in columns, not in `items`).
  const { table } = layout
  const places = table ? table.count : layout.items.length
  for (let z = 0; z < places; z++) {
    const item = table ? undefined : (layout.items[z] as ExportItem)
    const { first, last } = item
      ? itemBands(layout, plan, item.bounds.minY, item.bounds.maxY)
      : itemBands(layout, plan, (table as PainterItems).minY(z), (table as PainterItems).maxY(z))
    const points = item ? itemWork(item) : (table as PainterItems).work(z)
    const share = (16 + points) / (last - first + 1)
    for (let b = first; b <= last; b++) work[b] = (work[b] as number) + share
  }
  let sum = 0
  for (const w of work) sum += w
  const shares: BandShare[] = []
  let from = 0
  let done = 0
  let reach = weight(0)
  for (let b = 0; b < total && shares.length < n - 1; b++) {
    done += work[b] as number
    // Leave at least a band for each share still to come.
    const left = n - 1 - shares.length
    if (done >= (sum * reach) / weightSum || total - 1 - b === left) {
      shares.push({ from, to: b })
      from = b + 1
      reach += weight(shares.length)
    }
  }
  shares.push({ from, to: total - 1 })
  return shares
}

/**
 * The items of a layout that a share of its bands draws (in the layout's order), the others left out; a layout whose
 * strokes are packed (ExportLayout.packed) is cut by workerLayout instead.
 */
export function shareItems(layout: ExportLayout, plan: BandPlan, share: BandShare): ExportLayout['items'] {
  return layout.items.filter((item) => inShare(layout, plan, share, item.bounds.minY, item.bounds.maxY))
}
