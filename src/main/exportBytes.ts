/**
 * What SaveExport may write: bytes that are the chosen format's and no bigger than an export can be. Any page the
 * window shows may call it (a joined page too), so nothing else reaches the disk under an image's name. Pure, tested.
 */
import { MAX_BOARD_FILE_BYTES } from '../shared/boardFile'
import { MAX_CANVAS_PIXELS } from '../shared/export/options'

/** The largest export: an uncompressed RGBA raster at the pixel cap plus an embedded board at the file cap. */
export const MAX_EXPORT_BYTES = MAX_CANVAS_PIXELS * 4 + MAX_BOARD_FILE_BYTES

const FORMATS = ['png', 'jpg', 'jpeg', 'webp', 'svg', 'pdf'] as const
/** The formats SaveExport writes, by file extension. */
export type ExportExtension = (typeof FORMATS)[number]

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0): boolean =>
  bytes.byteLength >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b)
const ascii = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0))

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const JPEG = [0xff, 0xd8, 0xff]

function svgProblem(bytes: Uint8Array): string | undefined {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return 'it is not UTF-8 text'
  }
  if (text.includes('\u0000')) return 'it holds binary data'
  const head = text.replace(/^\uFEFF/, '').trimStart()
  if (!/^<(\?xml\s|svg[\s>]|!--)/.test(head) || !/<svg[\s>]/.test(head.slice(0, 4096)))
    return 'it does not start as an SVG document'
  // Lanvas never writes script into an SVG; opened from disk, a browser would run it.
  if (
    /<script[\s>/]|<foreignObject[\s>/]|<[^>]*\son[a-z]+\s*=|(?:href|src)\s*=\s*["']\s*javascript:/i.test(
      text,
    )
  )
    return 'it holds script'
  return undefined
}

/** Why these bytes are not an export of this format (one line for the user), or undefined when they are. */
export function exportBytesProblem(bytes: Uint8Array, extension: string): string | undefined {
  const format = extension.toLowerCase() as ExportExtension
  if (!FORMATS.includes(format)) return 'Lanvas exports PNG, JPEG, WebP, SVG and PDF files only.'
  if (bytes.byteLength === 0) return 'The export is empty.'
  if (bytes.byteLength > MAX_EXPORT_BYTES)
    return `The export is larger than any Lanvas export can be (${MAX_EXPORT_BYTES >> 20} MB).`
  const problem = (() => {
    switch (format) {
      case 'png':
        return startsWith(bytes, PNG) ? undefined : 'it does not start with the PNG signature'
      case 'jpg':
      case 'jpeg':
        return startsWith(bytes, JPEG) ? undefined : 'it does not start with the JPEG signature'
      case 'webp':
        return startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)
          ? undefined
          : 'it does not start with the WebP signature'
      case 'pdf':
        return startsWith(bytes, ascii('%PDF-')) ? undefined : 'it does not start with the PDF signature'
      default:
        return svgProblem(bytes)
    }
  })()
  return problem && `This is not a ${format.toUpperCase()} file: ${problem}.`
}
