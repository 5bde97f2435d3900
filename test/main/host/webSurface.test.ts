import { mkdir, symlink, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { connect } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { Host, SessionShare } from '../../../src/main/host/server'
import { HTML_CSP, LAN_HTML_CSP } from '../../../src/main/host/staticFiles'
import { CloseReason, PROTOCOL_VERSION } from '../../../src/shared/sync/protocol'
import { removeDir, shareOnLoopback, startTestHost, syncUrl, tempDir } from '../../support/hostFixture'

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A raw HTTP request with exactly these headers (Node adds Host unless one is given). */
function send(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let body = ''
      res.on('data', (c: Buffer) => {
        body += c.toString()
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** The status line of a request written by hand (here: one without any Host header). */
function rawStatus(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(head))
    let text = ''
    socket.on('data', (c: Buffer) => {
      text += c.toString()
    })
    socket.on('end', () => resolve(text.split('\r\n')[0] ?? ''))
    socket.on('error', reject)
  })
}

/** How the host answers a WebSocket upgrade: refused with an HTTP status, or opened (then closed by us). */
function upgrade(
  url: string,
  options: WebSocket.ClientOptions,
): Promise<number | 'open' | { closed: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, options)
    let opened = false
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    ws.on('error', () => {})
    ws.on('open', () => {
      opened = true
      setImmediate(() => ws.close())
    })
    // Opened and closed by us (1005: no code), or closed by the host with its code.
    ws.on('close', (code) => resolve(opened && code === 1005 ? 'open' : { closed: code }))
  })
}

const SECRET = 'outside-the-renderer'

describe('the web surface of a host and of its shared board', () => {
  let dir: string
  let host: Host
  let share: SessionShare

  beforeAll(async () => {
    dir = await tempDir()
    const renderer = join(dir, 'renderer')
    await mkdir(join(renderer, 'assets'), { recursive: true })
    await writeFile(join(renderer, 'index.html'), '<!doctype html><title>Lanvas</title>')
    await writeFile(join(renderer, 'assets', 'app.js'), 'console.log(1)')
    await writeFile(join(dir, 'secret.txt'), SECRET)
    await symlink(dir, join(renderer, 'up'))
    host = await startTestHost(dir, { rendererDir: renderer })
    share = await shareOnLoopback(host)
  })

  afterAll(async () => {
    await host.close()
    await removeDir(dir)
  })

  const lanHost = () => `127.0.0.1:${share.port}`

  it.each([
    ['a name the host does not have (DNS rebinding)', 'evil.example'],
    ['a look-alike with the right port', 'evil.example:PORT'],
    ['the host with a trailing dot', '127.0.0.1.:PORT'],
    ['the host with another port', '127.0.0.1:1'],
    ['a suffix trick', '127.0.0.1:PORT.evil.example'],
  ])(
    'refuses HTTP and WebSocket requests whose Host header is %s, on both listeners',
    async (_what, name) => {
      for (const port of [host.port, share.port]) {
        const hostHeader = name.replace('PORT', String(port))
        const res = await send(port, '/api/health', { host: hostHeader })
        expect(res.status).toBe(403)
        expect(res.body).toContain('is not this Lanvas host')
        const url = `ws://127.0.0.1:${port}/sync/${share.boardId}?v=${PROTOCOL_VERSION}`
        expect(await upgrade(url, { headers: { host: hostHeader } })).toBe(403)
      }
    },
  )

  it('refuses a request without a Host header', async () => {
    expect(await rawStatus(host.port, 'GET /api/health HTTP/1.0\r\n\r\n')).toBe('HTTP/1.1 403 Forbidden')
    expect(await rawStatus(share.port, 'GET / HTTP/1.0\r\n\r\n')).toBe('HTTP/1.1 403 Forbidden')
  })

  it.each([
    ['an opaque origin (sandboxed frame, file:)', 'null'],
    ['https instead of http', 'https://127.0.0.1:PORT'],
    ['another port of the same machine', 'http://127.0.0.1:1'],
    ['a suffix trick', 'http://127.0.0.1:PORT.evil.example'],
    ['user info in front', 'http://127.0.0.1:PORT@evil.example'],
    ['another site', 'http://evil.example'],
  ])(
    'refuses a WebSocket whose Origin is %s (cross-site WebSocket hijacking), on both listeners',
    async (_what, origin) => {
      for (const port of [host.port, share.port]) {
        const url = `ws://127.0.0.1:${port}/sync/${share.boardId}?v=${PROTOCOL_VERSION}`
        expect(await upgrade(url, { origin: origin.replace('PORT', String(port)) })).toBe(403)
      }
    },
  )

  it("accepts a WebSocket from the host's own origins", async () => {
    for (const origin of [
      `http://127.0.0.1:${host.port}`,
      `http://localhost:${host.port}`,
      `http://[::1]:${host.port}`,
    ])
      expect(await upgrade(syncUrl(host.port, host.defaultBoardId), { origin })).toBe('open')
    expect(
      await upgrade(`ws://${lanHost()}/sync/${share.boardId}?v=${PROTOCOL_VERSION}`, {
        origin: `http://${lanHost()}`,
      }),
    ).toBe('open')
  })

  it('refuses a cross-site POST on the LAN listener as on loopback', async () => {
    const res = await send(share.port, '/api/boards?name=x', { origin: 'http://evil.example' }, 'POST')
    expect(res.status).toBe(403)
  })

  it('serves no other board over the LAN listener', async () => {
    const other = await host.openBoardFile(join(dir, 'private.lanvas'))
    const closed = await upgrade(`ws://${lanHost()}/sync/${other.id}?v=${PROTOCOL_VERSION}`, {})
    expect(closed).toEqual({ closed: CloseReason.UnknownBoard })
  })

  it.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/%252e%252e/secret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/up/secret.txt',
    '/%c0%ae%c0%ae/secret.txt',
    '//secret.txt',
    '/assets/app.js%00.html',
  ])('leaks no file outside the renderer over the LAN listener: %s', async (path) => {
    const res = await send(share.port, path)
    expect(res.body).not.toContain(SECRET)
    expect([200, 400, 404]).toContain(res.status)
    if (res.status === 200) expect(res.body).toContain('<title>Lanvas</title>')
  })

  it('sets its security headers on every answer: the app, app routes, assets, API, errors', async () => {
    for (const port of [host.port, share.port])
      for (const path of ['/', '/board/x', '/assets/app.js', '/api/health', '/api/nothing', '/missing.js']) {
        const res = await send(port, path)
        expect(res.headers['x-content-type-options']).toBe('nosniff')
        expect(res.headers['x-frame-options']).toBe('DENY')
        expect(res.headers['referrer-policy']).toBe('no-referrer')
        if (String(res.headers['content-type']).startsWith('text/html'))
          expect(res.headers['content-security-policy']).toBe(port === host.port ? HTML_CSP : LAN_HTML_CSP)
      }
  })

  it('has a CSP that allows only its own scripts: no inline or eval, no plugins, no other origins', () => {
    const directives = new Map(
      HTML_CSP.split(';')
        .map((d) => d.trim().split(/\s+/))
        .filter((d) => d[0])
        .map((d) => [d[0] as string, d.slice(1)]),
    )
    expect(directives.get('default-src')).toEqual(["'self'"])
    // Scripts fall back to default-src: this host's files only.
    const scripts = directives.get('script-src') ?? directives.get('default-src') ?? []
    expect(scripts).toEqual(["'self'"])
    // The page may open its own WebSocket and nothing else (no ws: to any host).
    expect(directives.get('connect-src')).toEqual(["'self'"])
    // A guest's page (LAN listener) may also open a WebSocket to the session's next host, and nothing else differs.
    expect(LAN_HTML_CSP.replace("connect-src 'self' ws:", "connect-src 'self'")).toBe(HTML_CSP)
    expect(directives.get('frame-ancestors')).toEqual(["'none'"])
    for (const sources of directives.values()) {
      expect(sources).not.toContain("'unsafe-eval'")
      expect(sources).not.toContain('*')
      expect(sources).not.toContain('http:')
      expect(sources).not.toContain('https:')
    }
    // No plugins at all.
    expect(directives.get('object-src')).toEqual(["'none'"])
  })

  it('answers only GET and HEAD outside the API', async () => {
    for (const method of ['PUT', 'DELETE', 'POST', 'PATCH']) {
      const res = await send(host.port, '/', {}, method)
      expect(res.status).toBe(405)
      expect(res.headers.allow).toBe('GET, HEAD')
    }
  })
})
