import * as encoding from 'lib0/encoding'
import { beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import type { Host } from '../../../src/main/host/server'
import { Board, ElementKind, IMAGE_LIMITS, STROKE_LIMITS } from '../../../src/shared/board'
import { openBoardFile } from '../../../src/shared/boardFile'
import { encodeCompactPoints } from '../../../src/shared/compactPoints'
import { assetIdOf } from '../../../src/shared/elements/image'
import { controlFrame } from '../../../src/shared/sync/frames'
import { CloseReason, MessageType } from '../../../src/shared/sync/protocol'
import { updateOf } from '../../shared/validate/craft'
import { eachTestHost, rawPeer, sameState, syncUrl, type TestClient } from '../../support/hostFixture'
import { waitUntil } from '../../support/waitUntil'

const ink = { color: '#2f9e44', width: 3 }

/** A Sync frame of one kind (SyncStep2 or Update) carrying any bytes as its update. */
function syncFrame(kind: number, update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Sync)
  encoding.writeVarUint(encoder, kind)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

const png = (fill: number, size = 64) => {
  const bytes = new Uint8Array(size).fill(fill)
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  return bytes
}

type Craft = (board: Board, earlier: string[]) => void

/** Edits no Lanvas client makes, each with the close code and the reason the host must give. */
const BAD_EDITS: [string, Craft, number, string][] = [
  [
    'an unknown key on a stroke',
    (b) => b.elements.get(b.beginStroke(ink, [0, 0, 1]))?.set('onclick', 'steal()'),
    CloseReason.InvalidMessage,
    'The host refused an edit: a stroke has no key "onclick".',
  ],
  [
    'a root the board does not have',
    (b) => b.doc.getMap('evil').set('x', 1),
    CloseReason.InvalidMessage,
    'a board has no "evil"',
  ],
  [
    'points that are NaN',
    (b) => b.beginStroke(ink, [Number.NaN, 0, 1]),
    CloseReason.InvalidMessage,
    'a point lies outside the board',
  ],
  [
    "points of someone else's finished stroke replaced by ones off the board",
    (b, earlier) => {
      // A point at the board's edge in 1/256 steps, relabelled as steps of a whole unit: 256 times beyond it.
      const points = encodeCompactPoints([1e7, 0, 0.5], { stepBits: 8 })
      points[2] = 0
      b.elements.get(earlier[0] as string)?.set('points', points)
    },
    CloseReason.InvalidMessage,
    'a point lies outside the board',
  ],
  [
    "a change of someone else's stroke into a rectangle",
    (b, earlier) => b.elements.get(earlier[1] as string)?.set('kind', ElementKind.Rect),
    CloseReason.InvalidMessage,
    "an element's kind cannot change",
  ],
  [
    'a stroke of more points than a stroke holds',
    (b) => b.appendPoints(b.beginStroke(ink, new Array(STROKE_LIMITS.maxPoints * 3).fill(0.5)), [1, 1, 0.5]),
    CloseReason.TooLarge,
    `would hold ${STROKE_LIMITS.maxPoints + 1} points; at most ${STROKE_LIMITS.maxPoints}`,
  ],
  [
    'an image whose bytes are not the ones its id names',
    (b) => {
      const asset = new Y.Map<unknown>()
      b.assets.set(assetIdOf(png(1)), asset)
      asset.set('bytes', png(2))
    },
    CloseReason.InvalidMessage,
    'the bytes do not match their asset id',
  ],
  [
    'an image over the size cap',
    (b) => {
      const big = png(3, IMAGE_LIMITS.maxBytes + 1)
      const asset = new Y.Map<unknown>()
      b.assets.set(assetIdOf(big), asset)
      asset.set('bytes', big)
    },
    CloseReason.TooLarge,
    `${IMAGE_LIMITS.maxBytes + 1} bytes; at most ${IMAGE_LIMITS.maxBytes}`,
  ],
]

/** A raw participant that asks for the board (SyncStep1) once it is welcomed, as clients do. */
async function joinRaw(host: Host) {
  const peer = rawPeer(syncUrl(host.port, host.defaultBoardId), { name: 'mallory' }, { plain: true })
  await waitUntil('mallory is welcomed', () => peer.welcome())
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Sync)
  syncProtocol.writeSyncStep1(encoder, peer.doc)
  peer.sendFrame(encoding.toUint8Array(encoder))
  return peer
}

describe('a participant who sends edits the board schema does not allow', () => {
  const scope = eachTestHost()
  let host: Host
  let a: TestClient
  let b: TestClient
  let earlier: string[]

  beforeEach(async () => {
    host = await scope.start()
    a = scope.connect(syncUrl(host.port, host.defaultBoardId), 'ann')
    b = scope.connect(syncUrl(host.port, host.defaultBoardId), 'bob')
    await Promise.all([a.connection.whenSynced(), b.connection.whenSynced()])
    earlier = [0, 1, 2].map((i) => {
      const id = a.board.beginStroke(ink, [i, i, 0.5, i + 5, i, 0.5])
      a.board.finishStroke(id)
      return id
    })
    await waitUntil('bob has the earlier strokes', () => earlier.every((id) => b.board.getStroke(id)?.done))
  })

  /** The board as the host holds it. */
  const hostBoard = () => openBoardFile(host.boardFileBytes(host.defaultBoardId))

  /** Another person keeps drawing; everyone, the host included, ends with the same board and every stroke. */
  async function boardIntact(): Promise<void> {
    const later = b.board.beginStroke({ color: '#e03131', width: 2 }, [9, 9, 1])
    b.board.finishStroke(later)
    await waitUntil(
      'ann sees the later stroke',
      () => a.board.getStroke(later)?.done && sameState(a.board, b.board),
    )
    expect(a.connection.status).toBe('connected')
    expect(b.connection.status).toBe('connected')
    const held = hostBoard()
    expect(held.readElements()).toEqual(a.board.readElements())
    expect(Y.encodeStateVector(held.doc)).toEqual(Y.encodeStateVector(a.board.doc))
    expect(held.elementIds()).toEqual([...earlier, later])
    expect([...held.doc.share.keys()].sort()).not.toContain('evil')
  }

  it.each(BAD_EDITS)(
    'closes only the socket that sends %s, with its code and reason',
    async (_what, craft, code, reason) => {
      const mallory = await joinRaw(host)
      await waitUntil('mallory has the board', () => new Board(mallory.doc).elementIds().length === 3)
      mallory.sendUpdate(updateOf(mallory.doc, () => craft(new Board(mallory.doc, 'mallory'), earlier)))
      const closed = await mallory.closed
      expect(closed.code).toBe(code)
      expect(closed.reason).toContain(reason.slice(0, 100))
      await boardIntact()
    },
  )

  it("closes a socket that writes in another participant's name, so that person's next edit is not lost", async () => {
    const mallory = await joinRaw(host)
    await waitUntil('mallory has the board', () => new Board(mallory.doc).elementIds().length === 3)
    // A replica posing as ann: her client id, her clocks so far; its next edit takes the clock of her next one.
    const forged = new Y.Doc()
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(mallory.doc))
    // Set after the state is in: Yjs gives a doc a new id when remote edits arrive under its own.
    forged.clientID = a.board.doc.clientID
    const posing = new Board(forged, 'ann')
    mallory.sendUpdate(
      updateOf(forged, () => posing.beginStroke({ color: '#000000', width: 9 }, [66, 66, 1])),
    )
    expect(await mallory.closed).toEqual({
      code: CloseReason.InvalidMessage,
      reason: "The host refused an edit: an edit in another participant's name.",
    })
    await boardIntact()
    const hers = a.board.beginStroke(ink, [7, 7, 1])
    await waitUntil("bob gets ann's next stroke", () => b.board.getStroke(hers) !== undefined)
    await waitUntil('the host has it', () => hostBoard().getStroke(hers) !== undefined)
  })

  it('checks a SyncStep2 as it checks an update', async () => {
    const mallory = await joinRaw(host)
    const other = new Y.Doc()
    const update = updateOf(other, () => other.getMap('elements').set('x', 'not an element'))
    mallory.sendFrame(syncFrame(syncProtocol.messageYjsSyncStep2, update))
    expect(await mallory.closed).toEqual({
      code: CloseReason.InvalidMessage,
      reason: 'The host refused an edit: "x" of elements holds no plain values.',
    })
    await boardIntact()
  })

  it('closes a socket whose updates build on edits it never sent, after its SyncStep2', async () => {
    const mallory = await joinRaw(host)
    await waitUntil('mallory has the board', () => new Board(mallory.doc).elementIds().length === 3)
    const unsent = new Board(new Y.Doc(), 'ghost')
    Y.applyUpdate(unsent.doc, Y.encodeStateAsUpdate(mallory.doc))
    const id = unsent.beginStroke(ink, [1, 1, 1])
    mallory.sendUpdate(updateOf(unsent.doc, () => unsent.appendPoints(id, [2, 2, 1])))
    expect(await mallory.closed).toEqual({
      code: CloseReason.InvalidMessage,
      reason: 'The host refused an edit: it builds on edits this board does not have.',
    })
    await boardIntact()
  })
})

describe('a client that drew offline', () => {
  const scope = eachTestHost()

  it('may send a live edit before its SyncStep2: the host holds it until the edits it builds on arrive', async () => {
    const host = await scope.start()
    const watcher = scope.connect(syncUrl(host.port, host.defaultBoardId), 'watcher')
    await watcher.connection.whenSynced()
    const offline = new Board(new Y.Doc(), 'offline')
    const id = offline.beginStroke(ink, [0, 0, 0.5])
    // A plain client that, like a person still drawing while it reconnects, sends its next chunk of ink as
    // soon as it is welcomed, before it answers the host's SyncStep1 with the stroke's beginning.
    const ws = new WebSocket(syncUrl(host.port, host.defaultBoardId))
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)))
    ws.on('open', () =>
      ws.send(
        controlFrame({
          type: 'hello',
          name: 'offline',
          color: '#000000',
          awarenessId: offline.doc.clientID,
        }),
      ),
    )
    ws.on('message', (data: Buffer) => {
      const bytes = new Uint8Array(data)
      if (bytes[0] === MessageType.Control && data.toString().includes('"welcome"'))
        ws.send(
          syncFrame(
            syncProtocol.messageYjsUpdate,
            updateOf(offline.doc, () => offline.appendPoints(id, [1, 1, 0.5])),
          ),
        )
      else if (bytes[0] === MessageType.Sync && bytes[1] === syncProtocol.messageYjsSyncStep1)
        // The host's board is empty: everything this client has is what it lacks.
        ws.send(syncFrame(syncProtocol.messageYjsSyncStep2, Y.encodeStateAsUpdate(offline.doc)))
    })
    const seen = await waitUntil('the watcher sees the whole stroke', () => {
      const stroke = watcher.board.getStroke(id)
      return stroke?.points.length === 6 ? stroke : undefined
    })
    expect(Array.from(seen?.points ?? [])).toEqual([0, 0, 0.5, 1, 1, 0.5])
    expect(ws.readyState).toBe(WebSocket.OPEN)
    ws.close()
    await closed
  })
})
