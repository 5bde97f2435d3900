import * as encoding from 'lib0/encoding'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import type { HostLimits } from '../../../src/main/host/limits'
import type { Host } from '../../../src/main/host/server'
import { Board } from '../../../src/shared/board'
import { openBoardFile } from '../../../src/shared/boardFile'
import { SEAL_OVERHEAD } from '../../../src/shared/secure/sealed'
import { controlFrame } from '../../../src/shared/sync/frames'
import { CloseReason, MAX_MESSAGE_BYTES, MessageType } from '../../../src/shared/sync/protocol'
import { DEFAULT_GUARD_LIMITS } from '../../../src/shared/validate/boardGuard'
import { updateOf } from '../../shared/validate/craft'
import {
  type ClientOptions,
  eachTestHost,
  type RawPeer,
  rawPeer,
  sameState,
  syncUrl,
  type TestClient,
} from '../../support/hostFixture'
import { waitUntil } from '../../support/waitUntil'

const ink = { color: '#1971c2', width: 3 }

describe('the limits a host keeps under load', () => {
  const scope = eachTestHost()
  const sockets: WebSocket[] = []
  // Runs before eachTestHost's (after hooks run in reverse): the sockets go before the host closes.
  afterEach(() => {
    for (const ws of sockets.splice(0)) ws.terminate()
  })
  let host: Host | undefined

  async function start(limits: Partial<HostLimits> = {}): Promise<Host> {
    host = await scope.start({ limits })
    return host
  }

  const url = () => syncUrl((host as Host).port, (host as Host).defaultBoardId)

  function join(name: string, options: ClientOptions = {}): TestClient {
    return scope.connect(url(), name, options)
  }

  /** A raw participant on the loopback listener, welcomed and holding the board. */
  async function joinRaw(): Promise<RawPeer> {
    const peer = rawPeer(url(), { name: 'raw' }, { plain: true })
    sockets.push(peer.ws)
    await waitUntil('the raw peer is welcomed', () => peer.welcome())
    return peer
  }

  /** Two people draw; the second sees the first's stroke: the host still serves everyone. */
  async function stillServing(a: TestClient, b: TestClient): Promise<void> {
    const id = a.board.beginStroke(ink, [1, 2, 0.5])
    await waitUntil(
      'the others still sync',
      () => b.board.getStroke(id) !== undefined && sameState(a.board, b.board),
    )
  }

  function awarenessFrame(awareness: awarenessProtocol.Awareness): Uint8Array {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MessageType.Awareness)
    encoding.writeVarUint8Array(
      encoder,
      awarenessProtocol.encodeAwarenessUpdate(awareness, [awareness.clientID]),
    )
    return encoding.toUint8Array(encoder)
  }

  it('closes a socket that floods presence with RateLimited, and serves the others', async () => {
    await start({ awarenessMessages: { perSecond: 5, burst: 10 } })
    const a = join('a')
    const b = join('b')
    await Promise.all([a.connection.whenSynced(), b.connection.whenSynced()])
    const flooder = await joinRaw()
    const awareness = new awarenessProtocol.Awareness(flooder.doc)
    for (let i = 0; i < 50; i++) {
      awareness.setLocalState({ cursor: { x: i, y: i } })
      flooder.sendFrame(awarenessFrame(awareness))
    }
    expect(await flooder.closed).toEqual({
      code: CloseReason.RateLimited,
      reason: 'Too many awareness messages; slow down.',
    })
    await stillServing(a, b)
  })

  it('closes a socket that floods edits with RateLimited; the edits it got in are kept', async () => {
    // A refill of one message per 100 s: however slow the machine, exactly the burst gets in.
    await start({ messages: { perSecond: 0.01, burst: 20 } })
    const a = join('a')
    const b = join('b')
    await Promise.all([a.connection.whenSynced(), b.connection.whenSynced()])
    const flooder = await joinRaw()
    const board = new Board(flooder.doc, 'flooder')
    const ids: string[] = []
    // Its hello and SyncStep2 used two of the twenty.
    for (let i = 0; i < 40; i++)
      flooder.sendUpdate(updateOf(flooder.doc, () => ids.push(board.beginStroke(ink, [i, 0, 1]))))
    expect(await flooder.closed).toEqual({
      code: CloseReason.RateLimited,
      reason: 'Too many edit messages; slow down.',
    })
    await stillServing(a, b)
    const kept = openBoardFile((host as Host).boardFileBytes((host as Host).defaultBoardId)).elementIds()
    expect(kept.filter((id) => ids.includes(id))).toEqual(ids.slice(0, 18))
  })

  it('closes a socket that sends too many bytes with RateLimited', async () => {
    await start({ bytes: { perSecond: 10_000, burst: 100_000 } })
    const flooder = await joinRaw()
    const board = new Board(flooder.doc, 'flooder')
    for (let i = 0; i < 4; i++)
      flooder.sendUpdate(updateOf(flooder.doc, () => board.beginStroke(ink, new Array(3000 * 3).fill(0.5))))
    expect(await flooder.closed).toEqual({
      code: CloseReason.RateLimited,
      reason: 'Too many bytes of edit messages; slow down.',
    })
  })

  it('meters requests for the whole board (SyncStep1)', async () => {
    await start()
    const asker = await joinRaw()
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MessageType.Sync)
    syncProtocol.writeSyncStep1(encoder, new Y.Doc())
    for (let i = 0; i < 10; i++) asker.sendFrame(encoding.toUint8Array(encoder))
    expect(await asker.closed).toEqual({
      code: CloseReason.RateLimited,
      reason: 'Too many sync requests; slow down.',
    })
  })

  it('closes a control message larger than a control message may be with TooLarge', async () => {
    await start()
    const ws = new WebSocket(url())
    sockets.push(ws)
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    )
    ws.on('open', () =>
      ws.send(controlFrame({ type: 'hello', name: 'x'.repeat(20_000), color: '#000000', awarenessId: 1 })),
    )
    expect(await closed).toEqual({
      code: CloseReason.TooLarge,
      reason: expect.stringMatching(/^A control message of \d+ bytes; at most 16384\.$/),
    })
  })

  it('closes a frame above the largest message with 1009 before reading it all', async () => {
    await start()
    const ws = new WebSocket(url())
    sockets.push(ws)
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)))
    ws.on('error', () => {})
    ws.on('open', () => ws.send(new Uint8Array(MAX_MESSAGE_BYTES + SEAL_OVERHEAD + 1)))
    expect(await closed).toBe(1009)
  })

  it('closes a message sent in many fragments with 1008', async () => {
    await start()
    const ws = new WebSocket(url())
    sockets.push(ws)
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)))
    ws.on('error', () => {})
    ws.on('open', () => {
      for (let i = 0; i < 100; i++) ws.send(new Uint8Array([2]), { fin: i === 99 })
    })
    expect(await closed).toBe(1008)
  })

  it('does not compress: a client offering permessage-deflate gets plain frames', async () => {
    await start()
    const ws = new WebSocket(url(), { perMessageDeflate: true })
    sockets.push(ws)
    await new Promise((resolve) => ws.on('open', resolve))
    expect(ws.extensions).toBe('')
  })

  it('takes as many participants as the cap, then closes with Full; the host always gets in', async () => {
    const h = await start({ maxParticipants: 2 })
    const a = join('a')
    const b = join('b')
    await Promise.all([a.connection.whenSynced(), b.connection.whenSynced()])
    const c = join('c')
    await waitUntil('c is refused', () => c.connection.closeCode === CloseReason.Full)
    expect(c.connection.closeReason).toBe('This board has 2 people, as many as it takes; try later.')
    expect(c.connection.status).not.toBe('closed')
    const owner = join('owner', { ownerKey: h.ownerKey })
    await owner.connection.whenSynced()
    expect(owner.connection.role).toBe('host')
    // Someone leaves: the waiting one gets in on its next try.
    a.destroy()
    await c.connection.whenSynced()
    await stillServing(b, c)
  })

  it('refuses edits past the board size cap with TooLarge and a message; erasing still works', async () => {
    const h = await start({ guard: { ...DEFAULT_GUARD_LIMITS, maxBoardBytes: 30_000 } })
    const drawer = join('drawer')
    const watcher = join('watcher')
    await Promise.all([drawer.connection.whenSynced(), watcher.connection.whenSynced()])
    const drawn: string[] = []
    for (let i = 0; i < 60 && drawer.connection.closeCode === undefined; i++) {
      drawn.push(drawer.board.beginStroke(ink, new Array(100 * 3).fill(i / 60)))
      await waitUntil('the host answers', () =>
        h.backlogs(h.defaultBoardId).sockets.every((s) => s.bufferedAmount === 0),
      )
    }
    await waitUntil('the drawer is refused', () => drawer.connection.closeCode === CloseReason.TooLarge)
    expect(drawer.connection.closeReason).toMatch(
      /^The host refused an edit: the board is full: it holds about 1 MB/,
    )
    drawer.destroy()
    const kept = openBoardFile(h.boardFileBytes(h.defaultBoardId))
    expect(kept.elementIds().length).toBeGreaterThan(5)
    expect(kept.elementIds().length).toBeLessThan(drawn.length)
    expect(h.boardFileBytes(h.defaultBoardId).byteLength).toBeLessThanOrEqual(30_000 + 100)
    await waitUntil(
      'the watcher has what the host kept',
      () => watcher.board.elementIds().length === kept.elementIds().length,
    )
    watcher.board.deleteElements(watcher.board.elementIds())
    await waitUntil(
      'the host took the erase',
      () => openBoardFile(h.boardFileBytes(h.defaultBoardId)).elementIds().length === 0,
    )
    expect(watcher.connection.status).toBe('connected')
  })

  it('drops a peer that stops answering pings, and tells the others', async () => {
    await start({ heartbeatMs: 100 })
    const a = join('a')
    await a.connection.whenSynced()
    const ws = new WebSocket(url(), { autoPong: false })
    sockets.push(ws)
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)))
    ws.on('open', () =>
      ws.send(controlFrame({ type: 'hello', name: 'sleeper', color: '#000000', awarenessId: 7 })),
    )
    await waitUntil('a sees the sleeper', () => a.connection.participants.some((p) => p.name === 'sleeper'))
    // Abnormal closure: the host cut the connection without a close handshake.
    expect(await closed).toBe(1006)
    await waitUntil(
      'a no longer sees the sleeper',
      () => !a.connection.participants.some((p) => p.name === 'sleeper'),
    )
    // A client that answers pings stays through many heartbeats.
    expect(a.connection.status).toBe('connected')
  })
})
