import * as Y from 'yjs'
import { Board, newElementId } from '../../src/shared/board'
import { encodeBoardFile } from '../../src/shared/boardFile'
import type { FlatRecord } from '../../src/shared/elements/entry'

/**
 * A board file of `count` copies of one finished stroke of 4,000 far-flung points (~14 KB each as stored), written
 * as records: drawing each through the pen would take minutes. A few thousand of them make an edit of tens of MB
 * (undoing their delete, say). `offset` moves every point (a page's view can be kept clear of them).
 */
export function copiedStrokes(
  count: number,
  ink: { color: string; width: number } = { color: '#1971c2', width: 3 },
  offset = 0,
): Uint8Array {
  const points: number[] = []
  for (let p = 0; p < 4000; p++)
    points.push(offset + ((p * 894_847) % 900_001), offset + ((p * 733_103) % 899_993), (p % 10) / 10)
  const board = new Board(new Y.Doc(), 'earlier')
  // As on a host: no undo stack keeps the pen's live points once the stroke is finished.
  board.undoManager.destroy()
  const first = board.beginStroke(ink, points)
  board.finishStroke(first)
  const record = board.elements.get(first) as FlatRecord
  board.transact(() => {
    for (let i = 1; i < count; i++) {
      const id = newElementId()
      board.order.push([id])
      board.elements.set(id, { ...record })
    }
  })
  const file = encodeBoardFile(board.doc)
  board.destroy()
  return file
}
