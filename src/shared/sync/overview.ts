/**
 * The board's overview (docs/protocol.md, "Overview"): before a host streams a large board to a joining page, it
 * sends one small picture of the whole board (a PNG) and the board rectangle it covers (MessageType.Overview). The
 * page draws it under the scene while the board's parts come, so that zoom to fit shows the whole board at once,
 * and drops it once the board is all there. A frame that is not what a host may send is ignored with a warning:
 * the overview only stands in for the board, which comes anyway.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { Rect } from '../geometry'
import { MAX_PREVIEW_COORD } from './preview'
import { MessageType } from './protocol'

/** Longest side of an overview image, in pixels (the host draws within it; a page refuses a larger one). */
export const MAX_OVERVIEW_SIDE = 2048
/** Most bytes of an overview's PNG (a host makes it smaller to fit; a page refuses a larger one): under a part. */
export const MAX_OVERVIEW_BYTES = 768 * 1024

/** The first eight bytes of every PNG file. */
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

/** An overview as it travels: the board rectangle the image covers and the image's PNG bytes. */
export interface OverviewImage {
  rect: Rect
  png: Uint8Array
}

/** An overview frame: MessageType.Overview, the rectangle (four float64: minX, minY, maxX, maxY), then the PNG. */
export function overviewFrame({ rect, png }: OverviewImage): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Overview)
  encoding.writeFloat64(encoder, rect.minX)
  encoding.writeFloat64(encoder, rect.minY)
  encoding.writeFloat64(encoder, rect.maxX)
  encoding.writeFloat64(encoder, rect.maxY)
  encoding.writeVarUint8Array(encoder, png)
  return encoding.toUint8Array(encoder)
}

/**
 * An overview frame's body as read off the wire, not checked yet (overviewProblem does). Never throws: a body cut
 * short, or with bytes after its PNG, reads as one with no rectangle, which the check refuses; the whole frame is
 * read either way, so that a bad overview is passed over rather than ending the socket as an unreadable frame.
 */
export function readOverviewBody(decoder: decoding.Decoder): OverviewImage {
  const end = decoder.arr.byteLength
  try {
    const minX = decoding.readFloat64(decoder)
    const minY = decoding.readFloat64(decoder)
    const maxX = decoding.readFloat64(decoder)
    const maxY = decoding.readFloat64(decoder)
    const png = decoding.readVarUint8Array(decoder)
    if (decoder.pos === end) return { rect: { minX, minY, maxX, maxY }, png }
  } catch {
    // Cut short: refused below.
  }
  decoder.pos = end
  return {
    rect: { minX: Number.NaN, minY: Number.NaN, maxX: Number.NaN, maxY: Number.NaN },
    png: new Uint8Array(0),
  }
}

/** The width and height a PNG's header gives, or undefined when the bytes do not start as a PNG. */
export function pngSize(png: Uint8Array): { width: number; height: number } | undefined {
  if (png.byteLength < 24) return undefined
  for (let i = 0; i < PNG_SIGNATURE.length; i++) if (png[i] !== PNG_SIGNATURE[i]) return undefined
  // The first chunk is IHDR: its length (13), its type, then the width and height as big-endian 32-bit numbers.
  if (String.fromCharCode(png[12] ?? 0, png[13] ?? 0, png[14] ?? 0, png[15] ?? 0) !== 'IHDR') return undefined
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength)
  return { width: view.getUint32(16), height: view.getUint32(20) }
}

/** Why an overview is not what a host may send (it came from the network), or undefined when it is one. */
export function overviewProblem(overview: OverviewImage): string | undefined {
  const { rect, png } = overview
  for (const key of ['minX', 'minY', 'maxX', 'maxY'] as const) {
    const n = rect[key]
    if (typeof n !== 'number' || !(Math.abs(n) <= MAX_PREVIEW_COORD))
      return `an overview whose ${key} is no board coordinate`
  }
  if (!(rect.minX < rect.maxX && rect.minY < rect.maxY))
    return 'an overview of an empty or inside-out rectangle'
  if (png.byteLength > MAX_OVERVIEW_BYTES) return `an overview image of ${png.byteLength} bytes`
  const size = pngSize(png)
  if (!size) return 'an overview image that is no PNG'
  if (size.width < 1 || size.height < 1 || size.width > MAX_OVERVIEW_SIDE || size.height > MAX_OVERVIEW_SIDE)
    return `an overview image of ${size.width} × ${size.height} pixels`
  return undefined
}

/**
 * The page's side of the overview: the image the host sent, until the board has come (or the socket went). The
 * canvas draws it under the scene meanwhile (src/renderer/src/canvas/overviewLayer.ts).
 */
export class BoardOverview {
  private shown: OverviewImage | undefined
  private over = false
  private readonly listeners = new Set<() => void>()

  /** The overview shown now (undefined before one came and once ended). */
  get image(): OverviewImage | undefined {
    return this.shown
  }

  /** Whether the overview is over: the board came, or the socket it was for went. */
  get ended(): boolean {
    return this.over
  }

  /** Shows an overview the host sent (checked by the engine); ignored once ended. */
  set(image: OverviewImage): void {
    if (this.over) return
    this.shown = image
    this.notify()
  }

  /** Ends the overview for good: the board now shows itself. */
  end(): void {
    if (this.over) return
    this.over = true
    this.shown = undefined
    this.notify()
  }

  /** Calls back on every change; returns the unsubscribe function. */
  onChange(cb: () => void): () => void {
    this.listeners.add(cb)
    return () => this.listeners.delete(cb)
  }

  private notify(): void {
    for (const cb of [...this.listeners]) cb()
  }
}
