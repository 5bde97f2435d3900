import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Board } from '../../src/shared/board'
import { BoardFileError, decodeBoardFile, encodeBoardFile, openBoardFile } from '../../src/shared/boardFile'
import { errorMessage } from '../../src/shared/errors'
import { type Figure, recordFigures } from '../support/figures'

// LANVAS_FUZZ_SEED runs another seed (a failure prints the seed and path that reproduce it).
const SEED = Number(process.env.LANVAS_FUZZ_SEED ?? 6_2026)

/** A small board drawn by random strokes. */
const board = fc
  .array(
    fc.record({
      points: fc.array(fc.float({ min: -1000, max: 1000, noNaN: true }), { minLength: 3, maxLength: 30 }),
      done: fc.boolean(),
    }),
    { maxLength: 8 },
  )
  .map((strokes) => {
    const b = new Board(new Y.Doc(), 'fuzz')
    for (const s of strokes) {
      const flat = s.points
        .slice(0, s.points.length - (s.points.length % 3))
        .map((v, i) => (i % 3 === 2 ? 0.5 : v))
      const id = b.beginStroke({ color: '#123456', width: 2 }, flat)
      if (s.done) b.finishStroke(id)
    }
    return b
  })

/** Ways a file gets damaged: flipped bits, cut short, bytes spliced in. */
const damage = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('splice' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
  }),
)

type Damage = { kind: string; at: number; bit?: number; bytes?: Uint8Array }

function damaged(file: Uint8Array, d: Damage): Uint8Array {
  const at = d.at % file.byteLength
  if (d.kind === 'flip') {
    const out = file.slice()
    out[at] = (out[at] as number) ^ (1 << (d.bit ?? 0))
    return out
  }
  if (d.kind === 'cut') return file.slice(0, at)
  const bytes = d.bytes ?? new Uint8Array()
  const out = new Uint8Array(file.byteLength + bytes.byteLength)
  out.set(file.subarray(0, at))
  out.set(bytes, at)
  out.set(file.subarray(at), at + bytes.byteLength)
  return out
}

/** Decodes; anything thrown must be a BoardFileError with a message for people. */
function decodeOrRefuse(bytes: Uint8Array): Uint8Array | BoardFileError {
  try {
    return decodeBoardFile(bytes)
  } catch (error) {
    expect(error).toBeInstanceOf(BoardFileError)
    expect(errorMessage(error)).toMatch(
      /^This (is not a Lanvas board|board file is damaged|board was saved by a newer)/,
    )
    return error as BoardFileError
  }
}

const figures: Figure[] = []
const FILE = 'test/shared/boardFile.property.test.ts'

describe('board files under fuzzing', () => {
  afterAll(() => recordFigures('fuzz-board-files', figures))

  it('random bytes are refused with a BoardFileError, never another error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(decodeOrRefuse(bytes)).toBeInstanceOf(BoardFileError)
      }),
      { seed: SEED, numRuns: 2000 },
    )
    const test = `${FILE} › random bytes are refused with a BoardFileError, never another error`
    figures.push({ label: 'random files opened (all refused clearly)', value: 2000, test, key: 'badInputs' })
  })

  it('a damaged file is refused, or still opens as a board', () => {
    fc.assert(
      fc.property(board, damage, (b, d) => {
        const result = decodeOrRefuse(damaged(encodeBoardFile(b.doc), d))
        if (result instanceof Uint8Array) {
          // Only damage the checks let through (the flags, bytes after the payload) leaves a board that opens.
          const opened = new Y.Doc()
          Y.applyUpdate(opened, result)
          expect(new Board(opened).strokes()).toEqual(b.strokes())
        }
      }),
      { seed: SEED, numRuns: 500 },
    )
    const test = `${FILE} › a damaged file is refused, or still opens as a board`
    figures.push({ label: 'damaged board files opened', value: 500, test, key: 'badInputs' })
  })

  it('every board round-trips through its file', () => {
    fc.assert(
      fc.property(board, (b) => {
        expect(openBoardFile(encodeBoardFile(b.doc)).strokes()).toEqual(b.strokes())
      }),
      { seed: SEED, numRuns: 200 },
    )
  })
})
