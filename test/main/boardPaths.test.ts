import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freshBoardPath } from '../../src/main/boardPaths'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-paths-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('a new board file', () => {
  it('is Untitled, then Untitled 2, 3… so no board is overwritten', async () => {
    expect(freshBoardPath(dir)).toBe(join(dir, 'Untitled.lanvas'))
    await writeFile(join(dir, 'Untitled.lanvas'), 'x')
    await writeFile(join(dir, 'Untitled 2.lanvas'), 'x')
    expect(freshBoardPath(dir)).toBe(join(dir, 'Untitled 3.lanvas'))
  })
})
