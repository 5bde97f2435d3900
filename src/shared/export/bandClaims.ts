import { type BandPlan, type BandShare, bandShares } from './bands'
import type { ExportLayout } from './layout'

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

  /**
   * The next band of run `slot` (bands `run.from` to `run.to`) from `end`, or undefined when every band is taken or
   * the next one is past `reach` (the bands this worker has the items of: WorkerPlan).
   */
  claim(slot: number, run: BandShare, end: BandEnd, reach: BandShare = run): number | undefined {
    const size = run.to - run.from + 1
    if (size > 0xffff) throw new Error(`a run of ${size} bands is more than BandClaims counts`)
    for (;;) {
      const word = Atomics.load(this.words, slot)
      const top = word & 0xffff
      const bottom = word >>> 16
      if (top + bottom >= size) return undefined
      const band = end === 'top' ? run.from + top : run.to - bottom
      if (band < reach.from || band > reach.to) return undefined
      const next = end === 'top' ? word + 1 : word + 0x10000
      if (Atomics.compareExchange(this.words, slot, word, next >>> 0) === word) return band
    }
  }
}

/** What one worker of a parallel export draws: bands of `run` from `end`, as far as `reach` (slot: its run's claims). */
export interface WorkerPlan {
  run: BandShare
  reach: BandShare
  end: BandEnd
  slot: number
}

/**
 * The share of the work (bandShares' estimate) of a pair's run that both of its workers can draw: the middle
 * 2 × PAIR_OVERLAP of it. Each worker is given the items of its end's bands up to the far side of that middle (62 %
 * of the run's work), not the whole run's, and they meet within it unless the estimate is off by more than 12 % of
 * the run (the round-nine shares were off by 7 % on the dense board: one worker ended 4 s after the other).
 */
const PAIR_OVERLAP = 0.12

/**
 * How `workers` workers share a plan's bands: two to a run, one from each end (BandClaims), and with an odd count the
 * last run one worker's alone (half a pair's work). Runs are cut by bandShares' estimate of the work.
 */
export function workerPlans(layout: ExportLayout, plan: BandPlan, workers: number): WorkerPlan[] {
  const n = Math.max(1, Math.floor(workers))
  const pairs = Math.floor(n / 2)
  const weights: number[] = []
  for (let i = 0; i < pairs; i++) weights.push(1 - PAIR_OVERLAP, 2 * PAIR_OVERLAP, 1 - PAIR_OVERLAP)
  if (n % 2 === 1) weights.push(1)
  const cuts = bandShares(layout, plan, weights.length, weights)
  const plans: WorkerPlan[] = []
  if (cuts.length < weights.length) {
    // Too few bands to cut a middle in each pair's run: runs without a middle, each worker given its whole run.
    const runs = bandShares(
      layout,
      plan,
      Math.ceil(n / 2),
      Array.from({ length: Math.ceil(n / 2) }, (_, i) => (2 * i + 1 < n ? 2 : 1)),
    )
    runs.forEach((run, slot) => {
      plans.push({ run, reach: run, end: 'top', slot })
      if (2 * slot + 1 < n) plans.push({ run, reach: run, end: 'bottom', slot })
    })
    return plans
  }
  for (let slot = 0; slot < pairs; slot++) {
    const [top, middle, bottom] = cuts.slice(slot * 3, slot * 3 + 3) as [BandShare, BandShare, BandShare]
    const run = { from: top.from, to: bottom.to }
    plans.push({ run, reach: { from: top.from, to: middle.to }, end: 'top', slot })
    plans.push({ run, reach: { from: middle.from, to: bottom.to }, end: 'bottom', slot })
  }
  const lone = cuts[pairs * 3]
  if (lone) plans.push({ run: lone, reach: lone, end: 'top', slot: pairs })
  return plans
}
