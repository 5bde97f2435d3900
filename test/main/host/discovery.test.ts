import { describe, expect, it } from 'vitest'
import {
  type DiscoveredSession,
  MAX_LISTED_SESSIONS,
  mdnsSocketOptions,
  tidySessions,
} from '../../../src/main/host/discovery'
import { checkShareOptions } from '../../../src/main/host/share'

const session = (n: number, over: Partial<DiscoveredSession> = {}): DiscoveredSession => ({
  sessionId: `s${n}`,
  name: `Session ${n}`,
  boardName: 'b',
  hostName: 'h',
  approval: true,
  port: 47800,
  protocol: 1,
  addresses: [`192.168.1.${n % 250}`],
  from: `192.168.1.${n % 250}`,
  ...over,
})

describe('the list of sessions on the network', () => {
  it(`shows at most ${MAX_LISTED_SESSIONS}, the first seen, whatever a flood announces`, () => {
    const flood = Array.from({ length: 5000 }, (_, i) => session(i))
    const listed = tidySessions(flood)
    expect(listed).toHaveLength(MAX_LISTED_SESSIONS)
    expect(listed[0]).toBe(flood[0])
    expect(listed.at(-1)).toBe(flood[MAX_LISTED_SESSIONS - 1])
  })

  it('lists a session announced under several instance names once', () => {
    const a = session(1)
    const again = { ...session(1), addresses: [...a.addresses] }
    expect(tidySessions([a, again, session(2), { ...a }])).toEqual([a, session(2)])
  })

  it('keeps a look-alike with the same session id from another address or port: hiding one could hide the real one', () => {
    const real = session(1)
    const copy = session(1, { addresses: ['192.168.1.66'], from: '192.168.1.66' })
    const otherPort = session(1, { port: 47801 })
    expect(tidySessions([copy, real, otherPort])).toEqual([copy, real, otherPort])
  })
})

describe('the mDNS socket on one interface', () => {
  it('is bound to the group address and joined on that interface, not bound to the unicast address', () => {
    expect(mdnsSocketOptions('10.77.0.1', 'linux')).toEqual({ interface: '10.77.0.1', bind: '224.0.0.251' })
    expect(mdnsSocketOptions('10.77.0.1', 'darwin')).toEqual({ interface: '10.77.0.1', bind: '224.0.0.251' })
    // Windows cannot bind a group address: the wildcard, with the membership on that interface.
    expect(mdnsSocketOptions('10.77.0.1', 'win32')).toEqual({ interface: '10.77.0.1', bind: '0.0.0.0' })
  })

  it('uses every interface when none is chosen', () => {
    expect(mdnsSocketOptions(undefined)).toEqual({})
  })
})

describe('choosing the interface to share on', () => {
  it('takes an IPv4 address, and says plainly what is wrong with anything else', () => {
    expect(() => checkShareOptions({ iface: '10.77.0.1' })).not.toThrow()
    expect(() => checkShareOptions({ iface: 'eth0' })).toThrow('"eth0" is not an interface address.')
    expect(() => checkShareOptions({ iface: 'fd00::5' })).toThrow(/IPv6 address; give the IPv4 address/)
  })
})
