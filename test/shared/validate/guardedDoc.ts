import * as Y from 'yjs'
import {
  BoardGuard,
  DEFAULT_GUARD_LIMITS,
  type GuardLimits,
  type Verdict,
} from '../../../src/shared/validate/boardGuard'

/**
 * A host's copy of a board behind a guard, as the room holds it: `offer` applies an update only when the guard says
 * ok (`mayWrite`: under which client ids the sender may add edits, as the room tells the guard).
 */
export function guardedDoc(limits: Partial<GuardLimits> = {}) {
  const doc = new Y.Doc()
  const guard = new BoardGuard(doc, { ...DEFAULT_GUARD_LIMITS, ...limits })
  const offer = (update: Uint8Array, mayWrite?: (client: number) => boolean): Verdict => {
    const verdict = guard.check(update, mayWrite)
    if (verdict.ok) {
      Y.applyUpdate(doc, update)
      verdict.commit()
    }
    return verdict
  }
  return { doc, guard, offer }
}
