/**
 * The outbox against the host's own token buckets on one clock run by hand: whatever is offered, the host's
 * allowance (src/main/host/limits.ts) never refuses a frame it sends, an ordinary frame leaves at once, and frames
 * leave in the order they were offered.
 */
import { describe, expect, it } from 'vitest'
import { hostLimits, PeerAllowance } from '../../../src/main/host/limits'
import { Outbox, type Outgoing } from '../../../src/shared/sync/outbox'
import type { Timers } from '../../../src/shared/sync/socket'

/** A clock and timers run by hand: `advance` fires what falls due, in order. */
function manualTime() {
  let now = 0
  let next = 1
  const due = new Map<number, { at: number; cb: () => void }>()
  const timers: Timers = {
    setTimeout: (cb, ms) => {
      const id = next++
      due.set(id, { at: now + ms, cb })
      return id
    },
    clearTimeout: (id) => {
      due.delete(id as number)
    },
    random: () => 0.5,
  }
  const advance = (ms: number) => {
    const end = now + ms
    for (;;) {
      const first = [...due].sort((a, b) => a[1].at - b[1].at)[0]
      if (!first || first[1].at > end) break
      due.delete(first[0])
      now = first[1].at
      first[1].cb()
    }
    now = end
  }
  return { timers, advance, now: () => now, pending: () => due.size }
}

interface Frame extends Outgoing {
  n: number
}

describe('the outbox', () => {
  it("never sends faster than the host's allowance takes, keeps the order, and lets a small frame go at once", () => {
    const time = manualTime()
    const limits = hostLimits()
    const host = new PeerAllowance(limits, time.now)
    const delivered: number[] = []
    const refused: string[] = []
    const outbox = new Outbox<Frame>(
      time.timers,
      (frame) => {
        delivered.push(frame.n)
        const verdict = host.admit('edit', frame.bytes)
        if (verdict) refused.push(verdict.reason)
      },
      () => 1,
      () => {},
      time.now,
    )
    const MiB = 1024 * 1024
    // A small edit goes at once.
    outbox.offer([{ n: 0, bytes: 200 }])
    expect(delivered).toEqual([0])
    // An edit of 60 parts of 1 MiB, far over the 32 MiB burst: what fits goes now, the rest as the allowance refills.
    outbox.offer(Array.from({ length: 60 }, (_, i) => ({ n: i + 1, bytes: MiB })))
    expect(delivered.length).toBeGreaterThan(1)
    expect(delivered.length).toBeLessThan(61)
    expect(outbox.waiting).toBe(61 - delivered.length)
    // Small edits made meanwhile wait behind it, in order.
    outbox.offer([{ n: 61, bytes: 300 }])
    expect(delivered).not.toContain(61)
    for (let t = 0; t < 60 && outbox.waiting > 0; t++) time.advance(1000)
    expect(outbox.waiting).toBe(0)
    expect(delivered).toEqual(Array.from({ length: 62 }, (_, i) => i))
    expect(refused).toEqual([])
    // Once nothing waits and the allowance refilled, a small edit goes at once again.
    time.advance(10_000)
    expect(outbox.mayGo(200, true)).toBe(true)
  })

  it('drops what waits when its socket goes, and starts with a full allowance on the next', () => {
    const time = manualTime()
    const delivered: number[] = []
    const progress: { sent: number; total: number }[] = []
    const outbox = new Outbox<Frame>(
      time.timers,
      (frame) => delivered.push(frame.n),
      () => 1,
      (p) => progress.push({ ...p }),
      time.now,
    )
    outbox.offer(Array.from({ length: 40 }, (_, i) => ({ n: i, bytes: 1024 * 1024 })))
    const sent = delivered.length
    expect(outbox.waiting).toBe(40 - sent)
    expect(progress.at(-1)?.total).toBe(40 * 1024 * 1024)
    outbox.reset()
    expect(outbox.waiting).toBe(0)
    expect(progress.at(-1)).toEqual({ sent: 0, total: 0 })
    expect(time.pending()).toBe(0)
    time.advance(60_000)
    expect(delivered).toHaveLength(sent)
  })
})
