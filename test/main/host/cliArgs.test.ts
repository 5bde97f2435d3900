import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { defaultBoardPath, parseHostArgs } from '../../../src/main/host/cliArgs'

describe('host arguments', () => {
  it('reads port and board', () => {
    expect(parseHostArgs(['--port', '0', '--board', 'my.lanvas'], {})).toEqual({
      kind: 'run',
      port: 0,
      boardPath: resolve('my.lanvas'),
      hostname: '127.0.0.1',
    })
    expect(parseHostArgs(['--port=47801'], {})).toMatchObject({ port: 47801 })
    expect(parseHostArgs(['--help'], {})).toEqual({ kind: 'help' })
  })

  it('defaults the board to the XDG data folder', () => {
    expect(defaultBoardPath({ XDG_DATA_HOME: '/data' })).toBe('/data/lanvas/Untitled.lanvas')
    expect(defaultBoardPath({})).toBe(join(homedir(), '.local/share/lanvas/Untitled.lanvas'))
    expect(parseHostArgs([], { XDG_DATA_HOME: '/x' })).toMatchObject({
      port: 47800,
      boardPath: '/x/lanvas/Untitled.lanvas',
    })
  })

  it.each([
    [['--port', 'abc'], '--port must be a number from 0 to 65535, not "abc".'],
    [['--port', '70000'], '--port must be a number from 0 to 65535, not "70000".'],
    [['--port'], '--port needs a value.'],
    [['--board', '--port', '1'], '--board needs a value.'],
    [['--verbose'], 'Unknown argument "--verbose" (try --help).'],
  ])('refuses %j', (args, message) => {
    expect(() => parseHostArgs(args, {})).toThrow(message)
  })
})

describe('host arguments for a LAN session', () => {
  it('reads --lan and its options', () => {
    expect(parseHostArgs(['--lan'], {})).toMatchObject({ lan: { approval: true, mdns: true } })
    const args = ['--lan', '--lan-port', '0', '--bind', '127.0.0.1', '--name', 'Design review']
    args.push('--token', 'q8Zr-3kWp_Vx7NmB2tYhLc9s', '--no-approval', '--no-mdns', '--interface=::1')
    expect(parseHostArgs(args, {})).toMatchObject({
      lan: {
        port: 0,
        bind: '127.0.0.1',
        name: 'Design review',
        token: 'q8Zr-3kWp_Vx7NmB2tYhLc9s',
        approval: false,
        mdns: false,
        iface: '::1',
      },
    })
    expect(parseHostArgs([], {})).not.toHaveProperty('lan')
  })

  it.each([
    [['--lan', '--lan-port', '-1'], '--lan-port must be a number from 0 to 65535, not "-1".'],
    [['--lan', '--bind', 'my-laptop'], '--bind must be an IPv4 or IPv6 address, not "my-laptop".'],
    [['--lan', '--interface', 'eth0'], '--interface must be an IPv4 or IPv6 address, not "eth0".'],
    [
      ['--lan', '--token', 'short'],
      '--token: The token must be at least 22 random characters of A-Z, a-z, 0-9, "-" and "_" (no words, repeats or runs like "abcd"); leave it out to get a random one.',
    ],
    [['--lan', '--name', ' '], '--name needs a session name.'],
    [['--bind', '127.0.0.1'], '--bind only makes sense with --lan.'],
    [['--lan=yes'], '--lan takes no value.'],
  ])('refuses %j', (args, message) => {
    expect(() => parseHostArgs(args, {})).toThrow(message)
  })
})
