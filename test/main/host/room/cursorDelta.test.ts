// Issue 9 item 8: a person's pointer travels as a presence delta of a few bytes (MessageType.Cursor), not as
// their whole awareness state; the host relays it with the sender's id and refuses forged or oversized ones.
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Board } from '../../../../src/shared/board'
import type { Cursor } from '../../../../src/shared/sync/cursors'
import {
  controlFrame,
  cursorFrame,
  MAX_CURSOR_FRAME_BYTES,
  readFrame,
  readMessage,
  updateFrame,
  withCursor,
} from '../../../../src/shared/sync/frames'
import { ManualTimers, type MemorySocket, seededRandom } from '../../../../src/shared/sync/memorySocket'
import { CloseReason, MessageType } from '../../../../src/shared/sync/protocol'
import { MemoryRoom } from '../../../support/memoryRoom'

/** A socket that speaks the protocol by hand: it says hello and keeps every frame the host sends it. */
class RawPeer {
  readonly socket: MemorySocket
  readonly frames: Uint8Array[] = []
  closeCode: number | undefined

  constructor(
    host: MemoryRoom,
    readonly awarenessId: number,
  ) {
    this.socket = host.network.connect('memory://memory-board')
    this.socket.onopen = () =>
      this.socket.send(controlFrame({ type: 'hello', name: 'raw', color: '#000000', awarenessId }))
    this.socket.onmessage = ({ data }) => this.frames.push(new Uint8Array(data as ArrayBuffer))
    this.socket.onclose = ({ code }) => {
      this.closeCode = code
    }
  }

  /** The cursor frames received, as sent on the wire. */
  cursorFrames(): Uint8Array[] {
    return this.frames.filter((f) => f[0] === MessageType.Cursor)
  }

  send(frame: Uint8Array): void {
    this.socket.send(frame)
  }
}

let host: MemoryRoom | undefined

afterEach(() => {
  host?.close()
  host = undefined
})

function room(): MemoryRoom {
  host = new MemoryRoom(new ManualTimers(seededRandom(3)), false)
  return host
}

describe('cursor deltas', () => {
  it("reach a peer in a few bytes, decoded to the sender's point", () => {
    const h = room()
    const alice = h.join('alice')
    const bob = h.join('bob')
    const watcher = new RawPeer(h, 4242)
    h.network.flush()
    const heard: [number, Cursor][] = []
    bob.cursors.onPeer((client, cursor) => heard.push([client, cursor]))

    alice.cursors.set({ kind: 'at', x: 1234.5, y: -87.25 })
    h.network.flush()

    expect(heard).toEqual([[alice.awareness.clientID, { kind: 'at', x: 1234.5, y: -87.25 }]])
    // What the host relays: the type, the sender's id, the kind and two coordinates, nothing of their state.
    const [relayed] = watcher.cursorFrames()
    expect(relayed).toBeDefined()
    expect((relayed as Uint8Array).byteLength).toBeLessThanOrEqual(13)
    expect(readFrame(relayed as Uint8Array)).toEqual({
      type: 'cursor',
      client: alice.awareness.clientID,
      cursor: { kind: 'at', x: 1234.5, y: -87.25 },
    })
    // The sender's frame is smaller still (client 0: "mine").
    expect(cursorFrame(0, { kind: 'at', x: 1234.5, y: -87.25 }).byteLength).toBeLessThanOrEqual(9)
  })

  it('say when the pen draws and when the pointer leaves the board', () => {
    const h = room()
    const alice = h.join('alice')
    const bob = h.join('bob')
    h.network.flush()
    const heard: Cursor[] = []
    bob.cursors.onPeer((_, cursor) => heard.push(cursor))
    alice.cursors.set({ kind: 'ink' })
    alice.cursors.set({ kind: 'off' })
    h.network.flush()
    expect(heard).toEqual([{ kind: 'ink' }, { kind: 'off' }])
  })

  it("are refused in another client's name, and nobody hears the forged one", () => {
    const h = room()
    const alice = h.join('alice')
    const forger = new RawPeer(h, 777)
    h.network.flush()
    const heard: number[] = []
    alice.cursors.onPeer((client) => heard.push(client))

    forger.send(cursorFrame(alice.awareness.clientID, { kind: 'at', x: 1, y: 2 }))
    h.network.flush()
    expect(forger.closeCode).toBe(CloseReason.InvalidMessage)
    expect(heard).toEqual([])
  })

  it('are refused when oversized, of an unknown kind or beyond the board', () => {
    const h = room()
    const big = new RawPeer(h, 101)
    const odd = new RawPeer(h, 102)
    const far = new RawPeer(h, 103)
    const watcher = new RawPeer(h, 104)
    h.network.flush()

    // A well-formed start padded past the cap: TooLarge before it is read.
    const padded = new Uint8Array(MAX_CURSOR_FRAME_BYTES + 8)
    padded.set(cursorFrame(0, { kind: 'off' }))
    big.send(padded)
    odd.send(new Uint8Array([MessageType.Cursor, 0, 7]))
    // 2^40 eighths of a unit: a varint lib0 reads, but no point of any board.
    far.send(new Uint8Array([MessageType.Cursor, 0, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40, 0]))
    h.network.flush()

    expect(big.closeCode).toBe(CloseReason.TooLarge)
    expect(odd.closeCode).toBe(CloseReason.InvalidMessage)
    expect(far.closeCode).toBe(CloseReason.InvalidMessage)
    expect(watcher.cursorFrames()).toEqual([])
    expect(watcher.closeCode).toBeUndefined()
  })

  it('ride with the edit they go with: one message from the sender, one to each peer, both applied', () => {
    const h = room()
    const alice = h.join('alice')
    const bob = h.join('bob')
    const watcher = new RawPeer(h, 4343)
    h.network.flush()
    const heard: [number, Cursor][] = []
    bob.cursors.onPeer((client, cursor) => heard.push([client, cursor]))
    const before = watcher.frames.length

    alice.cursors.queue({ kind: 'at', x: 40, y: 50 })
    const id = alice.board.addText({ x: 40, y: 50, text: 'hello' })
    h.network.flush()

    const messages = watcher.frames.slice(before)
    expect(messages).toHaveLength(1)
    const [update, cursor] = readMessage(messages[0] as Uint8Array)
    expect(update?.type).toBe('update')
    expect(cursor).toEqual({
      type: 'cursor',
      client: alice.awareness.clientID,
      cursor: { kind: 'at', x: 40, y: 50 },
    })
    expect(bob.board.readElement(id)).toBeDefined()
    expect(heard).toEqual([[alice.awareness.clientID, { kind: 'at', x: 40, y: 50 }]])
    // Taken by the edit: the queued cursor does not go out a second time.
    alice.cursors.flush()
    h.network.flush()
    expect(heard).toHaveLength(1)
  })

  it("are refused with the edit they ride on when they speak in another client's name", () => {
    const h = room()
    const alice = h.join('alice')
    const forger = new RawPeer(h, 778)
    h.network.flush()
    const doc = new Y.Doc()
    doc.clientID = 778
    const id = new Board(doc, 'forger').addText({ x: 1, y: 1, text: 'forged' })
    forger.send(
      withCursor(
        updateFrame(Y.encodeStateAsUpdate(doc)),
        cursorFrame(alice.awareness.clientID, { kind: 'at', x: 1, y: 1 }),
      ),
    )
    h.network.flush()
    expect(forger.closeCode).toBe(CloseReason.InvalidMessage)
    expect(alice.board.readElement(id)).toBeUndefined()
  })
})
