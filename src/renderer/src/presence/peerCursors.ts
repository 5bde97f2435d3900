import * as Y from 'yjs'
import { type Board, ElementKind } from '../../../shared/board'
import { isFinishedStroke, liveChunksOf } from '../../../shared/elements/inkRecord'
import { POINT_STRIDE } from '../../../shared/points'
import type { Cursor } from '../../../shared/sync/cursors'

/** A peer's pointer as this page shows it: a board point, or null when it is off the board. */
export type PeerCursor = { x: number; y: number } | null

/**
 * Everyone else's pointers, outside React: cursor deltas and the tips of the ink people draw move them, and what
 * shows them (PresenceLayer) repositions that person's cursor element directly on each change, without a render.
 */
export class PeerCursors {
  private readonly at = new Map<number, PeerCursor>()
  private readonly onInk = new Set<number>()
  private readonly listeners = new Set<(client: number) => void>()

  /** Where a peer's pointer is now (null: off the board or unknown). */
  get(client: number): PeerCursor {
    return this.at.get(client) ?? null
  }

  /**
   * Whether a peer's pointer was last placed by the ink they draw (it moves with every point, in the frame the ink
   * shows) rather than by a cursor delta (a few a frame's time apart, eased between).
   */
  followsInk(client: number): boolean {
    return this.onInk.has(client)
  }

  /** A cursor delta from the network: off, at a point, or "at my ink" (it keeps its place until the ink comes). */
  apply(client: number, cursor: Cursor): void {
    if (cursor.kind === 'ink') return
    this.set(client, cursor.kind === 'at' ? { x: cursor.x, y: cursor.y } : null, false)
  }

  /** The ink a peer draws grew: their pen is at its newest point. */
  inkTip(client: number, x: number, y: number): void {
    this.set(client, { x, y }, true)
  }

  /** Calls back with the peer whose pointer moved, on every move; returns the unsubscribe function. */
  subscribe(cb: (client: number) => void): () => void {
    this.listeners.add(cb)
    return () => this.listeners.delete(cb)
  }

  private set(client: number, next: PeerCursor, ink: boolean): void {
    const now = this.at.get(client) ?? null
    const same = now === next || (now && next && now.x === next.x && now.y === next.y)
    if (same && ink === this.onInk.has(client)) return
    this.at.set(client, next)
    if (ink) this.onInk.add(client)
    else this.onInk.delete(client)
    for (const cb of [...this.listeners]) cb(client)
  }
}

/**
 * Follows the strokes others draw: on every change of a stroke still being drawn, calls back with who draws it
 * (the Yjs client that created it, which is their presence id) and its newest point. Returns the unsubscribe function.
 */
export function followInkTips(
  board: Board,
  ownClient: number,
  tip: (client: number, x: number, y: number) => void,
): () => void {
  const onChange = (events: Y.YEvent<Y.AbstractType<unknown>>[]): void => {
    const ids = new Set<string>()
    for (const event of events) {
      if (event.target === board.elements) for (const key of event.changes.keys.keys()) ids.add(key)
      else if (typeof event.path[0] === 'string') ids.add(event.path[0])
    }
    for (const id of ids) {
      const el = board.elements.get(id)
      // A stroke being drawn is an element map; a finished one (a flat record) has no tip to follow.
      if (!(el instanceof Y.Map)) continue
      const client = el._item?.id.client
      if (!el || client === undefined || client === ownClient) continue
      if (el.get('kind') !== ElementKind.Stroke || isFinishedStroke(el)) continue
      const points = liveChunksOf(el)
      if (!points || points.length === 0) continue
      const chunk = points.get(points.length - 1)
      if (!(chunk instanceof Uint8Array) || chunk.byteLength < POINT_STRIDE * 4) continue
      // The newest point is the last x, y, pressure triple of the newest chunk (little-endian float32).
      const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength)
      const last = Math.floor(chunk.byteLength / (POINT_STRIDE * 4)) - 1
      const x = view.getFloat32(last * POINT_STRIDE * 4, true)
      const y = view.getFloat32(last * POINT_STRIDE * 4 + 4, true)
      if (Number.isFinite(x) && Number.isFinite(y)) tip(client, x, y)
    }
  }
  board.elements.observeDeep(onChange)
  return () => board.elements.unobserveDeep(onChange)
}
