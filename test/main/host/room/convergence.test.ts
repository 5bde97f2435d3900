/**
 * Seeded convergence fuzz: random editors on the real host room and client engine over the in-memory
 * network, with random delivery order, delays, cut links, time jumps and (on the secure channel) frames
 * dropped or swapped on the way. Every run must converge, and nothing the host reported saved may be missing
 * from what is on its disk. A failing seed is printed; FUZZ_SEED=<n> runs that one alone.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Board } from '../../../../src/shared/board'
import { ManualTimers, seededRandom } from '../../../../src/shared/sync/memorySocket'
import { recordFigures } from '../../../support/figures'
import { MemoryRoom } from '../../../support/memoryRoom'
import { RandomEditor } from '../../../support/randomEditor'

const ONE = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED)
const SEEDS = ONE === undefined ? Array.from({ length: 24 }, (_, i) => 1000 + i) : [ONE]
const STEPS = 400

interface Outcome {
  edits: number
  cuts: number
  faults: number
  saved: number
}

/** One seeded run: returns what happened, throws (with the seed in the message) when a check fails. */
function run(seed: number, secure: boolean, partBytes?: number): Outcome {
  const random = seededRandom(seed)
  const int = (n: number) => Math.floor(random() * n)
  const timers = new ManualTimers(seededRandom(seed ^ 0x5eed))
  // With partBytes, every join past that size gets the board streamed in parts (MessageType.SyncPart).
  const host = new MemoryRoom(timers, secure, partBytes === undefined ? {} : { syncPartBytes: partBytes })
  const people = Array.from({ length: 2 + int(3) }, (_, i) => host.join(`p${i}`))
  const editors = people.map((p) => new RandomEditor(p.board, random))
  const outcome: Outcome = { edits: 0, cuts: 0, faults: 0, saved: 0 }
  try {
    for (let step = 0; step < STEPS; step++) {
      const r = random()
      const person = int(people.length)
      if (r < 0.5) host.network.step(int)
      else if (r < 0.72) {
        editors[person]?.edit()
        outcome.edits++
      } else if (r < 0.77)
        people[person]?.awareness.setLocalStateField('cursor', { x: int(800), y: int(600) })
      else if (r < 0.84) host.flush()
      else if (r < 0.89) timers.advance(int(3000))
      else if (r < 0.92) {
        const links = host.network.links
        const link = links[int(links.length)]
        if (link) {
          link.reset()
          outcome.cuts++
        }
      } else if (secure && r < 0.95) {
        // Only where a later frame follows, so the receiver's channel notices, as it would on a network.
        const link = host.network.busyLinks()[0]
        const to = random() < 0.5 ? 'host' : 'client'
        const queue = link && (to === 'host' ? link.toHost : link.toClient)
        if (link && queue && queue.filter((d) => d.kind === 'frame').length >= 2) {
          if (random() < 0.5) link.drop(to)
          else link.swap(to)
          outcome.faults++
        }
      } else host.network.step(int)
    }
    // The network heals: time passes, everything is delivered, the journal reaches the disk.
    for (let round = 0; round < 40; round++) {
      timers.advance(6000)
      host.network.flush()
      host.flush()
      host.network.flush()
      const settled = people.every((p) => p.connection.synced) && host.network.busyLinks().length === 0
      if (settled && round > 1) break
    }
    for (const p of people) {
      expect(
        p.connection.status,
        `a client ended: ${p.connection.closeCode} ${p.connection.closeReason}`,
      ).toBe('connected')
      expect(p.connection.synced).toBe(true)
    }
    const hostBoard = new Board(host.room.doc, 'host')
    const expected = hostBoard.readElements()
    for (const p of people) {
      expect(Y.encodeStateVector(p.board.doc)).toEqual(Y.encodeStateVector(host.room.doc))
      expect(p.board.readElements()).toEqual(expected)
      // Everything this client sent is on the host's disk and reported so.
      expect(p.connection.unsaved).toBe(0)
    }
    // Nothing was reported saved before it was on the host's disk.
    for (const p of people) expect(p.savedTooEarly.length, 'updates reported saved too early').toBe(0)
    outcome.saved = people.reduce((n, p) => n + p.saved.length, 0)
    return outcome
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new Error(
      `seed ${seed} (${secure ? 'secure' : 'plain'}; FUZZ_SEED=${seed} reruns it): ${message}`,
      {
        cause: error,
      },
    )
  } finally {
    host.close()
  }
}

describe('convergence under random faults, in memory', () => {
  const totals = { runs: 0, edits: 0, cuts: 0, faults: 0, saved: 0 }

  it.each(SEEDS)('plain frames, seed %i: converges and loses nothing acknowledged', (seed) => {
    const o = run(seed, false)
    totals.runs++
    totals.edits += o.edits
    totals.cuts += o.cuts
    totals.saved += o.saved
    // A run where nothing was ever saved would prove nothing about acknowledgements.
    expect(o.saved).toBeGreaterThan(0)
  })

  it.each(SEEDS.slice(0, 8))('secure channel with frames dropped and swapped, seed %i', (seed) => {
    const o = run(seed, true)
    totals.runs++
    totals.edits += o.edits
    totals.faults += o.faults
    totals.saved += o.saved
    expect(o.saved).toBeGreaterThan(0)
  })

  it.each(SEEDS.slice(0, 8))('boards streamed to joiners in parts of 300 bytes, seed %i', (seed) => {
    const o = run(seed, seed % 2 === 0, 300)
    totals.runs++
    totals.edits += o.edits
    totals.saved += o.saved
    expect(o.saved).toBeGreaterThan(0)
  })

  it('the same seed makes the same run', async () => {
    const seed = SEEDS[0] as number
    expect(run(seed, false)).toEqual(run(seed, false))
    const test = 'test/main/host/room/convergence.test.ts'
    await recordFigures('convergence-fuzz', [
      { label: 'seeded runs', value: totals.runs, test },
      { label: 'random edits', value: totals.edits, test },
      { label: 'links cut', value: totals.cuts, test },
      { label: 'sealed frames dropped or swapped', value: totals.faults, test },
      { label: 'updates reported saved and found on disk', value: totals.saved, test },
    ])
  })
})
