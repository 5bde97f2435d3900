// A worker thread of a parallel PNG export (parallelBands.ts): it receives the export's layout and its share of the
// bands (a run of bands one after another) and draws them top to bottom with the same scene code and tiles as the
// main thread would (drawBand: PNG rows), deflates each band on its own (zlib's raw deflate, ending in a sync flush
// so that the bands join into one stream) and sends it back with its rows' Adler-32. Built as
// out/main/exportWorker.js.

import { parentPort, workerData } from 'node:worker_threads'
import { constants, deflateRaw } from 'node:zlib'
import { ElementKind, type ImageAsset } from '../../../shared/elements/types'
import {
  bandCount,
  drawBand,
  type ExportLayout,
  ExportPainter,
  exportCanvas,
  GarbageAfterBands,
} from '../../../shared/export'
import { adler32 } from '../../../shared/export/png'
import { images } from '../../../shared/scene'
import type { BandReply, WorkerStart } from './bandMessages'
import { collectGarbageBetweenBands } from './nodeCanvas'

const port = parentPort
if (!port) throw new Error('bandWorker runs as a worker thread')

/** Deflates a band's rows on zlib's thread pool (while the next band is drawn): a copy of its own buffer back. */
function deflateBand(rows: Uint8Array, level: number, last: boolean): Promise<Uint8Array> {
  return new Promise((resolve, reject) =>
    deflateRaw(
      rows,
      { level, finishFlush: last ? constants.Z_FINISH : constants.Z_SYNC_FLUSH },
      (error, out) => {
        if (error) reject(error)
        // Its own buffer, whole: it is transferred to the main thread.
        else
          resolve(
            out.byteOffset === 0 && out.byteLength === out.buffer.byteLength ? out : new Uint8Array(out),
          )
      },
    ),
  )
}

async function start({ layout: data, plan, share, level }: WorkerStart) {
  // A band worker only draws: a collection now and then frees the native paths of the strokes it has passed.
  collectGarbageBetweenBands()
  const assets = new Map<string, ImageAsset>(data.assets.map((a) => [a.id, a]))
  const layout: ExportLayout = { ...data, asset: (id) => assets.get(id), notes: [] }
  // Images are decoded before anything is drawn, or the canvas paints grey boxes where they go.
  await Promise.all(
    layout.items.flatMap((i) => {
      const asset = i.element.kind === ElementKind.Image ? assets.get(i.element.assetId) : undefined
      return asset ? [images.load(asset)] : []
    }),
  )
  const painter = new ExportPainter(layout)
  const canvas = exportCanvas(plan.tileWidth, plan.bandHeight)
  const garbage = new GarbageAfterBands()
  const total = bandCount(plan)
  const reply = (message: BandReply, transfer?: ArrayBuffer[]) => port?.postMessage(message, transfer)
  // Two row buffers take turns: one is deflated while the other is drawn.
  const buffers: Uint8Array[] = []
  let inFlight: Promise<void> = Promise.resolve()
  for (let band = share.from; band <= share.to; band++) {
    const { rows } = drawBand(painter, canvas, plan, band, undefined, buffers[band % 2])
    buffers[band % 2] = rows
    // Bands are drawn top to bottom: what ends above the next one is drawn for the last time.
    garbage.released(painter.releaseAbove((band + 1) * plan.bandHeight))
    const adler = adler32(rows)
    // The band before must be sent before this one (the main thread joins them in order) and its buffer free.
    await inFlight
    const length = rows.byteLength
    inFlight = deflateBand(rows, level, band === total - 1).then((deflated) =>
      reply({ type: 'band', band, deflated, adler, length }, [deflated.buffer as ArrayBuffer]),
    )
  }
  await inFlight
  painter.destroy()
  canvas.setSize(0, 0)
  reply({ type: 'done' })
}

start(workerData as WorkerStart).catch((error: Error) =>
  port.postMessage({ type: 'error', message: error.message }),
)
