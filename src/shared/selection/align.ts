import type { Board } from '../board'
import type { BoardElement } from '../elements/types'
import { type Rect, unionRects } from '../geometry'
import { shapeBounds } from './bounds'
import { editable } from './edits'

// Align and distribute a selection. Each group in it moves as one piece (as in Excalidraw and tldraw), by its shapes'
// bounds without outlines (bounds.ts); locked elements stay where they are. Each command is one transaction: one undo step.

/** Which edges or centres `alignSelection` lines up. */
export const Align = {
  Left: 'left',
  Center: 'center',
  Right: 'right',
  Top: 'top',
  Middle: 'middle',
  Bottom: 'bottom',
} as const
export type Align = (typeof Align)[keyof typeof Align]

/** The axis `distributeSelection` spaces along. */
export const Distribute = { Horizontal: 'horizontal', Vertical: 'vertical' } as const
export type Distribute = (typeof Distribute)[keyof typeof Distribute]

/** An offset for one piece. */
export interface Offset {
  dx: number
  dy: number
}

/** Offsets that line up the pieces' edges or centres with those of their common bounds. */
export function alignOffsets(rects: readonly Rect[], how: Align): Offset[] {
  const all = unionRects(rects)
  if (!all) return []
  const cx = (r: Rect) => (r.minX + r.maxX) / 2
  const cy = (r: Rect) => (r.minY + r.maxY) / 2
  return rects.map((r) => {
    switch (how) {
      case Align.Left:
        return { dx: all.minX - r.minX, dy: 0 }
      case Align.Center:
        return { dx: cx(all) - cx(r), dy: 0 }
      case Align.Right:
        return { dx: all.maxX - r.maxX, dy: 0 }
      case Align.Top:
        return { dx: 0, dy: all.minY - r.minY }
      case Align.Middle:
        return { dx: 0, dy: cy(all) - cy(r) }
      case Align.Bottom:
        return { dx: 0, dy: all.maxY - r.maxY }
    }
    return { dx: 0, dy: 0 }
  })
}

/**
 * Offsets that space the pieces evenly along an axis, taken in the order of their centres: the outermost stay, and
 * the gaps between neighbours become equal; when they overlap too much for gaps, their centres are spaced evenly.
 */
export function distributeOffsets(rects: readonly Rect[], axis: Distribute): Offset[] {
  const out = rects.map(() => ({ dx: 0, dy: 0 }))
  if (rects.length < 3) return out
  const lo = (r: Rect) => (axis === Distribute.Horizontal ? r.minX : r.minY)
  const hi = (r: Rect) => (axis === Distribute.Horizontal ? r.maxX : r.maxY)
  const mid = (r: Rect) => (lo(r) + hi(r)) / 2
  const order = rects.map((r, i) => ({ r, i })).sort((a, b) => mid(a.r) - mid(b.r) || lo(a.r) - lo(b.r))
  const start = Math.min(...rects.map(lo))
  const end = Math.max(...rects.map(hi))
  const sizes = order.reduce((sum, { r }) => sum + hi(r) - lo(r), 0)
  const gap = (end - start - sizes) / (rects.length - 1)
  const set = (i: number, d: number) => {
    out[i] = axis === Distribute.Horizontal ? { dx: d, dy: 0 } : { dx: 0, dy: d }
  }
  if (gap >= 0) {
    let at = start
    for (const { r, i } of order) {
      set(i, at - lo(r))
      at += hi(r) - lo(r) + gap
    }
  } else {
    const first = mid((order[0] as { r: Rect }).r)
    const step = (mid((order[order.length - 1] as { r: Rect }).r) - first) / (rects.length - 1)
    for (const [k, { r, i }] of order.entries()) set(i, first + k * step - mid(r))
  }
  return out
}

/** The pieces of a selection that move as one: each group's elements together, each other element alone. */
export function arrangedPieces(els: readonly BoardElement[]): BoardElement[][] {
  const groups = new Map<string, BoardElement[]>()
  const pieces: BoardElement[][] = []
  for (const el of els) {
    if (!el.groupId) {
      pieces.push([el])
      continue
    }
    const piece = groups.get(el.groupId)
    if (piece) piece.push(el)
    else {
      const fresh = [el]
      groups.set(el.groupId, fresh)
      pieces.push(fresh)
    }
  }
  return pieces
}

/** Moves each piece by its offset, as one undo step. Returns how many elements moved. */
function movePieces(board: Board, pieces: readonly BoardElement[][], offsets: readonly Offset[]): number {
  const changes = pieces.flatMap((piece, i) => {
    const { dx, dy } = offsets[i] ?? { dx: 0, dy: 0 }
    if (dx === 0 && dy === 0) return []
    return piece.map((el) => [el.id, { x: el.x + dx, y: el.y + dy }] as const)
  })
  if (changes.length === 0) return 0
  board.beginAction()
  board.updateElements(changes)
  return changes.length
}

const boundsOf = (piece: readonly BoardElement[]): Rect => unionRects(piece.map(shapeBounds)) as Rect

/** Whether a selection has enough pieces to align (two) or to distribute (three). */
export function canArrange(els: readonly BoardElement[], what: 'align' | 'distribute'): boolean {
  return arrangedPieces(els.filter((el) => !el.locked)).length >= (what === 'align' ? 2 : 3)
}

/** Lines up the unlocked elements among `ids` (groups as one piece) on their bounds' edge or centre. */
export function alignSelection(board: Board, ids: Iterable<string>, how: Align): number {
  const pieces = arrangedPieces(editable(board, ids))
  if (pieces.length < 2) return 0
  return movePieces(board, pieces, alignOffsets(pieces.map(boundsOf), how))
}

/** Spaces the unlocked elements among `ids` (groups as one piece) evenly along an axis; three pieces at least. */
export function distributeSelection(board: Board, ids: Iterable<string>, axis: Distribute): number {
  const pieces = arrangedPieces(editable(board, ids))
  if (pieces.length < 3) return 0
  return movePieces(board, pieces, distributeOffsets(pieces.map(boundsOf), axis))
}
