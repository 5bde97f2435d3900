import type { Board } from '../board'

/** The four z-order moves (Excalidraw's and tldraw's Ctrl/Cmd+] [ and with Shift). */
export const ZMove = {
  Forward: 'forward',
  Backward: 'backward',
  ToFront: 'front',
  ToBack: 'back',
} as const
export type ZMove = (typeof ZMove)[keyof typeof ZMove]

/**
 * The z-order after a move, bottom to top: to front/back puts the chosen elements on top/bottom in their own
 * order; forward/backward moves each unbroken run of chosen elements past the one element just above/below it.
 * Everything else keeps its order.
 */
export function reorder(order: readonly string[], chosen: ReadonlySet<string>, move: ZMove): string[] {
  const picked = order.filter((id) => chosen.has(id))
  const rest = order.filter((id) => !chosen.has(id))
  switch (move) {
    case ZMove.ToFront:
      return [...rest, ...picked]
    case ZMove.ToBack:
      return [...picked, ...rest]
    case ZMove.Forward: {
      const out = [...order]
      for (let i = out.length - 2; i >= 0; i--) {
        if (chosen.has(out[i] as string) && !chosen.has(out[i + 1] as string)) {
          // The run of chosen elements ending here goes above out[i + 1].
          let start = i
          while (start > 0 && chosen.has(out[start - 1] as string)) start--
          const above = out[i + 1] as string
          out.splice(i + 1, 1)
          out.splice(start, 0, above)
          i = start
        }
      }
      return out
    }
    case ZMove.Backward: {
      const out = [...order]
      for (let i = 1; i < out.length; i++) {
        if (chosen.has(out[i] as string) && !chosen.has(out[i - 1] as string)) {
          let end = i
          while (end < out.length - 1 && chosen.has(out[end + 1] as string)) end++
          const below = out[i - 1] as string
          out.splice(i - 1, 1)
          out.splice(end, 0, below)
          i = end
        }
      }
      return out
    }
  }
}

/**
 * Moves the unlocked elements among `ids` in the z-order, as one undo step. Only their own entries of the board's
 * `order` array are deleted and re-inserted, so a peer's concurrent additions and moves of other elements merge.
 * Returns whether anything moved.
 */
export function moveInZOrder(board: Board, ids: Iterable<string>, move: ZMove): boolean {
  const current = board.elementIds()
  const chosen = new Set<string>()
  for (const id of ids) if (board.readElement(id)?.locked === false) chosen.add(id)
  if (chosen.size === 0) return false
  const next = reorder(current, chosen, move)
  if (next.every((id, i) => id === current[i])) return false
  board.beginAction()
  board.transact(() => {
    // Out with every entry of the chosen ids (a concurrent move may have left one twice), in runs, from the end.
    const raw = board.order.toArray()
    let i = raw.length - 1
    while (i >= 0) {
      if (!chosen.has(raw[i] as string)) {
        i--
        continue
      }
      let start = i
      while (start > 0 && chosen.has(raw[start - 1] as string)) start--
      board.order.delete(start, i - start + 1)
      raw.splice(start, i - start + 1)
      i = start - 1
    }
    // In again: each run of chosen ids right after the element that precedes it in the new order.
    let k = 0
    while (k < next.length) {
      if (!chosen.has(next[k] as string)) {
        k++
        continue
      }
      let end = k
      while (end + 1 < next.length && chosen.has(next[end + 1] as string)) end++
      const run = next.slice(k, end + 1)
      const before = k > 0 ? raw.indexOf(next[k - 1] as string) + 1 : 0
      board.order.insert(before, run)
      raw.splice(before, 0, ...run)
      k = end + 1
    }
  })
  return true
}
