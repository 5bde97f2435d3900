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
