import type { Board } from '../../src/shared/board'

/** The elements of a board as plain data (points as plain arrays), for comparing what two boards show. */
export function shown(board: Board): unknown {
  return JSON.parse(
    JSON.stringify(
      board
        .readElements()
        .map((e) => ('points' in e ? { ...e, points: Array.from(e.points as ArrayLike<number>) } : e)),
    ),
  )
}
