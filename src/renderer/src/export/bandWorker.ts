// A Web Worker of the export dialog's PNG export (bandWorkers.ts): the browser's twin of the command line's band
// worker threads (src/main/host/export/bandWorker.ts). It gets the layout's items for its share of the bands (a run
// of bands one after another), draws them top to bottom with the same scene code and tiles as the page would
// (drawBand, on an OffscreenCanvas; text with the shipped fonts the page has loaded), deflates each band (pako's raw deflate ending in a sync flush, or the final block
// for the image's last band: CompressionStream cannot flush) and sends it back with its rows' Adler-32.
import { Util } from 'konva/lib/Util'
import { Deflate } from 'pako/lib/deflate'
import { bandCount, drawBand } from '../../../shared/export/bands'
import { adler32 } from '../../../shared/export/png'
import { ExportPainter, exportCanvas } from '../../../shared/export/raster'
import { layoutInWorker } from '../../../shared/export/workerLayout'
import { registerPlatform } from '../../../shared/platform'
import type { FontSource } from '../fonts'
import type { BandReply, PageMessage, WorkerStart } from './bandMessages'

/** The worker's global scope as this file uses it (the renderer's types are the page's, not a worker's). */
const scope = self as unknown as {
  postMessage(message: BandReply, transfer?: Transferable[]): void
  onmessage: ((event: MessageEvent<PageMessage>) => void) | null
}

/** pako's output pieces: about what a band of a whiteboard deflates to, so a band is one piece. */
const DEFLATE_CHUNK_BYTES = 1024 * 1024

// Konva makes its canvases through the DOM; a worker has OffscreenCanvas, which Konva styles as if it were an element.
Util.createCanvasElement = () =>
  Object.assign(new OffscreenCanvas(1, 1), { style: {} }) as unknown as ReturnType<
    typeof Util.createCanvasElement
  >

/** A 2D context to measure text with, made on first use (as the page's platform measures). */
let measurer: OffscreenCanvasRenderingContext2D | null | undefined

registerPlatform({
  measureText: (text, font) => {
    measurer ??= new OffscreenCanvas(1, 1).getContext('2d')
    if (!measurer) return undefined
    measurer.font = font
    return measurer.measureText(text).width
  },
  // As the page decodes (src/renderer/src/platform.ts): the same pixels.
  decodeImage: (bytes, mime) =>
    createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mime })),
  createPath: () => new Path2D(),
  warn: (message) => console.warn(message),
})

/** Raw deflate of a band's rows, ending in a sync flush (or the final block for the image's last band). */
function deflateBand(rows: Uint8Array, level: number, last: boolean): Uint8Array {
  const deflate = new Deflate({ level, raw: true, chunkSize: DEFLATE_CHUNK_BYTES })
  deflate.push(rows, last ? true : 2)
  if (deflate.err) throw new Error(`deflate failed: ${deflate.msg}`)
  const out = deflate.result
  return out.byteOffset === 0 && out.byteLength === out.buffer.byteLength ? out : out.slice()
}

async function start({ layout: data, plan, share, level }: WorkerStart) {
  const layout = await layoutInWorker(data)
  const painter = new ExportPainter(layout)
  const canvas = exportCanvas(plan.tileWidth, plan.bandHeight)
  const total = bandCount(plan)
  // One row buffer, written over by every band (drawBand): the deflated copy is what leaves.
  let buffer: Uint8Array | undefined
  for (let band = share.from; band <= share.to; band++) {
    const { rows } = drawBand(painter, canvas, plan, band, undefined, buffer)
    buffer = rows
    // Bands are drawn top to bottom: what ends above the next one is drawn for the last time.
    painter.releaseAbove((band + 1) * plan.bandHeight)
    const adler = adler32(rows)
    const deflated = deflateBand(rows, level, band === total - 1)
    scope.postMessage({ type: 'band', band, deflated, adler, length: rows.byteLength }, [
      deflated.buffer as ArrayBuffer,
    ])
  }
  painter.destroy()
  canvas.setSize(0, 0)
  scope.postMessage({ type: 'done' })
}

/**
 * Adds the shipped fonts the page has loaded to this worker's fonts and waits for them: text is measured (Konva.Text,
 * platform.measureText) and drawn with the same glyphs as on the page.
 */
async function loadFonts(fonts: FontSource[]): Promise<void> {
  const set = (self as unknown as { fonts?: FontFaceSet }).fonts
  if (fonts.length > 0 && !set) throw new Error('this worker has no fonts to add to')
  await Promise.all(
    fonts.map(async ({ family, url, unicodeRange }) => {
      const face = new FontFace(family, `url("${url}")`, { unicodeRange })
      set?.add(face)
      await face.load()
    }),
  )
}

const fail = (error: unknown) =>
  scope.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) })

// Ready once this module has loaded, has the page's fonts and can draw: a browser whose workers have no 2D
// OffscreenCanvas or fonts says so, and the page draws on its own thread.
scope.onmessage = (event) => {
  const message = event.data
  if (message.type === 'fonts') {
    loadFonts(message.fonts)
      .then(() => {
        if (!new OffscreenCanvas(1, 1).getContext('2d'))
          throw new Error('no 2D context on an OffscreenCanvas')
        scope.postMessage({ type: 'ready' })
      })
      .catch(fail)
  } else {
    scope.onmessage = null
    start(message).catch(fail)
  }
}
