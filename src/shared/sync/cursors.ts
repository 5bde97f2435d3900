/**
 * Cursors as presence deltas (MessageType.Cursor): this replica's own pointer, sent by the engine in a few bytes
 * whenever it changes, and everyone else's as the host relays them. Kept apart from awareness, whose every change
 * resends the whole JSON state.
 */
import type { Cursor } from './frames'

export type { Cursor } from './frames'

/** One replica's cursor channel: set the own cursor, hear the others'. */
export class CursorChannel {
  private own: Cursor = { kind: 'off' }
  private pending: Cursor | undefined
  private sender: ((cursor: Cursor) => void) | undefined
  private readonly listeners = new Set<(client: number, cursor: Cursor) => void>()

  /** This replica's cursor as last set. */
  get local(): Cursor {
    return this.own
  }

  /** Sets this replica's cursor; it goes out at once when connected (callers pace it). */
  set(cursor: Cursor): void {
    this.own = cursor
    this.pending = undefined
    this.sender?.(cursor)
  }

  /**
   * Sets this replica's cursor to go out with the next edit this replica sends (one message for both), or at the
   * caller's `flush()`, whichever comes first.
   */
  queue(cursor: Cursor): void {
    this.own = cursor
    this.pending = cursor
  }

  /** Sends a queued cursor that no edit took along. */
  flush(): void {
    const cursor = this.pending
    if (cursor) this.set(cursor)
  }

  /** The engine's side: takes the queued cursor to send with an edit (undefined: none waits). */
  take(): Cursor | undefined {
    const cursor = this.pending
    this.pending = undefined
    return cursor
  }

  /** Calls back with every cursor another person's replica sends; returns the unsubscribe function. */
  onPeer(cb: (client: number, cursor: Cursor) => void): () => void {
    this.listeners.add(cb)
    return () => this.listeners.delete(cb)
  }

  /** The engine's side: how the own cursor is sent (undefined: not connected to any engine). */
  bind(sender: ((cursor: Cursor) => void) | undefined): void {
    this.sender = sender
  }

  /** The engine's side: a peer's cursor arrived. */
  received(client: number, cursor: Cursor): void {
    for (const cb of [...this.listeners]) cb(client, cursor)
  }
}
