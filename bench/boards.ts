import * as Y from 'yjs'
import { Board } from '../src/shared/board'

/**
 * A board of `count` finished strokes of `points` points each, spread over a `span` x `span` area (board
 * units), built as people draw.
 */
export function makeBoard(count: number, points = 60, seed = 1, span = 20_000): Board {
  let s = seed
  const rand = () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff
    return s / 0x7fffffff
  }
  const board = new Board(new Y.Doc(), 'bench')
  const colors = ['#1e1e1e', '#e03131', '#1971c2', '#2f9e44']
  for (let i = 0; i < count; i++) {
    let x = rand() * span
    let y = rand() * span
    const flat: number[] = []
    for (let p = 0; p < points; p++) {
      x += (rand() - 0.5) * 12
      y += (rand() - 0.5) * 12
      flat.push(x, y, 0.3 + rand() * 0.5)
    }
    const id = board.beginStroke(
      { color: colors[i % colors.length] as string, width: 2 + (i % 4) * 2 },
      flat.slice(0, 30),
    )
    board.appendPoints(id, flat.slice(30))
    board.finishStroke(id)
  }
  return board
}
