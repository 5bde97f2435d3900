import { describe, expect, it } from 'vitest'
import { hostLimits, PeerAllowance, PeerBacklog } from '../../../src/main/host/limits'
import { MAX_MESSAGE_BYTES } from '../../../src/shared/sync/protocol'
import { TokenBucket } from '../../../src/shared/sync/tokenBucket'

/** A clock the test moves by hand, so the buckets are checked without waiting. */
function manualClock() {
  let t = 0
  return { now: () => t, advance: (ms: number) => (t += ms) }
}

describe('a token bucket', () => {
  it('lets a burst through, then the rate', () => {
    const clock = manualClock()
    const bucket = new TokenBucket({ perSecond: 10, burst: 5 }, clock.now)
    expect([1, 2, 3, 4, 5, 6].map(() => bucket.take())).toEqual([true, true, true, true, true, false])
    clock.advance(100)
    expect([bucket.take(), bucket.take()]).toEqual([true, false])
    clock.advance(10_000)
    expect(Array.from({ length: 6 }, () => bucket.take()).filter(Boolean)).toHaveLength(5)
  })

  it('refuses a take larger than what is left, taking nothing', () => {
    const clock = manualClock()
    const bucket = new TokenBucket({ perSecond: 1000, burst: 1000 }, clock.now)
    expect(bucket.take(600)).toBe(true)
    expect(bucket.take(600)).toBe(false)
    expect(bucket.take(400)).toBe(true)
  })
})

describe("a socket's allowance", () => {
  const limits = hostLimits({
    messages: { perSecond: 10, burst: 10 },
    bytes: { perSecond: 1000, burst: 1000 },
    awarenessMessages: { perSecond: 2, burst: 2 },
    syncRequests: { perSecond: 0.1, burst: 1 },
  })

  it('holds presence tighter than edits, and each on its own count', () => {
    const clock = manualClock()
    const allowance = new PeerAllowance(limits, clock.now)
    expect(allowance.admit('awareness', 10)).toBeUndefined()
    expect(allowance.admit('awareness', 10)).toBeUndefined()
    expect(allowance.admit('awareness', 10)).toEqual({
      tooLarge: false,
      reason: 'Too many awareness messages; slow down.',
    })
    // Edits still go: presence has a budget of its own.
    for (let i = 0; i < 10; i++) expect(allowance.admit('edit', 10)).toBeUndefined()
    expect(allowance.admit('edit', 10)).toMatchObject({ tooLarge: false })
  })

  it('counts bytes as well as messages', () => {
    const allowance = new PeerAllowance(limits, manualClock().now)
    expect(allowance.admit('edit', 900)).toBeUndefined()
    expect(allowance.admit('edit', 200)).toEqual({
      tooLarge: false,
      reason: 'Too many bytes of edit messages; slow down.',
    })
  })

  it('meters requests for the whole board', () => {
    const clock = manualClock()
    const allowance = new PeerAllowance(limits, clock.now)
    expect(allowance.admit('sync-request', 10)).toBeUndefined()
    expect(allowance.admit('sync-request', 10)).toEqual({
      tooLarge: false,
      reason: 'Too many sync requests; slow down.',
    })
    clock.advance(10_000)
    expect(allowance.admit('sync-request', 10)).toBeUndefined()
  })

  it('refuses messages larger than their kind may be, as too large', () => {
    const allowance = new PeerAllowance(hostLimits(), manualClock().now)
    expect(allowance.admit('control', 16 * 1024 + 1)).toEqual({
      tooLarge: true,
      reason: 'A control message of 16385 bytes; at most 16384.',
    })
    expect(allowance.admit('awareness', 20_000)).toMatchObject({ tooLarge: true })
    expect(allowance.admit('sync-request', 2 * 1024 * 1024)).toMatchObject({ tooLarge: true })
    expect(allowance.admit('edit', MAX_MESSAGE_BYTES + 1)).toMatchObject({ tooLarge: true })
    expect(allowance.admit('edit', MAX_MESSAGE_BYTES)).toBeUndefined()
  })
})

describe("a peer's backlog", () => {
  const limits = hostLimits({ volatileDropBytes: 100, slowCloseBytes: 1000 })

  it('drops presence for a peer behind, and closes a peer far behind', () => {
    const socket = { bufferedAmount: 0 }
    const backlog = new PeerBacklog(socket, limits)
    expect(backlog.decide('volatile')).toBe('send')
    socket.bufferedAmount = 101
    expect(backlog.decide('volatile')).toBe('drop')
    expect(backlog.decide('reliable')).toBe('send')
    socket.bufferedAmount = 1001
    expect(backlog.decide('reliable')).toBe('close')
    expect(backlog.peak).toBe(1001)
  })

  it('excuses a reply the peer asked for until the socket has written it out', () => {
    const socket = { bufferedAmount: 0 }
    const backlog = new PeerBacklog(socket, limits)
    const written = backlog.reply(50_000)
    socket.bufferedAmount = 50_500
    expect(backlog.relayed).toBe(500)
    expect(backlog.decide('reliable')).toBe('send')
    expect(backlog.decide('volatile')).toBe('drop')
    written()
    written()
    socket.bufferedAmount = 1500
    expect(backlog.relayed).toBe(1500)
    expect(backlog.decide('reliable')).toBe('close')
  })

  it('always sends a reply', () => {
    const backlog = new PeerBacklog({ bufferedAmount: 1e9 }, limits)
    expect(backlog.decide('reply')).toBe('send')
  })
})
