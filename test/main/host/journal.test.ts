import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { boardFileHash, Journal, NO_BOARD_FILE, recoverBoard } from '../../../src/main/host/journal'
import {
  encodeJournalHeader,
  encodeJournalRecord,
  JOURNAL_HEADER_BYTES,
  journalPathFor,
  parseJournal,
} from '../../../src/main/host/journalFile'
import { Board } from '../../../src/shared/board'
import { encodeBoardFile, openBoardFile } from '../../../src/shared/boardFile'
import { eachTempDir, eachTestHost, syncUrl } from '../../support/hostFixture'
import { waitUntil } from '../../support/waitUntil'

/** A board drawn stroke by stroke, with one Yjs update per stroke (its edits merged), as a host journals them. */
function drawStrokes(count: number, board = new Board(new Y.Doc(), 'ann')) {
  const updates: Uint8Array[] = []
  const ids: string[] = []
  let edits: Uint8Array[] = []
  const capture = (update: Uint8Array) => edits.push(update)
  board.doc.on('update', capture)
  for (let i = 0; i < count; i++) {
    const id = board.beginStroke({ color: '#123456', width: 2 }, [i, i, 0.5, i + 1, i + 1, 0.5])
    board.finishStroke(id)
    ids.push(id)
    updates.push(Y.mergeUpdates(edits))
    edits = []
  }
  board.doc.off('update', capture)
  return { board, updates, ids }
}

function journalBytes(base: Uint8Array, records: Uint8Array[]): Buffer {
  return Buffer.concat([encodeJournalHeader(base), ...records.map(encodeJournalRecord)])
}

/** Damages one byte. */
function flip(bytes: Uint8Array, at: number, mask: number): void {
  bytes[at] = (bytes[at] as number) ^ mask
}

function boardOf(doc: Y.Doc | undefined): Board {
  return new Board(doc)
}

describe('the journal format', () => {
  const records = [new Uint8Array([1, 2, 3]), new Uint8Array(0), new Uint8Array(300).fill(7)]
  const whole = journalBytes(NO_BOARD_FILE, records)

  it('reads back what it wrote', () => {
    const parsed = parseJournal(whole)
    expect(parsed.problem).toBeUndefined()
    expect(parsed.records.map((r) => [...r])).toEqual(records.map((r) => [...r]))
    expect(parsed.goodBytes).toBe(whole.byteLength)
    expect([...(parsed.base ?? [])]).toEqual([...NO_BOARD_FILE])
  })

  it('drops a torn last record, at every length it could have been cut to', () => {
    const lastStart = whole.byteLength - (8 + 300)
    for (let cut = lastStart + 1; cut < whole.byteLength; cut++) {
      const parsed = parseJournal(whole.subarray(0, cut))
      expect(parsed.records).toHaveLength(2)
      expect(parsed.problem).toMatchObject({ kind: 'torn', offset: lastStart })
      expect(parsed.goodBytes).toBe(lastStart)
    }
  })

  it('stops at a record whose checksum fails and says where', () => {
    const damaged = Buffer.from(whole)
    flip(damaged, JOURNAL_HEADER_BYTES + 8 + 1, 0x40)
    const parsed = parseJournal(damaged)
    expect(parsed.records).toHaveLength(0)
    expect(parsed.problem).toMatchObject({ kind: 'damaged', offset: JOURNAL_HEADER_BYTES })
    expect(parsed.problem?.message).toMatch(/record 1 at byte 44 does not match its checksum/)
  })

  it('tells a foreign file, a newer journal and a header the host never finished', () => {
    expect(parseJournal(Buffer.from('just some notes, long enough to fill a header here')).problem).toEqual({
      kind: 'foreign',
      message: 'it is not a Lanvas journal',
    })
    const newer = Buffer.from(whole)
    newer[8] = 9
    expect(parseJournal(newer).problem?.kind).toBe('newer')
    expect(parseJournal(whole.subarray(0, 5))).toMatchObject({ records: [], problem: undefined })
    expect(parseJournal(new Uint8Array(0))).toMatchObject({ records: [], problem: undefined })
  })
})

describe('recovering a board from its file and journal', () => {
  const folder = eachTempDir()
  let dir: string
  let path: string
  let lines: string[]
  const log = (line: string) => lines.push(line)
  beforeEach(() => {
    dir = folder.dir
    path = join(dir, 'board.lanvas')
    lines = []
  })

  it('replays the journal on top of the board file', async () => {
    const { board, updates, ids } = drawStrokes(5)
    const saved = new Board()
    for (const u of updates.slice(0, 2)) Y.applyUpdate(saved.doc, u)
    const file = encodeBoardFile(saved.doc)
    await writeFile(path, file)
    await writeFile(journalPathFor(path), journalBytes(boardFileHash(file), updates.slice(2)))
    const recovered = await recoverBoard(path, log)
    expect(recovered.replayed).toBe(3)
    expect(
      boardOf(recovered.doc)
        .strokes()
        .map((s) => s.id),
    ).toEqual(ids)
    expect(lines).toEqual([`journal ${journalPathFor(path)}: replayed 3 updates`])
    board.destroy()
  })

  it('replays the good prefix of a journal cut short, and says so', async () => {
    const { updates, ids } = drawStrokes(4)
    const whole = journalBytes(NO_BOARD_FILE, updates)
    await writeFile(journalPathFor(path), whole.subarray(0, whole.byteLength - 3))
    const recovered = await recoverBoard(path, log)
    expect(
      boardOf(recovered.doc)
        .strokes()
        .map((s) => s.id),
    ).toEqual(ids.slice(0, 3))
    expect(lines[0]).toMatch(/its last record \(\d+ bytes at byte \d+\) is cut short/)
  })

  it('keeps the board file and the good prefix when a record in the middle is damaged, and a copy', async () => {
    const { updates, ids } = drawStrokes(4)
    const saved = new Board()
    Y.applyUpdate(saved.doc, updates[0] as Uint8Array)
    const file = encodeBoardFile(saved.doc)
    await writeFile(path, file)
    const bytes = journalBytes(boardFileHash(file), updates.slice(1))
    const secondRecord = JOURNAL_HEADER_BYTES + 8 + (updates[1] as Uint8Array).byteLength
    flip(bytes, secondRecord + 8 + 2, 0xff)
    await writeFile(journalPathFor(path), bytes)
    const recovered = await recoverBoard(path, log)
    expect(recovered.replayed).toBe(1)
    expect(
      boardOf(recovered.doc)
        .strokes()
        .map((s) => s.id),
    ).toEqual(ids.slice(0, 2))
    expect((await readFile(path)).equals(file)).toBe(true)
    expect(lines.join('\n')).toMatch(/damaged: record 2 at byte \d+ does not match its checksum/)
    const names = await readdir(dir)
    const copy = names.find((n) => n.startsWith('board.lanvas.journal.damaged-'))
    expect(copy).toBeDefined()
    expect((await readFile(join(dir, copy as string))).equals(bytes)).toBe(true)
  })

  it('sets aside a journal written for another version of the board file, without applying it', async () => {
    const { updates } = drawStrokes(2)
    const other = drawStrokes(1)
    const file = encodeBoardFile(other.board.doc)
    await writeFile(path, file)
    const stale = journalBytes(boardFileHash(encodeBoardFile(new Y.Doc())), updates)
    await writeFile(journalPathFor(path), stale)
    const recovered = await recoverBoard(path, log)
    expect(recovered.replayed).toBe(0)
    expect(
      boardOf(recovered.doc)
        .strokes()
        .map((s) => s.id),
    ).toEqual(other.ids)
    expect(lines[0]).toMatch(/written for another version of the board file; not applied, kept as .*unused-/)
    const names = await readdir(dir)
    expect(names).not.toContain('board.lanvas.journal')
    const kept = names.find((n) => n.startsWith('board.lanvas.journal.unused-'))
    expect((await readFile(join(dir, kept as string))).equals(stale)).toBe(true)
  })

  it('removes a journal the board file already holds (the host stopped between the two steps of a save)', async () => {
    const { board, updates } = drawStrokes(3)
    const file = encodeBoardFile(board.doc)
    await writeFile(path, file)
    await writeFile(journalPathFor(path), journalBytes(NO_BOARD_FILE, updates))
    const recovered = await recoverBoard(path, log)
    expect(recovered.replayed).toBe(0)
    expect(await readdir(dir)).toEqual(['board.lanvas'])
    expect(lines[0]).toMatch(/already saved in the board file; removed/)
  })

  it('sets aside a journal that is no journal', async () => {
    await writeFile(journalPathFor(path), 'a text file that someone named like a journal, by accident')
    await recoverBoard(path, log)
    expect(lines[0]).toMatch(/it is not a Lanvas journal; not applied, kept as/)
    expect((await readdir(dir)).some((n) => n.startsWith('board.lanvas.journal.unreadable-'))).toBe(true)
  })

  it('refuses a damaged board file and touches neither it nor its journal', async () => {
    const { board, updates } = drawStrokes(2)
    const file = Buffer.from(encodeBoardFile(board.doc))
    const cut = file.subarray(0, file.byteLength - 10)
    await writeFile(path, cut)
    const journal = journalBytes(boardFileHash(cut), updates)
    await writeFile(journalPathFor(path), journal)
    await expect(recoverBoard(path, log)).rejects.toThrow('This board file is damaged: it is cut short.')
    expect((await readFile(path)).equals(cut)).toBe(true)
    expect((await readFile(journalPathFor(path))).equals(journal)).toBe(true)
  })

  it('removes the temporary files a crash mid-save left behind, and only those', async () => {
    await writeFile(join(dir, '.board.lanvas.0123456789ab.tmp'), 'half a board')
    await writeFile(join(dir, '.other.lanvas.0123456789ab.tmp'), 'another board')
    await writeFile(join(dir, 'notes.txt'), 'mine')
    await recoverBoard(path, log)
    expect((await readdir(dir)).sort()).toEqual(['.other.lanvas.0123456789ab.tmp', 'notes.txt'])
  })
})

describe('the Journal writer', () => {
  const folder = eachTempDir()
  let dir: string
  let path: string
  beforeEach(() => {
    dir = folder.dir
    path = join(dir, 'board.lanvas')
  })

  it('writes each update within the flush interval and reports the durable position', async () => {
    const { board, updates } = drawStrokes(3)
    const durable: number[] = []
    const journal = new Journal(path, NO_BOARD_FILE, {
      snapshot: () => encodeBoardFile(board.doc),
      onDurable: (p) => durable.push(p),
      log: () => {},
      flushMs: 10,
    })
    const positions = updates.map((u) => journal.append(u))
    await waitUntil('the updates are durable', () => durable.at(-1) === positions.at(-1))
    const parsed = parseJournal(await readFile(journalPathFor(path)))
    expect(parsed.problem).toBeUndefined()
    expect(parsed.records.map((r) => Buffer.from(r).toString('hex'))).toEqual(
      updates.map((u) => Buffer.from(u).toString('hex')),
    )
    // The board file is written only by compaction.
    expect(await readdir(dir)).toEqual(['board.lanvas.journal'])
    await journal.close()
    expect(await readdir(dir)).toEqual(['board.lanvas'])
    expect(openBoardFile(await readFile(path)).strokes()).toHaveLength(3)
  })

  it('compacts into the board file, starts the journal over and keeps updates that came meanwhile', async () => {
    const { board, updates } = drawStrokes(4)
    const partial = new Board()
    let arrived: Promise<void> | undefined
    const apply = (u: Uint8Array) => {
      Y.applyUpdate(partial.doc, u)
      journal.append(u)
    }
    const journal: Journal = new Journal(path, NO_BOARD_FILE, {
      snapshot: () => {
        const bytes = encodeBoardFile(partial.doc)
        // Arrives while the board file is being written: it must end up in the new journal.
        arrived ??= new Promise((done) => setImmediate(() => done(apply(updates[2] as Uint8Array))))
        return bytes
      },
      onDurable: () => {},
      log: () => {},
      flushMs: 5,
    })
    for (const u of updates.slice(0, 2)) apply(u)
    await journal.flush()
    await journal.compact()
    await arrived
    await journal.flush()
    const file = await readFile(path)
    const parsed = parseJournal(await readFile(journalPathFor(path)))
    expect([...(parsed.base ?? [])]).toEqual([...boardFileHash(file)])
    const recovered = await recoverBoard(path, () => {})
    expect(boardOf(recovered.doc).strokes()).toHaveLength(3)
    await journal.close()
    board.destroy()
  })

  it('moves to another file on Save As: both files hold the board, the journal follows', async () => {
    const { board, updates } = drawStrokes(2)
    const journal = new Journal(path, NO_BOARD_FILE, {
      snapshot: () => encodeBoardFile(board.doc),
      onDurable: () => {},
      log: () => {},
    })
    for (const u of updates) journal.append(u)
    const copy = join(dir, 'copy.lanvas')
    await journal.moveTo(copy)
    expect(openBoardFile(await readFile(path)).strokes()).toHaveLength(2)
    expect(openBoardFile(await readFile(copy)).strokes()).toHaveLength(2)
    journal.append(updates[0] as Uint8Array)
    await journal.flush()
    expect((await readdir(dir)).sort()).toEqual(['board.lanvas', 'copy.lanvas', 'copy.lanvas.journal'])
    await journal.close()
  })
})

describe('a host with a journal', () => {
  const scope = eachTestHost()
  let dir: string
  beforeEach(() => {
    dir = scope.dir
  })

  it('tells a client when its strokes are on disk, before the board file is written', async () => {
    const host = await scope.start({ autosave: { quietMs: 60_000, maxDelayMs: 60_000 } })
    const client = scope.connect(syncUrl(host.port, host.defaultBoardId), 'ann')
    await client.connection.whenSynced()
    const saved: Uint8Array[] = []
    client.connection.onSaved((updates) => saved.push(...updates))
    const id = client.board.beginStroke({ color: '#abcdef', width: 2 }, [1, 2, 0.5])
    client.board.appendPoints(id, [3, 4, 0.5])
    client.board.finishStroke(id)
    await waitUntil('the host reports all three updates saved', () => saved.length === 3)
    expect(client.connection.unsaved).toBe(0)
    // Saved means in the journal: the board file does not exist yet, and the journal alone gives the stroke.
    expect(await readdir(dir)).toEqual(['board.lanvas.journal'])
    const recovered = await recoverBoard(join(dir, 'board.lanvas'), () => {})
    expect(boardOf(recovered.doc).getStroke(id)?.points).toEqual(new Float32Array([1, 2, 0.5, 3, 4, 0.5]))
    client.destroy()
    await host.close()
    expect(await readdir(dir)).toEqual(['board.lanvas'])
  })

  it.each([
    ['cut short', (good: Buffer) => good.subarray(0, good.byteLength - 7), /damaged: it is cut short/],
    ['damaged', (good: Buffer) => Buffer.concat([good.subarray(0, -1), Buffer.from([0])]), /checksum/],
    ['foreign', () => Buffer.from('PK\u0003\u0004 a zip file, not a board'), /not a Lanvas board file/],
  ])(
    'refuses to start on a board file %s, with a journal beside it, and changes neither',
    async (_, make, error) => {
      const { board, updates } = drawStrokes(2)
      const path = join(dir, 'board.lanvas')
      const bad = make(Buffer.from(encodeBoardFile(board.doc)))
      await writeFile(path, bad)
      const journal = journalBytes(boardFileHash(bad), updates)
      await writeFile(journalPathFor(path), journal)
      await expect(scope.start()).rejects.toThrow(error)
      expect((await readFile(path)).equals(bad)).toBe(true)
      expect((await readFile(journalPathFor(path))).equals(journal)).toBe(true)
      expect((await readdir(dir)).sort()).toEqual(['board.lanvas', 'board.lanvas.journal'])
      board.destroy()
    },
  )

  it('starts on a board whose journal is damaged: the file and the good prefix, the damage in the log', async () => {
    const { board, updates, ids } = drawStrokes(3)
    const path = join(dir, 'board.lanvas')
    const bytes = journalBytes(NO_BOARD_FILE, updates)
    flip(bytes, bytes.byteLength - 4, 0xff)
    await writeFile(journalPathFor(path), bytes)
    const lines: string[] = []
    const host = await scope.start({ log: (l) => lines.push(l) })
    const client = scope.connect(syncUrl(host.port, host.defaultBoardId), 'ann')
    await client.connection.whenSynced()
    expect(client.board.strokes().map((s) => s.id)).toEqual(ids.slice(0, 2))
    expect(lines.join('\n')).toMatch(/damaged: record 3 at byte \d+ does not match its checksum/)
    // Recovered at start: the board file holds the prefix and the damaged journal is gone (a copy stays).
    expect(openBoardFile(await readFile(path)).strokes()).toHaveLength(2)
    expect((await readdir(dir)).filter((n) => !n.includes('damaged')).sort()).toEqual(['board.lanvas'])
    client.destroy()
    await host.close()
    board.destroy()
  })
})
