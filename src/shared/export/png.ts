import CRC32 from 'crc-32'
import { platform } from '../platform'

// A PNG writer that takes the image a band of rows at a time and streams it out: no library found on the registry
// streams PNG encoding (pngjs, fast-png and UPNG take the whole image), and a 40,000 px square does not fit in
// memory whole. Deflate is the platform's (Node's zlib, or CompressionStream in browsers).

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)
/** The private ancillary, safe-to-copy chunk holding an embedded .lanvas board. */
export const BOARD_CHUNK = 'lnVs'
/** Compressed data is sent out in IDAT chunks of about this size. */
const IDAT_BYTES = 256 * 1024
const FILTER_NONE = 0

/** Where encoded bytes go, in order; a returned promise is awaited before more is written. */
export type ByteSink = (chunk: Uint8Array) => Promise<void> | void

const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0))

/** One PNG chunk: length, type, data, CRC of type and data. */
export function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.byteLength)
  const view = new DataView(out.buffer)
  view.setUint32(0, data.byteLength)
  out.set(latin1(type), 4)
  out.set(data, 8)
  view.setUint32(8 + data.byteLength, CRC32.buf(out.subarray(4, 8 + data.byteLength)) >>> 0)
  return out
}

/** The data of each chunk in a PNG, with its type; stops at IEND or at a damaged chunk. */
export function* pngChunks(bytes: Uint8Array): Generator<{ type: string; data: Uint8Array }> {
  if (bytes.byteLength < 8 || SIGNATURE.some((b, i) => bytes[i] !== b)) return
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let at = 8
  while (at + 12 <= bytes.byteLength) {
    const length = view.getUint32(at)
    if (at + 12 + length > bytes.byteLength) return
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8))
    yield { type, data: bytes.subarray(at + 8, at + 8 + length) }
    if (type === 'IEND') return
    at += 12 + length
  }
}

/** Whether bytes start with the PNG signature. */
export function isPng(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 8 && SIGNATURE.every((b, i) => bytes[i] === b)
}

export interface PngHeader {
  width: number
  height: number
  /** RGBA when true; RGB (smaller) for an opaque image. */
  alpha: boolean
  /** Ancillary chunks written before the image data (e.g. the embedded board). */
  chunks?: { type: string; data: Uint8Array }[]
  /**
   * The caller deflates: the image data comes whole and compressed, as a zlib stream (writeDeflated), e.g. from band
   * workers that deflate their own bands (deflatedBands). Nothing is deflated here then.
   */
  deflated?: boolean
}

/** A pass-through stream: the IDAT packing of image data someone else deflated (PngHeader.deflated). */
function passThrough(): { readable: ReadableStream<Uint8Array>; writable: WritableStream<Uint8Array> } {
  return new TransformStream<Uint8Array, Uint8Array>()
}

/**
 * Streams a PNG: `writeRows` takes RGBA rows top to bottom (as getImageData gives them), packs them as PNG rows
 * (filter None) and deflates them into IDAT chunks sent to the sink as they fill; `finish` ends the file. Deflate is
 * the platform's (`platform().deflate`: Node's zlib at a fast level in Node, CompressionStream elsewhere) and runs
 * while the next band is drawn: one band is in flight, so memory stays at about two bands.
 */
export class PngStream {
  private readonly rowBytes: number
  private rows = 0
  private readonly writer: WritableStreamDefaultWriter<Uint8Array>
  private readonly pump: Promise<void>
  /** The write of the previous band: awaited before the next one, so deflate works while that one is drawn. */
  private inFlight: Promise<void> = Promise.resolve()
  private failed: unknown

  constructor(
    private readonly sink: ByteSink,
    private readonly header: PngHeader,
  ) {
    if (!(header.width >= 1 && header.height >= 1)) throw new Error('A PNG needs at least one pixel.')
    this.rowBytes = header.width * (header.alpha ? 4 : 3)
    const deflate = header.deflated
      ? passThrough()
      : (platform().deflate?.() ?? new CompressionStream('deflate'))
    this.writer = deflate.writable.getWriter() as WritableStreamDefaultWriter<Uint8Array>
    this.pump = this.start(deflate.readable as ReadableStream<Uint8Array>)
    // Rejections surface through writeRows/finish; keep an early one from being reported as unhandled.
    this.pump.catch((error) => {
      this.failed = error
    })
  }

  private async start(compressed: ReadableStream<Uint8Array>): Promise<void> {
    const ihdr = new Uint8Array(13)
    const view = new DataView(ihdr.buffer)
    view.setUint32(0, this.header.width)
    view.setUint32(4, this.header.height)
    ihdr.set([8, this.header.alpha ? 6 : 2, 0, 0, 0], 8)
    await this.sink(SIGNATURE)
    await this.sink(pngChunk('IHDR', ihdr))
    for (const c of this.header.chunks ?? []) await this.sink(pngChunk(c.type, c.data))
    let pending: Uint8Array[] = []
    let size = 0
    const flush = async () => {
      if (size === 0) return
      const data = new Uint8Array(size)
      let at = 0
      for (const p of pending) {
        data.set(p, at)
        at += p.byteLength
      }
      pending = []
      size = 0
      await this.sink(pngChunk('IDAT', data))
    }
    const reader = compressed.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      pending.push(value)
      size += value.byteLength
      if (size >= IDAT_BYTES) await flush()
    }
    await flush()
    await this.sink(pngChunk('IEND', new Uint8Array(0)))
  }

  /** Adds `count` rows of RGBA pixels (`width * 4` bytes a row, as getImageData gives them). */
  async writeRows(rgba: Uint8Array | Uint8ClampedArray, count: number): Promise<void> {
    await this.writeFilteredRows(filterRows(rgba, count, this.header.width, this.header.alpha), count)
  }

  /**
   * Adds `count` rows already packed as PNG rows (each its filter byte and pixels: filterRows, packRows), e.g. by a
   * worker. The bytes are deflated while the caller goes on: they must not be changed until the next call resolves.
   */
  async writeFilteredRows(filtered: Uint8Array, count: number): Promise<void> {
    if (this.header.deflated) throw new Error('This PNG takes its image data deflated (writeDeflated).')
    if (this.failed) throw this.failed
    if (this.rows + count > this.header.height) throw new Error('More rows than the PNG is high.')
    if (filtered.byteLength !== count * (this.rowBytes + 1))
      throw new Error('Filtered rows of the wrong size.')
    this.rows += count
    await this.inFlight
    const write = this.writer.write(filtered)
    // Reported by the next call or by finish; not an unhandled rejection meanwhile.
    write.catch(() => {})
    this.inFlight = write
  }

  /**
   * Adds image data already deflated (PngHeader.deflated): the next bytes of one zlib stream of every row, in order,
   * `rows` the rows they complete. The bytes must not be changed until the next call resolves.
   */
  async writeDeflated(bytes: Uint8Array, rows: number): Promise<void> {
    if (!this.header.deflated) throw new Error('This PNG deflates its rows itself (writeFilteredRows).')
    if (this.failed) throw this.failed
    if (this.rows + rows > this.header.height) throw new Error('More rows than the PNG is high.')
    this.rows += rows
    await this.inFlight
    const write = this.writer.write(bytes)
    write.catch(() => {})
    this.inFlight = write
  }

  /** Ends the image data and the file; resolves when the sink has everything. */
  async finish(): Promise<void> {
    if (this.rows !== this.header.height)
      throw new Error(`The PNG got ${this.rows} of ${this.header.height} rows.`)
    await this.inFlight
    await this.writer.close()
    await this.pump
  }

  /** Stops encoding (cancellation); the sink gets nothing more. */
  async abort(reason?: unknown): Promise<void> {
    await this.inFlight.catch(() => {})
    await this.writer.abort(reason).catch(() => {})
    await this.pump.catch(() => {})
  }
}

/** The bytes of one PNG row of `width` pixels: its filter byte and the pixels, RGBA or RGB. */
export function pngRowBytes(width: number, alpha: boolean): number {
  return 1 + width * (alpha ? 4 : 3)
}

/**
 * PNG rows as the image data holds them before deflate: each row its filter byte (None) and its pixels (RGBA, or RGB
 * when `alpha` is false). Filter None: an export is mostly one colour, which deflate folds as well unfiltered as
 * after Up, for a fraction of the work (docs/decisions.md, "Export at scale").
 */
export function filterRows(
  rgba: Uint8Array | Uint8ClampedArray,
  count: number,
  width: number,
  alpha: boolean,
): Uint8Array {
  const out = new Uint8Array(count * pngRowBytes(width, alpha))
  packRows(rgba, width, count, out, width, 0, alpha)
  return out
}

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1

/** packRgbRow's output, as words and as bytes: one row of RGB pixels. */
let packedWords = new Uint32Array(0)
let packed = new Uint8Array(0)

/**
 * Packs `from` RGBA pixels of `src32` (little-endian words) from `at` into RGB bytes at the start of `packed`, four
 * pixels into three words (a row's place in a band's PNG rows is never word-aligned: its filter byte comes first, so
 * the row is written here and copied there in one call). A byte a store took 1.6 times as long (2.8 against 1.7 ms
 * a 4,096 × 267 tile, measured in Node 20).
 */
function packRgbRow(src32: Uint32Array, at: number, from: number): void {
  const words = Math.ceil((from * 3) / 4)
  if (packedWords.length < words) {
    packedWords = new Uint32Array(words)
    packed = new Uint8Array(packedWords.buffer)
  }
  const w32 = packedWords
  let p = at
  const end = at + from
  let w = 0
  for (; p + 4 <= end; p += 4, w += 3) {
    const p0 = src32[p] as number
    const p1 = src32[p + 1] as number
    const p2 = src32[p + 2] as number
    const p3 = src32[p + 3] as number
    // RGBA in memory is R | G << 8 | B << 16 | A << 24: three bytes of each, one after the other.
    w32[w] = (p0 & 0xffffff) | (p1 << 24)
    w32[w + 1] = ((p1 >>> 8) & 0xffff) | (p2 << 16)
    w32[w + 2] = ((p2 >>> 16) & 0xff) | (p3 << 8)
  }
  for (let o = w * 4; p < end; p++, o += 3) {
    const v = src32[p] as number
    packed[o] = v
    packed[o + 1] = v >>> 8
    packed[o + 2] = v >>> 16
  }
}

/**
 * Packs `count` rows of RGBA pixels (`from` px a row) into PNG rows of `width` px (filter None) in `out`, starting
 * at pixel column `x` of each row: a tile's rows go straight to their place in the band's PNG rows.
 */
export function packRows(
  rgba: Uint8Array | Uint8ClampedArray,
  from: number,
  count: number,
  out: Uint8Array,
  width: number,
  x: number,
  alpha: boolean,
): void {
  const stride = pngRowBytes(width, alpha)
  // Same-typed views: a set() from a Uint8ClampedArray into a Uint8Array copies element by element.
  const src = new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.byteLength)
  const words = !alpha && LITTLE_ENDIAN && rgba.byteOffset % 4 === 0
  const src32 = words ? new Uint32Array(rgba.buffer, rgba.byteOffset, rgba.byteLength >> 2) : undefined
  for (let r = 0; r < count; r++) {
    const row = r * stride
    out[row] = FILTER_NONE
    const s = r * from * 4
    if (alpha) {
      out.set(src.subarray(s, s + from * 4), row + 1 + x * 4)
      continue
    }
    let o = row + 1 + x * 3
    if (src32) {
      packRgbRow(src32, s >> 2, from)
      out.set(packed.subarray(0, from * 3), o)
    } else
      for (let p = s, end = s + from * 4; p < end; p += 4, o += 3) {
        out[o] = src[p] as number
        out[o + 1] = src[p + 1] as number
        out[o + 2] = src[p + 2] as number
      }
  }
}

/** Adler-32's modulus. */
const ADLER_BASE = 65521
/** The most bytes Adler-32's sums take before they must be reduced (zlib's NMAX: they stay below 2^32). */
const ADLER_NMAX = 5552

/** Words summed between two reductions: their 4 × 1,387 bytes stay within ADLER_NMAX. */
const ADLER_WORDS = ADLER_NMAX >> 2

/**
 * The Adler-32 checksum (zlib's) of `bytes`, continuing from `adler` (1 for the first bytes). Read a word (four bytes)
 * at a time where the machine is little-endian: four steps of `a += x; b += a` add 4a + 4x0 + 3x1 + 2x2 + x3 to b and
 * the four bytes to a, the same sums as byte by byte; a band worker checks every band's rows (~12 MB) this way in
 * two thirds of the time.
 */
export function adler32(bytes: Uint8Array, adler = 1): number {
  let a = adler & 0xffff
  let b = adler >>> 16
  const n = bytes.length
  let i = 0
  if (LITTLE_ENDIAN && n >= 64) {
    // The bytes before the first whole word of the buffer, one at a time (at most three: the sums stay reduced).
    const head = (4 - (bytes.byteOffset & 3)) & 3
    for (; i < head; i++) {
      a += bytes[i] as number
      b += a
    }
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset + i, (n - i) >>> 2)
    const count = words.length
    for (let w = 0; w < count; ) {
      const end = Math.min(count, w + ADLER_WORDS)
      for (; w < end; w++) {
        const v = words[w] as number
        const x0 = v & 0xff
        const x1 = (v >>> 8) & 0xff
        const x2 = (v >>> 16) & 0xff
        const x3 = v >>> 24
        b += 4 * a + 4 * x0 + 3 * x1 + 2 * x2 + x3
        a += x0 + x1 + x2 + x3
      }
      a %= ADLER_BASE
      b %= ADLER_BASE
    }
    i += count * 4
  }
  for (; i < n; ) {
    const end = Math.min(n, i + ADLER_NMAX)
    for (; i < end; i++) {
      a += bytes[i] as number
      b += a
    }
    a %= ADLER_BASE
    b %= ADLER_BASE
  }
  return ((b << 16) | a) >>> 0
}

/**
 * The Adler-32 of two byte strings one after the other from the checksums of each (`second` of `length2` bytes):
 * zlib's adler32_combine, so that bands checked apart make one zlib stream's checksum.
 */
export function adler32Combine(first: number, second: number, length2: number): number {
  const rem = length2 % ADLER_BASE
  let sum1 = first & 0xffff
  let sum2 = (rem * sum1) % ADLER_BASE
  sum1 += (second & 0xffff) + ADLER_BASE - 1
  sum2 += (first >>> 16) + (second >>> 16) + ADLER_BASE - rem
  if (sum1 >= ADLER_BASE) sum1 -= ADLER_BASE
  if (sum1 >= ADLER_BASE) sum1 -= ADLER_BASE
  if (sum2 >= 2 * ADLER_BASE) sum2 -= 2 * ADLER_BASE
  if (sum2 >= ADLER_BASE) sum2 -= ADLER_BASE
  return (sum1 | (sum2 << 16)) >>> 0
}

/**
 * A zlib stream's two header bytes: deflate with a 32 KB window, no dictionary, the level hint of a fast level (RFC
 * 1950; decoders ignore the hint).
 */
export const ZLIB_HEADER = Uint8Array.of(0x78, 0x5e)

/** A zlib stream's trailer: the Adler-32 of everything inflated, big-endian. */
export function zlibTrailer(adler: number): Uint8Array {
  const out = new Uint8Array(4)
  new DataView(out.buffer).setUint32(0, adler >>> 0)
  return out
}

/** A PNG with one more chunk inserted right after IHDR. */
export function insertPngChunk(png: Uint8Array, type: string, data: Uint8Array): Uint8Array {
  if (!isPng(png)) throw new Error('Not a PNG.')
  const ihdrEnd = 8 + 12 + new DataView(png.buffer, png.byteOffset).getUint32(8)
  const chunk = pngChunk(type, data)
  const out = new Uint8Array(png.byteLength + chunk.byteLength)
  out.set(png.subarray(0, ihdrEnd), 0)
  out.set(chunk, ihdrEnd)
  out.set(png.subarray(ihdrEnd), ihdrEnd + chunk.byteLength)
  return out
}
