// Issue 9 item 8: a stroke being drawn reaches every peer as Ink frames of a few bytes through the real room and
// client engine (over the secure channel too); the board holds every point; ink that continues nothing is refused.
import { afterEach, describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { strokePointsOf } from '../../../../src/shared/elements/inkRecord'
import { controlFrame, readMessage } from '../../../../src/shared/sync/frames'
import { writeInk } from '../../../../src/shared/sync/liveInk'
import { ManualTimers, type MemorySocket, seededRandom } from '../../../../src/shared/sync/memorySocket'
import { CloseReason, MessageType } from '../../../../src/shared/sync/protocol'
import { MemoryRoom } from '../../../support/memoryRoom'

/** A stroke's points in a document, whichever layout holds them (live map, ink record or older keys). */
const strokePointsIn = (doc: Y.Doc, id: string): Float32Array | undefined => {
  const el = doc.getMap<Y.Map<unknown>>('elements').get(id)
  return el ? strokePointsOf(el) : undefined
}

/** A plain socket that says hello and keeps what the host sends it, and how it was closed. */
class RawPeer {
  readonly socket: MemorySocket
  readonly frames: Uint8Array[] = []
  closed: { code: number; reason: string } | undefined

  constructor(host: MemoryRoom, awarenessId: number) {
    this.socket = host.network.connect('memory://memory-board')
    this.socket.onopen = () =>
      this.socket.send(controlFrame({ type: 'hello', name: 'raw', color: '#000000', awarenessId }))
    this.socket.onmessage = ({ data }) => this.frames.push(new Uint8Array(data as ArrayBuffer))
    this.socket.onclose = (closed) => {
      this.closed = closed
    }
  }
}

let host: MemoryRoom | undefined
afterEach(() => {
  host?.close()
  host = undefined
})

const pointsOf = (doc: Y.Doc, id: string): number[] => Array.from(strokePointsIn(doc, id) ?? [])

describe('live ink through the room', () => {
  for (const secure of [false, true])
    it(`reaches each peer point by point in Ink frames, all points in every replica (${secure ? 'secure' : 'plain'})`, () => {
      host = new MemoryRoom(new ManualTimers(seededRandom(5)), secure)
      const alice = host.join('alice')
      const bob = host.join('bob')
      const watcher = secure ? undefined : new RawPeer(host, 4545)
      host.network.flush()
      const before = watcher?.frames.length ?? 0

      const id = alice.board.beginStroke({ color: '#1e1e1e', width: 4 }, [300, 400, 0.5])
      host.network.flush()
      for (let i = 1; i <= 30; i++) {
        alice.board.appendPoints(id, [300 + i * 6, 400 + (i % 5), 0.5])
        host.network.flush()
        // Bob sees the stroke in progress with every point so far, as Alice has it.
        expect(pointsOf(bob.board.doc, id)).toEqual(pointsOf(alice.board.doc, id))
        expect(pointsOf(bob.board.doc, id)).toHaveLength((i + 1) * 3)
      }
      expect(bob.board.readElement(id)?.kind).toBe('stroke')
      expect(pointsOf(host.room.doc, id)).toEqual(pointsOf(alice.board.doc, id))

      if (watcher) {
        // What a peer gets per point: one Ink frame; after the first, 6 bytes (type, head, x and y steps).
        const got = watcher.frames.slice(before).map((m) => readMessage(m)[0]?.type)
        expect(got.filter((t) => t === 'ink')).toHaveLength(30)
        const inks = watcher.frames.slice(before).filter((m) => m[0] === MessageType.Ink)
        for (const m of inks.slice(1)) expect(m.byteLength).toBeLessThanOrEqual(6)
      }

      // Pen-up as before: the finished stroke, same points, everywhere.
      alice.board.finishStroke(id)
      host.network.flush()
      expect(bob.board.readElement(id)).toMatchObject({ kind: 'stroke', done: true })
      expect(pointsOf(bob.board.doc, id)).toEqual(pointsOf(alice.board.doc, id))
      // Ink frames count as updates in the host's save acknowledgements.
      host.flush()
      host.network.flush()
      expect(alice.saved.length).toBeGreaterThanOrEqual(31)
      expect(alice.savedTooEarly).toEqual([])
    })

  it('refuses ink that continues a stroke the socket never started, with the reason, and relays nothing', () => {
    host = new MemoryRoom(new ManualTimers(seededRandom(6)), false)
    const alice = host.join('alice')
    const raw = new RawPeer(host, 9191)
    host.network.flush()
    const elements = alice.board.doc.getMap('elements').size
    raw.socket.send(writeInk({ deltas: [16, 16] }))
    host.network.flush()
    expect(raw.closed?.code).toBe(CloseReason.InvalidMessage)
    expect(raw.closed?.reason).toContain('ink that continues a stroke this socket never started')
    expect(alice.board.doc.getMap('elements').size).toBe(elements)
  })
})
