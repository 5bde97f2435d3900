import './nodeCanvas'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { crc32 } from 'node:zlib'
import { BoardFileError, openBoardFile } from '../../../shared/boardFile'
import {
  type ExportBackground,
  ExportError,
  type ExportFormat,
  type ExportOptions,
  exportBoard,
  exportLayout,
  extractEmbeddedBoard,
  FORMATS,
} from '../../../shared/export'
import { isPng } from '../../../shared/export/png'

/** Export options from a query string: format, scale or width, padding, background, dark, embed, quality. */
export function exportOptionsFromQuery(query: URLSearchParams): Partial<ExportOptions> {
  const num = (name: string): number | undefined => {
    const text = query.get(name)
    if (text === null) return undefined
    const n = Number(text)
    if (text.trim() === '' || !Number.isFinite(n))
      throw new ExportError(`${name} must be a number, not "${text}".`)
    return n
  }
  const flag = (name: string) => ['1', 'true', 'yes'].includes(query.get(name) ?? '')
  const format = query.get('format') ?? 'png'
  if (!(format in FORMATS))
    throw new ExportError(`Unknown export format "${format}" (png, jpeg, webp, svg, pdf).`)
  return {
    format: format as ExportFormat,
    scale: num('scale'),
    targetWidth: num('width'),
    padding: num('padding'),
    quality: num('quality'),
    background: (query.get('background') ?? undefined) as ExportBackground | undefined,
    dark: flag('dark'),
    embedBoard: flag('embed'),
  }
}

/**
 * Answers GET /api/boards/<id>/export: the board (its current file bytes) exported with the query's options,
 * streamed as it is made. A bad option is a 400 with a JSON message; the export runs on a copy of the board.
 */
export async function sendBoardExport(
  req: IncomingMessage,
  res: ServerResponse,
  boardFile: Uint8Array,
  name: string,
  query: URLSearchParams,
): Promise<void> {
  const board = openBoardFile(boardFile, undefined, crc32)
  let options: Partial<ExportOptions>
  try {
    options = exportOptionsFromQuery(query)
    // Checked before the headers go out, so that a bad request gets a status, not a cut-off file.
    exportLayout(board, options)
  } catch (error) {
    if (!(error instanceof ExportError)) throw error
    const text = JSON.stringify({ error: error.message })
    res.writeHead(400, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' })
    res.end(text)
    return
  }
  const info = FORMATS[options.format ?? 'png']
  const fileName = `${name}.${info.extension}`
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')
  res.writeHead(200, {
    'Content-Type': info.mime,
    'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
    'Cache-Control': 'no-store',
  })
  if (req.method === 'HEAD') {
    res.end()
    return
  }
  const abort = new AbortController()
  res.on('close', () => abort.abort(new Error('The client went away.')))
  await exportBoard(board, options, {
    signal: abort.signal,
    sink: (chunk) =>
      new Promise<void>((resolve, reject) => {
        res.write(chunk, (error) => (error ? reject(error) : resolve()))
      }),
  })
  res.end()
}

/**
 * The .lanvas bytes of an uploaded board file: the file itself, or the board embedded in an exported PNG or SVG.
 * An image without a board is refused with a message that says so.
 */
export function boardFileOf(upload: Uint8Array): Uint8Array {
  const embedded = extractEmbeddedBoard(upload)
  if (embedded) return embedded
  const head = new TextDecoder().decode(upload.subarray(0, 256)).trimStart()
  if (isPng(upload) || head.startsWith('<?xml') || head.startsWith('<svg'))
    throw new BoardFileError(
      'This image holds no Lanvas board: export it from Lanvas with "Embed board" to open it again.',
    )
  return upload
}
