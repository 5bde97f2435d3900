import { request } from 'node:http'
import { beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { Host } from '../../../src/main/host/server'
import { CloseReason } from '../../../src/shared/sync/protocol'
import { eachTestHost, sameState, syncUrl } from '../../support/hostFixture'
import { waitUntil } from '../../support/waitUntil'

type Outcome =
  | { kind: 'refused'; status: number; body: string }
  | { kind: 'closed'; code: number; reason: string }

/** Opens a raw socket and reports how the host ended it: an HTTP refusal or a WebSocket close. */
function rawSocket(url: string, options: WebSocket.ClientOptions = {}, send?: (ws: WebSocket) => void) {
  const ws = new WebSocket(url, options)
  const outcome = new Promise<Outcome>((resolve) => {
    ws.on('unexpected-response', (_req, res) => {
      let body = ''
      res.on('data', (c: Buffer) => {
        body += c.toString()
      })
      res.on('end', () => resolve({ kind: 'refused', status: res.statusCode ?? 0, body }))
    })
    ws.on('error', () => {})
    ws.on('open', () => send?.(ws))
    ws.on('close', (code, reason) => resolve({ kind: 'closed', code, reason: reason.toString() }))
  })
  return { ws, outcome }
}

function httpGet(port: number, path: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let body = ''
      res.on('data', (c: Buffer) => {
        body += c.toString()
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('who may reach the host', () => {
  const scope = eachTestHost()
  let host: Host

  beforeEach(async () => {
    host = await scope.start()
  })

  it('refuses a WebSocket from a page on another origin', async () => {
    const { outcome } = rawSocket(syncUrl(host.port, host.defaultBoardId), { origin: 'http://evil.example' })
    const result = await outcome
    expect(result).toMatchObject({ kind: 'refused', status: 403 })
    expect(result.kind === 'refused' && result.body).toContain('http://evil.example')
  })

  it('accepts a WebSocket from its own origin', async () => {
    const origin = `http://localhost:${host.port}`
    const { ws } = rawSocket(syncUrl(host.port, host.defaultBoardId), { origin })
    await waitUntil('the socket opens', () => ws.readyState === WebSocket.OPEN)
    ws.close()
  })

  it('refuses a WebSocket and HTTP requests naming another host (DNS rebinding)', async () => {
    const headers = { host: `evil.example:${host.port}` }
    const { outcome } = rawSocket(syncUrl(host.port, host.defaultBoardId), { headers })
    expect(await outcome).toMatchObject({ kind: 'refused', status: 403 })
    const res = await httpGet(host.port, '/api/health', headers)
    expect(res.status).toBe(403)
    expect(res.body).toContain('Host header')
    expect((await httpGet(host.port, '/api/health', { host: `localhost:${host.port}` })).status).toBe(200)
    expect((await httpGet(host.port, '/api/health', { host: `[::1]:${host.port}` })).status).toBe(200)
  })

  it('refuses a cross-site upload', async () => {
    const res = await httpGet(host.port, '/api/boards?name=x', { origin: 'http://evil.example' }, 'POST')
    expect(res.status).toBe(403)
  })

  it('closes a client of another protocol version with VersionMismatch', async () => {
    const wrong = rawSocket(syncUrl(host.port, host.defaultBoardId, 99))
    expect(await wrong.outcome).toMatchObject({ kind: 'closed', code: CloseReason.VersionMismatch })
    const none = rawSocket(`ws://127.0.0.1:${host.port}/sync/${host.defaultBoardId}`)
    expect(await none.outcome).toMatchObject({ kind: 'closed', code: 4000 })
  })

  it('stops a client of another protocol version for good', async () => {
    const client = scope.connect(syncUrl(host.port, host.defaultBoardId, 99), 'old')
    await expect(client.connection.whenSynced()).rejects.toThrow(/closed/)
    expect(client.connection.status).toBe('closed')
    expect(client.connection.closeCode).toBe(CloseReason.VersionMismatch)
  })

  it('closes a client of an unknown board with UnknownBoard, and the client stops retrying', async () => {
    const raw = rawSocket(syncUrl(host.port, 'no-such-board'))
    expect(await raw.outcome).toMatchObject({ kind: 'closed', code: CloseReason.UnknownBoard })
    const client = scope.connect(syncUrl(host.port, 'no-such-board'), 'lost')
    await expect(client.connection.whenSynced()).rejects.toThrow(/closed/)
    expect(client.connection.status).toBe('closed')
    expect(client.connection.closeCode).toBe(CloseReason.UnknownBoard)
  })

  it.each([
    ['an unknown message type', [7, 0]],
    ['a truncated varint', [0xff, 0xff]],
    ['an unknown sync message', [0, 9, 0]],
    ['a sync update cut short', [0, 2, 40, 1, 2, 3]],
    ['a sync update Yjs cannot read', [0, 2, 6, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]],
    ['an awareness update cut short', [1, 5, 1, 2]],
  ])('closes only the socket that sent %s, with InvalidMessage', async (_what, bytes) => {
    const a = scope.connect(syncUrl(host.port, host.defaultBoardId), 'a')
    const b = scope.connect(syncUrl(host.port, host.defaultBoardId), 'b')
    await Promise.all([a.connection.whenSynced(), b.connection.whenSynced()])
    const first = a.board.beginStroke({ color: '#000000', width: 2 }, [0, 0, 1])
    await waitUntil('b has the first stroke', () => b.board.getStroke(first) !== undefined)

    const bad = rawSocket(syncUrl(host.port, host.defaultBoardId), {}, (ws) => ws.send(new Uint8Array(bytes)))
    expect(await bad.outcome).toMatchObject({ kind: 'closed', code: CloseReason.InvalidMessage })

    const second = b.board.beginStroke({ color: '#ff0000', width: 2 }, [5, 5, 1])
    await waitUntil(
      'a still syncs',
      () => a.board.getStroke(second) !== undefined && sameState(a.board, b.board),
    )
    expect(a.connection.status).toBe('connected')
    expect(a.board.strokes().map((s) => s.id)).toEqual([first, second])
  })

  it('closes a socket that sends a text frame', async () => {
    const bad = rawSocket(syncUrl(host.port, host.defaultBoardId), {}, (ws) => ws.send('hello'))
    expect(await bad.outcome).toMatchObject({ kind: 'closed', code: CloseReason.InvalidMessage })
  })
})
