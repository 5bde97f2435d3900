import { describe, expect, it } from 'vitest'
import { FailedHandshakes } from '../../../src/main/host/failedHandshakes'

describe('failed handshakes per address', () => {
  it('blocks an address after 5 failures within a minute, and lets it try again once they are older', () => {
    let now = 1_000_000
    const limit = new FailedHandshakes(5, 60_000, () => now)
    for (let i = 0; i < 4; i++) limit.fail('10.0.0.7')
    expect(limit.blocked('10.0.0.7')).toBe(false)
    now += 30_000
    limit.fail('10.0.0.7')
    expect(limit.blocked('10.0.0.7')).toBe(true)
    expect(limit.blocked('10.0.0.8')).toBe(false)
    // The first four fall out of the window; the fifth is still in it.
    now += 30_001
    expect(limit.blocked('10.0.0.7')).toBe(false)
    for (let i = 0; i < 3; i++) limit.fail('10.0.0.7')
    expect(limit.blocked('10.0.0.7')).toBe(false)
    limit.fail('10.0.0.7')
    expect(limit.blocked('10.0.0.7')).toBe(true)
  })

  it('forgets the oldest addresses first when thousands of addresses fail', () => {
    const limit = new FailedHandshakes(1, 60_000, () => 0)
    limit.fail('first')
    for (let i = 0; i < 5000; i++) limit.fail(`addr-${i}`)
    expect(limit.blocked('first')).toBe(false)
    expect(limit.blocked('addr-4999')).toBe(true)
  })
})
