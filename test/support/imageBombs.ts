import { deflateSync } from 'node:zlib'
import CRC32 from 'crc-32'

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.byteLength, 0)
  head.write(type, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(CRC32.buf(Buffer.concat([head.subarray(4), data])) >>> 0, 0)
  return Buffer.concat([head, data, crc])
}

/**
 * A real, valid PNG of `width` × `height` pixels all of one colour (1-bit palette): a few kilobytes that a
 * decoder turns into width × height × 4 bytes. The decompression bomb of the attack, at any size.
 */
export function solidPng(
  width: number,
  height: number,
  rgb: [number, number, number] = [255, 0, 0],
): Uint8Array {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr.set([1, 3, 0, 0, 0], 8)
  // Every row: filter 0, then index 0 for every pixel.
  const raw = Buffer.alloc(height * (1 + Math.ceil(width / 8)))
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('PLTE', Uint8Array.from(rgb)),
      chunk('IDAT', deflateSync(raw, { level: 9 })),
      chunk('IEND', new Uint8Array(0)),
    ]),
  )
}

/** A GIF whose logical screen is 10 × 10 and whose one frame is `width` × `height` (decoders grow to the frame). */
export function gifWithLargeFrame(width: number, height: number): Uint8Array {
  const b = Buffer.alloc(13 + 10 + 1 + 3 + 1)
  b.write('GIF89a', 0, 'latin1')
  b.writeUInt16LE(10, 6)
  b.writeUInt16LE(10, 8)
  let i = 13
  b[i] = 0x2c
  b.writeUInt16LE(0, i + 1)
  b.writeUInt16LE(0, i + 3)
  b.writeUInt16LE(width, i + 5)
  b.writeUInt16LE(height, i + 7)
  b[i + 9] = 0
  i += 10
  b[i++] = 2 // LZW minimum code size
  b[i++] = 1 // one sub-block of one byte
  b[i++] = 0x44
  b[i++] = 0 // end of the image data
  b[i] = 0x3b
  return new Uint8Array(b)
}

/** A JPEG header (SOI, APP0, SOF0) declaring `width` × `height`; enough for a header reader. */
export function jpegHeader(width: number, height: number, sof = 0xc0): Uint8Array {
  const app0 = [0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0]
  const sofSegment = [0xff, sof, 0x00, 0x11, 8, height >> 8, height & 255, width >> 8, width & 255, 3]
  for (let c = 1; c <= 3; c++) sofSegment.push(c, 0x11, 0)
  return Uint8Array.from([0xff, 0xd8, 0xff, 0xfe, 0x00, 0x04, 0x41, 0x42, ...app0, ...sofSegment, 0xff, 0xd9])
}

/** A WebP header of the extended format (VP8X) whose canvas is `width` × `height`. */
export function webpVp8x(width: number, height: number): Uint8Array {
  const b = Buffer.alloc(30)
  b.write('RIFF', 0, 'latin1')
  b.writeUInt32LE(22, 4)
  b.write('WEBPVP8X', 8, 'latin1')
  b.writeUInt32LE(10, 16)
  b.writeUIntLE(width - 1, 24, 3)
  b.writeUIntLE(height - 1, 27, 3)
  return new Uint8Array(b)
}

/** A WebP header of the lossless format (VP8L) declaring `width` × `height` (each at most 16,384). */
export function webpVp8l(width: number, height: number): Uint8Array {
  const b = Buffer.alloc(30)
  b.write('RIFF', 0, 'latin1')
  b.writeUInt32LE(22, 4)
  b.write('WEBPVP8L', 8, 'latin1')
  b.writeUInt32LE(10, 16)
  b[20] = 0x2f
  b.writeUInt32LE(((width - 1) | ((height - 1) << 14)) >>> 0, 21)
  return new Uint8Array(b)
}
