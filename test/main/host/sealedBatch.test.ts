import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FailedHandshakes } from '../../../src/main/host/failedHandshakes'
import { hostLimits, PeerBacklog } from '../../../src/main/host/limits'
import { nativeAead } from '../../../src/main/host/room/nativeAead'
import { PeerSocket } from '../../../src/main/host/room/peerSocket'
import type { Host, SessionShare } from '../../../src/main/host/server'
import { errorMessage } from '../../../src/shared/errors'
import { nobleAead } from '../../../src/shared/secure/aead'
import { secureSocket } from '../../../src/shared/secure/clientSocket'
import { ClientHandshake, HostHandshake } from '../../../src/shared/secure/handshake'
import { SecureChannelError, SecureFrame } from '../../../src/shared/secure/wire'
import { MemoryLink } from '../../../src/shared/sync/memorySocket'
import { CloseReason } from '../../../src/shared/sync/protocol'
import { frameBytes, SocketState } from '../../../src/shared/sync/socket'
import { flipLastBit, frameRelay } from '../../support/frameRelay'
import { eachTestHost, shareOnLoopback, syncUrl } from '../../support/hostFixture'
import { waitUntil } from '../../support/waitUntil'

const ink = { color: '#1e90ff', width: 4 }
const TOKEN = 'join-token-0123456789ab'

/** A host's channel (native, as the host seals) and a page's (@noble), after a real handshake in memory. */
function channels() {
  const client = new ClientHandshake('link', TOKEN, nobleAead)
  const host = new HostHandshake(() => TOKEN, nativeAead)
  const proof = client.onHostHello(host.onClientHello(client.hello()))
  const { reply, secured } = host.onClientProof(proof)
  return { host: secured.channel, page: client.onHostProof(reply).channel }
}

function refusal(step: () => unknown): string {
  try {
    step()
  } catch (error) {
    expect(error).toBeInstanceOf(SecureChannelError)
    expect((error as SecureChannelError).code).toBe(CloseReason.SecureChannel)
    return errorMessage(error)
  }
  throw new Error('the frame was accepted')
}

describe('sealed batches: what the host relays in one turn, as one sealed frame', () => {
  it('opens to the same frames in the same order, sealed natively and opened with @noble', () => {
    const { host, page } = channels()
    const frames = [new Uint8Array([0, 2, 1, 2, 3]), new Uint8Array(300).fill(7), new Uint8Array([2, 9])]
    const first = host.seal(new Uint8Array([0, 1]))
    const batch = host.sealBatch(frames)
    expect(batch[0]).toBe(SecureFrame.SealedBatch)
    expect(page.openFrames(first)).toEqual([new Uint8Array([0, 1])])
    expect(page.openFrames(batch).map((f) => [...f])).toEqual(frames.map((f) => [...f]))
  })

  it('refuses a batch altered anywhere (header count, length, body, tag), replayed, or sent to the host', () => {
    const frames = [new Uint8Array([0, 2, 1]), new Uint8Array([0, 2, 2, 2])]
    for (const at of [9, 10, 12, -1]) {
      const { host, page } = channels()
      const batch = host.sealBatch(frames)
      const i = at < 0 ? batch.length + at : at
      batch[i] = (batch[i] as number) ^ 0x01
      expect(refusal(() => page.openFrames(batch))).toMatch(/failed authentication|broken header/)
    }
    const { host, page } = channels()
    const batch = host.sealBatch(frames)
    page.openFrames(batch)
    expect(refusal(() => page.openFrames(batch))).toMatch(/came again or late/)
    // Only a host sends batches: its side of the channel opens single frames only.
    const back = channels()
    expect(refusal(() => back.host.open(back.page.sealBatch(frames)))).toMatch(/not sealed/)
  })
})

describe("a turn's sealed batch and the slow-peer check", () => {
  it('counts the frames held for the batch as queued, so the check sees them before they are sealed', async () => {
    const link = new MemoryLink(0, 'memory')
    // A byte stream to hold writes on: given one, the host batches a turn's frames (as it does over `ws`).
    const stream = { cork() {}, uncork() {}, destroyed: false }
    const peer = new PeerSocket(link.host, {
      plainAllowed: false,
      secretFor: () => TOKEN,
      failedHandshakes: new FailedHandshakes(),
      address: 'memory',
      log: () => {},
      stream,
    })
    const client = secureSocket(link.client, { mode: 'link', secret: TOKEN })
    const received: number[][] = []
    client.onmessage = ({ data }) => received.push([...(frameBytes(data) ?? [])])
    while (link.deliver('client') || link.deliver('host')) {}
    expect(peer.readyState).toBe(SocketState.Open)

    const frames = [new Uint8Array(1000).fill(1), new Uint8Array(2000).fill(2), new Uint8Array(3000).fill(3)]
    for (const f of frames) peer.send(f)
    // Nothing is on the wire yet (the batch is sealed when the turn ends), yet all of it is queued for the peer.
    expect(link.toClient).toHaveLength(0)
    expect(peer.bufferedAmount).toBe(6000)
    const backlog = new PeerBacklog(peer, hostLimits({ volatileDropBytes: 100, slowCloseBytes: 5000 }))
    expect(backlog.decide('reliable')).toBe('close')
    expect(backlog.peak).toBe(6000)

    await new Promise((resolve) => setImmediate(resolve))
    // One sealed frame now holds them: queued is that frame, its header and tag included.
    expect(link.toClient).toHaveLength(1)
    expect(peer.bufferedAmount).toBeGreaterThan(6000)
    expect(peer.bufferedAmount).toBeLessThan(6000 + 64)
    while (link.deliver('client')) {}
    expect(received).toEqual(frames.map((f) => [...f]))
    expect(peer.bufferedAmount).toBe(0)
  })
})

describe('sealed batches on a real host (loopback)', () => {
  const cleanups: (() => unknown)[] = []
  // Registered before eachTestHost's, so it runs after it (after hooks run in reverse): a relay closes only once
  // the clients through it are gone.
  afterEach(async () => {
    for (const f of cleanups.splice(0)) await f()
  })
  const scope = eachTestHost()
  let host: Host
  let share: SessionShare

  beforeEach(async () => {
    host = await scope.start()
    share = await shareOnLoopback(host, { name: 'Batches' })
  })

  /** A relay in front of the LAN listener that sees every host frame and may flip a bit in batches. */
  async function relay() {
    const seen = { batches: 0, tamper: false, altered: 0 }
    const { port, close } = await frameRelay(syncUrl(share.port, host.defaultBoardId), (frame) => {
      if (frame[0] !== SecureFrame.SealedBatch) return
      seen.batches++
      if (seen.tamper) {
        flipLastBit(frame)
        seen.altered++
      }
    })
    cleanups.push(close)
    return { seen, port }
  }

  const client = (url: string, name: string) => {
    return scope.connect(url, name, { token: share.token })
  }

  it('relays a burst of strokes as batches both ways and in order; an altered batch is refused', async () => {
    const { seen, port } = await relay()
    const watcher = client(syncUrl(port, host.defaultBoardId), 'watcher')
    const drawer = client(syncUrl(share.port, host.defaultBoardId), 'drawer')
    await Promise.all([watcher.connection.whenSynced(), drawer.connection.whenSynced()])
    // Forty strokes in one go: they reach the host in a few reads, and each read's relay is one batch.
    const ids: string[] = []
    for (let i = 0; i < 40; i++) {
      const id = drawer.board.beginStroke(ink, [i, i, 0.5])
      drawer.board.appendPoints(id, [i + 1, i + 2, 0.5, i + 3, i + 1, 0.5])
      drawer.board.finishStroke(id)
      ids.push(id)
    }
    await waitUntil('the watcher has every stroke', () => ids.every((id) => watcher.board.getStroke(id)))
    expect(seen.batches).toBeGreaterThan(0)
    expect([...(watcher.board.getStroke(ids[39] as string)?.points ?? [])]).toEqual([
      39, 39, 0.5, 40, 41, 0.5, 42, 40, 0.5,
    ])
    expect(watcher.board.elementIds().slice(-40)).toEqual(ids)
    // The other way: the watcher (behind the relay) draws, the drawer sees it.
    const back = watcher.board.beginStroke(ink, [5, 5, 0.5])
    watcher.board.finishStroke(back)
    await waitUntil('the drawer has the watcher stroke', () => drawer.board.getStroke(back) !== undefined)

    // A batch altered on the way closes the watcher's socket (SecureChannel).
    seen.tamper = true
    const later: string[] = []
    for (let i = 0; i < 40; i++) later.push(drawer.board.beginStroke(ink, [100 + i, 0, 0.5]))
    await waitUntil(
      'the watcher drops the socket',
      () => watcher.connection.closeCode === CloseReason.SecureChannel,
    )
    expect(seen.altered).toBeGreaterThan(0)
    expect(watcher.connection.closeReason).toMatch(/failed authentication/)
    // Once frames pass untouched again it reconnects and catches up.
    seen.tamper = false
    await waitUntil('the watcher is back with the later strokes', () =>
      later.every((id) => watcher.board.getStroke(id) !== undefined),
    )
  })
})
