// The host's overview picture worker (./overviewPictures.ts): it takes the pixels of a drawing's canvas that the
// host's thread read into a shared buffer a piece at a time, and makes of them, off the host's thread, the overview's
// picture (halved to fit a frame: ./pictureFit.ts) or the PNG of the canvas kept for the host's next start. The fresh
// canvases (up to 16 MB each), their rasterizing and the PNG encodes then no longer hold the relay of everyone's ink.
// Built as out/main/overviewWorker.js.

import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { parentPort } from 'node:worker_threads'
import { Canvas, ImageData } from '@napi-rs/canvas'
import { errorMessage } from '../../../shared/errors'
import { fitPicture, settleCanvas } from './pictureFit'
import type { PictureReply, PictureRequest } from './pictureMessages'

const port = parentPort
if (!port) throw new Error('pictureWorker runs as a worker thread')

/**
 * A full collection of this thread's heap (V8's `gc`, which Node exposes to contexts made after --expose-gc is set).
 * Its heap is a few small objects, so V8 would not collect it for many pictures, and each picture's canvases (native
 * memory V8 does not see: 16 MB for the largest copy) would pile up until it did.
 */
const collect = (() => {
  const own = (globalThis as Record<string, unknown>).gc
  if (typeof own === 'function') return own as () => void
  setFlagsFromString('--expose-gc')
  return runInNewContext('gc') as () => void
})()

const reply = (message: PictureReply, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer)

async function make(request: PictureRequest): Promise<void> {
  const { id, width, height } = request
  // Copied out of the shared buffer first (ImageData takes no shared memory), so that the host reads the next pixels
  // into it while this picture is made.
  const bytes = width * height * 4
  const pixels = new Uint8ClampedArray(bytes)
  pixels.set(new Uint8ClampedArray(request.buffer, 0, bytes))
  reply({ type: 'taken', id })
  // The pixels put on a canvas are premultiplied again: the same pixels as the drawing's canvas they were read from.
  const canvas = new Canvas(width, height)
  canvas.getContext('2d').putImageData(new ImageData(pixels, width, height), 0, 0)
  settleCanvas(canvas)
  const fitted =
    request.kind === 'png'
      ? { png: await canvas.encode('png'), width, height, halvings: 0 }
      : await fitPicture(canvas, request.halvings, request.maxBytes, async (work) => work())
  // The PNG in a buffer of its own, moved to the host's thread.
  const png =
    fitted.png.byteOffset === 0 && fitted.png.byteLength === fitted.png.buffer.byteLength
      ? new Uint8Array(fitted.png.buffer, 0, fitted.png.byteLength)
      : new Uint8Array(fitted.png)
  reply({ type: 'done', id, png, width: fitted.width, height: fitted.height, halvings: fitted.halvings }, [
    png.buffer as ArrayBuffer,
  ])
}

port.on('message', (request: PictureRequest) => {
  make(request)
    .catch((error: unknown) =>
      reply({
        type: 'error',
        id: request.id,
        message: errorMessage(error),
      }),
    )
    // The picture's canvases and pixels freed now (a collection of this thread's small heap: a millisecond or so).
    .finally(collect)
})
