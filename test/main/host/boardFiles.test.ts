import { execFileSync } from 'node:child_process'
import { mkdir, readdir, readFile, symlink, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { readBoard } from '../../../src/main/host/export/exportFile'
import { boardFileHash, MAX_JOURNAL_BYTES, recoverBoard } from '../../../src/main/host/journal'
import {
  encodeJournalHeader,
  encodeJournalRecord,
  JOURNAL_HEADER_BYTES,
  journalPathFor,
  parseJournal,
} from '../../../src/main/host/journalFile'
import { Board } from '../../../src/shared/board'
import { decodeBoardFile, encodeBoardFile, MAX_BOARD_FILE_BYTES } from '../../../src/shared/boardFile'
import { eachTestHost } from '../../support/hostFixture'

/** Strokes drawn one update each, as a journal holds them. */
function strokes(count: number) {
  const board = new Board(new Y.Doc(), 'ann')
  const updates: Uint8Array[] = []
  const ids: string[] = []
  for (let i = 0; i < count; i++) {
    const before = Y.encodeStateVector(board.doc)
    const id = board.beginStroke({ color: '#123456', width: 2 }, [i, i, 0.5, i + 1, i + 1, 0.5])
    board.finishStroke(id)
    updates.push(Y.encodeStateAsUpdate(board.doc, before))
    ids.push(id)
  }
  return { updates, ids }
}

describe('board and journal files that are not what they seem', () => {
  const scope = eachTestHost()
  let dir: string
  let path: string
  let lines: string[]
  const log = (line: string) => lines.push(line)
  beforeEach(() => {
    dir = scope.dir
    path = join(dir, 'board.lanvas')
    lines = []
  })

  it('keeps a copy of a journal whose length field is damaged, and replays the records before it', async () => {
    const { updates, ids } = strokes(4)
    const empty = encodeBoardFile(new Y.Doc())
    await writeFile(path, empty)
    const bytes = Buffer.concat([
      encodeJournalHeader(boardFileHash(empty)),
      ...updates.map(encodeJournalRecord),
    ])
    const second = JOURNAL_HEADER_BYTES + 8 + (updates[0] as Uint8Array).byteLength
    // The length of record 2 says "a gigabyte": read as a torn last record, records 2 to 4 were silently gone.
    bytes.writeUInt32LE(0x40000000, second)
    await writeFile(journalPathFor(path), bytes)
    const recovered = await recoverBoard(path, log)
    expect(recovered.replayed).toBe(1)
    const board = new Board(recovered.doc)
    expect(board.strokes().map((s) => s.id)).toEqual(ids.slice(0, 1))
    const copy = (await readdir(dir)).find((n) => n.startsWith('board.lanvas.journal.damaged-'))
    expect(copy).toBeDefined()
    expect((await readFile(join(dir, copy as string))).equals(bytes)).toBe(true)
    expect(lines.join('\n')).toMatch(/damaged: record 2 at byte \d+ has a damaged length .*a copy kept as/)
  })

  it('tells a damaged length that still fits the journal from a torn last record', () => {
    const { updates } = strokes(4)
    const bytes = Buffer.concat([
      encodeJournalHeader(new Uint8Array(32)),
      ...updates.map(encodeJournalRecord),
    ])
    const second = JOURNAL_HEADER_BYTES + 8 + (updates[0] as Uint8Array).byteLength
    // A plausible length, just past the end: only the whole records after it show the damage.
    bytes.writeUInt32LE(bytes.byteLength - second, second)
    expect(parseJournal(bytes).problem).toMatchObject({ kind: 'damaged', offset: second })
    // Cut inside the last record, as a crash does: torn, nothing kept.
    const last = bytes.byteLength - 8 - (updates[3] as Uint8Array).byteLength
    const cut = Buffer.concat([encodeJournalHeader(new Uint8Array(32)), ...updates.map(encodeJournalRecord)])
    expect(parseJournal(cut.subarray(0, last + 12)).problem).toMatchObject({ kind: 'torn', offset: last })
  })

  it.each([
    ['a folder', async (p: string) => mkdir(p), /board\.lanvas is a folder, not a Lanvas board file\./],
    [
      'a FIFO',
      async (p: string) => execFileSync('mkfifo', [p]),
      /board\.lanvas is a pipe, not a file: it is not a Lanvas board file\./,
    ],
    [
      '/dev/zero',
      async (p: string) => symlink('/dev/zero', p),
      /board\.lanvas is a device, not a file: it is not a Lanvas board file\./,
    ],
    [
      'a file over the cap',
      async (p: string) => {
        await writeFile(p, '')
        await truncate(p, MAX_BOARD_FILE_BYTES + 1)
      },
      /board\.lanvas is too large to be a Lanvas board file \(257 MB; at most 256 MB\)\./,
    ],
  ])(
    'refuses to start on a board path that is %s, with a plain message, at once',
    async (_kind, make, message) => {
      await make(path)
      await expect(scope.start()).rejects.toThrow(message)
      await expect(readBoard(path)).rejects.toThrow(message)
    },
  )

  it.each([
    ['a folder', async (p: string) => mkdir(p), /is a folder, not a Lanvas journal/],
    ['a FIFO', async (p: string) => execFileSync('mkfifo', [p]), /is a pipe, not a file/],
    [
      'a file over the cap',
      async (p: string) => {
        await writeFile(p, '')
        await truncate(p, MAX_JOURNAL_BYTES + 1)
      },
      /is too large to be a Lanvas journal/,
    ],
  ])('sets aside a journal that is %s, unread, and opens the board', async (_kind, make, message) => {
    await writeFile(path, encodeBoardFile(new Y.Doc()))
    await make(journalPathFor(path))
    const recovered = await recoverBoard(path, log)
    expect(recovered.replayed).toBe(0)
    expect(lines.join('\n')).toMatch(message)
    expect(lines.join('\n')).toMatch(/not applied, kept as .*journal\.unreadable-/)
    const names = await readdir(dir)
    expect(names).not.toContain('board.lanvas.journal')
    expect(names.some((n) => n.startsWith('board.lanvas.journal.unreadable-'))).toBe(true)
  })

  it('calls format version 0 damage, not a newer Lanvas', async () => {
    const bytes = Buffer.from(encodeBoardFile(new Y.Doc()))
    bytes.writeUInt16LE(0, 8)
    expect(() => decodeBoardFile(bytes)).toThrow(
      'This board file is damaged (or not a Lanvas board file): its format version is 0.',
    )
    const journal = Buffer.from(encodeJournalHeader(new Uint8Array(32)))
    journal.writeUInt16LE(0, 8)
    expect(parseJournal(journal).problem).toEqual({
      kind: 'foreign',
      message: 'it is damaged or not a Lanvas journal (format 0)',
    })
  })
})
