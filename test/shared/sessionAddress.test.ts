import { describe, expect, it } from 'vitest'
import { isLanHost, listedSessionAddress, parseSessionAddress } from '../../src/shared/sessionAddress'

describe('a typed session address', () => {
  it('opens address:port as a knock, and keeps a whole link', () => {
    expect(parseSessionAddress(' 192.168.1.20:47800 ')).toMatchObject({
      url: 'http://192.168.1.20:47800/#knock',
    })
    expect(parseSessionAddress('http://10.0.0.5:47801/#join=abcdefghijklmnopqrstuv')).toMatchObject({
      url: 'http://10.0.0.5:47801/#join=abcdefghijklmnopqrstuv',
    })
    expect(parseSessionAddress('[fe80::1]:47800')).toMatchObject({ url: 'http://[fe80::1]:47800/#knock' })
    expect(parseSessionAddress('10.0.0.1:80')).toMatchObject({ url: 'http://10.0.0.1/#knock' })
  })

  it('says what is wrong', () => {
    expect(parseSessionAddress('')).toEqual({ error: expect.stringContaining('Type the address') })
    expect(parseSessionAddress('192.168.1.20')).toEqual({ error: expect.stringContaining('Add the port') })
    expect(parseSessionAddress('ftp://192.168.1.20:21')).toEqual({
      error: expect.stringContaining('http://'),
    })
    expect(parseSessionAddress('8.8.8.8:80')).toEqual({
      error: expect.stringContaining('not on your local network'),
    })
    expect(parseSessionAddress('http://[zz')).toEqual({ error: expect.stringContaining('is not an address') })
  })

  it('knows LAN hosts', () => {
    for (const h of [
      '10.1.2.3',
      '172.16.0.1',
      '192.168.0.1',
      '127.0.0.1',
      '169.254.1.1',
      '[fd00::1]',
      'mac.local',
    ])
      expect(isLanHost(h), h).toBe(true)
    for (const h of ['172.32.0.1', '11.0.0.1', '999.168.0.1', '[2001:db8::1]', 'evil.com'])
      expect(isLanHost(h), h).toBe(false)
  })
})

describe('a session from the Join list (announced by anyone)', () => {
  it('opens the first announced address on the LAN, knocking', () => {
    expect(listedSessionAddress(['192.168.1.9'], 47800)).toMatchObject({
      url: 'http://192.168.1.9:47800/#knock',
    })
    expect(listedSessionAddress(['8.8.8.8', 'fd00::5', '10.0.0.2'], 47800)).toMatchObject({
      url: 'http://[fd00::5]:47800/#knock',
    })
  })

  it.each([
    [['8.8.8.8'], 47800, 'not on your local network'],
    [['192.168.1.9:1@evil.example'], 47800, 'is not an address'],
    [['192.168.1.9/#join=stolen'], 47800, 'is not an address'],
    [['evil.example'], 47800, 'not on your local network'],
    [[], 47800, 'no address'],
    [['192.168.1.9'], 0, 'no usable port'],
    [['192.168.1.9'], 70000, 'no usable port'],
  ])('refuses %j port %s: %s', (addresses, port, reason) => {
    expect(listedSessionAddress(addresses, port)).toEqual({ error: expect.stringContaining(reason) })
  })
})
