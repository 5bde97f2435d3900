import { createReadStream } from 'node:fs'
import { realpath, stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, sep } from 'node:path'

const cspWith = (connect: string) =>
  `default-src 'self'; script-src 'self'; connect-src ${connect}; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`

/** The Content-Security-Policy of the app's HTML on this computer: only this host's own scripts, styles and sockets. */
export const HTML_CSP = cspWith("'self'")

/**
 * The same for pages served over the LAN listener (guests' pages), which may also open a WebSocket to another
 * host: when their host leaves, they move to the session's next host (docs/protocol.md, "Failover"), whose
 * address nobody knows when the page loads. Still no other kind of connection, and scripts stay 'self'.
 */
export const LAN_HTML_CSP = cspWith("'self' ws:")

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' })
  res.end(text)
}

/** Serves the built renderer from rootDir: index.html at "/", assets by path, never a file outside rootDir. */
export async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  rootDir: string,
  csp: string = HTML_CSP,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD')
    sendText(res, 405, 'Method not allowed.')
    return
  }
  let root: string
  try {
    root = await realpath(rootDir)
    await stat(join(root, 'index.html'))
  } catch {
    sendText(
      res,
      503,
      `The Lanvas app is not built: ${join(rootDir, 'index.html')} is missing. Run "npx electron-vite build" (or "npm run host", which builds it).`,
    )
    return
  }
  let pathname: string
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://host').pathname)
  } catch {
    sendText(res, 400, 'Bad request path.')
    return
  }
  if (pathname.includes('\0') || pathname.split(/[\\/]/).includes('..')) {
    sendText(res, 404, 'Not found.')
    return
  }
  if (pathname.endsWith('/')) pathname += 'index.html'
  let file = await resolveInside(root, pathname)
  // Paths without an extension are app routes: the app itself decides what they show.
  if (!file && extname(pathname) === '') file = await resolveInside(root, '/index.html')
  if (!file) {
    sendText(res, 404, 'Not found.')
    return
  }
  const type = CONTENT_TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream'
  const headers: Record<string, string | number> = { 'Content-Type': type, 'Content-Length': file.size }
  if (type.startsWith('text/html')) {
    headers['Content-Security-Policy'] = csp // eng-disable CSP_GLOBAL_CHECK (a constant: HTML_CSP or LAN_HTML_CSP above; index.html is scanned)
    headers['Cache-Control'] = 'no-cache'
  } else
    headers['Cache-Control'] = pathname.startsWith('/assets/')
      ? 'public, max-age=31536000, immutable'
      : 'no-cache'
  res.writeHead(200, headers)
  if (req.method === 'HEAD') {
    res.end()
    return
  }
  const stream = createReadStream(file.path)
  stream.on('error', () => res.destroy())
  stream.pipe(res)
}

/** The real path of a regular file under root, or undefined (missing, a folder, or a link leading outside). */
async function resolveInside(
  root: string,
  pathname: string,
): Promise<{ path: string; size: number } | undefined> {
  try {
    const real = await realpath(join(root, pathname))
    if (!real.startsWith(root + sep)) return undefined
    const info = await stat(real)
    return info.isFile() ? { path: real, size: info.size } : undefined
  } catch {
    return undefined
  }
}
