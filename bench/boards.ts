import * as Y from 'yjs'
import { Board } from '../src/shared/board'
import { seededRandom } from '../src/shared/sync/memorySocket'

/**
 * A board of `count` finished strokes of `points` points each, spread over a `span` x `span` area (board
 * units), built as people draw.
 */
export function makeBoard(count: number, points = 60, seed = 1, span = 20_000): Board {
  // mulberry32 (Math.imul): the old LCG multiplied in doubles and repeated after ~10,000 numbers, so a
  // "10,000-stroke" board held about 5,000 distinct strokes.
  const rand = seededRandom(seed)
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
