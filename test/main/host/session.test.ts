import { beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Host, SessionShare } from '../../../src/main/host/server'
import { Board } from '../../../src/shared/board'
import { openBoardFile } from '../../../src/shared/boardFile'
import { CloseReason } from '../../../src/shared/sync/protocol'
import { Role } from '../../../src/shared/sync/session'
import {
  type ClientOptions,
  eachTestHost,
  type RawPeer,
  type rawPeer,
  sameState,
  shareOnLoopback,
  syncUrl,
  type TestClient,
} from '../../support/hostFixture'
import { waitUntil } from '../../support/waitUntil'

const ink = { color: '#1e90ff', width: 4 }

describe('a board shared on the network (loopback only)', () => {
  const scope = eachTestHost()
  let host: Host
  let share: SessionShare

  /** The sync URL over the LAN listener. */
  const lanUrl = () => syncUrl(share.port, host.defaultBoardId)
  const join = (name: string, options: ClientOptions = {}): TestClient =>
    scope.connect(lanUrl(), name, options)
  const raw = (hello: Parameters<typeof rawPeer>[1] = {}): RawPeer => {
    return scope.raw(lanUrl(), hello)
  }
  const owner = () =>
    scope.connect(syncUrl(host.port, host.defaultBoardId), 'owner', { ownerKey: host.ownerKey })
  const hostBoard = () => openBoardFile(host.boardFileBytes(host.defaultBoardId))
  const roleOf = (c: TestClient, name: string) => c.connection.participants.find((p) => p.name === name)?.role

  beforeEach(async () => {
    host = await scope.start({ hostName: 'testbox' })
    share = await shareOnLoopback(host, { name: 'Test session' })
  })

  it('gives join links for the bound address and describes the session without its token', async () => {
    expect(share.joinLinks).toEqual([`http://127.0.0.1:${share.port}/#join=${share.token}`])
    expect(share.token.length).toBeGreaterThanOrEqual(22)
    expect(host.ownerKey.length).toBeGreaterThanOrEqual(22)
    expect(host.session()).toBe(share)
    const res = await fetch(`http://127.0.0.1:${share.port}/api/session`)
    const text = await res.text()
    expect(JSON.parse(text)).toEqual({
      sessionId: share.sessionId,
      name: 'Test session',
      boardId: host.defaultBoardId,
      boardName: 'board',
      hostName: 'testbox',
      approval: true,
      locked: false,
      participants: 0,
      // How many times the session changed host: a returning host compares it (failover).
      epoch: 0,
    })
    expect(text).not.toContain(share.token)
    expect(await (await fetch(`${host.url}api/sessions`)).json()).toEqual({ discovery: false, sessions: [] })
  })

  it('answers the network only what joining needs', async () => {
    const lan = `http://127.0.0.1:${share.port}`
    expect((await fetch(`${lan}/api/health`)).status).toBe(200)
    expect(await (await fetch(`${lan}/api/boards/default`)).json()).toMatchObject({ id: host.defaultBoardId })
    expect((await fetch(`${lan}/api/boards/${host.defaultBoardId}/file`)).status).toBe(403)
    expect((await fetch(`${lan}/api/sessions`)).status).toBe(403)
    expect((await fetch(`${lan}/api/boards?name=x`, { method: 'POST', body: 'x' })).status).toBe(403)
    expect((await fetch(`${host.url}api/boards/${host.defaultBoardId}/file`)).status).toBe(200)
  })

  it('lets 10 clients drawing at once converge to identical boards', async () => {
    const group = Array.from({ length: 10 }, (_, i) => join(`p${i}`, { token: share.token }))
    await Promise.all(group.map((c) => c.connection.whenSynced()))
    expect(group.every((c) => c.connection.role === Role.Editor)).toBe(true)
    // The Join list reads how many are in from the session's description.
    const described = await (await fetch(`http://127.0.0.1:${share.port}/api/session`)).json()
    expect(described.participants).toBe(10)
    // Every client draws two strokes in several chunks, interleaved with everybody else's.
    const ids = group.map((c, i) => [
      c.board.beginStroke(ink, [i, 0, 0.5]),
      c.board.beginStroke(ink, [i, 9, 0.5]),
    ])
    for (let chunk = 1; chunk <= 4; chunk++)
      group.forEach((c, i) => {
        for (const id of ids[i] as string[])
          c.board.appendPoints(id, [i + chunk, chunk, 0.5, i, chunk * 2, 0.6])
      })
    group.forEach((c, i) => {
      for (const id of ids[i] as string[]) c.board.finishStroke(id)
    })
    const first = group[0] as TestClient
    await waitUntil('all boards converge', () =>
      group.every((c) => c.board.elementIds().length === 20 && sameState(c.board, first.board)),
    )
    for (const c of group) expect(c.board.strokes()).toEqual(first.board.strokes())
    for (const s of first.board.strokes()) {
      expect(s.points.length).toBe(3 * 9)
      expect(s.done).toBe(true)
    }
    await waitUntil('the host has it all', () => hostBoard().strokes().length === 20)
    expect(hostBoard().strokes()).toEqual(first.board.strokes())
    await waitUntil('everyone sees 10 participants', () =>
      group.every((c) => c.connection.participants.length === 10),
    )
  })

  it('refuses a wrong token with BadToken, for good', async () => {
    const peer = raw({ token: 'x'.repeat(22) })
    expect((await peer.closed).code).toBe(CloseReason.BadToken)
    expect(peer.controls).toEqual([])
    const client = join('mallory', { token: 'y'.repeat(22) })
    await expect(client.connection.whenSynced()).rejects.toThrow(/closed/)
    expect(client.connection.status).toBe('closed')
    expect(client.connection.closeCode).toBe(CloseReason.BadToken)
    const wrongKey = scope.raw(syncUrl(host.port, host.defaultBoardId), { ownerKey: 'z'.repeat(22) })
    expect((await wrongKey.closed).code).toBe(CloseReason.BadToken)
  })

  it('sends nothing but control messages before the welcome, and closes on sync before hello', async () => {
    const silent = raw(null)
    await waitUntil('the socket opens', () => silent.ws.readyState === silent.ws.OPEN)
    silent.sendUpdate(Y.encodeStateAsUpdate(new Y.Doc()))
    expect((await silent.closed).code).toBe(CloseReason.InvalidMessage)

    const knocker = raw({ name: 'knocker' })
    await waitUntil('the knock is pending', () => knocker.controls.some((c) => c.type === 'knock-pending'))
    // Somebody draws meanwhile: the knocker must not get it.
    const editor = join('ed', { token: share.token })
    await editor.connection.whenSynced()
    editor.board.finishStroke(editor.board.beginStroke(ink, [1, 1, 1]))
    await waitUntil('the host has the stroke', () => hostBoard().strokes().length === 1)
    knocker.sendUpdate(Y.encodeStateAsUpdate(new Y.Doc()))
    expect((await knocker.closed).code).toBe(CloseReason.InvalidMessage)
    expect(knocker.doc.share.size).toBe(0)
    // The refusal itself is said inside the channel before the close (docs/protocol.md, "Close codes").
    expect(knocker.controls.map((c) => c.type)).toEqual(['knock-pending', 'closing'])
  })

  it('lets the host admit a knock as an editor, who then syncs and draws', async () => {
    const me = owner()
    await me.connection.whenSynced()
    expect(me.connection.role).toBe(Role.Host)
    expect(me.connection.joinLinks).toEqual(share.joinLinks)
    expect(me.connection.session?.sessionId).toBe(share.sessionId)
    const before = me.board.beginStroke(ink, [0, 0, 1])

    const guest = join('guest', { identity: { name: 'Guest Gus', color: '#aa0000' } })
    await waitUntil('the guest knocks', () => guest.connection.status === 'knocking')
    const knock = await waitUntil('the host sees the knock', () => me.connection.knocks[0])
    expect(knock).toMatchObject({ name: 'Guest Gus', color: '#aa0000' })
    expect(guest.connection.synced).toBe(false)
    expect(guest.board.getStroke(before)).toBeUndefined()

    expect(me.connection.control({ type: 'admit', participantId: knock.id, role: Role.Editor })).toBe(true)
    await guest.connection.whenSynced()
    expect(guest.connection.role).toBe(Role.Editor)
    expect(guest.connection.participantId).toBe(knock.id)
    expect(guest.connection.joinLinks).toEqual([])
    expect(guest.board.getStroke(before)).toBeDefined()
    const drawn = guest.board.beginStroke(ink, [5, 5, 1])
    await waitUntil('the host window sees the guest draw', () => me.board.getStroke(drawn) !== undefined)
    await waitUntil('the knock is gone', () => me.connection.knocks.length === 0)
    expect(roleOf(me, 'Guest Gus')).toBe(Role.Editor)
  })

  it('closes a refused knock with Refused, for good', async () => {
    const me = owner()
    await me.connection.whenSynced()
    const guest = join('guest')
    const knock = await waitUntil('the host sees the knock', () => me.connection.knocks[0])
    me.connection.control({ type: 'refuse', participantId: knock.id })
    await expect(guest.connection.whenSynced()).rejects.toThrow(/closed/)
    expect(guest.connection.closeCode).toBe(CloseReason.Refused)
    expect(guest.connection.status).toBe('closed')
    await waitUntil('the knock is gone', () => me.connection.knocks.length === 0)
  })

  it("never lets a viewer's edit reach the board or anyone, whatever its client sends", async () => {
    const me = owner()
    const editor = join('ed', { token: share.token })
    await Promise.all([me.connection.whenSynced(), editor.connection.whenSynced()])
    // A raw client knocks and is admitted as a viewer.
    const viewer = raw({ name: 'viewer' })
    const knock = await waitUntil('the host sees the knock', () => me.connection.knocks[0])
    me.connection.control({ type: 'admit', participantId: knock.id, role: Role.Viewer })
    await waitUntil('the viewer is welcomed', () => viewer.welcome()?.role === Role.Viewer)
    // A well-behaved client demoted to viewer.
    const demoted = join('demoted', { token: share.token })
    await demoted.connection.whenSynced()
    const demotedId = demoted.connection.participantId as string
    me.connection.control({ type: 'set-role', participantId: demotedId, role: Role.Viewer })
    await waitUntil('the client knows it is a viewer', () => demoted.connection.role === Role.Viewer)

    // The raw viewer forces an update on the host, and the demoted client draws.
    const forged = new Board(new Y.Doc(), 'forger')
    forged.finishStroke(forged.beginStroke(ink, [66, 66, 1]))
    viewer.sendUpdate(Y.encodeStateAsUpdate(forged.doc))
    const sneaky = demoted.board.beginStroke(ink, [77, 77, 1])
    // Then an editor draws: once that arrives everywhere, anything sent before it would have too.
    const legit = editor.board.beginStroke(ink, [1, 2, 1])
    await waitUntil('the host window has the editor stroke', () => me.board.getStroke(legit) !== undefined)
    await waitUntil('the viewer sees it live', () => new Board(viewer.doc).getStroke(legit) !== undefined)
    await waitUntil('the demoted client sees it', () => demoted.board.getStroke(legit) !== undefined)
    for (const b of [me.board, editor.board, hostBoard()]) {
      expect(b.strokes().map((s) => s.id)).toEqual([legit])
      expect(b.getStroke(sneaky)).toBeUndefined()
    }
    expect(viewer.ws.readyState).toBe(viewer.ws.OPEN)

    // Viewers' presence (cursors) is relayed.
    demoted.awareness.setLocalState({ cursor: { x: 3, y: 4 } })
    await waitUntil('the editor sees the viewer cursor', () =>
      editor.awareness.getStates().has(demoted.awareness.clientID),
    )
  })

  it('closes control messages from a non-host with InvalidMessage', async () => {
    const editor = raw({ token: share.token })
    await waitUntil('welcomed', () => editor.welcome())
    editor.sendControl({ type: 'lock', locked: true })
    expect((await editor.closed).code).toBe(CloseReason.InvalidMessage)
    const bad = raw({ token: share.token })
    await waitUntil('welcomed', () => bad.welcome())
    bad.sendFrame(new Uint8Array([2, 3, 0x7b, 0x7d, 0x7d]))
    expect((await bad.closed).code).toBe(CloseReason.InvalidMessage)
  })

  it('kicks a participant with Kicked, who does not come back', async () => {
    const me = owner()
    const guest = join('guest', { token: share.token })
    await Promise.all([me.connection.whenSynced(), guest.connection.whenSynced()])
    await waitUntil('the host sees the guest', () => roleOf(me, 'guest') === Role.Editor)
    me.connection.control({ type: 'kick', participantId: guest.connection.participantId as string })
    await waitUntil('the guest is closed', () => guest.connection.status === 'closed')
    expect(guest.connection.closeCode).toBe(CloseReason.Kicked)
    await waitUntil('the guest is gone from the list', () => roleOf(me, 'guest') === undefined)
    // Its rejoin secret died with it.
    const rejoin = scope.raw(lanUrl(), { rejoin: 'r'.repeat(22) })
    await waitUntil('an unknown rejoin secret knocks', () =>
      rejoin.controls.some((c) => c.type === 'knock-pending'),
    )
  })

  it('locks out new joiners, but not the owner nor a participant who rejoins', async () => {
    const me = owner()
    const guest = join('guest', { token: share.token })
    const early = raw({ token: share.token })
    await Promise.all([me.connection.whenSynced(), guest.connection.whenSynced()])
    const secret = (await waitUntil('welcomed', () => early.welcome())).rejoin
    me.connection.control({ type: 'lock', locked: true })
    await waitUntil(
      'everyone knows it is locked',
      () => guest.connection.locked && me.connection.session?.locked,
    )
    expect((await (await fetch(`${host.url}api/session`)).json()).locked).toBe(true)

    const late = raw({ token: share.token })
    expect((await late.closed).code).toBe(CloseReason.Locked)
    const lateClient = join('late', { token: share.token })
    await expect(lateClient.connection.whenSynced()).rejects.toThrow(/closed/)
    expect(lateClient.connection.closeCode).toBe(CloseReason.Locked)

    // The guest's connection drops and comes back with its rejoin secret.
    const id = guest.connection.participantId
    guest.dropSocket()
    await waitUntil(
      'the guest is back',
      () => guest.connection.synced && guest.connection.status === 'connected',
    )
    expect(guest.connection.participantId).toBe(id)
    expect(guest.connection.role).toBe(Role.Editor)
    // So is a raw client presenting its secret on a new socket.
    early.ws.terminate()
    const again = raw({ rejoin: secret })
    await waitUntil('the rejoin is welcomed', () => again.welcome()?.role === Role.Editor)
    // And the owner.
    const second = owner()
    await second.connection.whenSynced()
    expect(second.connection.role).toBe(Role.Host)
  })

  it('merges edits made offline on both sides when a client comes back', async () => {
    const a = join('a', { token: share.token })
    const b = join('b', { token: share.token })
    await Promise.all([a.connection.whenSynced(), b.connection.whenSynced()])
    const shared = a.board.beginStroke(ink, [0, 0, 1])
    await waitUntil('b has the first stroke', () => b.board.getStroke(shared) !== undefined)
    a.setOnline(false)
    await waitUntil('a is offline', () => a.connection.status !== 'connected')
    const offlineA = a.board.beginStroke(ink, [1, 1, 1])
    a.board.appendPoints(shared, [2, 2, 1])
    const onlineB = b.board.beginStroke(ink, [3, 3, 1])
    b.board.appendPoints(shared, [4, 4, 1])
    await waitUntil('the host has b', () => hostBoard().getStroke(onlineB) !== undefined)
    a.setOnline(true)
    await waitUntil('both hold everything', () =>
      [a, b].every(
        (c) =>
          [shared, offlineA, onlineB].every((id) => c.board.getStroke(id)) && sameState(c.board, a.board),
      ),
    )
    expect(a.board.getStroke(shared)?.points.length).toBe(9)
    expect(a.board.strokes()).toEqual(b.board.strokes())
    await waitUntil('the host has everything', () => sameState(hostBoard(), a.board))
  })

  it('tells everyone when sharing stops, and closes the network sockets for good', async () => {
    const me = owner()
    const guest = join('guest', { token: share.token })
    await Promise.all([me.connection.whenSynced(), guest.connection.whenSynced()])
    await share.stop()
    expect(host.session()).toBeUndefined()
    await waitUntil('the guest is closed', () => guest.connection.status === 'closed')
    expect(guest.connection.closeCode).toBe(CloseReason.BoardClosed)
    await waitUntil('the owner sees no session', () => me.connection.session === undefined)
    expect(me.connection.joinLinks).toEqual([])
    expect(me.connection.status).toBe('connected')
    expect((await fetch(`${host.url}api/session`)).status).toBe(204)
    // Shared again: new token, new links.
    share = await shareOnLoopback(host)
    await waitUntil('the owner gets the new links', () => me.connection.joinLinks[0] === share.joinLinks[0])
  })
})
