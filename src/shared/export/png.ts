import CRC32 from 'crc-32'

// A PNG writer that takes the image a band of rows at a time and streams it out: no library found on the registry
// streams PNG encoding (pngjs, fast-png and UPNG take the whole image), and a 40,000 px square does not fit in
// memory whole. Deflate is the platform's (CompressionStream: zlib in Node, native in browsers).

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)
/** The private ancillary, safe-to-copy chunk holding an embedded .lanvas board. */
export const BOARD_CHUNK = 'lnVs'
/** Compressed data is sent out in IDAT chunks of about this size. */
const IDAT_BYTES = 256 * 1024
const FILTER_NONE = 0
const FILTER_UP = 2

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
}

/**
 * Streams a PNG: `writeRows` takes RGBA rows top to bottom (as getImageData gives them), filters them (Up) and
 * deflates them into IDAT chunks sent to the sink as they fill; `finish` ends the file. Memory stays at one band.
 */
export class PngStream {
  private readonly rowBytes: number
  private readonly prev: Uint8Array
  private rows = 0
  private readonly writer: WritableStreamDefaultWriter<Uint8Array>
  private readonly pump: Promise<void>
  private failed: unknown

  constructor(
    private readonly sink: ByteSink,
    private readonly header: PngHeader,
  ) {
    if (!(header.width >= 1 && header.height >= 1)) throw new Error('A PNG needs at least one pixel.')
    this.rowBytes = header.width * (header.alpha ? 4 : 3)
    this.prev = new Uint8Array(this.rowBytes)
    const deflate = new CompressionStream('deflate')
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
    if (this.failed) throw this.failed
    if (this.rows + count > this.header.height) throw new Error('More rows than the PNG is high.')
    // The last row's raw pixels are the next call's "Up" neighbour (filterRows leaves them in prev).
    const out = filterRows(rgba, count, this.header.width, this.header.alpha, this.prev)
    this.rows += count
    await this.writer.write(out)
  }

  /** Adds `count` rows already filtered by filterRows (each row its filter byte and pixels), e.g. by a worker. */
  async writeFilteredRows(filtered: Uint8Array, count: number): Promise<void> {
    if (this.failed) throw this.failed
    if (this.rows + count > this.header.height) throw new Error('More rows than the PNG is high.')
    if (filtered.byteLength !== count * (this.rowBytes + 1))
      throw new Error('Filtered rows of the wrong size.')
    this.rows += count
    await this.writer.write(filtered)
  }

  /** Ends the image data and the file; resolves when the sink has everything. */
  async finish(): Promise<void> {
    if (this.rows !== this.header.height)
      throw new Error(`The PNG got ${this.rows} of ${this.header.height} rows.`)
    await this.writer.close()
    await this.pump
  }

  /** Stops encoding (cancellation); the sink gets nothing more. */
  async abort(reason?: unknown): Promise<void> {
    await this.writer.abort(reason).catch(() => {})
    await this.pump.catch(() => {})
  }
}

/**
 * PNG rows as the image data holds them before deflate: each row its filter byte and its pixels (RGBA, or RGB
 * when `alpha` is false). Every row uses the Up filter against the raw row above it; the first row against `prev`
 * (the last row of the band above, replaced on return by this band's last row) or, without one, filter None.
 */
export function filterRows(
  rgba: Uint8Array | Uint8ClampedArray,
  count: number,
  width: number,
  alpha: boolean,
  prev?: Uint8Array,
): Uint8Array {
  const n = width * (alpha ? 4 : 3)
  const stride = n + 1
  const out = new Uint8Array(count * stride)
  for (let r = 0; r < count; r++) {
    const s = r * width * 4
    const o = r * stride + 1
    if (alpha) out.set(rgba.subarray(s, s + n), o)
    else
      for (let x = 0, i = o, p = s; x < width; x++, i += 3, p += 4) {
        out[i] = rgba[p] as number
        out[i + 1] = rgba[p + 1] as number
        out[i + 2] = rgba[p + 2] as number
      }
  }
  const last = prev && count > 0 ? out.slice((count - 1) * stride + 1, count * stride) : undefined
  // Bottom up, so that the row above is still raw when a row is filtered.
  for (let r = count - 1; r >= 1; r--) {
    const o = r * stride
    out[o] = FILTER_UP
    for (let i = o + 1, j = o + 1 - stride, end = o + stride; i < end; i++, j++)
      out[i] = ((out[i] as number) - (out[j] as number)) & 255
  }
  if (count > 0) {
    if (prev) {
      out[0] = FILTER_UP
      for (let i = 1; i <= n; i++) out[i] = ((out[i] as number) - (prev[i - 1] as number)) & 255
      prev.set(last as Uint8Array)
    } else out[0] = FILTER_NONE
  }
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
