import { isLoopbackAddress } from './connectionLimits'

/** Wrong-key handshakes allowed per address in WINDOW_MS; beyond that the address is refused for a while. */
export const MAX_FAILED_HANDSHAKES = 5
// A minute, as the issue asks: a 144-bit token is out of reach anyway, this only keeps guessers noisy and slow.
export const FAILED_HANDSHAKE_WINDOW_MS = 60_000
// Addresses remembered at once; the oldest are forgotten first, so a flood cannot grow the host's memory.
const MAX_ADDRESSES = 4096

/** What a handshake tried to prove; undefined when the host could not tell (a hello it never read). */
export type HandshakeMode = 'owner' | 'link' | 'knock' | undefined

/**
 * Counts handshakes that proved a wrong secret, per remote address, over a sliding window: online guessing is
 * slowed to MAX_FAILED_HANDSHAKES attempts a minute per address. Owner keys are counted apart from join
 * tokens, so guessing one never locks out the other; and an owner key from this computer is never refused,
 * since the owner's own window always comes from loopback and any local program could otherwise lock it out
 * (the owner key is 144 random bits, never chosen: guessing it online is hopeless anyway).
 */
export class FailedHandshakes {
  private readonly failures = new Map<string, number[]>()

  constructor(
    private readonly max = MAX_FAILED_HANDSHAKES,
    private readonly windowMs = FAILED_HANDSHAKE_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether this address has used up its attempts at this kind of key for now. */
  blocked(address: string, mode?: HandshakeMode): boolean {
    if (mode === 'owner' && isLoopbackAddress(address)) return false
    return this.recent(bucket(address, mode)).length >= this.max
  }

  /** Records a wrong-key handshake from this address. */
  fail(address: string, mode?: HandshakeMode): void {
    const key = bucket(address, mode)
    const list = this.recent(key)
    list.push(this.now())
    this.failures.delete(key)
    this.failures.set(key, list)
    if (this.failures.size > MAX_ADDRESSES) this.failures.delete(this.failures.keys().next().value as string)
  }

  private recent(key: string): number[] {
    const since = this.now() - this.windowMs
    const list = (this.failures.get(key) ?? []).filter((t) => t > since)
    if (list.length === 0) this.failures.delete(key)
    else this.failures.set(key, list)
    return list
  }
}

// Owner keys in their own count; join tokens and knocks (which guess nothing but are refused alike) share one.
function bucket(address: string, mode: HandshakeMode): string {
  return mode === 'owner' ? `owner ${address}` : address
}
