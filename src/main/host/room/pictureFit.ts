/**
 * The overview's picture made to fit a frame (src/shared/sync/overview.ts): halved until its PNG is at most so many
 * bytes. Shared by the host's own thread (./overviewDraw.ts, when there is no picture worker) and the picture worker
 * (./pictureWorker.ts), so that both make the same picture of the same pixels.
 */
import { Canvas } from '@napi-rs/canvas'

/**
 * Rasterizes what was drawn on `canvas` since it was last read, now: one pixel read (the PageRecorder plays back only
 * the layers recorded since its last read, and keeps the pixels).
 */
export function settleCanvas(canvas: Canvas): void {
  canvas.getContext('2d').getImageData(0, 0, 1, 1)
}

/** A picture that fits: its PNG, its size, and how many times it was halved. */
export interface FittedPicture {
  png: Buffer
  width: number
  height: number
  halvings: number
}

/**
 * `full` (the picture at full size, rasterized) halved `start` times to begin with (a few at most: as many as the last
 * picture of the same canvas needed; ink added only grows it), then until its PNG is at most `maxBytes` (or a side is
 * 16 pixels or less: the caller gives up on a picture still too large). Each halving is run by `step` (the host's
 * thread: a step of its own between slices; a worker: at once) and rasterized in it, so that encode finds nothing
 * left to rasterize.
 */
export async function fitPicture(
  full: Canvas,
  start: number,
  maxBytes: number,
  step: (work: () => void) => Promise<void>,
): Promise<FittedPicture> {
  let picture = full
  let out = { width: full.width, height: full.height }
  let halvings = 0
  const halve = async () => {
    out = { width: Math.ceil(out.width / 2), height: Math.ceil(out.height / 2) }
    const small = new Canvas(out.width, out.height)
    const from = picture
    await step(() => {
      small.getContext('2d').drawImage(from, 0, 0, out.width, out.height)
      settleCanvas(small)
    })
    picture = small
    halvings++
  }
  while (halvings < start && out.width > 16 && out.height > 16) await halve()
  let png = await picture.encode('png')
  while (png.byteLength > maxBytes && out.width > 16 && out.height > 16) {
    await halve()
    png = await picture.encode('png')
  }
  return { png, width: out.width, height: out.height, halvings }
}
