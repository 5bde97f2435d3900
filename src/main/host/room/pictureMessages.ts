/**
 * What the host's main thread and its overview's picture worker (./pictureWorker.ts, built as
 * out/main/overviewWorker.js) say to each other: pixels read from a drawing's canvas into a shared buffer
 * (./overviewPictures.ts), made into the overview's picture or the PNG of the canvas kept for the host's next start.
 */

/**
 * Pixels to make a picture of: the first `width` × `height` RGBA pixels of `buffer` (not premultiplied, as
 * getImageData gives them), rows one after the other. `picture`: the overview's picture (halved `halvings` times to
 * start with, then until its PNG is at most `maxBytes`, as ./overviewDraw.ts's picture() does); `png`: the pixels as
 * they are.
 */
export interface PictureRequest {
  id: number
  kind: 'picture' | 'png'
  buffer: SharedArrayBuffer
  width: number
  height: number
  halvings: number
  maxBytes: number
}

/**
 * What the worker says: that it has taken the pixels out of the shared buffer (the main thread may read the next ones
 * into it), then the PNG (with its size and how many times it was halved), or why it could not make it.
 */
export type PictureReply =
  | { type: 'taken'; id: number }
  | { type: 'done'; id: number; png: Uint8Array; width: number; height: number; halvings: number }
  | { type: 'error'; id: number; message: string }
