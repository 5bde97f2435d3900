import { describe, expect, it } from 'vitest'
import { isLanHost, parseSessionAddress } from '../../src/shared/sessionAddress'

describe('session addresses', () => {
  it('opens a typed address:port as a knock on that host', () => {
    expect(parseSessionAddress(' 192.168.1.20:47800 ')).toEqual({
      url: 'http://192.168.1.20:47800/#knock',
      origin: 'http://192.168.1.20:47800',
    })
  })

  it('keeps the join token of a link', () => {
    expect(parseSessionAddress('http://10.0.0.5:47801/#join=abcdefghijklmnopqrstuv')).toMatchObject({
      url: 'http://10.0.0.5:47801/#join=abcdefghijklmnopqrstuv',
    })
  })

  it('accepts IPv6 and .local names on the LAN', () => {
    expect(parseSessionAddress('[fe80::1]:47800')).toMatchObject({ origin: 'http://[fe80::1]:47800' })
    expect(parseSessionAddress('studio-mac.local:47800')).toMatchObject({
      origin: 'http://studio-mac.local:47800',
    })
  })

  it('says what is wrong with a bad address', () => {
    expect(parseSessionAddress('')).toEqual({ error: expect.stringContaining('Type the address') })
    expect(parseSessionAddress('192.168.1.20')).toEqual({ error: expect.stringContaining('Add the port') })
    expect(parseSessionAddress('ftp://192.168.1.20:21')).toEqual({
      error: expect.stringContaining('http://'),
    })
    expect(parseSessionAddress('8.8.8.8:8080')).toEqual({
      error: expect.stringContaining('not on your local network'),
    })
    expect(parseSessionAddress('example.com:8080')).toEqual({
      error: expect.stringContaining('not on your local network'),
    })
    expect(parseSessionAddress('http://u:p@10.0.0.1:8080')).toEqual({
      error: expect.stringContaining('no user name'),
    })
    expect(parseSessionAddress('http://[zz')).toEqual({ error: expect.stringContaining('is not an address') })
  })

  it('knows which addresses are on the LAN', () => {
    for (const a of [
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.0.1',
      '127.0.0.1',
      '169.254.1.1',
      'fd00::1',
    ])
      expect(isLanHost(a), a).toBe(true)
    for (const a of ['172.32.0.1', '11.0.0.1', '2001:db8::1', 'evil.com', 'local'])
      expect(isLanHost(a), a).toBe(false)
  })
})
