import { spawn, spawnSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { type AddressInfo, createServer } from 'node:net'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findPortHolder, PortTakenError } from '../../../src/main/host/portHolder'
import { openBoardFile } from '../../../src/shared/boardFile'
import { CloseReason, PROTOCOL_VERSION } from '../../../src/shared/sync/protocol'
import { Role } from '../../../src/shared/sync/session'
import { builtFile } from '../../support/built'
import { connectClient, eachTempDir, syncUrl } from '../../support/hostFixture'
import { startHostProcess } from '../../support/hostProcess'
import { waitUntil } from '../../support/waitUntil'

const CLI = builtFile('main/cli.js')

// Runs the built CLI (npm test builds first).
describe('the headless host process', () => {
  const folder = eachTempDir()

  it('serves a board on a free port and saves it on SIGTERM', async () => {
    const boardPath = join(folder.dir, 'cli.lanvas')
    const host = await startHostProcess(['--port', '0', '--board', boardPath])
    try {
      expect(host.output()).toMatch(/^Lanvas host: http:\/\/127\.0\.0\.1:\d+\/$/m)
      const health = await fetch(new URL('/api/health', host.url))
      expect(await health.json()).toEqual({ ok: true, protocol: PROTOCOL_VERSION })
      const { id } = (await (await fetch(new URL('/api/boards/default', host.url))).json()) as { id: string }
      const client = connectClient(syncUrl(host.port, id), 'ann')
      await client.connection.whenSynced()
      const stroke = client.board.beginStroke({ color: '#102030', width: 2 }, [4, 5, 1])
      await client.connection.whenSynced()
      // A second client that sees the stroke proves the host has it.
      const other = connectClient(syncUrl(host.port, id), 'bob')
      await other.connection.whenSynced()
      expect(other.board.getStroke(stroke)).toBeDefined()
      client.destroy()
      other.destroy()
    } finally {
      expect(await host.stop()).toBe(0)
    }
    expect(openBoardFile(await readFile(boardPath)).strokes()).toHaveLength(1)
  })

  it('opens the board file it wrote when it stopped as its own the next time (not checked again)', async () => {
    const boardPath = join(folder.dir, 'own.lanvas')
    const dataHome = process.env.XDG_DATA_HOME
    // The host notes the files it writes in its data folder: one of this test's own.
    process.env.XDG_DATA_HOME = join(folder.dir, 'data')
    try {
      const host = await startHostProcess(['--port', '0', '--board', boardPath])
      const { id } = (await (await fetch(new URL('/api/boards/default', host.url))).json()) as { id: string }
      const client = connectClient(syncUrl(host.port, id), 'ann')
      await client.connection.whenSynced()
      client.board.finishStroke(client.board.beginStroke({ color: '#102030', width: 2 }, [4, 5, 1, 9, 9, 1]))
      await waitUntil('the stroke is on disk', () => client.connection.unsaved === 0)
      client.destroy()
      // Stopping writes the board file; the process exits right after, and the note of what it wrote is kept.
      expect(await host.stop()).toBe(0)
      const again = await startHostProcess(['--port', '0', '--board', boardPath])
      expect(again.output()).toMatch(/as this computer last wrote it \(same SHA-256\): not checked again/)
      expect(await again.stop()).toBe(0)
    } finally {
      if (dataHome === undefined) delete process.env.XDG_DATA_HOME
      else process.env.XDG_DATA_HOME = dataHome
    }
  })

  it('shares the board with --lan and prints the host link, then one join link per address', async () => {
    const token = 'Hk2_wQ9xLr4-Tz7mPb3Yc8Nv'
    const args = ['--port', '0', '--board', join(folder.dir, 'lan.lanvas'), '--lan', '--bind', '127.0.0.1']
    args.push('--lan-port', '0', '--no-mdns', '--token', token, '--name', 'CLI session')
    const host = await startHostProcess(args)
    try {
      await waitUntil('the links are printed', () => host.output().includes('Board file:'))
      const lines = host.output().split('\n')
      const first = lines.findIndex((l) => l.startsWith('Lanvas host:'))
      expect(lines[first]).toBe(`Lanvas host: ${host.url}`)
      const ownerLine = /^Host link \(keep private\): (http:\/\/127\.0\.0\.1:\d+\/)#owner=([\w-]{22,})$/.exec(
        lines[first + 1] ?? '',
      )
      expect(ownerLine?.[1]).toBe(host.url)
      const joinLine = /^Join link: http:\/\/127\.0\.0\.1:(\d+)\/#join=(.+)$/.exec(lines[first + 2] ?? '')
      expect(joinLine?.[2]).toBe(token)
      expect(lines[first + 3]).toMatch(/^Board file: /)
      const lanPort = Number(joinLine?.[1])
      expect(lanPort).not.toBe(host.port)

      const info = (await (await fetch(`http://127.0.0.1:${lanPort}/api/session`)).json()) as {
        boardId: string
      }
      expect(info).toMatchObject({ name: 'CLI session', approval: true, locked: false })
      const guest = connectClient(syncUrl(lanPort, info.boardId), 'guest', { token })
      const me = connectClient(syncUrl(host.port, info.boardId), 'me', { ownerKey: ownerLine?.[2] })
      const stranger = connectClient(syncUrl(lanPort, info.boardId), 'x', {
        token: 'not-the-token-0123456789',
      })
      try {
        await Promise.all([guest.connection.whenSynced(), me.connection.whenSynced()])
        expect(guest.connection.role).toBe(Role.Editor)
        expect(me.connection.role).toBe(Role.Host)
        expect(me.connection.joinLinks).toEqual([`http://127.0.0.1:${lanPort}/#join=${token}`])
        await expect(stranger.connection.whenSynced()).rejects.toThrow(/closed/)
        expect(stranger.connection.closeCode).toBe(CloseReason.BadToken)
      } finally {
        for (const c of [guest, me, stranger]) c.destroy()
      }
    } finally {
      expect(await host.stop()).toBe(0)
    }
  })

  it.each([
    [
      ['--lan', '--token', 'short'],
      '--token: The token must be at least 22 random characters of A-Z, a-z, 0-9, "-" and "_" (no words, repeats or runs like "abcd"); leave it out to get a random one.',
    ],
    [['--lan', '--bind', 'nowhere'], '--bind must be an IPv4 or IPv6 address, not "nowhere".'],
  ])('exits with 2 and one line on bad LAN arguments %j', (args, message) => {
    const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' })
    expect(run.status).toBe(2)
    expect(run.stderr.trim().split('\n')).toEqual([`lanvas host: ${message}`])
  })

  it('refuses a --lan-port that is taken, naming the process that holds it, and tries no other port', async () => {
    // A real listener on loopback, in a process of its own, as another program would hold the port.
    const holder = spawn(
      process.execPath,
      [
        '-e',
        "require('net').createServer().listen(0, '127.0.0.1', function () { console.log(this.address().port) })",
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    try {
      const port = Number(
        await new Promise<string>((ok) => holder.stdout?.once('data', (d: Buffer) => ok(String(d)))),
      )
      const args = [
        '--port',
        '0',
        '--board',
        join(folder.dir, 'taken.lanvas'),
        '--lan',
        '--bind',
        '127.0.0.1',
      ]
      const run = spawnSync(process.execPath, [CLI, ...args, '--lan-port', String(port), '--no-mdns'], {
        encoding: 'utf8',
        // A host that took another port would run on: it is stopped, and the test fails on its status.
        timeout: 20_000,
      })
      expect(run.status).toBe(1)
      expect(run.stdout).not.toContain('Join link')
      expect(run.stderr.trim().split('\n').at(-1)).toBe(
        `lanvas host: could not share the board on the network: port ${port} is already in use by process ${holder.pid} (${process.execPath} -e ${holder.spawnargs[2]}); stop it, or choose another with --lan-port (0: any free port).`,
      )
    } finally {
      holder.kill()
    }
  })

  it('says only that the port is in use where the system does not tell who holds it', async () => {
    const server = createServer()
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
    const { port } = server.address() as AddressInfo
    try {
      expect(await findPortHolder(port, 'darwin')).toBeUndefined()
      expect(new PortTakenError(port).message).toBe(`port ${port} is already in use by another program`)
      // Where it does (Linux), the holder is this test's own process.
      if (process.platform === 'linux') expect((await findPortHolder(port))?.pid).toBe(process.pid)
    } finally {
      server.close()
    }
  })

  it('exits with 2 and one line on bad arguments', () => {
    const run = spawnSync(process.execPath, [CLI, '--port', 'nope'], { encoding: 'utf8' })
    expect(run.status).toBe(2)
    expect(run.stderr.trim().split('\n')).toEqual([
      'lanvas host: --port must be a number from 0 to 65535, not "nope".',
    ])
  })
})
