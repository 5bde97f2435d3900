// The page's services for src/shared (which type-checks without the DOM): imported first by main.tsx.
import { registerPlatform } from '../../shared/platform'
import { addShippedFonts, loadFontsFor, shippedFontBytes } from './fonts'

let measureContext: { font: string; measureText(text: string): { width: number } } | null | undefined

/** A 2D context to measure text with, made on first use; null where the page can make none. */
function measurer(): typeof measureContext {
  if (measureContext === undefined) {
    try {
      measureContext =
        typeof OffscreenCanvas === 'function'
          ? new OffscreenCanvas(1, 1).getContext('2d')
          : document.createElement('canvas').getContext('2d')
    } catch {
      measureContext = null
    }
  }
  return measureContext
}

/** Decodes with createImageBitmap, or through an image element in a browser without it. */
async function decodeImage(bytes: Uint8Array, mime: string): Promise<ImageBitmap | HTMLImageElement> {
  const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mime })
  if (typeof createImageBitmap === 'function') return createImageBitmap(blob)
  const url = URL.createObjectURL(blob)
  try {
    const img = new Image()
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve()
      img.onerror = () => reject(new Error('the image cannot be decoded'))
      img.src = url
    })
    return img
  } finally {
    URL.revokeObjectURL(url)
  }
}

addShippedFonts()

registerPlatform({
  measureText: (text, font) => {
    const ctx = measurer()
    if (!ctx) return undefined
    loadFontsFor(text)
    ctx.font = font
    return ctx.measureText(text).width
  },
  decodeImage,
  createPath: () => new Path2D(),
  fontBytes: shippedFontBytes,
  warn: (message) => console.warn(message),
})
