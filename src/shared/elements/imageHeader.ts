/**
 * The pixel size of an image, read from its header without decoding it (PNG, JPEG, GIF, WebP): what a decoder
 * would allocate. A few hundred kilobytes can claim 30,000 × 30,000 px (3.6 GB of pixels), so every image is
 * measured here before any decoder sees it. Pure byte reading: no DOM, no Node.
 */
import { IMAGE_LIMITS } from './types'

/** An image's size in pixels. */
export interface PixelSize {
  width: number
  height: number
}

const u16be = (b: Uint8Array, i: number) => ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0)
const u16le = (b: Uint8Array, i: number) => (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8)
const u24le = (b: Uint8Array, i: number) => u16le(b, i) | ((b[i + 2] ?? 0) << 16)
const u32be = (b: Uint8Array, i: number) => u16be(b, i) * 0x10000 + u16be(b, i + 2)
const u32le = (b: Uint8Array, i: number) => u16le(b, i) + u16le(b, i + 2) * 0x10000
const ascii = (b: Uint8Array, i: number, n: number) => String.fromCharCode(...b.subarray(i, i + n))

/** The size a PNG's IHDR (always its first chunk) declares. */
function pngSize(b: Uint8Array): PixelSize | undefined {
  if (b.length < 24 || ascii(b, 12, 4) !== 'IHDR') return undefined
  return { width: u32be(b, 16), height: u32be(b, 20) }
}

/** The size of a JPEG's first frame header (SOFn), found by walking its segments up to the scan. */
function jpegSize(b: Uint8Array): PixelSize | undefined {
  let i = 2
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return undefined
    const marker = b[i + 1] as number
    // Fill bytes, and markers without a length (TEM, RSTn).
    if (marker === 0xff) {
      i++
      continue
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2
      continue
    }
    if (marker === 0xd9 || marker === 0xda) return undefined
    const length = u16be(b, i + 2)
    if (length < 2) return undefined
    // SOF0-15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (i + 9 > b.length) return undefined
      return { width: u16be(b, i + 7), height: u16be(b, i + 5) }
    }
    i += 2 + length
  }
  return undefined
}

/** A GIF's size: its logical screen, grown to hold every frame (decoders grow the canvas to a larger frame). */
function gifSize(b: Uint8Array): PixelSize | undefined {
  if (b.length < 13) return undefined
  let width = u16le(b, 6)
  let height = u16le(b, 8)
  const flags = b[10] as number
  let i = 13 + (flags & 0x80 ? 3 * 2 ** ((flags & 7) + 1) : 0)
  const skipSubBlocks = (): boolean => {
    while (i < b.length) {
      const n = b[i] as number
      i += 1 + n
      if (n === 0) return true
    }
    return false
  }
  while (i < b.length) {
    const block = b[i]
    if (block === 0x3b) break
    if (block === 0x21) {
      i += 2
      if (!skipSubBlocks()) break
    } else if (block === 0x2c) {
      if (i + 10 > b.length) break
      width = Math.max(width, u16le(b, i + 1) + u16le(b, i + 5))
      height = Math.max(height, u16le(b, i + 3) + u16le(b, i + 7))
      const local = b[i + 9] as number
      i += 10 + (local & 0x80 ? 3 * 2 ** ((local & 7) + 1) : 0) + 1
      if (!skipSubBlocks()) break
    } else break
  }
  return { width, height }
}

/** A WebP's size from its first chunk: VP8 (lossy), VP8L (lossless) or VP8X (the extended format's canvas). */
function webpSize(b: Uint8Array): PixelSize | undefined {
  if (b.length < 30) return undefined
  const chunk = ascii(b, 12, 4)
  if (chunk === 'VP8 ') {
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return undefined
    return { width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff }
  }
  if (chunk === 'VP8L') {
    if (b[20] !== 0x2f) return undefined
    const bits = u32le(b, 21)
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 }
  }
  if (chunk === 'VP8X') return { width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 }
  return undefined
}

/** The pixel size an image's header declares, or undefined when it is no PNG, JPEG, GIF or WebP or is cut short. */
export function imagePixelSize(bytes: Uint8Array): PixelSize | undefined {
  const b = bytes
  if (b.length >= 8 && b[0] === 0x89 && ascii(b, 1, 3) === 'PNG') return pngSize(b)
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return jpegSize(b)
  if (b.length >= 6 && ascii(b, 0, 4) === 'GIF8') return gifSize(b)
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return webpSize(b)
  return undefined
}

// 30000 -> "30,000", the same everywhere (no locale data needed).
const grouped = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',')

/**
 * Why a decoder must not see these bytes (a sentence a person understands): a header that cannot be read, or
 * a size over the cap (16,384 px a side, 64 Mpx). Undefined when they may be decoded.
 */
export function pixelSizeProblem(bytes: Uint8Array): string | undefined {
  const size = imagePixelSize(bytes)
  if (!size || size.width < 1 || size.height < 1) return 'This image is damaged: its size cannot be read.'
  return oversizeProblem(bytes)
}

/**
 * Why an image is refused for its size, when its header declares one over the cap; undefined otherwise. Bytes
 * whose header cannot be read pass here (a board may store them: no decoder is ever given them, see
 * pixelSizeProblem), so that nothing stored today stops being a valid board.
 */
export function oversizeProblem(bytes: Uint8Array): string | undefined {
  const size = imagePixelSize(bytes)
  if (!size) return undefined
  const { maxPixels: side, maxArea } = IMAGE_LIMITS
  if (size.width > side || size.height > side || size.width * size.height > maxArea)
    return (
      `This image is ${grouped(size.width)} × ${grouped(size.height)} px; images on a board can be at most ` +
      `${grouped(side)} px a side and ${maxArea / 2 ** 20} megapixels. Make it smaller and add it again.`
    )
  return undefined
}
