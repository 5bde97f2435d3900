/**
 * What a client sends the host, paced to the allowance the host gives each socket (protocol.ts
 * EDIT_BYTES_ALLOWANCE, EDIT_MESSAGES_ALLOWANCE, RELAY_BYTES_ALLOWANCE): the host closes a socket that sends more
 * as a flood, so an edit larger than the burst (the undo of deleting a whole board, tens of MB) waits here and
 * leaves part by part as the allowance refills, instead of being cut off. An ordinary edit finds the allowance full
 * and leaves at once; anything made while parts wait queues behind them, in order (the host needs a client's edits
 * in the order they were made). docs/decisions.md, "Large edits are paced, round five".
 */

import {
  type Allowance,
  EDIT_BYTES_ALLOWANCE,
  EDIT_MESSAGES_ALLOWANCE,
  RELAY_BYTES_ALLOWANCE,
} from './protocol'
import type { HostAllowance } from './session'
import type { Timers } from './socket'
import { TokenBucket } from './tokenBucket'

/**
 * The share of each burst the outbox spends: the rest is headroom for what reaches the host bunched up (a frame
 * that waited in the network while the next did not: 8 MiB is 2 s of the byte rate) and for the host's clock.
 */
const BURST_SHARE = 3 / 4
/** The share of each sustained rate the outbox spends: a long send gains headroom, never loses it. */
const RATE_SHARE = 0.95
/** How often the outbox looks whether the socket has written out what it was given. */
const UNSENT_POLL_MS = 20

/** What a host that does not say (an older one) allows: protocol.ts's figures, its own. */
const DEFAULT_ALLOWANCE: HostAllowance = {
  bytes: EDIT_BYTES_ALLOWANCE,
  messages: EDIT_MESSAGES_ALLOWANCE,
  relay: RELAY_BYTES_ALLOWANCE,
}

/** One frame to send once the allowance takes it. */
export interface Outgoing {
  /** Bytes the frame will take on the wire (about). */
  bytes: number
}

/** How far the edits waiting in the outbox are: bytes sent of those queued since it was last empty. */
export interface SendingProgress {
  sent: number
  total: number
}

/** The part of the host's allowance the outbox spends (the rest is headroom). */
function ours(allowance: Allowance): Allowance {
  return { burst: allowance.burst * BURST_SHARE, perSecond: allowance.perSecond * RATE_SHARE }
}

/** A client's frames to the host, sent now while the allowance takes them and queued behind each other when not. */
export class Outbox<T extends Outgoing> {
  private queue: T[] = []
  private bytes!: TokenBucket
  private messages!: TokenBucket
  private relay!: TokenBucket
  private timer: unknown
  private batch: SendingProgress = { sent: 0, total: 0 }

  constructor(
    private readonly timers: Timers,
    /** Sends a frame that the allowance took. */
    private readonly deliver: (item: T) => void,
    /** How many people the host relays an edit to. */
    private readonly recipients: () => number,
    /** Called when what waits, or how far it is, changed. */
    private readonly changed: (progress: SendingProgress) => void,
    private readonly now: () => number = () => performance.now(),
    /** Bytes sent and not yet on the wire (the socket's bufferedAmount). */
    private readonly unsent: () => number = () => 0,
  ) {
    this.reset()
  }

  /** A new socket: the host gives it a full allowance, and what waited for the old one is not sent (see client.ts). */
  reset(): void {
    this.allow(DEFAULT_ALLOWANCE)
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer)
    this.timer = undefined
    const had = this.queue.length > 0 || this.batch.total > 0
    this.queue = []
    this.batch = { sent: 0, total: 0 }
    if (had) this.changed(this.batch)
  }

  /** The allowance the host announced (welcome.allowance), full: nothing but the hello went before it. */
  allow(allowance: HostAllowance): void {
    this.bytes = new TokenBucket(ours(allowance.bytes), this.now)
    this.messages = new TokenBucket(ours(allowance.messages), this.now)
    this.relay = new TokenBucket(ours(allowance.relay), this.now)
  }

  /** An update above this goes in parts: half of what the byte bucket holds (8 MiB at the default allowance). */
  get splitAbove(): number {
    return this.bytes.size / 2
  }

  /** Frames waiting for the allowance. */
  get waiting(): number {
    return this.queue.length
  }

  /** The last frame waiting, if any (a small edit may be merged into it). */
  get tail(): T | undefined {
    return this.queue[this.queue.length - 1]
  }

  /** Replaces the last frame waiting (a small edit merged into it). */
  replaceTail(item: T): void {
    const tail = this.queue.length - 1
    if (tail < 0) return
    this.batch.total += item.bytes - (this.queue[tail] as T).bytes
    this.queue[tail] = item
  }

  /** Whether a frame of `bytes` (relayed when an edit) may leave now: nothing waits and the allowance takes it. */
  mayGo(bytes: number, relayed: boolean): boolean {
    return this.queue.length === 0 && this.wait(bytes, relayed) === 0
  }

  /** Counts a frame sent without waiting (a control message, a small edit), as the host counts it. */
  spent(bytes: number, relayed: boolean): void {
    this.bytes.spend(bytes)
    this.messages.spend(1)
    if (relayed) this.relay.spend(bytes * this.recipients())
  }

  /** Sends these frames, in order, as the allowance takes them; they wait behind anything already waiting. */
  offer(items: T[]): void {
    for (const item of items) {
      this.queue.push(item)
      this.batch.total += item.bytes
    }
    // While a timer waits for the head, the new frames wait behind it.
    if (this.timer === undefined) this.pump()
  }

  private wait(bytes: number, relayed: boolean): number {
    return Math.max(
      this.bytes.wait(bytes),
      this.messages.wait(1),
      relayed ? this.relay.wait(bytes * this.recipients()) : 0,
    )
  }

  private readonly pump = (): void => {
    this.timer = undefined
    let moved = false
    while (this.queue.length > 0) {
      const head = this.queue[0] as T
      if (this.unsent() > 0) {
        // Frames still in the socket's buffer (a page whose main thread was busy: a browser writes a large frame
        // out from it) leave later than they were counted, together with the next: the allowance gains nothing
        // until they have left, so that the host never sees more at once than the buckets held.
        this.bytes.hold()
        this.messages.hold()
        this.relay.hold()
        this.timer = this.timers.setTimeout(this.pump, UNSENT_POLL_MS)
        break
      }
      const wait = this.wait(head.bytes, true)
      if (wait > 0) {
        // At least a few ms: a timer that fires early would only find the bucket still short.
        this.timer = this.timers.setTimeout(this.pump, Math.max(4, Math.ceil(wait)))
        break
      }
      this.queue.shift()
      this.spent(head.bytes, true)
      this.batch.sent += head.bytes
      moved = true
      this.deliver(head)
    }
    if (this.queue.length === 0 && this.batch.total > 0) {
      this.batch = { sent: 0, total: 0 }
      this.changed(this.batch)
    } else if (moved || this.queue.length > 0) this.changed(this.batch)
  }
}
