import type { Board } from '../board'
import { encodeBoardFile } from '../boardFile'
import { loadBoardImages } from '../scene'
import { type BandPlan, bandCount, bandPlan, drawBand } from './bands'
import { boardToBase64 } from './embed'
import { type BoxWalker, type ExportLayout, exportLayout, exportLayoutWalked } from './layout'
import { ExportError, type ExportFormat, type ExportOptions, FORMATS } from './options'
import { BOARD_CHUNK, type ByteSink, PngStream } from './png'
import { ExportPainter, exportCanvas, GarbageAfterBands, renderExportCanvas } from './raster'
import { exportSvg } from './svg'

/** How a long export reports and stops. */
export interface ExportRun {
  /** Aborting stops the export between tiles; it then rejects with the signal's reason and the sink gets no more. */
  signal?: AbortSignal
  /** Called with the fraction done, 0..1. */
  onProgress?: (fraction: number) => void
  /** Where the file's bytes go as they are made; without one the result holds them. */
  sink?: ByteSink
  /** Draws a PNG's bands elsewhere (Node: worker threads); without it they are drawn on this thread. */
  bands?: BandRenderer
}

/**
 * Draws and deflates the bands of a PNG export elsewhere (Node: worker threads, each its own run of bands: drawBand,
 * then deflate) and yields the image data as the bytes of one zlib stream, in order, each with how many rows it
 * completes; `onDrawn` hears how many bands are drawn so far (in any order). Stops and rejects when the signal aborts.
 */
export type BandRenderer = (
  layout: ExportLayout,
  plan: BandPlan,
  signal?: AbortSignal,
  onDrawn?: (bands: number) => void,
) => AsyncIterable<{ bytes: Uint8Array; rows: number }>

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

/**
 * What an export needs of a board, read out of it (exportLayout; images decoded; the embedded board file's bytes):
 * it holds no reference to the board, so a caller that needs the board no more can let it go before the drawing
 * starts (the command line does: a 100,000-stroke board's doc is hundreds of MB).
 */
export interface PreparedExport {
  layout: ExportLayout
  /** The .lanvas file to embed (PNG, SVG), when asked for. */
  boardFile?: Uint8Array
  notes: string[]
}

/**
 * Reads what an export of a board needs (see PreparedExport); then writeExport draws and encodes it. `walker`: where
 * a PNG's strokes' boxes are walked (exportLayoutWalked: the command line's band workers), else on this thread.
 */
export async function prepareExport(
  board: Board,
  options: Partial<ExportOptions>,
  signal?: AbortSignal,
  walker?: BoxWalker,
): Promise<PreparedExport> {
  // A PNG draws band by band: its strokes keep their compact bytes and are decoded where a band draws them.
  const png = (options.format ?? 'png') === 'png'
  const layout =
    png && walker ? await exportLayoutWalked(board, options, walker) : exportLayout(board, options, png)
  const o = layout.options
  const info = FORMATS[o.format]
  const notes = [...layout.notes]
  let boardFile: Uint8Array | undefined
  if (o.embedBoard) {
    if (info.embeds) boardFile = encodeBoardFile(board.doc)
    else notes.push(`${info.label} cannot carry the board; export PNG or SVG to keep it editable.`)
  }
  signal?.throwIfAborted()
  // Images are decoded before anything is drawn, or the canvas paints grey boxes where they go.
  if (!info.vector || o.format === 'pdf')
    await loadBoardImages(
      board,
      layout.items.map((i) => i.element),
    )
  return { layout, boardFile, notes }
}

/** Exports a board to a file's bytes: PNG, JPEG, WebP, SVG or PDF (see ExportOptions). */
export async function exportBoard(
  board: Board,
  options: Partial<ExportOptions>,
  run: ExportRun = {},
): Promise<ExportResult> {
  run.signal?.throwIfAborted()
  return writeExport(await prepareExport(board, options, run.signal), run)
}

/** Draws and encodes a prepared export (prepareExport) into a file's bytes, or into `run.sink`. */
export async function writeExport(prepared: PreparedExport, run: ExportRun = {}): Promise<ExportResult> {
  const { layout, boardFile } = prepared
  const o = layout.options
  const info = FORMATS[o.format]
  const notes = [...prepared.notes]
  const chunks: Uint8Array[] = []
  const sink: ByteSink = run.sink ?? ((chunk) => void chunks.push(chunk))
  const progress = (f: number) => run.onProgress?.(Math.min(1, Math.max(0, f)))
  run.signal?.throwIfAborted()
  progress(0)

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
 * PNG: memory stays at one band and one tile whatever the size of the image. With `run.bands` (worker threads in
 * Node) the bands are drawn and deflated elsewhere, in parallel, and only the compressed image data comes back here,
 * in order.
 */
async function streamPng(
  layout: ExportLayout,
  sink: ByteSink,
  boardFile: Uint8Array | undefined,
  run: ExportRun,
): Promise<void> {
  const plan = bandPlan(layout)
  const bands = bandCount(plan)
  const elsewhere = run.bands && bands > 1 ? run.bands : undefined
  const png = new PngStream(sink, {
    width: plan.width,
    height: plan.height,
    alpha: plan.alpha,
    chunks: boardFile ? [{ type: BOARD_CHUNK, data: boardFile }] : [],
    // Drawn elsewhere, the bands come deflated.
    deflated: elsewhere !== undefined,
  })
  try {
    if (elsewhere) {
      const drawn = (n: number) => run.onProgress?.(Math.min(1, n / bands))
      for await (const { bytes, rows } of elsewhere(layout, plan, run.signal, drawn))
        await png.writeDeflated(bytes, rows)
    } else await drawBandsHere(layout, plan, png, run)
    run.signal?.throwIfAborted()
    await png.finish()
  } catch (error) {
    await png.abort(error)
    throw error
  }
}

/**
 * Draws every band on this thread, one canvas reused and two row buffers taking turns (one is deflated while the
 * other is drawn).
 */
async function drawBandsHere(layout: ExportLayout, plan: BandPlan, png: PngStream, run: ExportRun) {
  const canvas = exportCanvas(plan.tileWidth, plan.bandHeight)
  const painter = new ExportPainter(layout)
  const buffers: Uint8Array[] = []
  const garbage = new GarbageAfterBands()
  try {
    for (let i = 0; i < bandCount(plan); i++) {
      // The buffer of band i - 2: its deflate ended before band i - 1 was handed over (writeFilteredRows).
      const { rows, count } = drawBand(painter, canvas, plan, i, run.signal, buffers[i % 2])
      buffers[i % 2] = rows
      // Deflated while the next band is drawn.
      await png.writeFilteredRows(rows, count)
      // What ends above the next band is drawn for the last time: its node and path go, and their native memory
      // with them once enough has been released (a collection the platform runs, where it has one).
      garbage.released(painter.releaseAbove((i + 1) * plan.bandHeight))
      run.onProgress?.((i * plan.bandHeight + count) / plan.height)
      // Let the page (progress bar, Cancel) and the deflate stream breathe between bands.
      await new Promise((resolve) => setTimeout(resolve, 0))
    }
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
