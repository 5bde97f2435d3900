import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  addRecentBoard,
  parseRecentBoards,
  pruneRecentBoards,
  RECENT_BOARDS_CAP,
  removeRecentBoard,
} from '../../src/main/recentBoards'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-recent-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('recent boards', () => {
  it('puts a board in front, and moves one already in the list there instead of repeating it', () => {
    const list = addRecentBoard(
      addRecentBoard(addRecentBoard([], '/b/a.lanvas'), '/b/b.lanvas'),
      '/b/c.lanvas',
    )
    expect(list).toEqual(['/b/c.lanvas', '/b/b.lanvas', '/b/a.lanvas'])
    expect(addRecentBoard(list, '/b/a.lanvas')).toEqual(['/b/a.lanvas', '/b/c.lanvas', '/b/b.lanvas'])
  })

  it('stores one spelling of a path (relative parts resolved)', () => {
    expect(addRecentBoard(['/b/a.lanvas'], '/b/x/../a.lanvas')).toEqual(['/b/a.lanvas'])
  })

  it('treats paths differing in case as one board on Windows and macOS, as two on Linux', () => {
    expect(addRecentBoard(['/b/A.lanvas'], '/b/a.lanvas', 'darwin')).toEqual(['/b/a.lanvas'])
    expect(addRecentBoard(['/b/A.lanvas'], '/b/a.lanvas', 'linux')).toEqual(['/b/a.lanvas', '/b/A.lanvas'])
  })

  it(`keeps the ${RECENT_BOARDS_CAP} most recent`, () => {
    let list: string[] = []
    for (let i = 0; i < RECENT_BOARDS_CAP + 5; i++) list = addRecentBoard(list, `/b/${i}.lanvas`)
    expect(list).toHaveLength(RECENT_BOARDS_CAP)
    expect(list[0]).toBe(`/b/${RECENT_BOARDS_CAP + 4}.lanvas`)
    expect(list.at(-1)).toBe('/b/5.lanvas')
  })

  it('removes a board', () => {
    expect(removeRecentBoard(['/b/a.lanvas', '/b/b.lanvas'], '/b/a.lanvas')).toEqual(['/b/b.lanvas'])
  })

  it('prunes boards whose files are gone or are no longer files, in order', async () => {
    const kept = [join(dir, 'one.lanvas'), join(dir, 'two.lanvas')]
    for (const p of kept) await writeFile(p, 'x')
    await mkdir(join(dir, 'folder.lanvas'))
    const list = [kept[0] as string, join(dir, 'gone.lanvas'), join(dir, 'folder.lanvas'), kept[1] as string]
    expect(await pruneRecentBoards(list)).toEqual(kept)
  })

  it('reads a stored list: absolute paths, no repeats, capped; not a list is unusable', () => {
    expect(parseRecentBoards(['/a.lanvas', 'rel.lanvas', 3, '/a.lanvas', '/b.lanvas'])).toEqual([
      '/a.lanvas',
      '/b.lanvas',
    ])
    expect(parseRecentBoards(Array.from({ length: 40 }, (_, i) => `/${i}.lanvas`))).toHaveLength(
      RECENT_BOARDS_CAP,
    )
    expect(parseRecentBoards('/a.lanvas')).toBeUndefined()
  })
})
