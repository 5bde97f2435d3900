// Compact strokes on real Yjs documents: pen-up stores one compact value, the chunks leave the stored board,
// peers converge, undo and redo never bring the chunks back, the guard checks the compact form, and boards
// written before (test/fixtures/legacy-strokes.lanvas) open as they were and are converted.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { BOARD_SCHEMA_VERSION, Board, type BoardElement, STROKE_LIMITS } from '../../src/shared/board'
import { encodeBoardFile, openBoardFile } from '../../src/shared/boardFile'
import { COMPACT_STEP_BITS, PRESSURE_STEPS } from '../../src/shared/compactPoints'
import { elementKey, recordFinishedStrokes } from '../../src/shared/elements/inkRecord'
import { linked } from '../support/linkedBoards'
import { guardedDoc } from './validate/guardedDoc'
import { nonConformance } from './validate/oracle'

const ink = { color: '#1e90ff', width: 4 }
/** A stroke's points value as its readers see it, whichever layout holds it (own key, live map or ink record). */
const pointsOf = (el: Y.Map<unknown> | undefined): unknown => (el ? elementKey(el, 'points') : undefined)
const HALF_STEP = 0.5 / 2 ** COMPACT_STEP_BITS
const HALF_PRESSURE = 0.5 / PRESSURE_STEPS

/** A pen path of n points. */
function path(n: number, x0 = 0): number[] {
  const out: number[] = []
  for (let i = 0; i < n; i++)
    out.push(x0 + i * 1.37, Math.cos(i / 5) * 30.3, 0.3 + 0.4 * Math.abs(Math.sin(i / 17)))
  return out
}

/** Draws a stroke as the pen tool does: first points, then one chunk per frame of 6 points. */
function draw(board: Board, flat: number[]): string {
  const id = board.beginStroke(ink, flat.slice(0, 3))
  for (let at = 3; at < flat.length; at += 18) board.appendPoints(id, flat.slice(at, at + 18))
  return id
}

/** What today's code did at pen-up before compact strokes: done, chunks kept. */
function legacyFinish(board: Board, id: string): void {
  board.transact(() => board.elements.get(id)?.set('done', true))
}

/** A stored copy of a board: what the host keeps and its file holds (no undo stack keeps deleted items). */
function stored(board: Board): Y.Doc {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(board.doc))
  return doc
}

function expectSamePoints(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length)
  for (let i = 0; i < expected.length; i++) {
    const half = i % 3 === 2 ? HALF_PRESSURE : HALF_STEP
    expect(Math.abs((actual[i] as number) - (expected[i] as number))).toBeLessThanOrEqual(half + 1e-6)
  }
}

describe('compact strokes', () => {
  it('stores a finished stroke as one compact value, and the stored board shrinks', () => {
    const before = new Board(new Y.Doc(), 'ann')
    const after = new Board(new Y.Doc(), 'ann')
    for (let s = 0; s < 20; s++) {
      const flat = path(150, s * 300)
      legacyFinish(before, draw(before, flat))
      after.finishStroke(draw(after, flat))
    }
    for (const s of after.strokes()) expect(pointsOf(after.elements.get(s.id))).toBeInstanceOf(Uint8Array)
    const legacyBytes = Y.encodeStateAsUpdate(stored(before)).byteLength
    const compactBytes = Y.encodeStateAsUpdate(stored(after)).byteLength
    // 3,000 points: 12 bytes each as chunks, about 2 to 3 compact.
    expect(legacyBytes).toBeGreaterThan(3000 * 12)
    expect(compactBytes).toBeLessThan(legacyBytes / 3)
    const pairs = before.strokes().map((s, i) => [s, after.strokes()[i]] as const)
    for (const [legacy, compact] of pairs) expectSamePoints(compact?.points ?? [], legacy.points)
    expect(nonConformance(after.doc)).toEqual([])
  })

  it('shows peers the ink while it is drawn, then converges on the compact form', () => {
    const ann = new Board(new Y.Doc(), 'ann')
    const bob = new Board(new Y.Doc(), 'bob')
    linked(ann, bob)
    const flat = path(60)
    const id = draw(ann, flat)
    // In progress: Bob sees every point exactly as Ann's board holds it, as chunks, already on the compact form's
    // steps (1/16 unit, pressure 1/256: issue 9 item 8), so pen-up changes no point.
    expect(pointsOf(bob.elements.get(id))).toBeInstanceOf(Y.Array)
    const live = Array.from(bob.getStroke(id)?.points ?? [])
    expect(live).toEqual(Array.from(ann.getStroke(id)?.points ?? []))
    expectSamePoints(live, flat)
    ann.finishStroke(id)
    expect(bob.getStroke(id)?.done).toBe(true)
    expect(pointsOf(bob.elements.get(id))).toBeInstanceOf(Uint8Array)
    expectSamePoints(bob.getStroke(id)?.points ?? [], flat)
    expect(Array.from(bob.getStroke(id)?.points ?? [])).toEqual(live)
    expect(Y.encodeStateVector(bob.doc)).toEqual(Y.encodeStateVector(ann.doc))
    expect(bob.readElements()).toEqual(ann.readElements())
  })

  it('undoes a stroke whole, and redo brings back the compact value, never the chunks', () => {
    const ann = new Board(new Y.Doc(), 'ann')
    const bob = new Board(new Y.Doc(), 'bob')
    linked(ann, bob)
    const id = draw(ann, path(90))
    ann.finishStroke(id)
    const points = Array.from(ann.getStroke(id)?.points ?? [])
    expect(ann.undo()).toBe(true)
    expect(ann.elementIds()).toEqual([])
    expect(bob.elementIds()).toEqual([])
    expect(ann.redo()).toBe(true)
    for (const board of [ann, bob]) {
      expect(pointsOf(board.elements.get(id))).toBeInstanceOf(Uint8Array)
      expect(Array.from(board.getStroke(id)?.points ?? [])).toEqual(points)
      expect(board.getStroke(id)?.done).toBe(true)
    }
    expect(ann.undo()).toBe(true)
    expect(bob.elementIds()).toEqual([])
    // Nothing of the chunks is left to bring back: the stored board holds the compact value and no chunk.
    expect(ann.redo()).toBe(true)
    const host = stored(ann)
    const bytes = { chunks: 0, compact: 0 }
    for (const structs of host.store.clients.values())
      for (const s of structs)
        if (s instanceof Y.Item && s.content instanceof Y.ContentBinary && !s.deleted)
          bytes[s.parent instanceof Y.Array ? 'chunks' : 'compact']++
        else if (s instanceof Y.Item && s.content instanceof Y.ContentAny && !s.deleted)
          // The ink record: one value whose points are the compact bytes.
          for (const v of s.content.arr)
            if ((v as { points?: unknown } | null)?.points instanceof Uint8Array) bytes.compact++
    expect(bytes).toEqual({ chunks: 0, compact: 1 })
  })

  it("keeps the author's undo when the host converts their stroke, without the chunks coming back", () => {
    const ann = new Board(new Y.Doc(), 'ann')
    const host = new Board(new Y.Doc(), 'host')
    linked(ann, host)
    const id = draw(ann, path(40))
    legacyFinish(ann, id)
    expect(recordFinishedStrokes(host.doc, 'host', BOARD_SCHEMA_VERSION)).toBe(1)
    expect(pointsOf(ann.elements.get(id))).toBeInstanceOf(Uint8Array)
    expect(ann.undo()).toBe(true)
    expect(host.elementIds()).toEqual([])
    expect(ann.redo()).toBe(true)
    expect(pointsOf(host.elements.get(id))).toBeInstanceOf(Uint8Array)
    expectSamePoints(host.getStroke(id)?.points ?? [], path(40))
  })

  it('merges a pen-up made while the other replica was offline, with its edits of the same stroke', () => {
    const ann = new Board(new Y.Doc(), 'ann')
    const bob = new Board(new Y.Doc(), 'bob')
    const link = linked(ann, bob)
    const flat = path(120)
    const id = draw(ann, flat.slice(0, 60 * 3))
    const other = draw(ann, path(50, 1000))
    ann.finishStroke(other)
    link.offline()
    // Ann goes on drawing and lifts the pen; Bob, offline, moves her stroke and erases the middle of the other.
    ann.appendPoints(id, flat.slice(60 * 3))
    ann.finishStroke(id)
    bob.updateElement(id, { x: 25, y: -10 })
    expect(bob.eraseInk(other, 1000 + 25 * 1.37, Math.cos(5) * 30.3, 3)).toBe(true)
    link.online()
    expect(Y.encodeStateVector(ann.doc)).toEqual(Y.encodeStateVector(bob.doc))
    expect(ann.readElements()).toEqual(bob.readElements())
    const s = ann.getStroke(id)
    expect(s).toMatchObject({ x: 25, y: -10, done: true })
    expectSamePoints(s?.points ?? [], flat)
    // The erased stroke is two compact pieces on both.
    expect(ann.getStroke(other)).toBeUndefined()
    const pieces = ann.strokes().filter((p) => p.id !== id)
    expect(pieces).toHaveLength(2)
    for (const p of pieces) expect(pointsOf(ann.elements.get(p.id))).toBeInstanceOf(Uint8Array)
    expect(nonConformance(ann.doc)).toEqual([])
  })

  it('lifts the pen on a stroke longer than a stroke holds without failing, keeping its chunks', () => {
    const ann = new Board(new Y.Doc(), 'ann')
    const id = ann.beginStroke(ink, new Array(STROKE_LIMITS.maxPoints * 3).fill(0.5))
    ann.appendPoints(id, [1, 1, 0.5])
    expect(() => ann.finishStroke(id)).not.toThrow()
    expect(ann.getStroke(id)?.done).toBe(true)
    expect(pointsOf(ann.elements.get(id))).toBeInstanceOf(Y.Array)
  })

  it('lets the guard accept a pen-up and refuse malformed compact points with what is wrong', () => {
    const { doc: host, offer } = guardedDoc()
    const ann = new Board(new Y.Doc(), 'ann')
    ann.doc.on('update', (u: Uint8Array) => expect(offer(u)).toMatchObject({ ok: true }))
    const id = draw(ann, path(30))
    ann.finishStroke(id)
    const mallory = new Board(new Y.Doc(), 'mallory')
    Y.applyUpdate(mallory.doc, Y.encodeStateAsUpdate(host))
    const before = Y.encodeStateVector(mallory.doc)
    mallory.transact(() =>
      mallory.elements.get(id)?.set('points', Uint8Array.from([1, 1, 4, 0, 200, 1, 0, 0, 0])),
    )
    const verdict = offer(Y.encodeStateAsUpdate(mallory.doc, before))
    expect(verdict).toMatchObject({
      ok: false,
      problem: 'invalid',
      reason: '"points" of a stroke: 200 points cannot fit in 9 bytes',
    })
    expect(pointsOf(host.getMap<Y.Map<unknown>>('elements').get(id))).toBeInstanceOf(Uint8Array)
  })
})

describe('boards written before compact strokes', () => {
  const fixture = new URL('../fixtures/legacy-strokes.lanvas', import.meta.url)
  const expected = JSON.parse(
    readFileSync(new URL('../fixtures/legacy-strokes.expected.json', import.meta.url), 'utf8'),
  ) as (BoardElement & { points?: number[] })[]
  const plain = (els: BoardElement[]) =>
    els.map((e) => ({ ...e, points: 'points' in e ? Array.from(e.points as ArrayLike<number>) : undefined }))

  it('opens as the code that wrote it read it', () => {
    const board = openBoardFile(new Uint8Array(readFileSync(fixture)))
    expect(board.meta.get('schema')).toBe(2)
    expect(JSON.parse(JSON.stringify(plain(board.readElements())))).toEqual(expected)
  })

  it('is converted: finished strokes compact, the unfinished one as it was, the same points, a smaller file', () => {
    const bytes = new Uint8Array(readFileSync(fixture))
    const board = openBoardFile(bytes)
    expect(recordFinishedStrokes(board.doc, 'host', BOARD_SCHEMA_VERSION)).toBe(4)
    const saved = encodeBoardFile(board.doc)
    const reopened = openBoardFile(saved)
    expect(reopened.meta.get('schema')).toBe(BOARD_SCHEMA_VERSION)
    const els = reopened.readElements()
    expect(els.map((e) => e.id)).toEqual(expected.map((e) => e.id))
    for (const [i, el] of els.entries()) {
      const want = expected[i] as BoardElement & { points?: number[] }
      const { points, ...rest } = plain([el])[0] as BoardElement & { points?: number[] }
      const { points: wantPoints, ...wantRest } = want
      expect(JSON.parse(JSON.stringify(rest))).toEqual(wantRest)
      if (el.kind !== 'stroke') continue
      const map = reopened.elements.get(el.id)
      if (el.done) {
        expect(pointsOf(map)).toBeInstanceOf(Uint8Array)
        expectSamePoints(points ?? [], wantPoints ?? [])
      } else {
        // Its author may still be drawing it after a restart: it keeps its chunks, exactly.
        expect(pointsOf(map)).toBeInstanceOf(Y.Array)
        expect(points).toEqual(wantPoints)
      }
    }
    expect(saved.byteLength).toBeLessThan(bytes.byteLength)
    expect(recordFinishedStrokes(reopened.doc, 'host', BOARD_SCHEMA_VERSION)).toBe(0)
  })
})
