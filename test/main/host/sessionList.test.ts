import { afterEach, describe, expect, it, vi } from 'vitest'
import type { browseSessions, DiscoveredSession } from '../../../src/main/host/discovery'
import { SessionList } from '../../../src/main/host/sessionList'

const seen: DiscoveredSession = {
  sessionId: 'abc',
  name: 'Board',
  boardName: 'b',
  hostName: 'h',
  approval: true,
  port: 47800,
  protocol: 1,
  addresses: ['192.168.1.2'],
  from: '192.168.1.2',
}

describe('browsing for sessions on demand', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('starts on the first request and stops after a quiet minute', () => {
    vi.useFakeTimers()
    const stops: number[] = []
    const browse = vi.fn((() => ({
      sessions: () => [seen],
      stop: () => stops.push(1),
    })) as typeof browseSessions)
    const list = new SessionList('10.0.0.1', browse, 60_000)
    expect(browse).not.toHaveBeenCalled()
    expect(list.sessions()).toEqual([seen])
    expect(browse).toHaveBeenCalledTimes(1)
    expect(browse.mock.calls[0]?.[1]).toBe('10.0.0.1')
    vi.advanceTimersByTime(59_000)
    list.sessions()
    vi.advanceTimersByTime(59_000)
    expect(list.browsing).toBe(true)
    vi.advanceTimersByTime(1_001)
    expect(list.browsing).toBe(false)
    expect(stops).toHaveLength(1)
    list.sessions()
    expect(browse).toHaveBeenCalledTimes(2)
    list.stop()
    expect(stops).toHaveLength(2)
  })
})
