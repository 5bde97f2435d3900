// The element map under an id, for tests that write keys past the Board's own edits (as a forger would). Finished
// strokes are flat records (schema 5), not maps: this gives undefined for them.
import * as Y from 'yjs'
import type { Board } from '../../src/shared/board'

/** The element map of `id` on `board`, or undefined when there is none (or it is a flat record). */
export function elementMap(board: Board, id: string): Y.Map<unknown> | undefined {
  const el = board.elements.get(id)
  return el instanceof Y.Map ? el : undefined
}
