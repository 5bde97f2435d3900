import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex } from '@noble/hashes/utils.js'
import { ElementError } from './attrs'
import { oversizeProblem } from './imageHeader'
import { IMAGE_LIMITS, type IMAGE_MIMES } from './types'

/** An image over the size cap: its message says how big it is and what the cap is. */
export class ImageTooLargeError extends ElementError {
  override name = 'ImageTooLargeError'
  constructor(readonly bytes: number) {
    super(
      `This image is ${megabytes(bytes)}; images on a board can be at most ${megabytes(IMAGE_LIMITS.maxBytes)}. ` +
        'Make it smaller (or save it as JPEG) and add it again.',
    )
  }
}

function megabytes(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`
}

/**
 * The id an image's bytes are stored under: their sha-256 in hex. Computed in JavaScript (not crypto.subtle)
 * because a page opened from a LAN address is not a secure context and has no crypto.subtle.
 */
export function assetIdOf(bytes: Uint8Array): string {
  return bytesToHex(sha256(bytes))
}

/** The image type the bytes really are (by their signature), or undefined for anything else. */
export function sniffImageMime(bytes: Uint8Array): (typeof IMAGE_MIMES)[number] | undefined {
  const b = bytes
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'image/png'
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg'
  if (b.length >= 6 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38) return 'image/gif'
  if (
    b.length >= 12 &&
    b[0] === 0x52 &&
    b[1] === 0x49 &&
    b[2] === 0x46 &&
    b[3] === 0x46 &&
    b[8] === 0x57 &&
    b[9] === 0x45 &&
    b[10] === 0x42 &&
    b[11] === 0x50
  )
    return 'image/webp'
  return undefined
}

/**
 * Checks image bytes before they go into a board: the size cap (ImageTooLargeError), a type every peer can draw,
 * the pixel size its header declares (16,384 px a side, 64 Mpx), and sane dimensions given by the caller. Returns the type the bytes really are.
 */
export function checkImage(bytes: Uint8Array, width: number, height: number): (typeof IMAGE_MIMES)[number] {
  if (bytes.byteLength > IMAGE_LIMITS.maxBytes) throw new ImageTooLargeError(bytes.byteLength)
  const mime = sniffImageMime(bytes)
  if (!mime) throw new ElementError('This file is not an image a board can hold (PNG, JPEG, GIF or WebP).')
  // The header's size, not the caller's: a small file can claim billions of pixels and every viewer decodes it.
  const pixels = oversizeProblem(bytes)
  if (pixels) throw new ElementError(pixels)
  const max = IMAGE_LIMITS.maxPixels
  if (
    !(
      Number.isFinite(width) &&
      Number.isFinite(height) &&
      width >= 1 &&
      height >= 1 &&
      width <= max &&
      height <= max
    )
  )
    throw new ElementError(`This image's size (${width} × ${height} px) is not one a board can show.`)
  return mime
}

/** Longest side, in board units, an added image gets at first (people resize it from there). */
export const IMAGE_START_SIDE = 800

/** The size an image starts at on the board: its pixel size, shrunk to fit IMAGE_START_SIDE. */
export function startSize(width: number, height: number): { width: number; height: number } {
  const k = Math.min(1, IMAGE_START_SIDE / Math.max(width, height))
  return { width: width * k, height: height * k }
}
