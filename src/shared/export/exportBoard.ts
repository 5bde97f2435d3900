import type { Board } from '../board'
import { encodeBoardFile } from '../boardFile'
import { loadBoardImages } from '../scene'
import { boardToBase64 } from './embed'
import { type ExportLayout, exportLayout } from './layout'
import { ExportError, type ExportFormat, type ExportOptions, FORMATS, MAX_CANVAS_PIXELS } from './options'
import { BOARD_CHUNK, type ByteSink, PngStream } from './png'
import { ExportPainter, exportCanvas, renderExportCanvas } from './raster'
import { exportSvg } from './svg'

/** How a long export reports and stops. */
export interface ExportRun {
  /** Aborting stops the export between tiles; it then rejects with the signal's reason and the sink gets no more. */
  signal?: AbortSignal
  /** Called with the fraction done, 0..1. */
  onProgress?: (fraction: number) => void
  /** Where the file's bytes go as they are made; without one the result holds them. */
  sink?: ByteSink
}

/** A finished export. */
export interface ExportResult {
  format: ExportFormat
  mime: string
  extension: string
  width: number
  height: number
  /** The file, unless a sink took it. */
  bytes?: Uint8Array
  /** What the person should know: a size clamped to the format, a background the format forced... */
  notes: string[]
}

/** Tiles are at most this many px a side; the PNG band (one row of tiles) is at most BAND_BYTES of RGBA. */
const TILE_SIDE = 4096
const BAND_BYTES = 32 * 1024 * 1024

/** Exports a board to a file's bytes: PNG, JPEG, WebP, SVG or PDF (see ExportOptions). */
export async function exportBoard(
  board: Board,
  options: Partial<ExportOptions>,
  run: ExportRun = {},
): Promise<ExportResult> {
  const layout = exportLayout(board, options)
  const o = layout.options
  const info = FORMATS[o.format]
  const notes = [...layout.notes]
  let boardFile: Uint8Array | undefined
  if (o.embedBoard) {
    if (info.embeds) boardFile = encodeBoardFile(board.doc)
    else notes.push(`${info.label} cannot carry the board; export PNG or SVG to keep it editable.`)
  }
  const chunks: Uint8Array[] = []
  const sink: ByteSink = run.sink ?? ((chunk) => void chunks.push(chunk))
  const progress = (f: number) => run.onProgress?.(Math.min(1, Math.max(0, f)))
  run.signal?.throwIfAborted()
  progress(0)
  // Images are decoded before anything is drawn, or the canvas paints grey boxes where they go.
  if (!info.vector || o.format === 'pdf')
    await loadBoardImages(
      board,
      layout.items.map((i) => i.element),
    )
  run.signal?.throwIfAborted()

  if (o.format === 'png') {
    await streamPng(layout, sink, boardFile, run)
  } else if (o.format === 'jpeg' || o.format === 'webp') {
    const canvas = renderExportCanvas(layout)
    run.signal?.throwIfAborted()
    await sink(await encodeCanvas(canvas._canvas, info.mime, o.quality ?? 0.92))
  } else if (o.format === 'svg') {
    const svg = await exportSvg(layout, boardFile && boardToBase64(boardFile), (n) =>
      progress((0.9 * n) / layout.items.length),
    )
    for (const note of svg.notes) if (!notes.includes(note)) notes.push(note)
    await sink(new TextEncoder().encode(svg.text))
  } else {
    // pdf-lib is large: the renderer loads it only when someone exports a PDF.
    const { exportPdf } = await import('./pdf')
    const pdf = await exportPdf(layout, encodeCanvas, (n) => progress((0.9 * n) / layout.items.length))
    // The layout may have said it already (the missing characters).
    for (const note of pdf.notes) if (!notes.includes(note)) notes.push(note)
    await sink(pdf.bytes)
  }
  run.signal?.throwIfAborted()
  progress(1)
  return {
    format: o.format,
    mime: info.mime,
    extension: info.extension,
    width: layout.width,
    height: layout.height,
    bytes: run.sink ? undefined : concat(chunks),
    notes,
  }
}

/**
 * Renders the export a band of rows at a time, each band in tiles that fit a canvas, and streams the rows into a
 * PNG: memory stays at one band and one tile whatever the size of the image.
 */
async function streamPng(
  layout: ExportLayout,
  sink: ByteSink,
  boardFile: Uint8Array | undefined,
  run: ExportRun,
): Promise<void> {
  const { width, height } = layout
  const bandH = Math.max(1, Math.min(height, TILE_SIDE, Math.floor(BAND_BYTES / (width * 4)) || 1))
  const tileW = Math.max(1, Math.min(width, TILE_SIDE, Math.floor(MAX_CANVAS_PIXELS / bandH)))
  const canvas = exportCanvas(tileW, bandH)
  const ctx = canvas.getContext()._context
  const painter = new ExportPainter(layout)
  const png = new PngStream(sink, {
    width,
    height,
    alpha: layout.background === undefined,
    chunks: boardFile ? [{ type: BOARD_CHUNK, data: boardFile }] : [],
  })
  const band = tileW === width ? undefined : new Uint8Array(width * 4 * bandH)
  try {
    for (let y = 0; y < height; y += bandH) {
      const h = Math.min(bandH, height - y)
      let rows: Uint8Array | Uint8ClampedArray | undefined
      for (let x = 0; x < width; x += tileW) {
        run.signal?.throwIfAborted()
        const w = Math.min(tileW, width - x)
        painter.paint(canvas, { x, y, width: w, height: h })
        const data = ctx.getImageData(0, 0, w, h).data
        if (!band) {
          rows = data
          break
        }
        for (let r = 0; r < h; r++) band.set(data.subarray(r * w * 4, (r + 1) * w * 4), (r * width + x) * 4)
        rows = band
      }
      await png.writeRows(rows as Uint8Array, h)
      run.onProgress?.((y + h) / height)
      // Let the page (progress bar, Cancel) and the deflate stream breathe between bands.
      await new Promise((resolve) => setTimeout(resolve, 0))
    }
    run.signal?.throwIfAborted()
    await png.finish()
  } catch (error) {
    await png.abort(error)
    throw error
  } finally {
    painter.destroy()
    canvas.setSize(0, 0)
  }
}

/** Encodes a whole canvas as JPEG or WebP with the platform's encoder (a browser canvas, or @napi-rs/canvas in Node). */
export async function encodeCanvas(canvas: unknown, mime: string, quality: number): Promise<Uint8Array> {
  const c = canvas as {
    encode?: (format: string, quality?: number) => Promise<Uint8Array>
    toBlob?: (callback: (blob: Blob | null) => void, type?: string, quality?: number) => void
  }
  if (typeof c.encode === 'function') {
    // @napi-rs/canvas: quality is 0..100.
    return new Uint8Array(await c.encode(mime.replace('image/', ''), Math.round(quality * 100)))
  }
  if (typeof c.toBlob === 'function') {
    const toBlob = c.toBlob.bind(c)
    const blob = await new Promise<Blob | null>((resolve) => toBlob(resolve, mime, quality))
    // A browser without the encoder quietly writes PNG instead.
    if (!blob || blob.type !== mime) throw new ExportError(`This browser cannot write ${mime}; try PNG.`)
    return new Uint8Array(await blob.arrayBuffer())
  }
  throw new ExportError('This platform has no image encoder for canvases.')
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array
  let size = 0
  for (const c of chunks) size += c.byteLength
  const out = new Uint8Array(size)
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.byteLength
  }
  return out
}
