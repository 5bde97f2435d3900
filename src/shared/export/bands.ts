import type { SceneCanvas } from 'konva/lib/Canvas'
import type { ExportLayout } from './layout'
import { MAX_CANVAS_PIXELS, MAX_CANVAS_SIDE } from './options'
import { packRows, pngRowBytes } from './png'
import type { ExportPainter } from './raster'

/**
 * Tiles are at most this many px a side (a canvas' side: a band is one tile up to 16,384 px wide); the PNG band (one
 * row of tiles) is at most BAND_BYTES of RGBA. Each tile a stroke touches builds its edges and fills it again, so
 * tiles as wide as a canvas allows cost a quarter less than 4,096 px ones (docs/decisions.md, "Export at scale").
 */
const TILE_SIDE = MAX_CANVAS_SIDE
const BAND_BYTES = 32 * 1024 * 1024

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
  const bandHeight = Math.max(1, Math.min(height, TILE_SIDE, Math.floor(BAND_BYTES / (width * 4)) || 1))
  const tileWidth = Math.max(1, Math.min(width, TILE_SIDE, Math.floor(MAX_CANVAS_PIXELS / bandHeight)))
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
  for (let x = 0; x < width; x += tileWidth) {
    signal?.throwIfAborted()
    const w = Math.min(tileWidth, width - x)
    painter.paint(canvas, { x, y, width: w, height: h })
    packRows(ctx.getImageData(0, 0, w, h).data, w, h, rows, width, x, alpha)
  }
  return { rows, count: h }
}
