// A worker thread of a parallel PNG export (parallelBands.ts): it receives the export's layout and its share of the
// bands (a run of bands one after another, which it may share with a worker drawing it from the other end:
// BandClaims) and draws them one by one from its end with the same scene code and tiles as the main thread would (drawBand: PNG rows), deflates each band on its own (zlib's raw deflate, ending in a sync flush
// so that the bands join into one stream) and sends it back with its rows' Adler-32. Built as
// out/main/exportWorker.js.

import { parentPort } from 'node:worker_threads'
import { constants, deflateRawSync } from 'node:zlib'
import { bandCount, drawBand, ExportPainter, exportCanvas, walkBoxes } from '../../../shared/export'
import { BandClaims } from '../../../shared/export/bandClaims'
import { adler32 } from '../../../shared/export/png'
import { layoutInWorker } from '../../../shared/export/workerLayout'
import { platform } from '../../../shared/platform'
import type { BandReply, BoxReply, BoxRequest, WorkerStart } from './bandMessages'
import { collectGarbageBetweenBands } from './nodeCanvas'

const port = parentPort
if (!port) throw new Error('bandWorker runs as a worker thread')

/**
 * Deflates a band's rows here, before the next band is drawn (zlib's raw deflate, ending in a sync flush, or the final
 * block for the image's last band), into a buffer of its own (it is transferred to the main thread). Synchronous, so
 * that one row buffer serves every band: deflate on zlib's pool beside the drawing needed a second one (25 MB on the
 * dense board), and with a worker per core the pool's threads only take turns on the same cores.
 */
function deflateBand(rows: Uint8Array, level: number, last: boolean): Uint8Array {
  const out = deflateRawSync(rows, {
    level,
    finishFlush: last ? constants.Z_FINISH : constants.Z_SYNC_FLUSH,
  })
  return out.byteOffset === 0 && out.byteLength === out.buffer.byteLength ? out : new Uint8Array(out)
}

async function start({ layout: data, plan, work, claims, level }: WorkerStart) {
  // A band worker only draws: a collection now and then frees the native paths of the strokes it has passed.
  collectGarbageBetweenBands()
  const layout = await layoutInWorker(data)
  const painter = new ExportPainter(layout)
  const canvas = exportCanvas(plan.tileWidth, plan.bandHeight)
  const collect = platform().collectGarbage
  const total = bandCount(plan)
  const reply = (message: BandReply, transfer?: ArrayBuffer[]) => port?.postMessage(message, transfer)
  // One row buffer, written over by every band (drawBand).
  let buffer: Uint8Array | undefined
  const { run, reach, end, slot } = work
  const bands = new BandClaims(claims)
  for (
    let band = bands.claim(slot, run, end, reach);
    band !== undefined;
    band = bands.claim(slot, run, end, reach)
  ) {
    const { rows } = drawBand(painter, canvas, plan, band, undefined, buffer)
    buffer = rows
    // Bands are drawn one way through the run: what lies behind the next one is drawn for the last time.
    if (end === 'top') painter.releaseAbove((band + 1) * plan.bandHeight)
    else painter.releaseBelow(band * plan.bandHeight)
    const adler = adler32(rows)
    const deflated = deflateBand(rows, level, band === total - 1)
    reply({ type: 'band', band, deflated, adler, length: rows.byteLength }, [deflated.buffer as ArrayBuffer])
    // A worker's heap is small (its share's items; its young generation capped by parallelBands), so a full
    // collection after every band is cheap, and it frees the band's pixel copy (getImageData) and the released
    // strokes' native paths at once instead of letting them pile up: with two workers, what each holds is what
    // keeps the export within 1 GB (docs/performance.md, "Round nine, helper exportpar"). A turn of the event loop lets the finalizers that
    // free native memory run.
    collect?.()
    await new Promise((resolve) => setImmediate(resolve))
  }
  painter.destroy()
  canvas.setSize(0, 0)
  reply({ type: 'done' })
}

// Started ahead of its export (parallelBands' `warm`), a worker walks strokes' boxes for the main thread's layout
// (BoxRequest) until its share comes.
const onMessage = (message: WorkerStart | BoxRequest) => {
  if ('type' in message) {
    const boxes = walkBoxes(message.block, message.offsets, message.lengths)
    const reply: BoxReply = { type: 'boxes', id: message.id, boxes }
    port.postMessage(reply, [boxes.buffer as ArrayBuffer])
    return
  }
  port.off('message', onMessage)
  start(message).catch((error: Error) => port.postMessage({ type: 'error', message: error.message }))
}
port.on('message', onMessage)
