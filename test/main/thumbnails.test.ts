import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadImage } from '@napi-rs/canvas'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  pruneThumbnails,
  readThumbnail,
  saveThumbnail,
  THUMBNAIL_MAX_HEIGHT,
  THUMBNAIL_WIDTH,
  thumbnailFile,
} from '../../src/main/thumbnails'
import { encodeBoardFile } from '../../src/shared/boardFile'
import { KNOWN_STROKES, knownBoard } from '../shared/exportFixtures'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-thumbs-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('recent boards thumbnails', () => {
  it('draws a board as a small PNG, named by its path hash in the app data folder', async () => {
    const path = '/home/ada/Boards/Plan.lanvas'
    expect(await saveThumbnail(dir, path, encodeBoardFile(knownBoard().doc))).toBe(true)
    const file = thumbnailFile(dir, path)
    expect(file).toMatch(new RegExp(`^${dir}/thumbnails/[0-9a-f]{32}\\.png$`))
    expect(file).not.toContain('Plan')
    const image = await loadImage(await readFile(file))
    expect(image.width).toBeLessThanOrEqual(THUMBNAIL_WIDTH)
    expect(image.height).toBeLessThanOrEqual(THUMBNAIL_MAX_HEIGHT)
    expect((await readFile(file)).length).toBeLessThan(64 * 1024)
    expect(await readThumbnail(dir, path)).toMatch(/^data:image\/png;base64,iVBORw0KGgo/)
  })

  it('keeps a tall board within the height, and has none for an empty board (an old one goes)', async () => {
    const path = '/b/Tall.lanvas'
    const tall = KNOWN_STROKES.map((s, i) => ({
      ...s,
      points: s.points.map(([x, y, p]) => [x, (y ?? 0) * 20 + i * 2000, p]) as number[][],
    }))
    expect(await saveThumbnail(dir, path, encodeBoardFile(knownBoard(tall).doc))).toBe(true)
    const image = await loadImage(await readFile(thumbnailFile(dir, path)))
    expect(image.height).toBeLessThanOrEqual(THUMBNAIL_MAX_HEIGHT)
    expect(await saveThumbnail(dir, path, encodeBoardFile(new Y.Doc()))).toBe(false)
    expect(await readThumbnail(dir, path)).toBeNull()
  })

  it('deletes the thumbnails of boards that left the recent list', async () => {
    const bytes = encodeBoardFile(knownBoard().doc)
    for (const name of ['A', 'B', 'C']) await saveThumbnail(dir, `/b/${name}.lanvas`, bytes)
    await pruneThumbnails(dir, ['/b/A.lanvas', '/b/C.lanvas'])
    expect((await readdir(join(dir, 'thumbnails'))).sort()).toEqual(
      [thumbnailFile(dir, '/b/A.lanvas'), thumbnailFile(dir, '/b/C.lanvas')]
        .map((f) => f.split('/').at(-1))
        .sort(),
    )
    expect(await readThumbnail(dir, '/b/B.lanvas')).toBeNull()
    // A data folder without thumbnails yet is no error.
    await pruneThumbnails(join(dir, 'nothing'), [])
  })
})
