import { createCanvas } from '@napi-rs/canvas'
import { describe, expect, it } from 'vitest'
import { imagePixelSize, oversizeProblem, pixelSizeProblem } from '../../src/shared/elements/imageHeader'
import { gifWithLargeFrame, jpegHeader, solidPng, webpVp8l, webpVp8x } from '../support/imageBombs'

/** An image of each format as a real encoder writes it. */
function encoded(format: 'png' | 'jpeg' | 'webp', width: number, height: number): Uint8Array {
  const canvas = createCanvas(width, height)
  const ctx = canvas.getContext('2d')
  ctx.fillStyle = '#3366cc'
  ctx.fillRect(0, 0, width, height)
  return new Uint8Array(format === 'png' ? canvas.encodeSync('png') : canvas.encodeSync(format, 80))
}

describe('the pixel size in an image header', () => {
  it.each(['png', 'jpeg', 'webp'] as const)('reads a %s as its encoder wrote it', (format) => {
    expect(imagePixelSize(encoded(format, 321, 123))).toEqual({ width: 321, height: 123 })
    expect(imagePixelSize(encoded(format, 7, 900))).toEqual({ width: 7, height: 900 })
  })

  it('reads GIFs (growing to a frame larger than the screen), progressive JPEGs, VP8X and VP8L WebPs', () => {
    expect(imagePixelSize(gifWithLargeFrame(20_000, 300))).toEqual({ width: 20_000, height: 300 })
    expect(imagePixelSize(jpegHeader(30_000, 20, 0xc2))).toEqual({ width: 30_000, height: 20 })
    expect(imagePixelSize(webpVp8x(30_000, 30_000))).toEqual({ width: 30_000, height: 30_000 })
    expect(imagePixelSize(webpVp8l(16_384, 16_384))).toEqual({ width: 16_384, height: 16_384 })
    expect(imagePixelSize(solidPng(30_000, 30))).toEqual({ width: 30_000, height: 30 })
  })

  it.each([
    ['a PNG 30,000 px wide', () => solidPng(30_000, 30), /30,000 × 30 px/],
    ['a PNG of 12,000 × 12,000 (144 Mpx)', () => solidPng(12_000, 12_000), /12,000 × 12,000 px/],
    ['a GIF frame of 20,000 px', () => gifWithLargeFrame(20_000, 300), /20,000 × 300 px/],
    ['a JPEG of 30,000 px', () => jpegHeader(30_000, 20), /30,000 × 20 px/],
    ['a WebP canvas of 30,000 × 30,000', () => webpVp8x(30_000, 30_000), /30,000 × 30,000 px/],
    ['a lossless WebP of 16,384 × 16,384 (268 Mpx)', () => webpVp8l(16_384, 16_384), /16,384 × 16,384 px/],
  ])('refuses %s with a message that says its size and the cap', (_what, make, size) => {
    const problem = oversizeProblem(make())
    expect(problem).toMatch(size)
    expect(problem).toMatch(/at most 16,384 px a side and 64 megapixels/)
  })

  it('lets images within the cap through, and keeps an unreadable header from any decoder', () => {
    expect(oversizeProblem(solidPng(16_384, 4096))).toBeUndefined()
    expect(pixelSizeProblem(encoded('png', 50, 50))).toBeUndefined()
    const notReally = new Uint8Array(64).fill(7)
    notReally.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    expect(oversizeProblem(notReally)).toBeUndefined()
    expect(pixelSizeProblem(notReally)).toBe('This image is damaged: its size cannot be read.')
    expect(pixelSizeProblem(encoded('jpeg', 50, 50).subarray(0, 10))).toMatch(/cannot be read/)
  })
})
