import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openBoardFile } from '../../../src/shared/boardFile'
import { Role } from '../../../src/shared/sync/session'
import { connectClient, removeDir, syncUrl, type TestClient, tempDir } from '../../support/hostFixture'
import { type HostProcess, startHostProcess } from '../../support/hostProcess'
import { freeLoopbackPort } from '../../support/pages'
import { waitUntil } from '../../support/waitUntil'

// Someone else takes over (issue 11, item 2): a standby (`npm run host -- --follow LINK`) hosts the session
// when its host is gone, every replica moves to it by itself, nothing drawn is lost, and the old host, when it
// comes back, follows the session instead of starting a second copy.

const ink = { color: '#1971c2', width: 3 }

/** The first line of a process's output that matches, once it has printed it. */
const lineOf = (proc: HostProcess, pattern: RegExp, what: string, timeoutMs = 20_000) =>
  waitUntil(what, () => pattern.exec(proc.output())?.[1], timeoutMs)

describe('failover to a standby', () => {
  let dir: string
  let procs: HostProcess[]
  let clients: TestClient[]

  beforeEach(async () => {
    dir = await tempDir()
    procs = []
    clients = []
  })

  afterEach(async () => {
    for (const c of clients) c.destroy()
    for (const p of procs) if (p.process.exitCode === null) p.process.kill('SIGKILL')
    await removeDir(dir)
  })

  const run = async (args: string[], ready?: RegExp) => {
    const proc = await startHostProcess(args, ready)
    procs.push(proc)
    return proc
  }
  const connect = (url: string, name: string, options: Parameters<typeof connectClient>[2] = {}) => {
    const client = connectClient(url, name, { identity: { name, color: '#336699' }, ...options })
    clients.push(client)
    return client
  }

  it('moves every guest to the standby when the host is killed, loses nothing, and the returning host follows it', async () => {
    const hostArgs = [
      '--port',
      '0',
      '--board',
      join(dir, 'host.lanvas'),
      '--lan',
      '--lan-port',
      String(await freeLoopbackPort()),
      '--bind',
      '127.0.0.1',
      '--no-mdns',
    ]
    const host = await run(hostArgs)
    const joinLink = await lineOf(host, /Join link: (\S+)/, 'the host prints its join link')
    const ownerKey = await lineOf(host, /#owner=(\S+)/, 'the host prints its host link')
    const token = new URLSearchParams(new URL(joinLink).hash.slice(1)).get('join') as string
    const lanPort = Number(new URL(joinLink).port)
    const boardId = (
      (await (await fetch(`http://127.0.0.1:${lanPort}/api/boards/default`)).json()) as { id: string }
    ).id

    const standbyPort = await freeLoopbackPort()
    const standby = await run(
      [
        '--port',
        '0',
        '--board',
        join(dir, 'standby.lanvas'),
        '--follow',
        joinLink,
        '--lan-port',
        String(standbyPort),
        '--bind',
        '127.0.0.1',
        '--no-mdns',
      ],
      /Following/,
    )
    await lineOf(standby, /(Following .*as a standby)/, 'the standby follows the session')

    const lan = syncUrl(lanPort, boardId)
    const owner = connect(syncUrl(host.port, boardId), 'Hana', { ownerKey })
    // As pages served by the host: their Origin is the host's LAN address, which the next host must accept.
    const origin = `http://127.0.0.1:${lanPort}`
    const guest = connect(lan, 'Gus', { token, origin })
    await Promise.all([owner, guest].map((c) => c.connection.whenSynced()))
    const knocker = connect(lan, 'Kim', { origin })
    const knock = await waitUntil('the host sees the knock', () => owner.connection.knocks[0])
    owner.connection.control({ type: 'admit', participantId: knock.id, role: Role.Editor })
    await knocker.connection.whenSynced()
    // Everyone was told who takes over: the standby, at the address the host saw it at and the port it offered.
    await waitUntil('the guests know the succession', () =>
      [guest, knocker].every((c) => c.connection.succession.length === 1),
    )
    expect(guest.connection.succession[0]).toMatchObject({ address: '127.0.0.1', port: standbyPort })
    const before = guest.board.beginStroke(ink, [1, 1, 1])
    await waitUntil('the knocker has the first stroke', () => knocker.board.getStroke(before))

    host.process.kill('SIGKILL')
    // Drawn the moment the host is gone: it reaches the next host through the sync handshake.
    const byGuest = guest.board.beginStroke(ink, [2, 2, 1])
    const byKnocker = knocker.board.beginStroke(ink, [3, 3, 1])

    await lineOf(standby, /(hosts the session now)/, 'the standby takes over', 30_000)
    await waitUntil(
      'both guests moved to the standby and synced',
      () => [guest, knocker].every((c) => c.connection.synced && c.connection.movedTo !== undefined),
      30_000,
    )
    expect(guest.connection.movedTo?.port).toBe(standbyPort)
    // Same roles and the same people: the knocker is recognised by its rejoin secret, not asked again.
    expect(guest.connection.role).toBe(Role.Editor)
    expect(knocker.connection.role).toBe(Role.Editor)
    expect(knocker.connection.participantId).toBe(knock.id)
    expect(knocker.connection.session?.sessionId).toBe(guest.connection.session?.sessionId)
    await waitUntil('both guests hold every stroke', () =>
      [guest, knocker].every((c) => [before, byGuest, byKnocker].every((id) => c.board.getStroke(id))),
    )
    // Acknowledged by the new host: on its disk.
    await waitUntil('the new host saved what the guests drew', () => guest.connection.unsaved === 0)

    // The old host comes back with the same command: it finds the session at the standby and follows it.
    const returning = await run(hostArgs, /Following|Join link/)
    await lineOf(returning, /(hosted at 127\.0\.0\.1:\d+ now)/, 'the returning host sees the takeover')
    await lineOf(returning, /(Following .*as a standby)/, 'the returning host follows the session')
    expect(returning.output()).not.toMatch(/Join link: http:\/\/127\.0\.0\.1:(?!.*standby)/)
    await waitUntil('the returning host is in the session', () =>
      guest.connection.participants.some((p) => p.name.endsWith('(standby)')),
    )
    // One session: the old host's LAN port serves nothing, and its copy of the board gets what was drawn meanwhile.
    expect(
      await fetch(`http://127.0.0.1:${lanPort}/api/session`).then(
        (r) => r.status,
        () => 'refused',
      ),
    ).toBe('refused')
    await waitUntil(
      'the returning host keeps every stroke in its board file',
      async () => {
        const board = openBoardFile(new Uint8Array(await readFile(join(dir, 'host.lanvas'))))
        return [before, byGuest, byKnocker].every((id) => board.getStroke(id))
      },
      20_000,
    )
  }, 120_000)
})
