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

const decoded = vi.hoisted(() => ({ count: 0 }))

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

  it('undo of the move puts every stroke back where it was', () => {
    const before = board.strokes()
    moveSelection(board, ids, 0.5, 1e3)
    expect(board.undo()).toBe(true)
    expect(board.strokes()).toEqual(before)
  })
})
