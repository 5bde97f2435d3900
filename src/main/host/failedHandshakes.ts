/** Wrong-key handshakes allowed per address in WINDOW_MS; beyond that the address is refused for a while. */
export const MAX_FAILED_HANDSHAKES = 5
// A minute, as the issue asks: a 144-bit token is out of reach anyway, this only keeps guessers noisy and slow.
export const FAILED_HANDSHAKE_WINDOW_MS = 60_000
// Addresses remembered at once; the oldest are forgotten first, so a flood cannot grow the host's memory.
const MAX_ADDRESSES = 4096

/**
 * Counts handshakes that proved a wrong secret, per remote address, over a sliding window: online guessing is
 * slowed to MAX_FAILED_HANDSHAKES attempts a minute per address.
 */
export class FailedHandshakes {
  private readonly failures = new Map<string, number[]>()

  constructor(
    private readonly max = MAX_FAILED_HANDSHAKES,
    private readonly windowMs = FAILED_HANDSHAKE_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether this address has used up its attempts for now. */
  blocked(address: string): boolean {
    return this.recent(address).length >= this.max
  }

  /** Records a wrong-key handshake from this address. */
  fail(address: string): void {
    const list = this.recent(address)
    list.push(this.now())
    this.failures.delete(address)
    this.failures.set(address, list)
    if (this.failures.size > MAX_ADDRESSES) this.failures.delete(this.failures.keys().next().value as string)
  }

  private recent(address: string): number[] {
    const since = this.now() - this.windowMs
    const list = (this.failures.get(address) ?? []).filter((t) => t > since)
    if (list.length === 0) this.failures.delete(address)
    else this.failures.set(address, list)
    return list
  }
}
