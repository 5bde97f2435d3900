// Compact strokes through a real host on loopback: what its board file holds after pen-up, and what it makes of a
// board file written before compact strokes (test/fixtures/legacy-strokes.lanvas).
import { copyFile, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { BOARD_SCHEMA_VERSION } from '../../../src/shared/board'
import { decodeBoardFile, openBoardFile } from '../../../src/shared/boardFile'
import { elementKey, isFinishedStroke } from '../../../src/shared/elements/inkRecord'
import { eachTestHost, syncUrl } from '../../support/hostFixture'
import { waitUntil } from '../../support/waitUntil'

const ink = { color: '#1e90ff', width: 4 }

/** The elements of the board file on disk, as a fresh document reads them (missing file: none). */
async function fileElements(path: string): Promise<Y.Map<Y.Map<unknown>> | undefined> {
  const bytes = await readFile(path).catch(() => undefined)
  if (!bytes) return undefined
  const doc = new Y.Doc()
  Y.applyUpdate(doc, decodeBoardFile(new Uint8Array(bytes)))
  return doc.getMap<Y.Map<unknown>>('elements')
}

describe('compact strokes through a real host', () => {
  const t = eachTestHost()

  it("writes a stroke drawn by a client into the host's file as one compact value", async () => {
    const host = await t.start()
    const path = join(t.dir, 'board.lanvas')
    const client = t.connect(syncUrl(host.port, host.defaultBoardId), 'ann')
    await client.connection.whenSynced()
    const flat: number[] = []
    for (let i = 0; i < 120; i++) flat.push(i * 2.5, Math.sin(i / 8) * 40, 0.4 + i / 400)
    const id = client.board.beginStroke(ink, flat.slice(0, 3))
    for (let at = 3; at < flat.length; at += 30) client.board.appendPoints(id, flat.slice(at, at + 30))
    // While the pen is down the host's file (once saved) holds the chunks peers see.
    await waitUntil('the file holds the stroke in progress', async () => {
      const el = (await fileElements(path))?.get(id)
      const points = el ? elementKey(el, 'points') : undefined
      return points instanceof Y.Array && points.length === 1 + Math.ceil((flat.length - 3) / 30)
    })
    client.board.finishStroke(id)
    const points = await waitUntil('the file holds the finished stroke', async () => {
      const el = (await fileElements(path))?.get(id)
      return el && isFinishedStroke(el) ? elementKey(el, 'points') : undefined
    })
    expect(points).toBeInstanceOf(Uint8Array)
    // 120 points of smooth pen ink: about three bytes a point, where chunks took twelve.
    expect((points as Uint8Array).byteLength).toBeLessThan(120 * 3.5)
    // The file reads back as the points the client shows.
    const saved = openBoardFile(new Uint8Array(await readFile(path))).getStroke(id)
    expect(saved?.points).toEqual(client.board.getStroke(id)?.points)
    expect(saved?.points.length).toBe(flat.length)
  })

  it('converts the finished strokes of a board file written before compact strokes, and saves them', async () => {
    const path = join(t.dir, 'board.lanvas')
    await copyFile(new URL('../../fixtures/legacy-strokes.lanvas', import.meta.url), path)
    const original = await readFile(path)
    const lines: string[] = []
    const host = await t.start({ log: (line: string) => lines.push(line) })
    const elements = await waitUntil('the file is converted', async () => {
      const els = await fileElements(path)
      const done = [...(els?.values() ?? [])].filter((el) => isFinishedStroke(el))
      return done.length === 4 && done.every((el) => elementKey(el, 'points') instanceof Uint8Array)
        ? els
        : undefined
    })
    const unfinished = [...(elements?.values() ?? [])].filter(
      (el) => el.get('kind') === 'stroke' && !isFinishedStroke(el),
    )
    expect(unfinished.map((el) => elementKey(el, 'points') instanceof Y.Array)).toEqual([true])
    expect((await readFile(path)).byteLength).toBeLessThan(original.byteLength)
    expect(lines.join('\n')).toMatch(/4 finished strokes stored compactly/)
    // A client joining sees the board as the file had it (within the compact form's step).
    const client = t.connect(syncUrl(host.port, host.defaultBoardId), 'bob')
    await client.connection.whenSynced()
    expect(client.board.strokes()).toHaveLength(5)
    expect(client.board.meta.get('schema')).toBe(BOARD_SCHEMA_VERSION)
  })
})
