import { describe, expect, it } from 'vitest'
import { findJoinLink, lanvasLinkFor, parseLanvasLink } from '../../src/shared/joinLink'

const TOKEN = 'abcdefghijklmnopqrstuv'

describe('lanvas:// links', () => {
  it.each([
    [`lanvas://join?address=192.168.1.20:47800&token=${TOKEN}`, `http://192.168.1.20:47800/#join=${TOKEN}`],
    ['lanvas://join?address=192.168.1.20:47800', 'http://192.168.1.20:47800/#knock'],
    ['lanvas://join/?address=studio.local:47800', 'http://studio.local:47800/#knock'],
    [`lanvas:join?address=[fe80::1]:47800&token=${TOKEN}`, `http://[fe80::1]:47800/#join=${TOKEN}`],
  ])('%s opens %s', (link, url) => {
    expect(parseLanvasLink(link)).toEqual({ url, origin: new URL(url).origin })
  })

  it.each([
    ['https://example.org/', 'This is not a Lanvas link.'],
    ['lanvas://delete?address=192.168.1.20:47800', 'Lanvas links can join a session; "delete" is not known.'],
    ['lanvas://join?address=', 'The link has no session address.'],
    ['lanvas://join?address=evil.example@192.168.1.2:1', 'The link has no session address.'],
    ['lanvas://join?address=192.168.1.20:1/%23x', 'The link has no session address.'],
    ['lanvas://join?address=192.168.1.20:47800&token=a%23owner%3Dx', 'The link has a damaged join token.'],
    [
      'lanvas://join?address=8.8.8.8:47800',
      '8.8.8.8 is not on your local network; Lanvas joins sessions on the LAN only.',
    ],
    ['lanvas://join?address=192.168.1.20', 'Add the port, like 192.168.1.20:47800.'],
  ])('refuses %s: %s', (link, error) => {
    expect(parseLanvasLink(link)).toEqual({ error })
  })

  it('makes the lanvas:// link of a join link, which reads back to it', () => {
    const joinLink = `http://192.168.1.20:47800/#join=${TOKEN}`
    const link = lanvasLinkFor(joinLink)
    expect(link).toBe(`lanvas://join?address=192.168.1.20%3A47800&token=${TOKEN}`)
    expect(parseLanvasLink(link as string)).toEqual({ url: joinLink, origin: 'http://192.168.1.20:47800' })
    expect(lanvasLinkFor('http://8.8.8.8:1/#join=x')).toBeUndefined()
  })
})

describe('join links pasted anywhere', () => {
  it.each([
    [`Join us: http://192.168.1.20:47800/#join=${TOKEN}.`, `http://192.168.1.20:47800/#join=${TOKEN}`],
    [`(lanvas://join?address=10.0.0.4:47800&token=${TOKEN})`, `http://10.0.0.4:47800/#join=${TOKEN}`],
  ])('finds the link in %s', (text, url) => {
    expect(findJoinLink(text)).toEqual({ url, origin: new URL(url).origin })
  })

  it('finds nothing in text without a join link (a plain address is not one)', () => {
    expect(findJoinLink('meeting at 10:30, see http://192.168.1.20:47800/ for the board')).toBeUndefined()
    expect(findJoinLink('')).toBeUndefined()
  })

  it('says why a join link found in the text cannot be opened', () => {
    expect(findJoinLink('http://8.8.8.8:47800/#join=abc')).toEqual({
      error: '8.8.8.8 is not on your local network; Lanvas joins sessions on the LAN only.',
    })
  })
})

describe('the Join field', () => {
  it('takes a lanvas: link, a join link or an address', async () => {
    const { parseJoinInput } = await import('../../src/shared/joinLink')
    expect(parseJoinInput(` lanvas://join?address=10.0.0.4:47800&token=${TOKEN}`)).toEqual({
      url: `http://10.0.0.4:47800/#join=${TOKEN}`,
      origin: 'http://10.0.0.4:47800',
    })
    expect(parseJoinInput('10.0.0.4:47800')).toEqual({
      url: 'http://10.0.0.4:47800/#knock',
      origin: 'http://10.0.0.4:47800',
    })
    expect(parseJoinInput('lanvas://join')).toEqual({ error: 'The link has no session address.' })
  })
})
