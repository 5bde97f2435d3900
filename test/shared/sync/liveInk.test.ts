// Issue 9 item 8: live ink as Ink frames of a few bytes that stand for the very Yjs update a stroke's append is;
// anything else stays an Update frame, and bytes that are no Ink frame (or one that continues nothing) are refused.
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Board } from '../../../src/shared/board'
import { strokePointsOf } from '../../../src/shared/elements/inkRecord'
import { FrameError, readFrame } from '../../../src/shared/sync/frames'
import { InkChannel, MAX_INK_POINTS } from '../../../src/shared/sync/liveInk'
import { MessageType } from '../../../src/shared/sync/protocol'

/** A stroke's points in a document, whichever layout holds them (live map, ink record or older keys). */
const strokePointsIn = (doc: Y.Doc, id: string): Float32Array | undefined => {
  const el = doc.getMap<Y.Map<unknown>>('elements').get(id)
  return el ? strokePointsOf(el) : undefined
}

const style = { color: '#1e1e1e', width: 4 }

/** A board whose updates are kept as they happen. */
function drawing(name: string, clientID: number) {
  const doc = new Y.Doc()
  doc.clientID = clientID
  const updates: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => updates.push(u))
  return { doc, board: new Board(doc, name), updates }
}

/** Sends every update through one socket direction: an Ink frame when it is one, else the update itself. */
function carry(updates: Uint8Array[], out: InkChannel, into: InkChannel, to: Y.Doc): Uint8Array[] {
  const frames: Uint8Array[] = []
  for (const update of updates) {
    const frame = out.frame(update)
    if (frame) {
      frames.push(frame)
      const read = readFrame(frame)
      if (read.type !== 'ink') throw new Error('not an ink frame')
      const back = into.update(read.ink)
      expect(back).toEqual(update)
      Y.applyUpdate(to, back)
    } else Y.applyUpdate(to, update)
  }
  return frames
}

const refusal = (bytes: number[]): string => {
  try {
    readFrame(Uint8Array.from(bytes))
  } catch (error) {
    if (error instanceof FrameError) return error.message
    throw error
  }
  throw new Error('expected a refusal')
}

describe('live ink frames', () => {
  it('carry each append of a stroke in a few bytes and read back as the same update; the peer has every point', () => {
    const a = drawing('alice', 3_000_000_001)
    const id = a.board.beginStroke(style, [100.3, 200.7, 0.5])
    const sent: number[][] = [[100.3, 200.7, 0.5]]
    for (let i = 1; i <= 40; i++) {
      const p = [100 + i * 6.02, 200 + Math.sin(i) * 5, 0.5]
      sent.push(p)
      a.board.appendPoints(id, p)
    }
    const peer = new Y.Doc()
    const frames = carry(a.updates, new InkChannel(), new InkChannel(), peer)
    // Every append but the first (after the stroke's start, which went whole) continues the one before it.
    expect(frames).toHaveLength(40)
    expect((frames[0] as Uint8Array).byteLength).toBeLessThanOrEqual(16)
    for (const f of frames.slice(1)) expect(f.byteLength).toBeLessThanOrEqual(6)
    const theirs = strokePointsIn(peer, id)
    expect(theirs).toBeDefined()
    const got = Array.from(theirs as Float32Array)
    expect(got).toHaveLength(sent.length * 3)
    // On the compact form's steps: within 1/32 unit of what the pen gave, pressure exact.
    for (const [i, v] of sent.flat().entries())
      expect(Math.abs((got[i] as number) - v)).toBeLessThanOrEqual(1 / 32)
    expect(Y.encodeStateAsUpdate(peer)).toEqual(Y.encodeStateAsUpdate(a.doc))
  })

  it("follow two people's strokes on one channel (the host's to a peer), pressure and several points a frame", () => {
    const a = drawing('alice', 11)
    const b = drawing('bob', 22)
    const host = new Y.Doc()
    const out = new InkChannel()
    const into = new InkChannel()
    const ia = a.board.beginStroke(style, [0, 0, 0.25])
    const ib = b.board.beginStroke(style, [-50, -50, 1])
    let frames = 0
    for (let i = 1; i <= 10; i++) {
      a.board.appendPoints(ia, [i, i * 2, 0.25 + i / 100, i + 0.5, i * 2 + 0.5, 0.3])
      b.board.appendPoints(ib, [-50 - i, -50, 1])
      frames += carry(a.updates.splice(0), out, into, host).length
      frames += carry(b.updates.splice(0), out, into, host).length
    }
    expect(frames).toBe(20)
    const doc = new Y.Doc()
    Y.applyUpdate(doc, Y.mergeUpdates([Y.encodeStateAsUpdate(a.doc), Y.encodeStateAsUpdate(b.doc)]))
    expect(host.getMap('elements').toJSON()).toEqual(doc.getMap('elements').toJSON())
  })

  it('leave every other update an Update frame: a stroke begun or finished, other edits, points off the steps', () => {
    const a = drawing('alice', 5)
    const channel = new InkChannel()
    const id = a.board.beginStroke(style, [1, 1, 0.5])
    a.board.appendPoints(id, [2, 2, 0.5])
    a.board.finishStroke(id)
    a.board.addText({ x: 1, y: 1, text: 'hi' })
    const [begun, appended, finished, text] = a.updates
    expect(channel.frame(begun as Uint8Array)).toBeUndefined()
    expect(channel.frame(appended as Uint8Array)).toBeDefined()
    expect(channel.frame(finished as Uint8Array)).toBeUndefined()
    expect(channel.frame(text as Uint8Array)).toBeUndefined()
    // A chunk pushed by other code, off the 1/16 steps: it goes whole, as before.
    const raw = drawing('raw', 6)
    const arr = raw.doc.getArray<Uint8Array>('x')
    arr.push([new Uint8Array(12)])
    raw.updates.length = 0
    const off = new Uint8Array(12)
    new DataView(off.buffer).setFloat32(0, 0.01, true)
    arr.push([off])
    expect(new InkChannel().frame(raw.updates[0] as Uint8Array)).toBeUndefined()
  })

  it('are refused with a reason: continuing nothing, too many points, an odd pressure, beyond the board, cut short', () => {
    const ink = MessageType.Ink
    expect(() => new InkChannel().update({ deltas: [1, 1] })).toThrow(
      'ink that continues a stroke this socket never started',
    )
    expect(refusal([ink, 0x80, 0x08, 0, 0])).toBe(
      `ink of ${MAX_INK_POINTS + 1} points in one frame (at most 256)`,
    )
    expect(refusal([ink, 3, 1, 2, 0, 0, 0, 0x81, 0x03])).toBe('a pressure of 385/256')
    expect(refusal([ink, 1, 1, 2, 0, 0, 0])).toBe("a stroke's ink without its pressure")
    expect(refusal([ink, 3, 1, 2, 2, 0, 0, 0])).toBe('ink after an item before the first')
    expect(refusal([ink, 3, 0x80, 0x80, 0x80, 0x80, 0x10, 2, 0, 0, 0, 0])).toBe(
      'ink of a client id beyond 32 bits',
    )
    expect(refusal([ink, 0, 1])).toBe('a frame cut short')
    expect(refusal([ink, 0, 1, 1, 9])).toBe('bytes after the end of the frame')
    // 2^25 steps: a varint lib0 reads, but no point of a board.
    const far = readFrame(Uint8Array.from([ink, 3, 1, 2, 0, 0x80, 0x80, 0x80, 0x20, 0, 0]))
    if (far.type !== 'ink') throw new Error('not ink')
    expect(() => new InkChannel().update(far.ink)).toThrow('ink beyond the board')
  })
})
