// A restyle, lock or group of a large selection is one style record (src/shared/elements/styles.ts), not each flat
// stroke written anew whole: real boards exchanging real Yjs updates, as peers do (offline ones included), read
// every element with the record's values; undo is per person; later edits, the eraser, copies and the file keep
// them; a paste too large to send is refused up front with the reason.

import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Board, type Stroke } from '../../src/shared/board'
import { encodeBoardFile, openBoardFile } from '../../src/shared/boardFile'
import {
  decodeStyleRecord,
  encodeStyleRecord,
  STYLE_RECORD_MIN,
  styleRecordProblem,
} from '../../src/shared/elements/styles'
import {
  ClipboardError,
  type ClipboardPayload,
  copyPayload,
  deleteSelection,
  groupMembers,
  groupSelection,
  MAX_PASTE_BYTES,
  moveSelection,
  pasteElements,
  setLocked,
} from '../../src/shared/selection'

/** A board of `count` finished strokes (flat records) of 40 points each. */
function inkBoard(name: string, count: number): Board {
  const board = new Board(new Y.Doc(), name)
  board.transact(() => {
    for (let i = 0; i < count; i++) {
      const flat: number[] = []
      for (let p = 0; p < 40; p++) flat.push(i + p * 1.5, 2 * i + Math.sin(p) * 9, 0.5)
      board.finishStroke(board.beginStroke({ color: '#1e1e1e', width: 4 }, flat))
    }
  })
  return board
}

function replica(source: Board, name: string): Board {
  const board = new Board(new Y.Doc(), name)
  Y.applyUpdate(board.doc, Y.encodeStateAsUpdate(source.doc))
  return board
}

function merge(a: Board, b: Board): void {
  Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b.doc, Y.encodeStateVector(a.doc)))
  Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc)))
}

/** Every update `board` makes of its own, as sent. */
function sent(board: Board): Uint8Array[] {
  const out: Uint8Array[] = []
  board.doc.on('update', (u: Uint8Array, origin: unknown) => {
    if (origin === board.localOrigin) out.push(u)
  })
  return out
}

const styles = (board: Board) => board.strokes().map((s) => ({ id: s.id, color: s.color, width: s.width }))
const restyle = (board: Board, ids: readonly string[], attrs: { color?: string; width?: number }) => {
  board.beginAction()
  board.updateElements(ids.map((id) => [id, attrs] as const))
}

describe('restyling a large selection', () => {
  const N = 2000

  it('is one small update (a few bytes a stroke, no points) that a peer reads as the new style; undo and redo go to the peer', () => {
    const ann = inkBoard('ann', N)
    const bea = replica(ann, 'bea')
    const before = ann.strokes()
    const updates = sent(ann)
    restyle(ann, ann.elementIds(), { color: '#e03131', width: 9 })
    expect(updates).toHaveLength(1)
    // About 13 bytes a stroke (its id); writing each flat record anew took ~260 (its points with it).
    expect((updates[0] as Uint8Array).byteLength).toBeLessThan(14 * N)
    Y.applyUpdate(bea.doc, updates[0] as Uint8Array)
    const want = before.map((s) => ({ ...s, color: '#e03131', width: 9 }))
    expect(bea.strokes()).toEqual(want)
    expect(ann.strokes()).toEqual(want)

    ann.doc.on('update', (u: Uint8Array) => Y.applyUpdate(bea.doc, u))
    expect(ann.undo()).toBe(true)
    expect(bea.strokes()).toEqual(before)
    expect(ann.redo()).toBe(true)
    expect(bea.strokes()).toEqual(want)
  })

  it('each person undoes only their own restyle; the latest record wins where two name a stroke', () => {
    const ann = inkBoard('ann', N)
    const bea = replica(ann, 'bea')
    const ids = ann.elementIds()
    const half = new Set(ids.slice(0, 1000))
    const link = (from: Board, to: Board) =>
      from.doc.on('update', (u: Uint8Array) => Y.applyUpdate(to.doc, u))
    link(ann, bea)
    link(bea, ann)
    const original = styles(ann)
    restyle(ann, ids, { color: '#e03131' })
    restyle(bea, [...half], { color: '#2f9e44', width: 6 })
    const both = original.map((s) =>
      half.has(s.id) ? { ...s, color: '#2f9e44', width: 6 } : { ...s, color: '#e03131' },
    )
    expect(styles(ann)).toEqual(both)
    // Ann takes back hers: bea's half keeps bea's style, the rest is as it was.
    expect(ann.undo()).toBe(true)
    const onlyBea = original.map((s) => (half.has(s.id) ? { ...s, color: '#2f9e44', width: 6 } : s))
    expect(styles(ann)).toEqual(onlyBea)
    expect(styles(bea)).toEqual(onlyBea)
    expect(bea.undo()).toBe(true)
    expect(styles(ann)).toEqual(original)
    expect(bea.undo()).toBe(false)
    expect(ann.redo()).toBe(true)
    expect(styles(bea)).toEqual(original.map((s) => ({ ...s, color: '#e03131' })))
  })

  it('merges two offline restyles of the same strokes the same way on both replicas, and either undo shows the other', () => {
    const ann = inkBoard('ann', N)
    const bea = replica(ann, 'bea')
    const ids = ann.elementIds()
    const original = styles(ann)
    restyle(ann, ids, { color: '#e03131' })
    restyle(bea, ids, { color: '#1971c2', width: 12 })
    merge(ann, bea)
    expect(styles(ann)).toEqual(styles(bea))
    // One record is after the other in the list on both: its values win for the keys both set (the colour), key by
    // key; the width only bea set stands either way.
    const shown = ann.getStroke(ids[0] as string) as Stroke
    const annLast = shown.color === '#e03131'
    expect(styles(ann)).toEqual(
      original.map((s) => ({ ...s, color: annLast ? '#e03131' : '#1971c2', width: 12 })),
    )
    // The one whose record shows undoes it: everyone sees the other's.
    const last = annLast ? ann : bea
    last.undo()
    merge(ann, bea)
    expect(styles(ann)).toEqual(styles(bea))
    expect(styles(ann)).toEqual(
      original.map((s) => (annLast ? { ...s, color: '#1971c2', width: 12 } : { ...s, color: '#e03131' })),
    )
  })

  it('a later edit of one stroke reads over the record, and undoes alone', () => {
    const ann = inkBoard('ann', N)
    const ids = ann.elementIds()
    const one = ids[5] as string
    restyle(ann, ids, { color: '#e03131' })
    restyle(ann, [one], { color: '#f08c00' })
    expect(ann.getStroke(one)?.color).toBe('#f08c00')
    expect(ann.getStroke(ids[6] as string)?.color).toBe('#e03131')
    ann.undo()
    expect(ann.getStroke(one)?.color).toBe('#e03131')
    ann.undo()
    expect(ann.getStroke(one)?.color).toBe('#1e1e1e')
  })

  it('a lock and a group of every stroke are one small update each; the peer cannot move locked strokes and finds the group', () => {
    const ann = inkBoard('ann', N)
    const bea = replica(ann, 'bea')
    const ids = ann.elementIds()
    const updates = sent(ann)
    ann.doc.on('update', (u: Uint8Array, origin: unknown) => {
      if (origin === ann.localOrigin) Y.applyUpdate(bea.doc, u)
    })
    bea.doc.on('update', (u: Uint8Array, origin: unknown) => {
      if (origin === bea.localOrigin) Y.applyUpdate(ann.doc, u)
    })
    const groupId = groupSelection(ann, ids) as string
    setLocked(ann, ids, true)
    expect(updates).toHaveLength(2)
    for (const u of updates) expect(u.byteLength).toBeLessThan(14 * N)
    expect(groupMembers(bea, groupId).sort()).toEqual([...ids].sort())
    expect(bea.readElements().every((el) => el.locked && el.groupId === groupId)).toBe(true)
    const before = bea.strokes().map((s) => [s.x, s.y])
    moveSelection(bea, ids, 50, 50)
    expect(bea.strokes().map((s) => [s.x, s.y])).toEqual(before)
    // Nor delete them: the record's lock holds against a delete as a lock on each would.
    expect(deleteSelection(bea, ids)).toBe(0)
    expect(bea.elementIds()).toHaveLength(N)
    setLocked(bea, ids, false)
    expect(ann.readElements().some((el) => el.locked)).toBe(false)
  })

  it('keeps the style in what the eraser leaves, in copies and in the board file', () => {
    const ann = inkBoard('ann', STYLE_RECORD_MIN)
    const ids = ann.elementIds()
    restyle(ann, ids, { color: '#9c36b5', width: 7 })
    const first = ann.getStroke(ids[0] as string) as Stroke
    expect(ann.eraseInk(first.id, first.points[30] as number, first.points[31] as number, 2)).toBe(true)
    const pieces = ann.strokes().filter((s) => !ids.includes(s.id))
    expect(pieces.length).toBeGreaterThan(0)
    for (const p of pieces) expect([p.color, p.width]).toEqual(['#9c36b5', 7])
    const copy = copyPayload(ann, ids.slice(1, 3))
    expect(copy.elements.map((c) => c.attrs.color)).toEqual(['#9c36b5', '#9c36b5'])
    const reopened = openBoardFile(encodeBoardFile(ann.doc))
    expect(reopened.readElements()).toEqual(ann.readElements())
  })
})

describe('a style record from the network', () => {
  it('reads back what was written', () => {
    const ids = ['0123456789abcdef01234567', 'note-1']
    const bytes = encodeStyleRecord({ color: '#aabbcc', groupId: null }, ids)
    expect(styleRecordProblem(bytes)).toBeUndefined()
    expect(decodeStyleRecord(bytes)).toEqual({ attrs: { color: '#aabbcc', groupId: null }, ids })
  })

  it('is refused, with the reason, when it sets what a record may not or a value the board would refuse', () => {
    const forged = (attrs: string) => {
      const json = new TextEncoder().encode(attrs)
      const out = new Uint8Array(7 + json.length)
      out[0] = 1
      new DataView(out.buffer).setUint16(5, json.length, true)
      out.set(json, 7)
      return out
    }
    expect(styleRecordProblem(forged('{"color":"#aabbcc"}'))).toBeUndefined()
    expect(styleRecordProblem(forged('{"points":[1,2]}'))).toMatch(/cannot set "points"/)
    expect(styleRecordProblem(forged('{"x":5}'))).toMatch(/cannot set "x"/)
    expect(styleRecordProblem(forged('{"color":"url(x)"}'))).toMatch(/color: .*not a colour/)
    expect(styleRecordProblem(forged('{"width":1e9}'))).toMatch(/width must be a number/)
    expect(styleRecordProblem(forged('{"color":null}'))).toMatch(/cannot remove color/)
    expect(styleRecordProblem(forged('{}'))).toMatch(/sets no attribute/)
    expect(styleRecordProblem(forged('{"color":'))).toMatch(/not JSON/)
    expect(styleRecordProblem(new Uint8Array([2, 0, 0, 0, 0, 0, 0]))).toMatch(/version 2/)
  })
})

describe('a paste too large to send', () => {
  it('is refused up front with the reason, and the board is unchanged', () => {
    const board = new Board(new Y.Doc(), 'ann')
    // 5,000 points of ink that jumps far at each point (several bytes each, stored), the same array in every copy:
    // the payload is cheap, what the board would store is not.
    const points: number[] = []
    for (let p = 0; p < 5000; p++) points.push((p * 7919) % 4001, (p * 104729) % 3989, (p % 10) / 10)
    const payload: ClipboardPayload = {
      type: 'lanvas/elements',
      version: 1,
      elements: Array.from({ length: 1600 }, (_, i) => ({
        id: `c${i}`,
        kind: 'stroke' as const,
        attrs: { color: '#1e1e1e', width: 4, x: i, y: i },
        points,
      })),
      assets: [],
    }
    let refusal: unknown
    try {
      pasteElements(board, payload, { offset: { dx: 0, dy: 0 } })
    } catch (error) {
      refusal = error
    }
    expect(refusal).toBeInstanceOf(ClipboardError)
    expect((refusal as Error).message).toMatch(
      /^These 1,600 elements are too much to paste at once \(\d+\.\d MB; at most 24\.0 MB\): copy and paste them in parts\.$/,
    )
    expect(board.elementIds()).toHaveLength(0)
    expect(MAX_PASTE_BYTES).toBe(24 * 1024 * 1024)
  })
})
