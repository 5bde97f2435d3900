import type { BandShare } from './bands'

/** Which end of a run of bands a worker draws from: the top going down, or the bottom going up. */
export type BandEnd = 'top' | 'bottom'

/**
 * Bands of a run claimed from both ends by two workers at once (threads sharing `buffer`, a SharedArrayBuffer): one
 * draws from the top down, the other from the bottom up, and they meet wherever their drawing takes them, so that
 * neither waits idle while the other still has bands, whatever an estimate of their work said (bandShares). Each
 * still traces each stroke about once: only the strokes of the bands where they meet are traced by both.
 *
 * One 32-bit word per run: how many bands were taken from the top (low 16 bits) and from the bottom (high 16 bits),
 * changed by compare-and-swap. A run has at most 65,535 bands (a PNG is at most 65,535 rows, a band at least one).
 */
export class BandClaims {
  private readonly words: Uint32Array

  constructor(buffer: SharedArrayBuffer) {
    this.words = new Uint32Array(buffer)
  }

  /** A buffer for `runs` runs of bands, none claimed. */
  static buffer(runs: number): SharedArrayBuffer {
    return new SharedArrayBuffer(Math.max(1, runs) * 4)
  }

  /** The next band of run `slot` (bands `run.from` to `run.to`) from `end`, or undefined when every band is taken. */
  claim(slot: number, run: BandShare, end: BandEnd): number | undefined {
    const size = run.to - run.from + 1
    if (size > 0xffff) throw new Error(`a run of ${size} bands is more than BandClaims counts`)
    for (;;) {
      const word = Atomics.load(this.words, slot)
      const top = word & 0xffff
      const bottom = word >>> 16
      if (top + bottom >= size) return undefined
      const next = end === 'top' ? word + 1 : word + 0x10000
      if (Atomics.compareExchange(this.words, slot, word, next >>> 0) === word)
        return end === 'top' ? run.from + top : run.to - bottom
    }
  }
}
