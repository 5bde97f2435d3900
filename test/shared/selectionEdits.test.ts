import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Board, type LineShape } from '../../src/shared/board'
import {
  deleteSelection,
  duplicateSelection,
  groupSelection,
  moveInZOrder,
  moveSelection,
  reorder,
  setLocked,
  toggleLocked,
  transformSelection,
  ungroupSelection,
  unlockWithGroups,
  ZMove,
} from '../../src/shared/selection'

/** Two replicas wired directly together, as a host would relay them. */
function pair(): [Board, Board] {
  const a = new Board(new Y.Doc(), 'alice')
  const b = new Board(new Y.Doc(), 'bob')
  a.doc.on('update', (u: Uint8Array, o: unknown) => o !== 'remote' && Y.applyUpdate(b.doc, u, 'remote'))
  b.doc.on('update', (u: Uint8Array, o: unknown) => o !== 'remote' && Y.applyUpdate(a.doc, u, 'remote'))
  return [a, b]
}

/** Two replicas whose updates are held until `sync()`, so edits can cross. */
function offlinePair(): { a: Board; b: Board; sync(): void } {
  const a = new Board(new Y.Doc(), 'alice')
  const b = new Board(new Y.Doc(), 'bob')
  return {
    a,
    b,
    sync() {
      Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc)), 'remote')
      Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b.doc, Y.encodeStateVector(a.doc)), 'remote')
    },
  }
}

/** Everything a person sees of a board: its elements in order, as plain data. */
function snapshot(board: Board): unknown {
  return board
    .readElements()
    .map((el) => ({ ...el, points: 'points' in el ? Array.from(el.points) : undefined }))
}

function rects(board: Board, n: number): string[] {
  return Array.from({ length: n }, (_, i) =>
    board.addShape('rect', { x: i * 100, y: 0, width: 50, height: 50 }),
  )
}

/** Runs an edit and checks it is exactly one undo step that undo takes back whole and redo puts back. */
function oneStep(board: Board, edit: () => void): void {
  const before = snapshot(board)
  const steps = board.undoManager.undoStack.length
  edit()
  const after = snapshot(board)
  expect(after).not.toEqual(before)
  expect(board.undoManager.undoStack.length).toBe(steps + 1)
  board.undo()
  expect(snapshot(board)).toEqual(before)
  board.redo()
  expect(snapshot(board)).toEqual(after)
}

describe('selection edits, each one undo step', () => {
  it('deletes, passing over locked elements', () => {
    const b = new Board(new Y.Doc(), 'alice')
    const [r1, r2, r3] = rects(b, 3) as [string, string, string]
    b.updateElement(r3, { locked: true })
    oneStep(b, () => expect(deleteSelection(b, [r1, r2, r3])).toBe(2))
    expect(b.elementIds()).toEqual([r3])
  })

  it('deletes each element once however often it is named; deleting only locked ones is no step at all', () => {
    const b = new Board(new Y.Doc(), 'alice')
    const [r1, r2, r3, r4] = rects(b, 4) as [string, string, string, string]
    b.updateElement(r4, { locked: true })
    oneStep(b, () => expect(deleteSelection(b, [r1, r2, r1, 'nothing', r2, r1])).toBe(2))
    expect(b.elementIds()).toEqual([r3, r4])
    const steps = b.undoManager.undoStack.length
    expect(deleteSelection(b, [r4, r4, 'nothing'])).toBe(0)
    expect(b.undoManager.undoStack.length).toBe(steps)
    expect(b.elementIds()).toEqual([r3, r4])
  })

  it('moves and nudges; a bound arrow follows its shape in the same step', () => {
    const b = new Board(new Y.Doc(), 'alice')
    const box = b.addShape('rect', { x: 0, y: 0, width: 100, height: 100 })
    const other = b.addShape('rect', { x: 300, y: 0, width: 100, height: 100 })
    const arrow = b.addShape('arrow', {
      x: 100,
      y: 50,
      points: [0, 0, 200, 0],
      startBinding: box,
      endBinding: other,
    })
    const tipBefore = (b.readElement(arrow) as LineShape).x
    oneStep(b, () => moveSelection(b, [box], 0, 200))
    expect(b.readElement(box)).toMatchObject({ x: 0, y: 200 })
    const line = b.readElement(arrow) as LineShape
    expect(line.startBinding).toBe(box)
    // Its start now sits on the moved box's outline, below where it was.
    expect(line.y).toBeGreaterThan(200)
    expect(line.x).not.toBe(tipBefore)
    oneStep(b, () => moveSelection(b, [other], 1, 0))
    expect(b.readElement(other)).toMatchObject({ x: 301, y: 0 })
    oneStep(b, () => moveSelection(b, [other], 0, -10))
    expect(b.readElement(other)).toMatchObject({ x: 301, y: -10 })
  })

  it('stores a transform: strokes by scale, shapes by size, both turned', () => {
    const b = new Board(new Y.Doc(), 'alice')
    const s = b.beginStroke({ color: '#1e1e1e', width: 4 }, [0, 0, 0.5, 100, 50, 0.5])
    b.finishStroke(s)
    const r = b.addShape('rect', { x: 0, y: 0, width: 100, height: 50 })
    // Centres stay at (50, 25); each doubles in width and turns 30°.
    const change = { x: 50, y: 25, rotation: 30, scaleX: 2, scaleY: 1 }
    oneStep(b, () =>
      transformSelection(b, [
        [s, change],
        [r, change],
      ]),
    )
    expect(b.readElement(s)).toMatchObject({ scaleX: 2, scaleY: 1, rotation: 30 })
    expect(b.readElement(r)).toMatchObject({ width: 200, height: 50, x: -50, y: 0, rotation: 30 })
  })

  it('locks and unlocks; a locked element takes no other edit', () => {
    const b = new Board(new Y.Doc(), 'alice')
    const [r1, r2] = rects(b, 2) as [string, string]
    oneStep(b, () => setLocked(b, [r1], true))
    expect(b.readElement(r1)?.locked).toBe(true)
    const steps = b.undoManager.undoStack.length
    moveSelection(b, [r1], 10, 10)
    deleteSelection(b, [r1])
    expect(b.undoManager.undoStack.length).toBe(steps)
    expect(b.readElement(r1)).toMatchObject({ x: 0, y: 0 })
    // Mixed: Ctrl+Shift+L locks all; again unlocks all.
    oneStep(b, () => expect(toggleLocked(b, [r1, r2])).toBe(true))
    oneStep(b, () => expect(toggleLocked(b, [r1, r2])).toBe(false))
    expect(b.readElement(r1)?.locked).toBe(false)
  })

  it('unlocking one element of a locked group unlocks the whole group, and nothing else', () => {
    const b = new Board(new Y.Doc(), 'alice')
    const [r1, r2, r3, other] = rects(b, 4) as [string, string, string, string]
    groupSelection(b, [r1, r2, r3])
    setLocked(b, [r1, r2, r3, other], true)
    let unlocked: string[] = []
    oneStep(b, () => {
      unlocked = unlockWithGroups(b, [r2])
    })
    b.redo()
    expect(unlocked.sort()).toEqual([r1, r2, r3].sort())
    for (const id of [r1, r2, r3]) expect(b.readElement(id)?.locked, id).toBe(false)
    expect(b.readElement(other)?.locked).toBe(true)
    // An element in no group unlocks alone.
    expect(unlockWithGroups(b, [other])).toEqual([other])
    expect(b.readElement(other)?.locked).toBe(false)
  })

  it('groups and ungroups', () => {
    const b = new Board(new Y.Doc(), 'alice')
    const [r1, r2, r3] = rects(b, 3) as [string, string, string]
    let group: string | undefined
    oneStep(b, () => {
      group = groupSelection(b, [r1, r2])
    })
    expect(group).toMatch(/^[0-9a-f]{24}$/)
    expect(b.readElement(r1)?.groupId).toBe(group)
    expect(b.readElement(r2)?.groupId).toBe(group)
    expect(b.readElement(r3)?.groupId).toBeUndefined()
    expect(groupSelection(b, [r3])).toBeUndefined()
    oneStep(b, () => expect(ungroupSelection(b, [r1, r2])).toBe(2))
    expect(b.readElement(r1)?.groupId).toBeUndefined()
  })

  it('duplicates with new ids, an offset, a new group and bindings to the copies', () => {
    const b = new Board(new Y.Doc(), 'alice')
    const box = b.addShape('rect', { x: 0, y: 0, width: 100, height: 100, groupId: 'g1' })
    const other = b.addShape('rect', { x: 300, y: 0, width: 100, height: 100, groupId: 'g1' })
    const arrow = b.addShape('arrow', {
      x: 100,
      y: 50,
      points: [0, 0, 200, 0],
      startBinding: box,
      endBinding: other,
      groupId: 'g1',
    })
    const note = b.addNote({ x: 0, y: 300, text: 'hello' })
    let copies: string[] = []
    oneStep(b, () => {
      copies = duplicateSelection(b, [box, other, arrow, note])
    })
    expect(copies).toHaveLength(4)
    for (const id of copies) expect([box, other, arrow, note]).not.toContain(id)
    expect(b.elementIds().slice(-4)).toEqual(copies)
    const [cBox, cOther, cArrow, cNote] = copies.map((id) => b.readElement(id)) as [
      ReturnType<Board['readElement']>,
      ReturnType<Board['readElement']>,
      LineShape,
      ReturnType<Board['readElement']>,
    ]
    expect(cBox).toMatchObject({ x: 10, y: 10, width: 100, kind: 'rect' })
    expect(cOther).toMatchObject({ x: 310, y: 10 })
    expect(cArrow.startBinding).toBe(cBox?.id)
    expect(cArrow.endBinding).toBe(cOther?.id)
    expect(cBox?.groupId).toBeDefined()
    expect(cBox?.groupId).not.toBe('g1')
    expect(cArrow.groupId).toBe(cBox?.groupId)
    expect(cNote).toMatchObject({ kind: 'note', text: 'hello', x: 10, y: 310 })
    // The copy's text is its own: editing it leaves the original alone.
    b.replaceText(cNote?.id as string, 'changed')
    expect(b.readElement(note)).toMatchObject({ text: 'hello' })
    // An arrow duplicated without its shapes is free.
    const [lone] = duplicateSelection(b, [arrow])
    const loneArrow = b.readElement(lone as string) as LineShape
    expect(loneArrow.startBinding).toBeUndefined()
    expect(loneArrow.endBinding).toBeUndefined()
  })

  it('duplicates strokes with their points, scale and turn', () => {
    const b = new Board(new Y.Doc(), 'alice')
    const s = b.beginStroke({ color: '#e03131', width: 8 }, [0, 0, 0.5, 100, 50, 0.7])
    b.finishStroke(s)
    b.updateElement(s, { scaleX: 2, rotation: 20 })
    const [copy] = duplicateSelection(b, [s])
    const original = b.getStroke(s)
    const dup = b.getStroke(copy as string)
    expect(dup).toMatchObject({ color: '#e03131', width: 8, scaleX: 2, rotation: 20, done: true })
    expect(dup?.x).toBeCloseTo((original?.x ?? 0) + 10)
    expect(Array.from(dup?.points ?? [])).toEqual(
      Array.from(original?.points ?? []).map((v) => expect.closeTo(v, 2)),
    )
  })
})

describe('z-order', () => {
  it('computes forward, backward, to front and to back', () => {
    const order = ['a', 'b', 'c', 'd', 'e']
    expect(reorder(order, new Set(['b', 'c']), ZMove.Forward)).toEqual(['a', 'd', 'b', 'c', 'e'])
    expect(reorder(order, new Set(['b', 'd']), ZMove.Forward)).toEqual(['a', 'c', 'b', 'e', 'd'])
    expect(reorder(order, new Set(['e']), ZMove.Forward)).toEqual(order)
    expect(reorder(order, new Set(['c', 'd']), ZMove.Backward)).toEqual(['a', 'c', 'd', 'b', 'e'])
    expect(reorder(order, new Set(['a']), ZMove.Backward)).toEqual(order)
    expect(reorder(order, new Set(['b', 'd']), ZMove.ToFront)).toEqual(['a', 'c', 'e', 'b', 'd'])
    expect(reorder(order, new Set(['b', 'd']), ZMove.ToBack)).toEqual(['b', 'd', 'a', 'c', 'e'])
  })

  it('moves elements in the board order, one undo step each, and not when nothing would change', () => {
    const b = new Board(new Y.Doc(), 'alice')
    const [r1, r2, r3, r4] = rects(b, 4) as [string, string, string, string]
    oneStep(b, () => moveInZOrder(b, [r1], ZMove.ToFront))
    expect(b.elementIds()).toEqual([r2, r3, r4, r1])
    oneStep(b, () => moveInZOrder(b, [r1], ZMove.ToBack))
    expect(b.elementIds()).toEqual([r1, r2, r3, r4])
    oneStep(b, () => moveInZOrder(b, [r2, r3], ZMove.Forward))
    expect(b.elementIds()).toEqual([r1, r4, r2, r3])
    oneStep(b, () => moveInZOrder(b, [r3], ZMove.Backward))
    expect(b.elementIds()).toEqual([r1, r4, r3, r2])
    const steps = b.undoManager.undoStack.length
    expect(moveInZOrder(b, [r2], ZMove.ToFront)).toBe(false)
    expect(b.undoManager.undoStack.length).toBe(steps)
  })
})

describe('two people at once', () => {
  it('converge when one moves and the other deletes, groups or reorders the same elements', () => {
    const { a, b, sync } = offlinePair()
    const [r1, r2, r3] = rects(a, 3) as [string, string, string]
    sync()
    moveSelection(a, [r1, r2], 5, 5)
    deleteSelection(b, [r2])
    groupSelection(a, [r1, r3])
    moveInZOrder(b, [r1], ZMove.ToFront)
    moveInZOrder(a, [r1], ZMove.ToBack)
    setLocked(b, [r3], true)
    sync()
    expect(snapshot(a)).toEqual(snapshot(b))
    expect(a.elementIds()).toEqual(b.elementIds())
    expect(a.readElement(r2)).toBeUndefined()
    expect(a.readElement(r1)).toMatchObject({ x: 5, y: 5 })
    // Both z-order moves ran; whichever wins, both replicas show the same, and r1 appears once.
    expect(a.elementIds().filter((id) => id === r1)).toHaveLength(1)
  })

  it('undo takes back only this person’s edit, even when the other edited the same element since', () => {
    const [a, b] = pair()
    const r = a.addShape('rect', { x: 0, y: 0, width: 50, height: 50 })
    moveSelection(a, [r], 100, 0)
    setLocked(b, [r], true)
    a.undo()
    expect(b.readElement(r)).toMatchObject({ x: 0, locked: true })
    // Bob's lock is Bob's to undo; Alice undoing again removes her rectangle.
    b.undo()
    expect(a.readElement(r)?.locked).toBe(false)
    const d = duplicateSelection(b, [r])
    a.undo()
    expect(a.readElement(r)).toBeUndefined()
    expect(a.readElement(d[0] as string)).toBeDefined()
  })
})
