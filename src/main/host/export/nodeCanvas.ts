// Konva in Node: canvases, images, DOMMatrix and Path2D from @napi-rs/canvas (prebuilt binaries from the npm
// registry). Import this module before anything that draws with Konva, so the scene code finds Path2D.
import { Canvas, DOMMatrix, Image, Path2D } from '@napi-rs/canvas'
import { Util } from 'konva/lib/Util'

const g = globalThis as Record<string, unknown>
g.DOMMatrix ??= DOMMatrix
g.Path2D ??= Path2D
// Element bounds measure text with an OffscreenCanvas where one exists (src/shared/elements/text.ts); without one
// they guess 0.6 em a character, and a text's box (its export rectangle, its rotation centre) would differ from
// the lines Konva.Text measures and draws here. A @napi-rs canvas measures with the same fonts Konva draws with.
g.OffscreenCanvas ??= class OffscreenCanvas extends Canvas {}

Util.createCanvasElement = () => {
  const canvas = new Canvas(1, 1) as unknown as HTMLCanvasElement & { style?: Record<string, string> }
  // Konva styles its canvases as if they were DOM elements.
  if (!canvas.style) Object.assign(canvas, { style: {} })
  return canvas
}
Util.createImageElement = () => new Image() as unknown as HTMLImageElement

/** Whether Konva draws with @napi-rs/canvas in this process (always true once this module is loaded). */
export const nodeCanvasReady = true
