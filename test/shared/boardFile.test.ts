import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Board } from '../../src/shared/board'
import { BoardFileError, decodeBoardFile, encodeBoardFile, openBoardFile } from '../../src/shared/boardFile'

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

  it('starts with the Lanvas signature and format version 1', () => {
    const bytes = encodeBoardFile(sampleBoard().doc)
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x89, 0x4c, 0x4e, 0x56, 0x53, 0x0d, 0x0a, 0x1a])
    expect(bytes[8]).toBe(1)
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
