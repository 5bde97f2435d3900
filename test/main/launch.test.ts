import { describe, expect, it } from 'vitest'
import {
  type OpenRequest,
  openRequestFromArgs,
  openRequestFromFile,
  PendingOpen,
} from '../../src/main/launch'

describe('what the operating system asks the app to open', () => {
  it.each([
    [
      'a double-clicked board (Windows, Linux)',
      ['/opt/Lanvas/lanvas', '/home/a/Plan.lanvas'],
      { kind: 'board', path: '/home/a/Plan.lanvas' },
    ],
    [
      'a relative path, from the folder of the new process',
      ['lanvas', 'boards/Plan.LANVAS'],
      { kind: 'board', path: '/work/boards/Plan.LANVAS' },
    ],
    [
      'a file: URL (a desktop entry with %U)',
      ['lanvas', 'file:///home/a/My%20Plan.lanvas'],
      { kind: 'board', path: '/home/a/My Plan.lanvas' },
    ],
    [
      'Chromium switches and the app folder in development',
      ['electron', '--allow-file-access-from-files', '.', '--no-sandbox'],
      { kind: 'none' },
    ],
    ['a file that is not a board', ['lanvas', '/home/a/notes.txt'], { kind: 'none' }],
    ['the executable alone', ['/opt/Lanvas/lanvas'], { kind: 'none' }],
    [
      'a lanvas: link (Windows and Linux pass it as an argument)',
      ['lanvas', 'lanvas://join?address=192.168.1.20:47800'],
      { kind: 'link', link: 'lanvas://join?address=192.168.1.20:47800' },
    ],
    [
      'a link before a board',
      ['lanvas', '/a.lanvas', 'LANVAS://join?address=10.0.0.2:1'],
      { kind: 'link', link: 'LANVAS://join?address=10.0.0.2:1' },
    ],
    ['a board named like a switch is a switch', ['lanvas', '--x.lanvas'], { kind: 'none' }],
  ] as [string, string[], OpenRequest][])('%s', (_what, argv, request) => {
    expect(openRequestFromArgs(argv, '/work')).toEqual(request)
  })

  it('takes a board from macOS open-file, nothing else', () => {
    expect(openRequestFromFile('/Users/a/Plan.lanvas')).toEqual({
      kind: 'board',
      path: '/Users/a/Plan.lanvas',
    })
    expect(openRequestFromFile('/Users/a/Photos')).toEqual({ kind: 'none' })
    expect(openRequestFromFile('Plan.lanvas')).toEqual({ kind: 'none' })
  })
})

describe('requests before the app is ready', () => {
  it('keeps the last request until ready, then passes every one at once', () => {
    const handled: OpenRequest[] = []
    const pending = new PendingOpen()
    pending.push({ kind: 'board', path: '/a.lanvas' })
    pending.push({ kind: 'board', path: '/b.lanvas' })
    pending.push({ kind: 'none' })
    expect(handled).toEqual([])
    pending.start((r) => handled.push(r))
    expect(handled).toEqual([{ kind: 'board', path: '/b.lanvas' }])
    pending.push({ kind: 'link', link: 'lanvas://join?address=10.0.0.2:1' })
    expect(handled).toHaveLength(2)
  })

  it('passes nothing when nothing was asked', () => {
    const handled: OpenRequest[] = []
    new PendingOpen().start((r) => handled.push(r))
    expect(handled).toEqual([])
  })
})
