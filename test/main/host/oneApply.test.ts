/**
 * A host reads a board into Yjs once, however it opens it: a file from elsewhere (checked, then the board's own
 * document), a file with a journal to replay, an imported file. Each whole-board apply of a 100,000-stroke board
 * is seconds of the host's start; the count is what this test holds (never a time). Yjs runs for real: the
 * module is wrapped only to count the calls of its two apply functions, which go on to Yjs's own.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { boardFileHash } from '../../../src/main/host/journal'
import { encodeJournalHeader, encodeJournalRecord, journalPathFor } from '../../../src/main/host/journalFile'
import { OpenBoards } from '../../../src/main/host/openBoards'
import { Board } from '../../../src/shared/board'
import { encodeBoardFile, readBoardPayload } from '../../../src/shared/boardFile'
import { eachTempDir } from '../../support/hostFixture'

/** The size of every update an apply function was called with (by our code, through the module). */
const applied = vi.hoisted(() => ({ sizes: [] as number[] }))

vi.mock('yjs', async (importOriginal) => {
  const Yjs = await importOriginal<typeof import('yjs')>()
  return {
    ...Yjs,
    applyUpdate: (doc: Y.Doc, update: Uint8Array, origin?: unknown) => {
      applied.sizes.push(update.byteLength)
      Yjs.applyUpdate(doc, update, origin)
    },
    applyUpdateV2: (doc: Y.Doc, update: Uint8Array, origin?: unknown) => {
      applied.sizes.push(update.byteLength)
      Yjs.applyUpdateV2(doc, update, origin)
    },
  }
})

const folder = eachTempDir()

/** A board of `count` finished strokes, and each stroke's update as it was drawn. */
function drawn(count: number): { board: Board; updates: Uint8Array[] } {
  const board = new Board(new Y.Doc(), 'ann')
  const updates: Uint8Array[] = []
  board.doc.on('update', (u: Uint8Array) => updates.push(u))
  for (let i = 0; i < count; i++) {
    const id = board.beginStroke({ color: '#123456', width: 2 }, [
      i,
      i,
      0.5,
      i + 9,
      i + 4,
      0.5,
      i + 20,
      i,
      0.5,
    ])
    board.finishStroke(id)
  }
  return { board, updates }
}

describe('a host reads a board into Yjs once', () => {
  let boards: OpenBoards
  let file: Uint8Array
  /** Applies of an update at least as large as the whole board's (the board file's payload). */
  const wholeBoardApplies = (): number => {
    const whole = readBoardPayload(file, true).update.byteLength
    return applied.sizes.filter((n) => n >= whole).length
  }
  beforeEach(() => {
    boards = new OpenBoards(() => {}, 'owner-key')
    return async () => {
      await boards.close()
    }
  })

  it('a board file from elsewhere: checked by the apply that makes it the board', async () => {
    const { board } = drawn(40)
    file = encodeBoardFile(board.doc)
    const path = join(folder.dir, 'board.lanvas')
    await writeFile(path, file)
    applied.sizes = []
    const opened = await boards.open(path)
    expect(wholeBoardApplies()).toBe(1)
    expect(new Board(boards.room(opened.id)?.doc).strokes().map((s) => s.id)).toEqual(
      board.strokes().map((s) => s.id),
    )
  })

  it('a board file with a journal: the records go on top of the file, then the board is the host’s', async () => {
    const { board, updates } = drawn(40)
    const saved = new Y.Doc()
    for (const u of updates.slice(0, 30)) Y.applyUpdate(saved, u)
    file = encodeBoardFile(saved)
    const path = join(folder.dir, 'board.lanvas')
    await writeFile(path, file)
    await writeFile(
      journalPathFor(path),
      Buffer.concat([
        encodeJournalHeader(boardFileHash(file)),
        ...updates.slice(30).map(encodeJournalRecord),
      ]),
    )
    applied.sizes = []
    const opened = await boards.open(path)
    expect(wholeBoardApplies()).toBe(1)
    // Every stroke, the journaled ones too: nothing of the recovery is lost by taking the document over.
    expect(new Board(boards.room(opened.id)?.doc).strokes().map((s) => s.id)).toEqual(
      board.strokes().map((s) => s.id),
    )
  })

  it('an imported board file', async () => {
    const { board } = drawn(40)
    file = encodeBoardFile(board.doc)
    applied.sizes = []
    const opened = await boards.import(file, 'From a colleague', join(folder.dir, 'board.lanvas'))
    expect(wholeBoardApplies()).toBe(1)
    expect(new Board(boards.room(opened.id)?.doc).strokes()).toHaveLength(40)
  })
})
