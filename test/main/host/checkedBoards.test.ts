/**
 * A host opens a board file it wrote itself without checking it again (a digest kept in this computer's own
 * data folder); a file that changed since, from anywhere else, is checked in full and bad bytes still get a
 * clear message.
 */
import { createHash } from 'node:crypto'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import CRC32 from 'crc-32'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Host } from '../../../src/main/host/server'
import { Board } from '../../../src/shared/board'
import { encodeBoardFile, loadBoardFile } from '../../../src/shared/boardFile'
import { eachTestHost, syncUrl } from '../../support/hostFixture'
import { waitUntil } from '../../support/waitUntil'

const NOT_CHECKED = /not checked again/

describe('board files this computer wrote', () => {
  const scope = eachTestHost()
  let log: string[]

  const start = (): Promise<Host> => {
    log = []
    return scope.start({
      checkedBoardsDir: join(scope.dir, 'data', 'checked-boards'),
      log: (l) => log.push(l),
    })
  }

  it('open without a second check, and the digest lives in the data folder, not beside the board', async () => {
    const first = await start()
    const client = scope.connect(syncUrl(first.port, first.defaultBoardId), 'ann', {
      ownerKey: first.ownerKey,
    })
    await client.connection.whenSynced()
    const id = client.board.beginStroke({ color: '#1e1e1e', width: 4 }, [0, 0, 0.5, 50, 50, 0.5])
    client.board.finishStroke(id)
    // A stroke drawn and deleted: the file holds what is left of it (its deleted structs), collected.
    const gone = client.board.beginStroke({ color: '#e03131', width: 2 }, [5, 5, 0.5, 60, 60, 0.5])
    client.board.finishStroke(gone)
    client.board.deleteElements([gone])
    await waitUntil('the strokes are saved', () => client.connection.unsaved === 0)
    client.destroy()
    await first.close()
    const bytes = await readFile(join(scope.dir, 'board.lanvas'))
    const records = await readdir(join(scope.dir, 'data', 'checked-boards'))
    expect(records).toHaveLength(1)
    const record = await readFile(join(scope.dir, 'data', 'checked-boards', records[0] as string), 'utf8')
    // The digest of what the host wrote, and that the host wrote it (not only checked it): its deleted content was
    // collected before it was written, so the next open skips Yjs's collection pass.
    expect(record.trim()).toBe(`${createHash('sha256').update(bytes).digest('hex')} written`)

    const again = await start()
    expect(log.some((l) => NOT_CHECKED.test(l))).toBe(true)
    const reader = scope.connect(syncUrl(again.port, again.defaultBoardId), 'bo', {
      ownerKey: again.ownerKey,
    })
    await reader.connection.whenSynced()
    expect(reader.board.readElement(id)).toBeDefined()
    expect(reader.board.readElement(gone)).toBeUndefined()
    // The board a joiner gets is the file's board as a full apply reads it: the same items, the same deletions.
    const filed = loadBoardFile(bytes).doc
    expect(Y.equalSnapshots(Y.snapshot(reader.board.doc), Y.snapshot(filed))).toBe(true)
    reader.destroy()
  })

  it('a file that changed since is checked in full: another board opens, damage gets its clear message', async () => {
    const first = await start()
    await first.flush()
    await first.close()
    // Someone copies another board over it: a valid file this computer never wrote.
    const other = new Board(new Y.Doc(), 'elsewhere')
    const theirs = other.beginStroke({ color: '#e03131', width: 2 }, [1, 1, 0.5, 9, 9, 0.5])
    other.finishStroke(theirs)
    await writeFile(join(scope.dir, 'board.lanvas'), encodeBoardFile(other.doc))
    const second = await start()
    expect(log.some((l) => NOT_CHECKED.test(l))).toBe(false)
    const reader = scope.connect(syncUrl(second.port, second.defaultBoardId), 'bo', {
      ownerKey: second.ownerKey,
    })
    await reader.connection.whenSynced()
    expect(reader.board.readElement(theirs)).toBeDefined()
    reader.destroy()
    await second.close()

    // Then a damaged one with a correct checksum: its board data cannot be read, and the host says so.
    const damaged = encodeBoardFile(other.doc)
    damaged.fill(0xff, 20, Math.min(damaged.byteLength, 60))
    new DataView(damaged.buffer).setUint32(16, CRC32.buf(damaged.subarray(20)) >>> 0, true)
    await writeFile(join(scope.dir, 'board.lanvas'), damaged)
    await expect(start()).rejects.toThrow(/damaged: its board data cannot be read/)
  })
})
