// A move of a large selection is one record (src/shared/elements/moves.ts), not x and y rewritten on each element:
// real boards exchanging real Yjs updates, as peers do (offline ones included), read every element where the moves
// put it; undo is per person; writes after a move, arrows bound to moved shapes and the eraser keep places right.

import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Board, ElementKind, nodeTransform, type Stroke } from '../../src/shared/board'
import { ownKey } from '../../src/shared/elements/entry'
import {
  decodeMoveRecord,
  encodeMoveRecord,
  MOVE_RECORD_MIN,
  moveRecordProblem,
} from '../../src/shared/elements/moves'
import { moveSelection, transformSelection } from '../../src/shared/selection'

function inkBoard(name: string, count: number): Board {
  const board = new Board(new Y.Doc(), name)
  board.transact(() => {
    for (let i = 0; i < count; i++)
      board.finishStroke(
        board.beginStroke({ color: '#1e1e1e', width: 4 }, [i, 2 * i, 0.5, i + 3, 2 * i + 1, 0.5]),
      )
  })
  return board
}

/** A replica of `source` under another person's name. */
function replica(source: Board, name: string): Board {
  const board = new Board(new Y.Doc(), name)
  Y.applyUpdate(board.doc, Y.encodeStateAsUpdate(source.doc))
  return board
}

/** Brings two offline replicas together, both ways. */
function merge(a: Board, b: Board): void {
  Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b.doc, Y.encodeStateVector(a.doc)))
  Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc)))
}

const places = (board: Board) => board.readElements().map((el) => ({ id: el.id, x: el.x, y: el.y }))

describe('moving a large selection', () => {
  const N = 2000

  it('is one small update that moves every element for a peer, and one undo puts them back', () => {
    const ann = inkBoard('ann', N)
    const bea = replica(ann, 'bea')
    const before = places(ann)
    const updates: Uint8Array[] = []
    ann.doc.on('update', (u: Uint8Array) => updates.push(u))
    moveSelection(ann, ann.elementIds(), 40, -25)
    // One update of about 13 bytes an element (x and y rewritten on each took 28).
    expect(updates).toHaveLength(1)
    expect((updates[0] as Uint8Array).byteLength).toBeLessThan(14 * N)
    Y.applyUpdate(bea.doc, updates[0] as Uint8Array)
    const moved = before.map((p) => ({ ...p, x: p.x + 40, y: p.y - 25 }))
    expect(places(bea)).toEqual(moved)
    expect(places(ann)).toEqual(moved)
    // Nothing else of the strokes changed for the peer.
    expect(bea.strokes().map((s) => s.points)).toEqual(ann.strokes().map((s) => s.points))

    ann.doc.on('update', (u: Uint8Array) => Y.applyUpdate(bea.doc, u))
    expect(ann.undo()).toBe(true)
    expect(places(bea)).toEqual(before)
    expect(ann.redo()).toBe(true)
    expect(places(bea)).toEqual(moved)
  })

  it('merges with a concurrent move of the same elements by someone offline: both moves apply, each undone alone', () => {
    const ann = inkBoard('ann', N)
    const bea = replica(ann, 'bea')
    const before = places(ann)
    const ids = ann.elementIds()
    const one = ids[7] as string
    moveSelection(ann, ids, 100, 0)
    // Offline at the same time: bea moves every element down, then one of them right (a small move, written on it).
    moveSelection(bea, ids, 0, 50)
    moveSelection(bea, [one], 5, 0)
    merge(ann, bea)
    const both = before.map((p) => ({ ...p, x: p.x + 100 + (p.id === one ? 5 : 0), y: p.y + 50 }))
    expect(places(ann)).toEqual(both)
    expect(places(bea)).toEqual(both)

    // Ann's undo takes back her move only.
    expect(ann.undo()).toBe(true)
    merge(ann, bea)
    const beasOnly = before.map((p) => ({ ...p, x: p.x + (p.id === one ? 5 : 0), y: p.y + 50 }))
    expect(places(bea)).toEqual(beasOnly)
    expect(places(ann)).toEqual(beasOnly)
  })

  it('lets a later write of a place (a drag of one, a transform) put the element exactly there', () => {
    const ann = inkBoard('ann', MOVE_RECORD_MIN + 20)
    const ids = ann.elementIds()
    moveSelection(ann, ids, 1000, 2000)
    const id = ids[3] as string
    ann.beginAction()
    ann.updateElement(id, { x: 7, y: 9 })
    expect(ann.readElement(id)).toMatchObject({ x: 7, y: 9 })
    const bea = replica(ann, 'bea')
    expect(bea.readElement(id)).toMatchObject({ x: 7, y: 9 })
    // A Transformer's turn and stretch of a moved stroke lands where it does on a board moved key by key.
    const keyByKey = replica(ann, 'ref')
    keyByKey.beginAction()
    keyByKey.moves.delete(0, keyByKey.moves.length)
    keyByKey.updateElements(ids.filter((i) => i !== id).map((i) => [i, { x: 1000 + 0, y: 2000 }] as const))
    const turned = ids[4] as string
    const t = nodeTransform(ann.getStroke(turned) as Stroke)
    const change = { x: t.x, y: t.y, rotation: 30, scaleX: 2, scaleY: 1 }
    transformSelection(ann, [[turned, change]])
    transformSelection(keyByKey, [[turned, change]])
    expect(ann.getStroke(turned)).toEqual(keyByKey.getStroke(turned))
    expect(ann.getStroke(turned)).toMatchObject({ rotation: 30, scaleX: 2 })
  })

  it('keeps arrows on the shapes they are bound to, inside and outside the selection', () => {
    const ann = new Board(new Y.Doc(), 'ann')
    const boxes: string[] = []
    for (let i = 0; i < MOVE_RECORD_MIN + 10; i++)
      boxes.push(ann.addShape(ElementKind.Rect, { x: i * 100, y: 0, width: 50, height: 50 }))
    const outside = ann.addShape(ElementKind.Rect, { x: 0, y: 1000, width: 50, height: 50 })
    const within = ann.addShape(ElementKind.Arrow, { x: 0, y: 0, points: [25, 25, 125, 25] })
    ann.updateElement(within, { startBinding: boxes[0], endBinding: boxes[1] })
    const across = ann.addShape(ElementKind.Arrow, { x: 0, y: 0, points: [25, 25, 25, 1025] })
    ann.updateElement(across, { startBinding: boxes[0], endBinding: outside })
    const withinBefore = ann.readElement(within)
    moveSelection(ann, [...boxes, within], 300, 0)
    expect(ann.moves.length).toBe(1)
    const bea = replica(ann, 'bea')
    // The arrow moved with its shapes, still bound to both.
    expect(bea.readElement(within)).toMatchObject({
      x: (withinBefore?.x ?? 0) + 300,
      startBinding: boxes[0],
      endBinding: boxes[1],
    })
    // The arrow to the shape left behind follows the moved end and keeps both ends bound.
    const arrow = bea.readElement(across)
    expect(arrow).toMatchObject({ startBinding: boxes[0], endBinding: outside })
    if (arrow?.kind !== ElementKind.Arrow) throw new Error('no arrow')
    expect(arrow.x + (arrow.points[0] as number)).toBeGreaterThan(300)
    expect(arrow.x + (arrow.points[2] as number)).toBeLessThan(60)
  })

  it('erasing part of a moved stroke leaves the rest where it shows', () => {
    const ann = new Board(new Y.Doc(), 'ann')
    const flat: number[] = []
    for (let i = 0; i <= 100; i++) flat.push(i, 0, 0.5)
    const long = ann.beginStroke({ color: '#1e1e1e', width: 4 }, flat)
    ann.finishStroke(long)
    for (let i = 0; i < MOVE_RECORD_MIN; i++)
      ann.finishStroke(ann.beginStroke({ color: '#1e1e1e', width: 4 }, [0, 10 + i, 0.5, 5, 10 + i, 0.5]))
    moveSelection(ann, ann.elementIds(), 500, 500)
    expect(ann.eraseInk(long, 550, 500, 3)).toBe(true)
    const pieces = ann.strokes().filter((s) => s.points.length > 6 * 3)
    expect(pieces).toHaveLength(2)
    for (const piece of pieces) {
      const xs = Array.from(piece.points).filter((_, i) => i % 3 === 0)
      // Each piece is where its ink was: x from 500 to 600 on the board, y 500.
      expect(piece.x + Math.min(...xs)).toBeGreaterThanOrEqual(500)
      expect(piece.x + Math.max(...xs)).toBeLessThanOrEqual(600)
      expect(piece.y).toBe(500)
    }
  })

  it('moves a small selection by writing x and y on each element, as before (no record)', () => {
    const ann = inkBoard('ann', 10)
    moveSelection(ann, ann.elementIds(), 3, 4)
    expect(ann.moves.length).toBe(0)
    // A finished stroke is a flat record (schema 5): the move writes it anew with its x and y.
    expect(ownKey(ann.elements.get(ann.elementIds()[0] as string) ?? {}, 'x')).toBe(3)
  })
})

describe('a move record', () => {
  it('holds hex ids in 12 bytes and any other element id as text, and reads back exactly', () => {
    const ids = [
      '0123456789abcdef01234567',
      'custom_id-1',
      'ABCDEF0123456789ABCDEF01',
      'ffffffffffffffffffffffff',
    ]
    const bytes = encodeMoveRecord(-12.5, 1e7, ids)
    expect(bytes.byteLength).toBe(21 + 13 + 13 + 26 + 13)
    expect(moveRecordProblem(bytes)).toBeUndefined()
    expect(decodeMoveRecord(bytes)).toEqual({ dx: -12.5, dy: 1e7, ids })
    expect(() => encodeMoveRecord(0, 0, ['<b>'])).toThrow(/not an element id/)
    expect(() => encodeMoveRecord(Number.NaN, 0, ids)).toThrow(/off the board/)
  })
})
