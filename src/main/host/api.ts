import type { IncomingMessage, ServerResponse } from 'node:http'
import { BoardFileError, MAX_BOARD_FILE_BYTES } from '../../shared/boardFile'
import { errorMessage } from '../../shared/errors'
import { PROTOCOL_VERSION } from '../../shared/sync/protocol'
import type { SessionInfo } from '../../shared/sync/session'
import type { OpenBoards, OpenedBoard } from './openBoards'
import type { CountedSession } from './sessionList'

/** What the HTTP API needs from the host. */
export interface ApiContext {
  boards: OpenBoards
  defaultBoardId: () => string
  /** The open board a request's id names (a session taken over answers to its links' board id too). */
  boardIdOf?: (id: string) => string
  importBoard: (bytes: Uint8Array, suggestedName: string) => Promise<OpenedBoard>
  /** The request came in over the LAN listener (a shared board), not loopback. */
  lan: boolean
  /** The shared session, or undefined when the host shares nothing. */
  session: () => SessionInfo | undefined
  /** The sessions seen on the network, with how many are in each; discovery is false when this host does not browse. */
  sessions: () => Promise<{ discovery: boolean; sessions: CountedSession[] }>
}

// What the network may ask a shared host: enough to open the app and join; boards and files stay local.
const LAN_PATHS = new Set(['/api/health', '/api/session', '/api/boards/default'])

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  })
  res.end(text)
}

/** Answers a request under /api/: health, sessions, the default board, board download and upload. Errors are JSON. */
export async function handleApi(req: IncomingMessage, res: ServerResponse, ctx: ApiContext): Promise<void> {
  try {
    await route(req, res, ctx)
  } catch (error) {
    if (res.headersSent) {
      res.destroy()
      return
    }
    if (error instanceof HttpError && error.status === 413) res.setHeader('Connection', 'close')
    if (error instanceof HttpError) sendJson(res, error.status, { error: error.message })
    else if (error instanceof BoardFileError) sendJson(res, 400, { error: error.message })
    else sendJson(res, 500, { error: `The host failed: ${errorMessage(error)}` })
  }
}

async function route(req: IncomingMessage, res: ServerResponse, ctx: ApiContext): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://host')
  const path = url.pathname
  const method = req.method ?? 'GET'
  const only = (allowed: string): void => {
    if (method !== allowed && !(allowed === 'GET' && method === 'HEAD')) {
      res.setHeader('Allow', allowed)
      throw new HttpError(405, `${method} is not allowed on ${path}.`)
    }
  }

  if (ctx.lan && !LAN_PATHS.has(path))
    throw new HttpError(403, `${path} is only answered to this host's own computer.`)
  if (path === '/api/health') {
    only('GET')
    sendJson(res, 200, { ok: true, protocol: PROTOCOL_VERSION })
    return
  }
  if (path === '/api/session') {
    only('GET')
    const session = ctx.session()
    // Nothing shared is an answer, not an error: every page of a plain host asks, and a 404 is logged as one.
    if (!session) {
      res.writeHead(204, { 'Cache-Control': 'no-store' }).end()
      return
    }
    sendJson(res, 200, session)
    return
  }
  if (path === '/api/sessions') {
    only('GET')
    sendJson(res, 200, await ctx.sessions())
    return
  }
  if (path === '/api/boards/default') {
    only('GET')
    const id = ctx.defaultBoardId()
    const board = ctx.boards.get(ctx.boardIdOf?.(id) ?? id)
    if (!board) throw new HttpError(404, 'The default board is not open.')
    sendJson(res, 200, { id, name: board.name })
    return
  }
  if (path === '/api/boards') {
    only('POST')
    // A .lanvas file, or a PNG/SVG exported with the board embedded (importBoard tells them apart).
    const bytes = await readBody(req, MAX_BOARD_FILE_BYTES)
    const board = await ctx.importBoard(bytes, url.searchParams.get('name') ?? 'Imported board')
    sendJson(res, 201, { id: board.id, name: board.name })
    return
  }
  const file = /^\/api\/boards\/([^/]+)\/file$/.exec(path)
  if (file) {
    only('GET')
    const id = ctx.boardIdOf?.(decodeURIComponent(file[1] as string)) ?? decodeURIComponent(file[1] as string)
    const board = ctx.boards.get(id)
    if (!board) throw new HttpError(404, `No open board has the id ${id}.`)
    const bytes = ctx.boards.fileBytes(id)
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': bytes.byteLength,
      'Content-Disposition': attachment(`${board.name}.lanvas`),
      'Cache-Control': 'no-store',
    })
    res.end(method === 'HEAD' ? undefined : bytes)
    return
  }
  const exported = /^\/api\/boards\/([^/]+)\/export$/.exec(path)
  if (exported) {
    only('GET')
    const id =
      ctx.boardIdOf?.(decodeURIComponent(exported[1] as string)) ?? decodeURIComponent(exported[1] as string)
    const board = ctx.boards.get(id)
    if (!board) throw new HttpError(404, `No open board has the id ${id}.`)
    // Loaded on first use: the drawing code, its fonts and the native canvas cost a host's start a second or more.
    const { sendBoardExport } = await import('./export/exportRoute')
    await sendBoardExport(req, res, ctx.boards.fileBytes(id), board.name, url.searchParams)
    return
  }
  throw new HttpError(404, `No API at ${path}.`)
}

/** A Content-Disposition that keeps any file name intact (RFC 6266) with an ASCII fallback. */
function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`
}

function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  const declared = Number(req.headers['content-length'])
  if (declared > limit) {
    req.resume()
    return Promise.reject(new HttpError(413, `The file is larger than ${limit >> 20} MB.`))
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.byteLength
      if (size > limit) {
        // The 413 answer closes the connection, which ends the upload.
        chunks.length = 0
        reject(new HttpError(413, `The file is larger than ${limit >> 20} MB.`))
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))))
    req.on('error', reject)
  })
}
