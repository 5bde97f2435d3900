// Flat ink (schema 5) on real Yjs documents: a finished stroke is one plain record in `elements`; a peer moves,
// restyles, locks, groups, turns and stretches it, each edit writing a new record that both replicas read alike; each
// person undoes and redoes their own edits of it; concurrent edits of one stroke settle on one record (the last writer
// wins); and a board written with ink records (schema 4) is converted by the host's conversion and drawn the same.
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { drawRecordStroke } from '../../bench/boards'
import { BOARD_SCHEMA_VERSION, Board } from '../../src/shared/board'
import { encodeBoardFile, openBoardFile } from '../../src/shared/boardFile'
import { isFlatRecord } from '../../src/shared/elements/entry'
import { recordFinishedStrokes } from '../../src/shared/elements/inkRecord'
import { exportLayout } from '../../src/shared/export'
import { exportSvg } from '../../src/shared/export/svg'
import { moveSelection, setLocked, transformSelection } from '../../src/shared/selection/edits'
import { linked } from '../support/linkedBoards'
import { shown } from '../support/shown'
import { nonConformance } from './validate/oracle'

const pen = { color: '#1e90ff', width: 4 }

function path(n: number, x0 = 0, y0 = 0): number[] {
  const out: number[] = []
  for (let i = 0; i < n; i++)
    out.push(x0 + i * 1.37, y0 + Math.cos(i / 5) * 30.3, 0.3 + 0.4 * Math.abs(Math.sin(i / 17)))
  return out
}

function draw(board: Board, flat: number[]): string {
  const id = board.beginStroke(pen, flat.slice(0, 48))
  for (let at = 48; at < flat.length; at += 48) board.appendPoints(id, flat.slice(at, at + 48))
  board.finishStroke(id)
  return id
}

describe('a flat stroke edited by a peer', () => {
  it('takes a move, a restyle, a lock, a group, a turn and a stretch, each as a new record both replicas read', () => {
    const ann = new Board(new Y.Doc(), 'ann')
    const bob = new Board(new Y.Doc(), 'bob')
    linked(ann, bob)
    const id = draw(ann, path(60))
    const other = draw(ann, path(40, 300))
    expect(isFlatRecord(bob.elements.get(id))).toBe(true)
    const drawn = bob.getStroke(id)
    // Bob's edits, each as the app makes them.
    moveSelection(bob, [id], 25, -10)
    expect(ann.getStroke(id)).toMatchObject({ x: 25, y: -10, points: drawn?.points })
    bob.beginAction()
    bob.updateElement(id, { color: '#e03131', width: 9, opacity: 0.5, highlighter: true })
    expect(ann.getStroke(id)).toMatchObject({ color: '#e03131', width: 9, opacity: 0.5, highlighter: true })
    bob.beginAction()
    bob.updateElements([
      [id, { groupId: 'g1' }],
      [other, { groupId: 'g1' }],
    ])
    expect(ann.strokes().map((s) => s.groupId)).toEqual(['g1', 'g1'])
    const s = bob.getStroke(id)
    if (!s) throw new Error('no stroke')
    transformSelection(bob, [[id, { x: s.x + 5, y: s.y + 5, rotation: 30, scaleX: 2, scaleY: 1.5 }]])
    expect(ann.getStroke(id)).toMatchObject({ rotation: 30, scaleX: 2, scaleY: 1.5 })
    setLocked(bob, [id], true)
    expect(ann.getStroke(id)?.locked).toBe(true)
    // Still one flat record on both sides, the author's ink as drawn; ungrouping removes the key from the record.
    bob.beginAction()
    bob.updateElement(other, { groupId: null })
    for (const board of [ann, bob]) {
      expect(isFlatRecord(board.elements.get(id))).toBe(true)
      expect(isFlatRecord(board.elements.get(other))).toBe(true)
      expect(board.getStroke(id)).toMatchObject({ author: 'ann', points: drawn?.points, done: true })
      expect(Object.hasOwn(board.elements.get(other) as object, 'groupId')).toBe(false)
    }
    expect(shown(ann)).toEqual(shown(bob))
    expect(nonConformance(ann.doc)).toEqual([])
  })

  it('settles on one record when two people restyle the same stroke at once (the last writer wins)', () => {
    const ann = new Board(new Y.Doc(), 'ann')
    const bob = new Board(new Y.Doc(), 'bob')
    const link = linked(ann, bob)
    const id = draw(ann, path(50))
    link.offline()
    ann.beginAction()
    ann.updateElement(id, { color: '#2f9e44' })
    bob.beginAction()
    bob.updateElement(id, { x: 40 })
    link.online()
    expect(shown(ann)).toEqual(shown(bob))
    const s = ann.getStroke(id)
    // One of the two whole records: Ann's colour with no move, or Bob's move with the colour as drawn.
    expect([JSON.stringify([s?.color, s?.x])]).toContainEqual(
      expect.stringMatching(/^\["#2f9e44",0\]$|^\["#1e90ff",40\]$/),
    )
  })
})

describe('undo and redo of edits of a flat stroke', () => {
  it('gives each person back their own edits, on both replicas', () => {
    const ann = new Board(new Y.Doc(), 'ann')
    const bob = new Board(new Y.Doc(), 'bob')
    linked(ann, bob)
    const id = draw(ann, path(70))
    const mine = draw(ann, path(30, 400))
    const drawn = shown(bob)
    bob.beginAction()
    bob.updateElement(id, { color: '#e03131' })
    moveSelection(bob, [id], 10, 20)
    ann.beginAction()
    ann.updateElement(mine, { width: 12 })
    expect(bob.getStroke(id)).toMatchObject({ color: '#e03131', x: 10, y: 20 })
    expect(bob.getStroke(mine)?.width).toBe(12)
    // Ann undoes her restyle: Bob's move and colour stay.
    expect(ann.undo()).toBe(true)
    expect(bob.getStroke(mine)?.width).toBe(pen.width)
    expect(bob.getStroke(id)).toMatchObject({ color: '#e03131', x: 10, y: 20 })
    // Bob undoes his move, then his colour: the stroke is as Ann drew it.
    expect(bob.undo()).toBe(true)
    expect(ann.getStroke(id)).toMatchObject({ color: '#e03131', x: 0, y: 0 })
    expect(bob.undo()).toBe(true)
    expect(shown(ann)).toEqual(drawn)
    expect(bob.redo()).toBe(true)
    expect(bob.redo()).toBe(true)
    expect(ann.getStroke(id)).toMatchObject({ color: '#e03131', x: 10, y: 20 })
    expect(ann.redo()).toBe(true)
    expect(bob.getStroke(mine)?.width).toBe(12)
    for (const board of [ann, bob]) {
      expect(isFlatRecord(board.elements.get(id))).toBe(true)
      expect(isFlatRecord(board.elements.get(mine))).toBe(true)
    }
    expect(shown(ann)).toEqual(shown(bob))
    // Ann's own undo stack still holds her strokes: undoing them takes them off both boards.
    expect(ann.undo()).toBe(true)
    expect(ann.undo()).toBe(true)
    expect(ann.undo()).toBe(true)
    expect(bob.elementIds()).toEqual([])
    expect(nonConformance(bob.doc)).toEqual([])
  })

  it('leaves an edit someone made over yours to them: undo skips it, as for one key of a map', () => {
    const ann = new Board(new Y.Doc(), 'ann')
    const bob = new Board(new Y.Doc(), 'bob')
    linked(ann, bob)
    const id = draw(ann, path(40))
    bob.beginAction()
    bob.updateElement(id, { color: '#e03131' })
    ann.beginAction()
    ann.updateElement(id, { width: 12 })
    // Ann's record replaced Bob's (it holds his colour): undoing hers brings back his, which he can no longer undo.
    expect(ann.undo()).toBe(true)
    expect(bob.getStroke(id)).toMatchObject({ color: '#e03131', width: pen.width })
    expect(bob.undo()).toBe(false)
    expect(ann.redo()).toBe(true)
    expect(bob.getStroke(id)).toMatchObject({ color: '#e03131', width: 12 })
    expect(shown(ann)).toEqual(shown(bob))
  })
})

describe('a board written with ink records (schema 4)', () => {
  it('is converted to flat records and draws the same', async () => {
    const older = new Board(new Y.Doc(), 'ann')
    older.undoManager.destroy()
    const ids = Array.from({ length: 12 }, (_, i) => drawRecordStroke(older, pen, path(80, i * 90, i * 7)))
    // Edits made on schema 4 strokes are keys on their element maps, over the record's.
    older.beginAction()
    older.updateElement(ids[2] as string, { x: 15, color: '#e03131', opacity: 0.5, locked: true })
    older.updateElement(ids[5] as string, { rotation: 45, scaleX: 1.5, groupId: 'g' })
    older.addShape('rect', { x: 10, y: 10, width: 100, height: 60 })
    expect(older.meta.get('schema')).toBe(BOARD_SCHEMA_VERSION)
    older.meta.set('schema', 4)
    const file = encodeBoardFile(older.doc)
    const opened = openBoardFile(file)
    const svg = async (b: Board) =>
      (await exportSvg(exportLayout(b, { scale: 1, padding: 16, background: 'white' }))).text
    const before = { shown: shown(opened), svg: await svg(opened) }
    expect(recordFinishedStrokes(opened.doc, 'host', BOARD_SCHEMA_VERSION)).toBe(12)
    const reopened = openBoardFile(encodeBoardFile(opened.doc))
    expect(reopened.meta.get('schema')).toBe(BOARD_SCHEMA_VERSION)
    for (const id of ids) expect(isFlatRecord(reopened.elements.get(id))).toBe(true)
    expect(shown(reopened)).toEqual(before.shown)
    expect(await svg(reopened)).toBe(before.svg)
    expect(nonConformance(reopened.doc)).toEqual([])
    // Converted once: opening it again changes nothing.
    expect(recordFinishedStrokes(reopened.doc, 'host', BOARD_SCHEMA_VERSION)).toBe(0)
  })
})
