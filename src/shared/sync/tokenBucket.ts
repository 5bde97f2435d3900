import type { Allowance } from './protocol'

/**
 * A token bucket: tokens come back at `perSecond`, up to `burst`. The host admits what a socket sends with
 * `take` (refused while the tokens do not last, src/main/host/limits.ts); a client paces what it sends to that
 * allowance with `spend` and `wait` (outbox.ts): what was sent is spent whether it fit or not, so the client's
 * bucket may go below zero where the host's would have refused.
 */
export class TokenBucket {
  private tokens: number
  private last: number

  constructor(
    private readonly rate: Allowance,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = rate.burst
    this.last = now()
  }

  private refill(): void {
    const t = this.now()
    this.tokens = Math.min(this.rate.burst, this.tokens + ((t - this.last) / 1000) * this.rate.perSecond)
    this.last = t
  }

  /** Takes n tokens; false (taking none) when there are not enough. */
  take(n = 1): boolean {
    this.refill()
    if (this.tokens < n) return false
    this.tokens -= n
    return true
  }

  /** Takes n tokens whether they are there or not. */
  spend(n: number): void {
    this.refill()
    this.tokens -= n
  }

  /** Credits no refill for the time since the last look: what was sent has not left yet. */
  hold(): void {
    this.last = this.now()
  }

  /** The most this bucket holds. */
  get size(): number {
    return this.rate.burst
  }

  /** Milliseconds until `n` tokens are there (a cost above the burst waits for a full bucket). */
  wait(n: number): number {
    this.refill()
    const need = Math.min(n, this.rate.burst)
    return this.tokens >= need ? 0 : ((need - this.tokens) / this.rate.perSecond) * 1000
  }
}
