/**
 * The autosave of a big board (over WHOLE_FILE_BYTES) writes its journal, not the whole file: a large edit is on
 * disk within the journal's flush, and the main thread is never held for the seconds a big board takes to
 * encode. The board file is rewritten once the journal holds JOURNAL_SHARE of it, and when the host closes.
 * "Big" is lowered to 20 KB here, so that a board of 400 strokes stands for one of 100,000.
 */

import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { JOURNAL_SHARE, recoverBoard } from '../../../src/main/host/journal'
import { Board } from '../../../src/shared/board'
import { encodeBoardFile, openBoardFile } from '../../../src/shared/boardFile'
import { moveSelection } from '../../../src/shared/selection'
import { seededRandom } from '../../../src/shared/sync/memorySocket'
import { eachTestHost, syncUrl } from '../../support/hostFixture'
import { waitUntil } from '../../support/waitUntil'

/** A board file of `count` strokes of 60 wandering points: about 0.3 KB a stroke. */
function bigBoardFile(count: number): Uint8Array {
  const rand = seededRandom(9)
  const board = new Board(new Y.Doc(), 'earlier')
  board.transact(() => {
    for (let i = 0; i < count; i++) {
      const flat: number[] = []
      let x = rand() * 5000
      let y = rand() * 5000
      for (let p = 0; p < 60; p++) {
        x += rand() * 9 - 4.5
        y += rand() * 9 - 4.5
        flat.push(x, y, rand())
      }
      board.finishStroke(board.beginStroke({ color: '#1e1e1e', width: 4 }, flat))
    }
  })
  return encodeBoardFile(board.doc)
}

const BIG = 20 * 1024
const STROKES = 400

describe("a big board's autosave", () => {
  const scope = eachTestHost()
  const start = () => scope.start({ autosave: { quietMs: 20, maxDelayMs: 100, wholeFileBytes: BIG } })

  it('writes a large move to the journal and leaves the file as it was until the host closes', async () => {
    const dir = scope.dir
    const path = join(dir, 'board.lanvas')
    const file = bigBoardFile(STROKES)
    expect(file.byteLength).toBeGreaterThan(BIG)
    await writeFile(path, file)
    const host = await start()
    const ann = scope.connect(syncUrl(host.port, host.defaultBoardId), 'ann')
    await ann.connection.whenSynced()
    const ids = ann.board.elementIds()
    moveSelection(ann.board, ids, 50, 60)
    await waitUntil('the host says the move is saved', () => ann.connection.unsaved === 0, 60_000)
    // Past the autosave's delay (100 ms in tests): it ran and wrote the journal only.
    await new Promise((r) => setTimeout(r, 600))
    expect((await readFile(path)).equals(file)).toBe(true)
    expect((await readdir(dir)).sort()).toEqual(['board.lanvas', 'board.lanvas.journal'])
    // What a restart after a crash would open: the file and the journal give the move.
    const recovered = await recoverBoard(path, () => {})
    expect(new Board(recovered.doc).getStroke(ids[321] as string)?.x).toBe(50)

    ann.destroy()
    await host.close()
    expect(openBoardFile(await readFile(path)).getStroke(ids[321] as string)?.y).toBe(60)
    expect(await readdir(dir)).toEqual(['board.lanvas'])
  })

  it(`rewrites the file once its journal holds ${JOURNAL_SHARE * 100} % of it`, async () => {
    const dir = scope.dir
    const path = join(dir, 'board.lanvas')
    const file = bigBoardFile(STROKES)
    await writeFile(path, file)
    const host = await start()
    const ann = scope.connect(syncUrl(host.port, host.defaultBoardId), 'ann')
    await ann.connection.whenSynced()
    const ids = ann.board.elementIds()
    // Each restyle of every stroke adds a few KB to the journal.
    let rounds = 0
    while ((await readFile(path)).equals(file)) {
      const width = 2 + (rounds++ % 20)
      ann.board.beginAction()
      ann.board.updateElements(ids.map((id) => [id, { width }] as const))
      await waitUntil('saved', () => ann.connection.unsaved === 0, 60_000)
      await new Promise((r) => setTimeout(r, 300))
      expect(rounds).toBeLessThan(40)
    }
    expect(rounds).toBeGreaterThan(1)
    const saved = openBoardFile(await readFile(path))
    expect(saved.getStroke(ids[0] as string)?.width).toBe(2 + ((rounds - 1) % 20))
    ann.destroy()
  })
})
