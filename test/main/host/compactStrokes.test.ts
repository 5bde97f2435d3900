// Compact strokes through a real host on loopback: what its board file holds after pen-up, and what it makes of a
// board file written before compact strokes (test/fixtures/legacy-strokes.lanvas).
import { copyFile, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { drawRecordStroke } from '../../../bench/boards'
import { BOARD_SCHEMA_VERSION, Board } from '../../../src/shared/board'
import { decodeBoardFile, encodeBoardFile, openBoardFile } from '../../../src/shared/boardFile'
import { type ElementEntry, isFlatRecord, kindOf } from '../../../src/shared/elements/entry'
import { elementKey, isFinishedStroke } from '../../../src/shared/elements/inkRecord'
import { eachTestHost, syncUrl } from '../../support/hostFixture'
import { waitUntil } from '../../support/waitUntil'

const ink = { color: '#1e90ff', width: 4 }

/** The elements of the board file on disk, as a fresh document reads them (missing file: none). */
async function fileElements(path: string): Promise<Y.Map<ElementEntry> | undefined> {
  const bytes = await readFile(path).catch(() => undefined)
  if (!bytes) return undefined
  const doc = new Y.Doc()
  Y.applyUpdate(doc, decodeBoardFile(new Uint8Array(bytes)))
  return doc.getMap<ElementEntry>('elements')
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
      (el) => kindOf(el) === 'stroke' && !isFinishedStroke(el),
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

  it('converts a board file of ink records (schema 4) to flat records on open; a joiner sees it as it was', async () => {
    const path = join(t.dir, 'board.lanvas')
    const older = new Board(new Y.Doc(), 'ann')
    older.undoManager.destroy()
    const ids: string[] = []
    for (let s = 0; s < 6; s++) {
      const flat: number[] = []
      for (let i = 0; i < 60; i++) flat.push(s * 100 + i * 1.5, Math.sin(i / 6) * 30, 0.5)
      ids.push(drawRecordStroke(older, ink, flat))
    }
    older.beginAction()
    older.updateElement(ids[1] as string, { x: 40, color: '#e03131', locked: true })
    older.meta.set('schema', 4)
    const shown = older.readElements()
    await writeFile(path, encodeBoardFile(older.doc))
    const lines: string[] = []
    const host = await t.start({ log: (line: string) => lines.push(line) })
    await waitUntil('the file holds flat records', async () => {
      const els = await fileElements(path)
      return ids.every((id) => isFlatRecord(els?.get(id))) || undefined
    })
    expect(lines.join('\n')).toMatch(/6 finished strokes stored compactly \(flat records\)/)
    const client = t.connect(syncUrl(host.port, host.defaultBoardId), 'bob')
    await client.connection.whenSynced()
    expect(client.board.readElements()).toEqual(shown)
    expect(client.board.meta.get('schema')).toBe(BOARD_SCHEMA_VERSION)
    expect(openBoardFile(new Uint8Array(await readFile(path))).readElements()).toEqual(shown)
  })
})
