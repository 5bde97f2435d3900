import { readFileSync } from 'node:fs'
import CRC32 from 'crc-32'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { makeInkBoard } from '../../bench/boards'
import { Board } from '../../src/shared/board'
import {
  BoardFileError,
  decodeBoardFile,
  encodeBoardFile,
  openBoardFile,
  readBoardPayload,
} from '../../src/shared/boardFile'

function sampleBoard(): Board {
  const board = new Board(new Y.Doc(), 'alice')
  const id = board.beginStroke({ color: '#e03131', width: 6 }, [0, 0, 0.5, 20, 30, 0.8])
  board.finishStroke(id)
  board.beginStroke({ color: '#1971c2', width: 2 }, [5, 5, 0.5])
  return board
}

describe('.lanvas board files', () => {
  it('round-trips a board', () => {
    const board = sampleBoard()
    const opened = openBoardFile(encodeBoardFile(board.doc))
    expect(opened.strokes()).toEqual(board.strokes())
  })

  it('starts with the Lanvas signature and format version 2 (the board in Yjs v2 encoding)', () => {
    const board = sampleBoard()
    const bytes = encodeBoardFile(board.doc)
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x89, 0x4c, 0x4e, 0x56, 0x53, 0x0d, 0x0a, 0x1a])
    expect(bytes[8]).toBe(2)
    // The payload is a v2 update of the board: read as such, it is the board; decodeBoardFile gives it as v1.
    const doc = new Y.Doc()
    Y.applyUpdateV2(doc, readBoardPayload(bytes).update)
    expect(new Board(doc).strokes()).toEqual(board.strokes())
    const v1 = new Y.Doc()
    Y.applyUpdate(v1, decodeBoardFile(bytes))
    expect(new Board(v1).strokes()).toEqual(board.strokes())
  })

  it('opens a file of format 1 (Yjs v1 encoding) as earlier versions wrote it, the same board', () => {
    // Written by the code before format 2 (test/fixtures/makeLegacyStrokes.ts): header version 1, a v1 update.
    const old = new Uint8Array(readFileSync(new URL('../fixtures/legacy-strokes.lanvas', import.meta.url)))
    expect(old[8]).toBe(1)
    expect(readBoardPayload(old).encoding).toBe(1)
    const board = openBoardFile(old)
    const again = openBoardFile(encodeBoardFile(board.doc))
    expect(again.readElements()).toEqual(board.readElements())
    expect(board.readElements().length).toBeGreaterThan(0)
  })

  it('is smaller than the same board in the v1 encoding on an ink board', () => {
    const board = makeInkBoard(300, 'compact')
    const v1 = Y.encodeStateAsUpdate(board.doc).byteLength
    const file = encodeBoardFile(board.doc)
    // About 4 % smaller since strokes are ink records (6 structs a stroke, 12 before: the v2 encoding's gain was
    // mostly on the struct headers, 5 % and more then).
    expect(file.byteLength).toBeLessThan(v1)
    expect(CRC32.buf(readBoardPayload(file).update) >>> 0).toBe(
      new DataView(file.buffer, file.byteOffset).getUint32(16, true) >>> 0,
    )
  })

  it('refuses a foreign file with a clear message', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0])
    expect(() => decodeBoardFile(png)).toThrow(BoardFileError)
    expect(() => decodeBoardFile(png)).toThrow('This is not a Lanvas board file')
    expect(() => decodeBoardFile(new TextEncoder().encode('{"hello": 1}'))).toThrow('not a Lanvas board file')
    expect(() => decodeBoardFile(new Uint8Array())).toThrow('not a Lanvas board file')
  })

  it('refuses a truncated file', () => {
    const bytes = encodeBoardFile(sampleBoard().doc)
    expect(() => decodeBoardFile(bytes.subarray(0, bytes.byteLength - 3))).toThrow('cut short')
    expect(() => decodeBoardFile(bytes.subarray(0, 12))).toThrow('cut short')
  })

  it('refuses a file whose contents were changed', () => {
    const bytes = encodeBoardFile(sampleBoard().doc)
    const damaged = bytes.slice()
    damaged[damaged.byteLength - 5] = (damaged[damaged.byteLength - 5] as number) ^ 0xff
    expect(() => decodeBoardFile(damaged)).toThrow('checksum')
  })

  it('refuses a file from a newer version and says to update', () => {
    const bytes = encodeBoardFile(sampleBoard().doc).slice()
    bytes[8] = 9
    expect(() => decodeBoardFile(bytes)).toThrow(/newer Lanvas.*Update Lanvas/)
  })
})
