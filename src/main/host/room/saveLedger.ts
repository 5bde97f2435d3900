import type { Peer } from './peer'

/** One update frame of a peer: its number on the socket and, once applied, the journal position after it. */
interface Frame {
  count: number
  position: number | undefined
}

/**
 * Which update frames of each peer are on disk (docs/protocol.md, "Saved"). Frames are numbered in the
 * order a peer sent them; a frame is saved once it is applied and the journal is on disk up to it, and a
 * frame still held (waiting for the peer's SyncStep2) holds back the ones after it.
 */
export class SaveLedger {
  private readonly peers = new Map<Peer, { received: number; unsaved: Frame[] }>()
  /** Frames by their update bytes, between arrival and being applied. */
  private readonly frames = new WeakMap<Uint8Array, Frame>()
  /** The journal position after the last update, and the one known to be on disk. */
  private journalEnd = 0
  private savedPosition = 0

  /** An update frame of `peer` arrived (before it is checked or applied). */
  received(peer: Peer, update: Uint8Array): void {
    let entry = this.peers.get(peer)
    if (!entry) {
      entry = { received: 0, unsaved: [] }
      this.peers.set(peer, entry)
    }
    const frame: Frame = { count: ++entry.received, position: undefined }
    entry.unsaved.push(frame)
    this.frames.set(update, frame)
  }

  /** The board's journal grew to `position` with an update (a peer's or the host's own). */
  journalAt(position: number): void {
    this.journalEnd = position
  }

  /** A peer's update is in the board; true when it is already on disk (the caller then reports saved). */
  applied(update: Uint8Array): boolean {
    const frame = this.frames.get(update)
    if (!frame) return false
    frame.position = this.journalEnd
    return this.journalEnd <= this.savedPosition
  }

  /** The journal is on disk up to `position`: each peer with newly saved frames and how many are saved. */
  saved(position: number): [Peer, number][] {
    this.savedPosition = Math.max(this.savedPosition, position)
    const told: [Peer, number][] = []
    for (const [peer, entry] of this.peers) {
      let count: number | undefined
      let next = entry.unsaved[0]
      while (next?.position !== undefined && next.position <= this.savedPosition) {
        count = next.count
        entry.unsaved.shift()
        next = entry.unsaved[0]
      }
      if (count !== undefined) told.push([peer, count])
    }
    return told
  }

  /** The last position reported on disk. */
  get onDisk(): number {
    return this.savedPosition
  }

  /** The peer is gone: its counts end with its socket. */
  forget(peer: Peer): void {
    this.peers.delete(peer)
  }
}
