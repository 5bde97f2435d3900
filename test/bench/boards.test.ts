// The bench's board generator: every stroke it makes is its own (a generator that repeats would make a
// "10,000-stroke" board of fewer distinct strokes, and every figure measured on it would flatter us).
import { describe, expect, it } from 'vitest'
import { makeBoard } from '../../bench/boards'

describe('the bench board generator', () => {
  it('makes as many distinct strokes as it is asked for', () => {
    const board = makeBoard(12_000, 4)
    const distinct = new Set(board.strokes().map((s) => `${s.points[0]},${s.points[1]}`))
    expect(distinct.size).toBe(12_000)
  })
})
