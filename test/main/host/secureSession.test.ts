import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import type { Host, SessionShare } from '../../../src/main/host/server'
import { secureSocket } from '../../../src/shared/secure/clientSocket'
import { HostHandshake } from '../../../src/shared/secure/handshake'
import { SecureFrame } from '../../../src/shared/secure/wire'
import { controlFrame } from '../../../src/shared/sync/frames'
import { CloseReason } from '../../../src/shared/sync/protocol'
import { Role } from '../../../src/shared/sync/session'
import type { BoardSocket } from '../../../src/shared/sync/socket'
import { recordFigures } from '../../support/figures'
import { flipLastBit, frameRelay } from '../../support/frameRelay'
import {
  type ClientOptions,
  eachTestHost,
  type RawPeer,
  type rawPeer,
  removeDir,
  shareOnLoopback,
  startTestHost,
  syncUrl,
  type TestClient,
  tempDir,
} from '../../support/hostFixture'
import { recordingProxy } from '../../support/recordingProxy'
import { answerAsRogue } from '../../support/rogueHandshake'
import { waitUntil } from '../../support/waitUntil'

const ink = { color: '#1e90ff', width: 4 }

// What a sniffer must never read: stroke coordinates (stored as float32), a name and a note in presence.
// On the 1/16 steps the board stores ink on (compact form, live points alike), so the float is on the wire as is.
const SECRET_X = 12345.6875
const SECRET_Y = -9876.5625
const SECRET_NAME = 'Zebediah Quuxworth'
const SECRET_NOTE = 'launch-plan-codename-lighthouse'
const float32 = (n: number) => Buffer.from(new Float32Array([n]).buffer)

describe('encrypted sessions on a real host (loopback only)', () => {
  const cleanups: (() => unknown)[] = []
  // Registered before eachTestHost's, so it runs after it (after hooks run in reverse): relays and proxies close
  // once the clients through them are gone.
  afterEach(async () => {
    for (const f of cleanups.splice(0)) await f()
  })
  const scope = eachTestHost()
  let host: Host
  let share: SessionShare

  const lanUrl = () => syncUrl(share.port, host.defaultBoardId)
  const loopbackUrl = () => syncUrl(host.port, host.defaultBoardId)
  const client = (url: string, name: string, options: ClientOptions = {}): TestClient =>
    scope.connect(url, name, options)
  const raw = (...args: Parameters<typeof rawPeer>): RawPeer => scope.raw(...args)

  beforeEach(async () => {
    host = await scope.start({ hostName: 'testbox' })
    share = await shareOnLoopback(host, { name: 'Secure session' })
  })

  /**
   * Two people draw strokes at known coordinates and show a known name and note, every byte of their sockets
   * passing through a recording proxy; returns what the proxy saw and what the session handed out.
   */
  async function recordSession(target: { url: string; port: number; plain: boolean }) {
    const proxy = await recordingProxy(target.port)
    cleanups.push(() => proxy.close())
    const options = (name: string): ClientOptions => ({
      via: proxy.port,
      plain: target.plain,
      identity: { name, color: '#aa3300' },
      ...(target.plain ? {} : { token: share.token }),
    })
    const owner = client(loopbackUrl(), 'owner', { ownerKey: host.ownerKey })
    const alice = client(target.url, 'alice', options(SECRET_NAME))
    const bob = client(target.url, 'bob', options('Bob'))
    await Promise.all([owner, alice, bob].map((c) => c.connection.whenSynced()))
    alice.awareness.setLocalState({ note: SECRET_NOTE, cursor: { x: SECRET_X, y: SECRET_Y } })
    const a = alice.board.beginStroke(ink, [SECRET_X, SECRET_Y, 0.5])
    alice.board.appendPoints(a, [SECRET_X + 1, SECRET_Y - 1, 0.5])
    alice.board.finishStroke(a)
    const b = bob.board.beginStroke(ink, [1, 2, 0.5, SECRET_X, 7, 0.5])
    bob.board.finishStroke(b)
    await waitUntil(
      'everyone has both strokes and the note',
      () =>
        [owner, alice, bob].every((c) => c.board.getStroke(a) && c.board.getStroke(b)) &&
        [...bob.awareness.getStates().values()].some((s) => s.note === SECRET_NOTE),
    )
    return proxy.bytes()
  }

  const found = (bytes: Buffer) => ({
    x: bytes.includes(float32(SECRET_X)),
    y: bytes.includes(float32(SECRET_Y)),
    name: bytes.includes(Buffer.from(SECRET_NAME)),
    note: bytes.includes(Buffer.from(SECRET_NOTE)),
    token: bytes.includes(Buffer.from(share.token)),
  })

  it('shows a sniffer none of the coordinates, text or token of a session on the LAN listener', async () => {
    const bytes = await recordSession({ url: lanUrl(), port: share.port, plain: false })
    const seen = Object.values(found(bytes)).filter(Boolean).length
    const test =
      'test/main/host/secureSession.test.ts › shows a sniffer none of the coordinates, text or token…'
    await recordFigures('sniffer', [
      { label: 'bytes a sniffer recorded of an encrypted LAN session', value: bytes.length, test },
      { label: 'secrets searched for (x, y, name, note, token)', value: 5, test },
      { label: 'secrets found in the recording', value: seen, test, key: 'sniffer' },
    ])
    expect(bytes.length).toBeGreaterThan(2000)
    expect(found(bytes)).toEqual({ x: false, y: false, name: false, note: false, token: false })
  })

  it('(the same search finds them all in a plain loopback session: the sniffer test can fail)', async () => {
    // This computer's own listener, the board not shared: the one place plain frames are still spoken.
    await share.stop()
    const bytes = await recordSession({ url: loopbackUrl(), port: host.port, plain: true })
    expect(found(bytes)).toEqual({ x: true, y: true, name: true, note: true, token: false })
  })

  it('refuses plain frames on the LAN listener: there is no downgrade', async () => {
    const plain = raw(lanUrl(), { name: 'plain' }, { plain: true })
    expect(await plain.closed).toEqual({
      code: CloseReason.SecureChannel,
      reason: 'This host speaks only the encrypted Lanvas protocol on the network.',
    })
    expect(plain.controls).toEqual([])
    // A plain hello that still carries the token, as older clients sent it, is refused the same way.
    const old = raw(lanUrl(), { name: 'old', token: share.token } as never, { plain: true })
    expect((await old.closed).code).toBe(CloseReason.SecureChannel)
    // This computer's own listener still takes a plain socket (it proves nothing, so it knocks).
    const local = raw(loopbackUrl(), { name: 'local' }, { plain: true })
    await waitUntil('the plain loopback socket knocks', () =>
      local.controls.some((c) => c.type === 'knock-pending'),
    )
  })

  it('refuses a wrong token, and a client with the real link refuses a host started with another token', async () => {
    const wrong = client(lanUrl(), 'mallory', { token: 'y'.repeat(22) })
    await expect(wrong.connection.whenSynced()).rejects.toThrow(/closed/)
    expect(wrong.connection.closeCode).toBe(CloseReason.BadToken)
    expect(wrong.connection.status).toBe('closed')

    // A look-alike session: the same name, another token. The real link does not open it.
    const rogueDir = await tempDir()
    const rogue = await startTestHost(rogueDir, { hostName: 'testbox' })
    cleanups.push(async () => {
      await rogue.close()
      await removeDir(rogueDir)
    })
    const rogueShare = await shareOnLoopback(rogue, { name: 'Secure session' })
    const fooled = client(syncUrl(rogueShare.port, rogue.defaultBoardId), 'alice', { token: share.token })
    await expect(fooled.connection.whenSynced()).rejects.toThrow(/closed/)
    expect(fooled.connection.closeCode).toBe(CloseReason.BadToken)
    expect(fooled.connection.participants).toEqual([])
  })

  it('lets a client with the link unmask a rogue host that fakes the handshake, before saying anything', async () => {
    // A rogue that answers every handshake with its own token and never checks the client's proof.
    const rogue = new WebSocketServer({ host: '127.0.0.1', port: 0 })
    cleanups.push(() => new Promise((r) => rogue.close(r)))
    const afterHandshake: Buffer[] = []
    rogue.on('connection', (ws) =>
      answerAsRogue(ws, 'rogue-token-0123456789ab', (frame) => afterHandshake.push(frame)),
    )
    const port = await listening(rogue)
    const fooled = client(syncUrl(port, host.defaultBoardId), SECRET_NAME, { token: share.token })
    await expect(fooled.connection.whenSynced()).rejects.toThrow(/closed/)
    expect(fooled.connection.status).toBe('closed')
    expect(fooled.connection.closeCode).toBe(CloseReason.HostNotVerified)
    expect(fooled.connection.closeReason).toMatch(/could not prove it holds the key of your link/)
    // The hello (name, colour, rejoin secret) was never sent to it.
    expect(afterHandshake).toEqual([])
  })

  it('refuses an address after 5 wrong keys a minute (RateLimited), even with the right key; others still get in', async () => {
    for (let i = 0; i < 5; i++) {
      const guess = raw(lanUrl(), { token: `guess-${i}-0123456789abcdef` })
      expect((await guess.closed).code).toBe(CloseReason.BadToken)
    }
    const sixth = raw(lanUrl(), { token: share.token })
    expect(await sixth.closed).toEqual({
      code: CloseReason.RateLimited,
      reason: 'Too many wrong keys from your address; try again in a minute.',
    })
    const elsewhere = raw(lanUrl(), { token: share.token }, { localAddress: '127.0.0.2' })
    await waitUntil('another address is welcomed', () => elsewhere.welcome()?.role === Role.Editor)
  })

  it('closes a socket whose frames are altered or replayed on the way (SecureChannel), the others stay', async () => {
    const bystander = client(lanUrl(), 'bystander', { token: share.token })
    await bystander.connection.whenSynced()

    /** A socket through the real handshake, keeping the sealed frames it sends. */
    const open = async () => {
      const ws = new WebSocket(lanUrl())
      ws.on('error', () => {})
      const sent: Uint8Array[] = []
      const recording = ws as unknown as BoardSocket
      const send = ws.send.bind(ws)
      ;(ws as unknown as { send: (b: Uint8Array) => void }).send = (b) => {
        sent.push(b)
        send(b)
      }
      const socket = secureSocket(recording, { mode: 'link', secret: share.token })
      const closed = new Promise<{ code: number; reason: string }>((resolve) => {
        socket.onclose = ({ code, reason }) => resolve({ code, reason })
      })
      await new Promise((resolve) => {
        socket.onopen = resolve
      })
      return { ws, socket, sent, closed }
    }

    const replay = await open()
    replay.socket.send(controlFrame({ type: 'hello', name: 'r', color: '#000000', awarenessId: 1 }))
    const sealedHello = replay.sent.at(-1) as Uint8Array
    send(replay.ws, sealedHello)
    expect(await replay.closed).toEqual({
      code: CloseReason.SecureChannel,
      reason: 'Frame 0 came again or late (replayed or reordered).',
    })

    const tamper = await open()
    tamper.socket.send(controlFrame({ type: 'hello', name: 't', color: '#000000', awarenessId: 2 }))
    const altered = (tamper.sent.at(-1) as Uint8Array).slice()
    altered[1] = 1 // counter 1 (its low byte), the frame the host expects next
    altered[15] = (altered[15] as number) ^ 0x20
    send(tamper.ws, altered)
    expect(await tamper.closed).toEqual({
      code: CloseReason.SecureChannel,
      reason: 'Frame 1 failed authentication (altered on the way, or another key).',
    })
    // The host keeps serving everybody else.
    const later = bystander.board.beginStroke(ink, [5, 5, 1])
    const second = client(lanUrl(), 'second', { token: share.token })
    await waitUntil('a newcomer gets the bystander stroke', () => second.board.getStroke(later) !== undefined)
  })

  it('makes a client drop a socket whose frames from the host were altered on the way, and retry', async () => {
    // A relay that forwards raw frames both ways, flipping one bit in each host frame once the channel is up.
    let tamper = false
    let altered = 0
    const { port, close } = await frameRelay(lanUrl(), (frame) => {
      if (!tamper || frame[0] !== SecureFrame.Sealed) return
      flipLastBit(frame)
      altered++
    })
    cleanups.push(close)
    const victim = client(syncUrl(port, host.defaultBoardId), 'victim', { token: share.token })
    await victim.connection.whenSynced()
    const drawer = client(lanUrl(), 'drawer', { token: share.token })
    await drawer.connection.whenSynced()
    tamper = true
    const id = drawer.board.beginStroke(ink, [3, 3, 1])
    await waitUntil(
      'the victim drops the socket',
      () => victim.connection.closeCode === CloseReason.SecureChannel,
    )
    expect(victim.connection.closeReason).toMatch(/failed authentication/)
    expect(altered).toBeGreaterThan(0)
    expect(victim.board.getStroke(id)).toBeUndefined()
    // Not final: once the frames pass untouched again, the client reconnects and catches up.
    tamper = false
    await waitUntil('the victim is back with the stroke', () => victim.board.getStroke(id) !== undefined)
  })

  it('shows the same comparison code on the knock card and on the knocker, and different ones through a relay', async () => {
    const me = client(loopbackUrl(), 'owner', { ownerKey: host.ownerKey })
    await me.connection.whenSynced()
    const guest = client(lanUrl(), 'guest', { identity: { name: 'Guest Gus', color: '#aa0000' } })
    await waitUntil('the guest knocks', () => guest.connection.status === 'knocking')
    const knock = await waitUntil('the host sees the knock', () => me.connection.knocks[0])
    expect(guest.connection.comparisonCode).toMatch(/^[0-9]{6}$/)
    expect(knock.code).toBe(guest.connection.comparisonCode)
    me.connection.control({ type: 'admit', participantId: knock.id, role: Role.Editor })
    await guest.connection.whenSynced()
    expect(guest.connection.comparisonCode).toBeUndefined()

    // Mallory relays: the host to the knocker, a knocker to the host; she reads and forwards every frame.
    const relay = new WebSocketServer({ host: '127.0.0.1', port: 0 })
    cleanups.push(() => new Promise((r) => relay.close(r)))
    const seenByMallory: string[] = []
    relay.on('connection', (downstream) => {
      const handshake = new HostHandshake(() => undefined)
      let channel: ReturnType<HostHandshake['onClientProof']>['secured']['channel'] | undefined
      const upstreamWs = new WebSocket(lanUrl())
      upstreamWs.on('error', () => {})
      const upstream = secureSocket(upstreamWs as unknown as BoardSocket, { mode: 'knock' })
      const pending: Uint8Array[] = []
      upstream.onopen = () => {
        for (const f of pending.splice(0)) upstream.send(f)
      }
      upstream.onmessage = ({ data }) => channel && downstream.send(channel.seal(data as Uint8Array))
      downstream.on('message', (data: Buffer) => {
        const frame = new Uint8Array(data)
        if (frame[0] === SecureFrame.ClientHello) downstream.send(handshake.onClientHello(frame))
        else if (frame[0] === SecureFrame.ClientProof) {
          const { reply, secured } = handshake.onClientProof(frame)
          channel = secured.channel
          downstream.send(reply)
        } else if (channel) {
          const plain = channel.open(frame)
          seenByMallory.push(Buffer.from(plain).toString('latin1'))
          if (upstream.readyState === 1) upstream.send(plain)
          else pending.push(plain)
        }
      })
    })
    const relayPort = await listening(relay)
    const victim = client(syncUrl(relayPort, host.defaultBoardId), 'victim', {
      identity: { name: 'Vic', color: '#00aa00' },
    })
    await waitUntil('the victim knocks through the relay', () => victim.connection.status === 'knocking')
    const relayed = await waitUntil('the host sees the relayed knock', () =>
      me.connection.knocks.find((k) => k.name === 'Vic'),
    )
    // Mallory read the hello: only the codes give her away.
    expect(seenByMallory.some((f) => f.includes('Vic'))).toBe(true)
    expect(relayed.code).toMatch(/^[0-9]{6}$/)
    expect(victim.connection.comparisonCode).toMatch(/^[0-9]{6}$/)
    expect(relayed.code).not.toBe(victim.connection.comparisonCode)
  })
})

/** The port of a test WebSocket server once it listens. */
async function listening(server: WebSocketServer): Promise<number> {
  if (!server.address()) await new Promise((resolve) => server.once('listening', resolve))
  return (server.address() as { port: number }).port
}

function send(ws: WebSocket, bytes: Uint8Array): void {
  ws.send(bytes)
}
