// Edits of a large selection read what they change, never every stroke's points: the decoder is wrapped (it
// still runs) to count how many strokes' points an edit reads.
import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { Board } from '../../src/shared/board'
import {
  deleteSelection,
  groupSelection,
  moveSelection,
  setLocked,
  ungroupSelection,
} from '../../src/shared/selection'

const decoded = vi.hoisted(() => ({ count: 0, idLists: 0 }))

vi.mock('../../src/shared/elements/strokePoints', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/shared/elements/strokePoints')>()
  return {
    ...real,
    readStrokePoints: (value: unknown) => {
      decoded.count++
      return real.readStrokePoints(value)
    },
  }
})

// The same for the element ids a style record names: how many records' id lists an edit reads.
vi.mock('../../src/shared/elements/idList', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/shared/elements/idList')>()
  return {
    ...real,
    readIdList: (...args: Parameters<typeof real.readIdList>) => {
      if (args[3]) decoded.idLists++
      return real.readIdList(...args)
    },
  }
})

const STROKES = 2000

function boardOf(count: number): { board: Board; ids: string[] } {
  const board = new Board(new Y.Doc(), 'ann')
  board.transact(() => {
    for (let i = 0; i < count; i++) {
      const id = board.beginStroke({ color: '#1e1e1e', width: 4 }, [i, i, 0.5, i + 2, i + 1, 0.5])
      board.finishStroke(id)
    }
  })
  return { board, ids: board.elementIds() }
}

describe('edits of 2,000 strokes at once', () => {
  let board: Board
  let ids: string[]
  beforeEach(() => {
    ;({ board, ids } = boardOf(STROKES))
    decoded.count = 0
  })

  it('a move places every stroke anew (one move record) and decodes no stroke', () => {
    const points = board.getStroke(ids[5] as string)?.points
    decoded.count = 0
    moveSelection(board, ids, 12, -3)
    expect(decoded.count).toBe(0)
    const s = board.getStroke(ids[5] as string)
    expect({ x: s?.x, y: s?.y, points: s?.points }).toEqual({ x: 12, y: -3, points })
  })

  it('a restyle decodes no stroke', () => {
    board.beginAction()
    board.updateElements(ids.map((id) => [id, { color: '#e03131', width: 6 }] as const))
    expect(decoded.count).toBe(0)
    expect(board.strokes().every((s) => s.color === '#e03131' && s.width === 6)).toBe(true)
  })

  it('a delete, a lock, a group and an ungroup decode no stroke', () => {
    setLocked(board, ids.slice(0, 10), true)
    const group = groupSelection(board, ids)
    expect(ungroupSelection(board, ids.slice(0, 100))).toBe(90)
    expect(deleteSelection(board, ids)).toBe(STROKES - 10)
    expect(decoded.count).toBe(0)
    expect(group).toBeDefined()
    expect(board.elementIds()).toEqual(ids.slice(0, 10))
  })

  it("a delete after a restyle of every stroke reads no record's ids: no record sets a lock", () => {
    // A peer's restyle: its record's bytes are new to this replica, as a restyle is on the bench's sender.
    const peer = new Board(new Y.Doc(), 'bea')
    Y.applyUpdate(peer.doc, Y.encodeStateAsUpdate(board.doc))
    peer.beginAction()
    peer.updateElements(ids.map((id) => [id, { color: '#e03131' }] as const))
    Y.applyUpdate(board.doc, Y.encodeStateAsUpdate(peer.doc))
    decoded.idLists = 0
    expect(deleteSelection(board, ids)).toBe(STROKES)
    expect(decoded.idLists).toBe(0)
    expect(board.elementIds()).toEqual([])
    expect(board.undo()).toBe(true)
    expect(board.strokes().map((s) => [s.id, s.color])).toEqual(ids.map((id) => [id, '#e03131']))
  })

  it('a delete keeps what lock records lock, and takes what a later record unlocks', () => {
    setLocked(board, ids.slice(0, 500), true)
    setLocked(board, ids.slice(0, 100), false)
    board.beginAction()
    board.updateElements(ids.map((id) => [id, { color: '#e03131' }] as const))
    // Locked by their own key (two edits under the records' minimum), then unlocked by one record naming all 100.
    setLocked(board, ids.slice(1000, 1050), true)
    setLocked(board, ids.slice(1050, 1100), true)
    const own = board.elements.get(ids[1000] as string) as Record<string, unknown>
    expect(own.locked).toBe(true)
    const records = board.styles.length
    setLocked(board, ids.slice(1000, 1100), false)
    expect(board.styles.length).toBe(records + 1)
    expect(board.readElement(ids[1000] as string)?.locked).toBe(false)
    expect(deleteSelection(board, ids)).toBe(STROKES - 400)
    expect(board.elementIds()).toEqual(ids.slice(100, 500))
    expect(board.undo()).toBe(true)
    expect(board.elementIds()).toEqual(ids)
  })

  it('undo of the move puts every stroke back where it was', () => {
    const before = board.strokes()
    moveSelection(board, ids, 0.5, 1e3)
    expect(board.undo()).toBe(true)
    expect(board.strokes()).toEqual(before)
  })
})
