import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Board } from '../../src/shared/board'
import { liveChunksOf } from '../../src/shared/elements/inkRecord'

const pen = { color: '#1e1e1e', width: 4 }

/** Two replicas wired directly together, as a host would relay them. */
function pair(): [Board, Board] {
  const a = new Board(new Y.Doc(), 'alice')
  const b = new Board(new Y.Doc(), 'bob')
  a.doc.on(
    'update',
    (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(b.doc, u, 'remote'),
  )
  b.doc.on(
    'update',
    (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(a.doc, u, 'remote'),
  )
  return [a, b]
}

describe('Board', () => {
  it('stores a stroke with its style, author and points', () => {
    const board = new Board(new Y.Doc(), 'alice')
    const id = board.beginStroke(pen, [1, 2, 0.5])
    board.appendPoints(id, [3, 4, 0.6, 5, 6, 0.7])
    board.finishStroke(id)
    const s = board.getStroke(id)
    expect(s).toMatchObject({ id, kind: 'stroke', color: '#1e1e1e', width: 4, author: 'alice', done: true })
    // A finished stroke is compact: pressure in steps of 1/256 (docs/board-format.md), so within half of one.
    expect(Array.from(s?.points ?? [])).toEqual([
      1,
      2,
      0.5,
      3,
      4,
      expect.closeTo(0.6, 2),
      5,
      6,
      expect.closeTo(0.7, 2),
    ])
  })

  it('stores points as binary chunks, not an object per point', () => {
    const board = new Board()
    const id = board.beginStroke(pen, [1, 2, 0.5])
    board.appendPoints(id, [3, 4, 0.5, 5, 6, 0.5])
    const points = liveChunksOf(board.elements.get(id) as Y.Map<unknown>) as Y.Array<unknown>
    expect(points.length).toBe(2)
    for (const chunk of points.toArray()) expect(chunk).toBeInstanceOf(Uint8Array)
  })

  it('keeps z-order as the order strokes were drawn', () => {
    const board = new Board()
    const ids = [0, 1, 2].map((i) => board.beginStroke(pen, [i, i, 0.5]))
    expect(board.elementIds()).toEqual(ids)
    board.deleteElements([ids[1] as string])
    expect(board.elementIds()).toEqual([ids[0], ids[2]])
  })

  it('refuses a colour that is not #rrggbb', () => {
    expect(() => new Board().beginStroke({ color: 'red', width: 2 }, [0, 0, 0.5])).toThrow(/colour/)
  })

  it('shows a stroke to a peer while it is drawn', () => {
    const [a, b] = pair()
    const id = a.beginStroke(pen, [0, 0, 0.5])
    a.appendPoints(id, [10, 10, 0.5])
    expect(b.getStroke(id)?.done).toBe(false)
    expect(b.getStroke(id)?.points.length).toBe(6)
  })

  it('converges when two people draw and erase at once', () => {
    const [a, b] = pair()
    const x = a.beginStroke(pen, [0, 0, 0.5])
    const y = b.beginStroke(pen, [5, 5, 0.5])
    a.deleteElements([y])
    b.appendPoints(x, [1, 1, 0.5])
    expect(a.elementIds()).toEqual(b.elementIds())
    expect(a.strokes()).toEqual(b.strokes())
  })

  it('computes the bounds of its content', () => {
    const board = new Board()
    expect(board.contentBounds()).toBeUndefined()
    board.beginStroke({ color: '#000000', width: 2 }, [0, 0, 0.5, 100, 50, 0.5])
    expect(board.contentBounds()).toEqual({ minX: -2, minY: -2, maxX: 102, maxY: 52 })
  })
})

describe('undo and redo', () => {
  it('undoes a whole stroke, however many chunks it was drawn in, and redoes it', () => {
    const board = new Board()
    const id = board.beginStroke(pen, [0, 0, 0.5])
    for (let i = 1; i < 20; i++) board.appendPoints(id, [i, i, 0.5])
    board.finishStroke(id)
    expect(board.undo()).toBe(true)
    expect(board.elementIds()).toEqual([])
    expect(board.redo()).toBe(true)
    expect(board.getStroke(id)?.points.length).toBe(60)
  })

  it('makes each stroke its own undo step', () => {
    const board = new Board()
    const first = board.beginStroke(pen, [0, 0, 0.5])
    board.finishStroke(first)
    const second = board.beginStroke(pen, [1, 1, 0.5])
    board.finishStroke(second)
    board.undo()
    expect(board.elementIds()).toEqual([first])
  })

  it('undoes an erase as one step', () => {
    const board = new Board()
    const ids = [0, 1, 2].map((i) => board.beginStroke(pen, [i, i, 0.5]))
    board.beginAction()
    board.deleteElements([ids[0] as string])
    board.deleteElements([ids[2] as string])
    board.undo()
    expect(board.elementIds().sort()).toEqual([...ids].sort())
  })

  it("undoes only the local person's edits, never a peer's", () => {
    const [a, b] = pair()
    const mine = a.beginStroke(pen, [0, 0, 0.5])
    a.finishStroke(mine)
    const theirs = b.beginStroke(pen, [9, 9, 0.5])
    b.finishStroke(theirs)
    expect(a.undo()).toBe(true)
    expect(a.elementIds()).toEqual([theirs])
    expect(b.elementIds()).toEqual([theirs])
    expect(a.undo()).toBe(false)
    expect(a.elementIds()).toEqual([theirs])
  })

  it('has nothing to undo on a board loaded from elsewhere', () => {
    const source = new Board()
    source.beginStroke(pen, [0, 0, 0.5])
    const loaded = new Board()
    Y.applyUpdate(loaded.doc, Y.encodeStateAsUpdate(source.doc))
    expect(loaded.undo()).toBe(false)
    expect(loaded.elementIds().length).toBe(1)
  })
})
