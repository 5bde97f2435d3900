// Konva in Node: canvases, images and DOMMatrix from @napi-rs/canvas (prebuilt binaries from the npm registry),
// and the scene's platform services from the same library. Import this module before anything draws with Konva.
import { Duplex } from 'node:stream'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { createDeflate } from 'node:zlib'
import { Canvas, DOMMatrix, FillType, Image, Path2D } from '@napi-rs/canvas'
import { Util } from 'konva/lib/Util'
import { registerPlatform } from '../../../shared/platform'
import { outlinePath } from './outlinePath'
import { registerShippedFonts, shippedFontBytes } from './shippedFonts'

/** zlib's level for PNG data: unfiltered rows at level 2 came out smaller than Up-filtered at level 6, in half the time. */
export const PNG_DEFLATE_LEVEL = 2
/** zlib's output buffer for PNG data: more than a band of a whiteboard deflates to, so a band is one piece of work. */
const DEFLATE_CHUNK_BYTES = 4 * 1024 * 1024

const g = globalThis as Record<string, unknown>

/** How far past what is live V8 lets the heap of a process or thread that only exports grow, in per cent. */
const HEAP_GROWING_PERCENT = 100

/**
 * Makes a PNG export run a full collection after each band (Platform.collectGarbage: V8's `gc`, which Node exposes to
 * contexts made after --expose-gc is set), so the native paths (Skia) of the strokes it has passed are freed then,
 * not hundreds of MB later: V8 does not see their size (docs/decisions.md, "Export at scale"). For a process or
 * thread that only exports (the command line, a band worker): in the host, whose heap holds open boards, a full
 * collection per band would stall the peers it serves.
 */
export function collectGarbageBetweenBands(): void {
  // V8 lets the heap grow to about four times what is live when a program allocates fast (perfect-freehand's arrays,
  // a stroke's points): 460-490 MB of heap for 120-330 MB used on the dense 100,000-stroke export. Growing it to
  // twice what is live kept it near 240 MB and the peak at 830 MB instead of 1,048 MB, for the same CPU; 30 % went
  // to 754 MB for 1.7 times the CPU (docs/performance.md, "Export at scale", round five).
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`)
  let gc = g.gc as unknown
  if (typeof gc !== 'function') {
    setFlagsFromString('--expose-gc')
    gc = runInNewContext('gc')
  }
  if (typeof gc === 'function') {
    fullCollection = gc as (options?: object) => void
    registerPlatform({ collectGarbage: gc as () => void })
  }
}

/** V8's `gc`, once collectGarbageBetweenBands has exposed it. */
let fullCollection: ((options?: object) => void) | undefined

/**
 * V8's young-generation collection (a scavenge: what was allocated since the last one and is no longer held, such as
 * the compressed bands a thread has written), once collectGarbageBetweenBands has exposed `gc`; nothing otherwise.
 */
export function collectYoungGarbage(): void {
  fullCollection?.({ type: 'minor' })
}

/**
 * Frees what a process that only exports no longer holds, down to the pages V8 keeps for reuse (a "last resort"
 * collection returns them to the system): run once the board is read and let go, so that the doc's few hundred MB
 * are not the process' peak while the bands are drawn (by this thread or by workers, which add their own heaps).
 * Does nothing where collectGarbageBetweenBands has not run (the host).
 */
export function releaseMemory(): void {
  if (!fullCollection) return
  setFlagsFromString('--compact-on-every-full-gc')
  fullCollection()
  setFlagsFromString('--no-compact-on-every-full-gc')
}
// Konva's containers build clip and pattern transforms with DOMMatrix.
g.DOMMatrix ??= DOMMatrix

Util.createCanvasElement = () => {
  registerShippedFonts()
  const canvas = new Canvas(1, 1) as unknown as ReturnType<typeof Util.createCanvasElement>
  // Konva styles its canvases as if they were DOM elements.
  if (!canvas.style) Object.assign(canvas, { style: {} })
  return canvas
}
Util.createImageElement = () => new Image() as unknown as ReturnType<typeof Util.createImageElement>

// Text is drawn and measured with the shipped fonts, as on screen (src/shared/fonts.ts): registered on the first
// canvas or measurement (a second and 11 MB read, which a refused command line never pays).
const measure = new Canvas(1, 1).getContext('2d')

registerPlatform({
  // Without it text would be estimated at 0.6 em a character, and a text's box (its export rectangle, its
  // rotation centre) would differ from the lines Konva.Text measures and draws here with the same fonts.
  measureText: (text, font) => {
    registerShippedFonts()
    measure.font = font
    return measure.measureText(text).width
  },
  decodeImage: async (bytes, mime) => {
    const img = new Image()
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve()
      img.onerror = () => reject(new Error('the image cannot be decoded'))
      img.src = `data:${mime};base64,${Buffer.from(bytes).toString('base64')}`
    })
    return img
  },
  createPath: () => new Path2D(),
  outlinePath,
  // fill() sets the path's fill type, which drops the path's cached SkPath, and snapshots its points again into a new
  // one that stays with the path; setting the type again drops that snapshot (the canvas' recording keeps its own
  // reference until the tile is cleared). The same rule, so the same pixels; a path held for later bands then holds
  // its points once (docs/performance.md, "Round twelve, helper exportcores").
  settleFilledPath: (path) => (path as Path2D).setFillType(FillType.Winding),
  // PNG image data: zlib on its thread pool at a fast level, beside the drawing (docs/decisions.md, "Export at scale").
  // Each piece zlib deflates on its pool ends in a callback on this thread that hands it the next: with the default
  // 16 KB output a band's rows took dozens of pieces, which waited for the band being drawn (synchronous) to end, so
  // the next band's write waited for all of them. A few MB of output take a band in one piece, deflated while the
  // next band is drawn (docs/performance.md, "Round nine, helper exportcpu").
  deflate: () =>
    Duplex.toWeb(createDeflate({ level: PNG_DEFLATE_LEVEL, chunkSize: DEFLATE_CHUNK_BYTES })) as {
      readable: ReadableStream<Uint8Array>
      writable: WritableStream<Uint8Array>
    },
  fontBytes: async (file) => {
    const b = shippedFontBytes(file)
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength)
  },
  warn: (message) => console.warn(message),
})
