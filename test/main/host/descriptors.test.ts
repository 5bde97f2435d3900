import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { connect, type Socket } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { defaultConnectionLimits } from '../../../src/main/host/connectionLimits'
import type { Host } from '../../../src/main/host/server'
import { openBoardFile } from '../../../src/shared/boardFile'
import { PROTOCOL_VERSION } from '../../../src/shared/sync/protocol'
import { builtFile } from '../../support/built'
import { recordFigures } from '../../support/figures'
import { connectClient, eachTestHost, shareOnLoopback, syncUrl } from '../../support/hostFixture'
import { waitUntil } from '../../support/waitUntil'

/** Opens `count` TCP connections that never send a byte; each resolves once connected (or refused). */
async function idleConnections(port: number, count: number, localAddress = '127.0.0.1'): Promise<Socket[]> {
  const sockets: Socket[] = []
  // In batches, so the test never holds more than a batch of pending connects.
  for (let i = 0; i < count; i += 50) {
    const batch = Array.from({ length: Math.min(50, count - i) }, () => {
      const socket = connect({ port, host: '127.0.0.1', localAddress })
      socket.on('error', () => {})
      sockets.push(socket)
      return new Promise<void>((resolve) => {
        socket.once('connect', () => resolve())
        socket.once('close', () => resolve())
      })
    })
    await Promise.all(batch)
  }
  return sockets
}

const stillOpen = (sockets: Socket[]) => sockets.filter((s) => !s.destroyed && s.readyState === 'open').length

/** A stroke drawn by a fresh client, once the host says it is on disk. */
async function drawAndSave(port: number, boardId: string): Promise<string> {
  const client = connectClient(syncUrl(port, boardId), 'ann')
  try {
    await client.connection.whenSynced()
    const id = client.board.beginStroke({ color: '#123456', width: 3 }, [0, 0, 0.5, 10, 10, 0.5])
    client.board.finishStroke(id)
    await waitUntil('the host reports the stroke saved', () => client.connection.unsaved === 0)
    return id
  } finally {
    client.destroy()
  }
}

describe('idle connections do not use up the host (descriptor exhaustion)', () => {
  const scope = eachTestHost()
  let host: Host | undefined
  let child: ChildProcess | undefined
  const sockets: Socket[] = []
  // Runs before eachTestHost's (after hooks run in reverse): sockets and the host process end before its folder goes.
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy()
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve))
      child.kill('SIGKILL')
      await exited
    }
    child = undefined
  })

  it('keeps health, joining and saving working with 400 idle connections on a host limited to 256 descriptors', async () => {
    const cli = builtFile('main/cli.js')
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npx electron-vite build\` first.`)
    const boardPath = join(scope.dir, 'board.lanvas')
    // The real host process, started as `npm run host` with a small descriptor limit (soft and hard).
    const proc = spawn(
      'sh',
      ['-c', 'ulimit -n 256 && exec "$@"', 'sh', process.execPath, cli, '--port', '0', '--board', boardPath],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    child = proc
    let out = ''
    proc.stdout?.on('data', (c: Buffer) => {
      out += c.toString()
    })
    proc.stderr?.on('data', (c: Buffer) => {
      out += c.toString()
    })
    const url = await waitUntil(
      'the host prints its address',
      () => /http:\/\/127\.0\.0\.1:\d+\//.exec(out)?.[0],
    )
    const port = Number(new URL(url).port)
    const { id: boardId } = (await (await fetch(`${url}api/boards/default`)).json()) as { id: string }

    sockets.push(...(await idleConnections(port, 400)))
    const descriptors = (await readdir(`/proc/${proc.pid}/fd`)).length
    expect(descriptors).toBeLessThan(256)

    const health = await fetch(`${url}api/health`)
    expect(await health.json()).toEqual({ ok: true, protocol: PROTOCOL_VERSION })
    const stroke = await drawAndSave(port, boardId)
    const status = await readFile(`/proc/${proc.pid}/status`, 'utf8')
    const peakKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1])

    const exited = new Promise<number | null>((resolve) => proc.once('exit', resolve))
    proc.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(openBoardFile(await readFile(boardPath)).getStroke(stroke)).toBeDefined()
    expect(out).not.toMatch(/EMFILE/)
    const test = 'test/main/host/descriptors.test.ts › keeps health, joining and saving working …'
    await recordFigures('descriptor-exhaustion', [
      {
        label: 'idle connections opened against a host limited to 256 descriptors',
        value: 400,
        test,
        key: 'idle-flood',
      },
      { label: 'host descriptors in use under that flood', value: descriptors, test },
      {
        label: 'host peak memory under the idle-connection flood (MB)',
        value: Math.round(peakKb / 1024),
        test,
      },
    ])
  })

  it('keeps at most the caps, closing the oldest idle connection for a new one', async () => {
    host = await scope.start({
      limits: {
        maxConnections: 64,
        maxLoopbackConnections: 24,
        maxConnectionsPerAddress: 8,
        firstRequestMs: 60_000,
      },
    })
    sockets.push(...(await idleConnections(host.port, 300)))
    await waitUntil('the host holds its cap', () => host?.connections().open === 24)
    await waitUntil('the client sees the evictions', () => stillOpen(sockets) <= 24)
    // The newest ones are kept: the flood makes room for the next comer, never for itself alone.
    expect(sockets.slice(-24).every((s) => !s.destroyed)).toBe(true)
    expect(host.connections()).toMatchObject({ refused: 0 })
    expect(host.connections().evicted).toBeGreaterThanOrEqual(276)

    const health = await fetch(`${host.url}api/health`)
    expect(health.status).toBe(200)
    const stroke = await drawAndSave(host.port, host.defaultBoardId)
    await host.flush()
    expect(openBoardFile(await readFile(join(scope.dir, 'board.lanvas'))).getStroke(stroke)).toBeDefined()
  })

  it('holds the LAN listener to the same caps: a flood there leaves the session joinable', async () => {
    host = await scope.start({
      limits: {
        maxConnections: 64,
        maxLoopbackConnections: 24,
        maxConnectionsPerAddress: 8,
        firstRequestMs: 60_000,
      },
    })
    const share = await shareOnLoopback(host, { approval: false })
    sockets.push(...(await idleConnections(share.port, 200)))
    await waitUntil('the host holds its cap', () => host?.connections().open === 24)
    const guest = connectClient(syncUrl(share.port, host.defaultBoardId), 'guest', { token: share.token })
    try {
      await guest.connection.whenSynced()
      expect((await fetch(`http://127.0.0.1:${share.port}/api/health`)).status).toBe(200)
    } finally {
      guest.destroy()
    }
  })

  it('closes a connection that sends no request in time, and serves one that does', async () => {
    host = await scope.start({ limits: { firstRequestMs: 300 } })
    const [idle] = await idleConnections(host.port, 1)
    sockets.push(idle as Socket)
    await new Promise((resolve) => idle?.once('close', resolve))
    expect(host.connections().timedOut).toBe(1)
    expect((await fetch(`${host.url}api/health`)).status).toBe(200)
  })

  it('sizes its caps below the descriptor limit, with the loopback budget apart from the network', () => {
    expect(defaultConnectionLimits(256)).toMatchObject({ maxConnections: 64, maxLoopbackConnections: 32 })
    expect(defaultConnectionLimits(1_048_576)).toMatchObject({
      maxConnections: 4096,
      maxLoopbackConnections: 256,
      maxConnectionsPerAddress: 32,
    })
    for (const limit of [64, 256, 1024, 4096, 20_000]) {
      const caps = defaultConnectionLimits(limit)
      expect(caps.maxConnections).toBeLessThanOrEqual(Math.max(16, limit / 2))
    }
  })
})
