import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Host } from '../../../src/main/host/server'
import { HTML_CSP } from '../../../src/main/host/staticFiles'
import { Board } from '../../../src/shared/board'
import { encodeBoardFile, openBoardFile } from '../../../src/shared/boardFile'
import { PROTOCOL_VERSION } from '../../../src/shared/sync/protocol'
import { eachTestHost, syncUrl } from '../../support/hostFixture'
import { waitUntil } from '../../support/waitUntil'

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
}

/** A raw HTTP request: the path is sent exactly as written (fetch would normalise "/../"). */
function send(port: number, path: string, method = 'GET', body?: Uint8Array): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      )
    })
    req.on('error', reject)
    req.end(body)
  })
}

const SECRET = 'secret-outside-the-renderer'

describe('the host over HTTP', () => {
  const scope = eachTestHost()
  let dir: string
  let host: Host

  beforeEach(async () => {
    dir = scope.dir
    const renderer = join(dir, 'renderer')
    await mkdir(join(renderer, 'assets'), { recursive: true })
    await writeFile(join(renderer, 'index.html'), '<!doctype html><title>Lanvas</title>')
    await writeFile(join(renderer, 'assets', 'app.js'), 'console.log(1)')
    await writeFile(join(renderer, 'assets', 'app.css'), 'body{}')
    await writeFile(join(dir, 'secret.txt'), SECRET)
    await symlink(join(dir, 'secret.txt'), join(renderer, 'link.txt'))
    host = await scope.start({ rendererDir: renderer })
  })

  it('serves the app with its content types and a strict CSP', async () => {
    const index = await send(host.port, '/')
    expect(index.status).toBe(200)
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(index.headers['content-security-policy']).toBe(HTML_CSP)
    expect(index.headers['x-content-type-options']).toBe('nosniff')
    expect(index.body.toString()).toContain('<title>Lanvas</title>')
    const js = await send(host.port, '/assets/app.js')
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect((await send(host.port, '/assets/app.css')).headers['content-type']).toBe('text/css; charset=utf-8')
    expect((await send(host.port, '/assets/missing.js')).status).toBe(404)
    expect((await send(host.port, '/board/some-route')).body.toString()).toContain('<title>Lanvas</title>')
  })

  it.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2e%2e%2fsecret.txt',
    '/..%2fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/..\\secret.txt',
    '/%5c..%5csecret.txt',
    '/link.txt',
    '/%00/../secret.txt',
  ])('does not leak files outside the renderer: %s', async (path) => {
    const res = await send(host.port, path)
    expect(res.body.toString()).not.toContain(SECRET)
    expect([400, 404]).toContain(res.status)
  })

  it('answers health and JSON errors', async () => {
    const health = await send(host.port, '/api/health')
    expect(JSON.parse(health.body.toString())).toEqual({ ok: true, protocol: PROTOCOL_VERSION })
    const missing = await send(host.port, '/api/nothing')
    expect(missing.status).toBe(404)
    expect(missing.headers['content-type']).toContain('application/json')
    expect(JSON.parse(missing.body.toString()).error).toContain('/api/nothing')
    expect((await send(host.port, '/api/health', 'POST')).status).toBe(405)
    expect((await send(host.port, '/api/boards/nope/file')).status).toBe(404)
  })

  it('downloads the default board as a .lanvas file', async () => {
    const info = JSON.parse((await send(host.port, '/api/boards/default')).body.toString())
    expect(info).toEqual({ id: host.defaultBoardId, name: 'board' })
    const client = scope.connect(syncUrl(host.port, info.id), 'ann')
    await client.connection.whenSynced()
    const id = client.board.beginStroke({ color: '#123456', width: 3 }, [1, 2, 0.5])
    await waitUntil('the host has the stroke', () =>
      openBoardFile(host.boardFileBytes(host.defaultBoardId)).getStroke(id),
    )
    const res = await send(host.port, `/api/boards/${info.id}/file`)
    client.destroy()
    expect(res.status).toBe(200)
    expect(res.headers['content-disposition']).toContain('filename="board.lanvas"')
    expect(openBoardFile(new Uint8Array(res.body)).strokes()).toEqual(client.board.strokes())
  })

  it('imports an uploaded board as a new file, never overwriting one', async () => {
    const source = new Board()
    source.beginStroke({ color: '#00ff00', width: 5 }, [3, 4, 1])
    const bytes = encodeBoardFile(source.doc)
    const first = await send(host.port, '/api/boards?name=Plan%20B.lanvas', 'POST', bytes)
    expect(first.status).toBe(201)
    const firstInfo = JSON.parse(first.body.toString())
    expect(firstInfo.name).toBe('Plan B')
    const before = await readFile(join(dir, 'Plan B.lanvas'))
    expect(before.equals(Buffer.from(bytes))).toBe(true)

    const other = new Board()
    other.beginStroke({ color: '#0000ff', width: 5 }, [9, 9, 1])
    const second = await send(host.port, '/api/boards?name=Plan%20B', 'POST', encodeBoardFile(other.doc))
    expect(second.status).toBe(201)
    const secondInfo = JSON.parse(second.body.toString())
    expect(secondInfo.name).toBe('Plan B (2)')
    expect(secondInfo.id).not.toBe(firstInfo.id)
    expect((await readFile(join(dir, 'Plan B.lanvas'))).equals(before)).toBe(true)

    const client = scope.connect(syncUrl(host.port, secondInfo.id), 'bob')
    await client.connection.whenSynced()
    expect(client.board.strokes()).toEqual(other.strokes())
    client.destroy()
  })

  it('refuses a foreign upload with 400 and writes nothing', async () => {
    const before = (await readdir(dir)).sort()
    const res = await send(
      host.port,
      '/api/boards?name=evil',
      'POST',
      new TextEncoder().encode('PK\u0003\u0004zip'),
    )
    expect(res.status).toBe(400)
    expect(JSON.parse(res.body.toString()).error).toBe(
      'This is not a Lanvas board file (it does not start with the Lanvas signature).',
    )
    expect((await readdir(dir)).sort()).toEqual(before)
  })

  it('keeps uploaded names inside the board folder', async () => {
    const res = await send(
      host.port,
      '/api/boards?name=..%2F..%2Fescape',
      'POST',
      encodeBoardFile(new Board().doc),
    )
    expect(res.status).toBe(201)
    const board = host.board(JSON.parse(res.body.toString()).id)
    expect(board?.path.startsWith(`${dir}/`)).toBe(true)
    expect(board?.path.slice(dir.length + 1)).not.toContain('/')
  })
})

describe('the host without a renderer build', () => {
  const scope = eachTestHost()

  it('answers 503 with a clear text', async () => {
    const host = await scope.start()
    const res = await send(host.port, '/')
    expect(res.status).toBe(503)
    expect(res.body.toString()).toContain('not built')
    expect((await send(host.port, '/api/health')).status).toBe(200)
  })
})
