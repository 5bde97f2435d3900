/**
 * A whole board checked against the board schema, as every update from the network is: for boards that arrive
 * from a page (HostBoard), which are then shared with everyone who joins.
 */
import * as Y from 'yjs'
import { BoardGuard, DEFAULT_GUARD_LIMITS } from './boardGuard'

// A whole board is one update: the per-update struct caps (sized for one peer's message) would refuse big boards
// people made; the board's size cap stays.
const WHOLE_BOARD = {
  ...DEFAULT_GUARD_LIMITS,
  maxStructs: Number.MAX_SAFE_INTEGER,
  maxDeleteRanges: Number.MAX_SAFE_INTEGER,
}

/** Why a board's Yjs state (a .lanvas payload) breaks the board schema, or undefined when it conforms. */
export function boardSchemaProblem(update: Uint8Array): string | undefined {
  const doc = new Y.Doc()
  try {
    const verdict = new BoardGuard(doc, WHOLE_BOARD).check(update)
    if (verdict.ok) return undefined
    // Everything a whole board holds is in the update itself: nothing can be missing.
    return verdict.problem === 'missing' ? 'it builds on edits it does not hold' : verdict.reason
  } finally {
    doc.destroy()
  }
}
