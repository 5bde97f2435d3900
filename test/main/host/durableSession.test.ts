import { readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Host } from '../../../src/main/host/server'
import { rejoinHash, sessionPathOf } from '../../../src/main/host/sessionFile'
import { CloseReason } from '../../../src/shared/sync/protocol'
import { Role } from '../../../src/shared/sync/session'
import { type ClientOptions, eachTestHost, syncUrl } from '../../support/hostFixture'
import { startHostProcess } from '../../support/hostProcess'
import { freeLoopbackPort } from '../../support/pages'
import { waitUntil } from '../../support/waitUntil'

// A session outlives its host process (issue 11, item 1): the same board shared again restores the session's
// links, owner key and admitted people from NAME.lanvas.session.

const ink = { color: '#2b8a3e', width: 3 }

describe('a durable session', () => {
  // One host at a time: each test closes a host before it starts the next in the same folder.
  const scope = eachTestHost()
  const start = (port: number) => scope.start({ port })
  // Sharing as `npm run host -- --lan` does: no port given, so a restored session takes its old one.
  const share = (host: Host) => host.share({ bind: '127.0.0.1', advertise: false })
  const connect = (url: string, name: string, options: ClientOptions = {}) =>
    scope.connect(url, name, { identity: { name, color: '#336699' }, ...options })
  const boardPath = () => join(scope.dir, 'board.lanvas')

  it('brings the host window, a link guest and an admitted knocker back with their roles after a restart, and merges what was drawn meanwhile', async () => {
    const port = await freeLoopbackPort()
    const first = await start(port)
    const shared = await share(first)
    expect(shared.restored).toBe(false)
    const lan = syncUrl(shared.port, first.defaultBoardId)
    const owner = connect(syncUrl(port, first.defaultBoardId), 'Hana', { ownerKey: first.ownerKey })
    const guest = connect(lan, 'Gus', { token: shared.token })
    await Promise.all([owner, guest].map((c) => c.connection.whenSynced()))
    const knocker = connect(lan, 'Kim')
    const knock = await waitUntil('the host sees the knock', () => owner.connection.knocks[0])
    owner.connection.control({ type: 'admit', participantId: knock.id, role: Role.Editor })
    await knocker.connection.whenSynced()
    // A link guest made a viewer: coming back as an editor would mean the role was not restored.
    const guestId = guest.connection.participantId as string
    owner.connection.control({ type: 'set-role', participantId: guestId, role: Role.Viewer })
    await waitUntil('the guest is a viewer', () => guest.connection.role === Role.Viewer)
    const before = owner.board.beginStroke(ink, [1, 1, 1])
    await waitUntil('everyone has the first stroke', () =>
      [guest, knocker].every((c) => c.board.getStroke(before)),
    )

    await first.close()
    await waitUntil('everyone is offline', () =>
      [owner, guest, knocker].every((c) => c.connection.status !== 'connected'),
    )
    // Drawn while the host is down: the sync handshake after the restart must bring both in.
    const byOwner = owner.board.beginStroke(ink, [2, 2, 1])
    const byKnocker = knocker.board.beginStroke(ink, [3, 3, 1])

    const second = await start(port)
    expect(second.ownerKey).toBe(first.ownerKey)
    const again = await share(second)
    expect(again).toMatchObject({
      restored: true,
      sessionId: shared.sessionId,
      token: shared.token,
      port: shared.port,
      joinLinks: shared.joinLinks,
    })

    await waitUntil(
      'all three are back and synced',
      () => [owner, guest, knocker].every((c) => c.connection.synced),
      20_000,
    )
    expect(owner.connection.role).toBe(Role.Host)
    expect(guest.connection.role).toBe(Role.Viewer)
    expect(guest.connection.participantId).toBe(guestId)
    expect(knocker.connection.role).toBe(Role.Editor)
    expect(knocker.connection.participantId).toBe(knock.id)
    expect(owner.connection.knocks).toEqual([])
    await waitUntil('every replica holds every stroke', () =>
      [owner, guest, knocker].every((c) => [before, byOwner, byKnocker].every((id) => c.board.getStroke(id))),
    )
  }, 40_000)

  it('keeps the session file readable by its owner only, with hashes of rejoin secrets, never the secrets', async () => {
    const first = await start(0)
    const shared = await share(first)
    const guest = connect(syncUrl(shared.port, first.defaultBoardId), 'Gus', { token: shared.token })
    await guest.connection.whenSynced()
    const rejoin = guest.connection.rejoin as string
    await waitUntil('the guest is in the file', async () =>
      (await readFile(sessionPathOf(boardPath()), 'utf8')).includes(rejoinHash(rejoin)),
    )
    const text = await readFile(sessionPathOf(boardPath()), 'utf8')
    expect(text).not.toContain(rejoin)
    expect(JSON.parse(text)).toMatchObject({ kind: 'lanvas-session', token: shared.token })
    expect((await stat(sessionPathOf(boardPath()))).mode & 0o777).toBe(0o600)
  })

  it('makes a new link: old links are refused, the people in stay in and are told, and it survives a restart', async () => {
    const port = await freeLoopbackPort()
    const first = await start(port)
    const shared = await share(first)
    const oldToken = shared.token
    const oldLinks = [...shared.joinLinks]
    const lan = syncUrl(shared.port, first.defaultBoardId)
    const owner = connect(syncUrl(port, first.defaultBoardId), 'Hana', { ownerKey: first.ownerKey })
    const guest = connect(lan, 'Gus', { token: oldToken })
    await Promise.all([owner, guest].map((c) => c.connection.whenSynced()))

    expect(owner.connection.control({ type: 'new-link' })).toBe(true)
    await waitUntil('the guest is told', () => guest.connection.linkReplaced)
    await waitUntil('the host window has the new links', () => owner.connection.joinLinks[0] !== oldLinks[0])
    expect(owner.connection.joinLinks).toEqual(shared.joinLinks)
    expect(owner.connection.linkReplaced).toBe(true)
    const newToken = shared.token
    expect(newToken).not.toBe(oldToken)

    // Somebody with the old link: a clear refusal.
    const late = connect(lan, 'Late', { token: oldToken })
    await expect(late.connection.whenSynced()).rejects.toThrow(/closed/)
    expect(late.connection.closeCode).toBe(CloseReason.BadToken)
    expect(late.connection.closeReason).toMatch(/not valid/)

    // The guest who was in comes back after a dropped socket, without the old token, by its rejoin secret.
    const guestId = guest.connection.participantId
    guest.dropSocket()
    await waitUntil(
      'the guest is back',
      () => guest.connection.synced && guest.connection.status === 'connected',
    )
    expect(guest.connection.participantId).toBe(guestId)
    expect(guest.connection.role).toBe(Role.Editor)

    const fresh = connect(lan, 'Fresh', { token: newToken })
    await fresh.connection.whenSynced()
    expect(fresh.connection.role).toBe(Role.Editor)

    await first.close()
    const second = await start(port)
    expect((await share(second)).token).toBe(newToken)
  }, 30_000)

  it.each([
    ['damaged', '{"kind":"lanvas-session","version":1,"sessionId":'],
    ['foreign', '{"name":"not a session","port":80}'],
    ['newer', '{"kind":"lanvas-session","version":99}'],
  ])(
    'starts a fresh session, with a clear message, when the session file is %s, and keeps the board',
    async (_, text) => {
      const first = await start(0)
      const drawer = connect(syncUrl(first.port, first.defaultBoardId), 'Dee', { ownerKey: first.ownerKey })
      await drawer.connection.whenSynced()
      const stroke = drawer.board.beginStroke(ink, [4, 4, 1])
      await waitUntil('the host has it on disk', () => drawer.connection.unsaved === 0)
      await first.close()
      await writeFile(sessionPathOf(boardPath()), text)

      const lines: string[] = []
      const second = await scope.start({ log: (line) => lines.push(line) })
      const shared = await share(second)
      expect(shared.restored).toBe(false)
      expect(shared.sessionFileProblem).toMatch(
        /board\.lanvas\.session (is damaged|is not a Lanvas session file|was written by a newer Lanvas).* A new session was started: the old links no longer work/,
      )
      expect(lines.join('\n')).toContain(shared.sessionFileProblem)
      // The unusable file is kept for a person to look at; a good one replaces it.
      expect((await readdir(scope.dir)).some((n) => n.startsWith('board.lanvas.session.unusable-'))).toBe(
        true,
      )
      expect(JSON.parse(await readFile(sessionPathOf(boardPath()), 'utf8')).sessionId).toBe(shared.sessionId)
      const reader = connect(syncUrl(shared.port, second.defaultBoardId), 'Rae', { token: shared.token })
      await reader.connection.whenSynced()
      expect(reader.board.getStroke(stroke)).toBeDefined()
    },
  )

  it('comes back after SIGKILL of a real host process, started again with the same command', async () => {
    const args = [
      '--port',
      String(await freeLoopbackPort()),
      '--board',
      boardPath(),
      '--lan',
      '--bind',
      '127.0.0.1',
    ]
    args.push('--no-mdns', '--name', 'Review')
    let host = await startHostProcess(args)
    try {
      await waitUntil('the links are printed', () => /Session: new/.test(host.output()))
      const ownerKey = (/#owner=(\S+)/.exec(host.output()) ?? [])[1] as string
      const token = (/#join=(\S+)/.exec(host.output()) ?? [])[1] as string
      const lanPort = Number((/Join link: http:\/\/127\.0\.0\.1:(\d+)/.exec(host.output()) ?? [])[1])
      const boardId = (await (await fetch(`${host.url}api/boards/default`)).json()).id as string
      const owner = connect(syncUrl(host.port, boardId), 'Hana', { ownerKey })
      const guest = connect(syncUrl(lanPort, boardId), 'Gus', { token })
      await Promise.all([owner, guest].map((c) => c.connection.whenSynced()))
      const knocker = connect(syncUrl(lanPort, boardId), 'Kim')
      const knock = await waitUntil('the host sees the knock', () => owner.connection.knocks[0])
      owner.connection.control({ type: 'admit', participantId: knock.id, role: Role.Viewer })
      await knocker.connection.whenSynced()
      const hash = rejoinHash(knocker.connection.rejoin as string)
      await waitUntil('the knocker is in the file', async () =>
        (await readFile(sessionPathOf(boardPath()), 'utf8')).includes(hash),
      )

      host.process.kill('SIGKILL')
      await host.stop()
      await waitUntil('everyone is offline', () =>
        [owner, guest, knocker].every((c) => c.connection.status !== 'connected'),
      )
      const drawn = guest.board.beginStroke(ink, [6, 6, 1])
      host = await startHostProcess(args)
      await waitUntil(
        'all three are back and synced',
        () => [owner, guest, knocker].every((c) => c.connection.synced),
        20_000,
      )
      expect([owner, guest, knocker].map((c) => c.connection.role)).toEqual([
        Role.Host,
        Role.Editor,
        Role.Viewer,
      ])
      await waitUntil('the stroke drawn meanwhile is everywhere', () =>
        [owner, knocker].every((c) => c.board.getStroke(drawn)),
      )
    } finally {
      await host.stop()
    }
  }, 40_000)
})
