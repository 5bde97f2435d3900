import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Board } from '../../src/shared/board'
import type { Rect } from '../../src/shared/geometry'
import {
  Align,
  alignOffsets,
  alignSelection,
  canArrange,
  Distribute,
  distributeOffsets,
  distributeSelection,
  groupSelection,
  setLocked,
  shapeBounds,
} from '../../src/shared/selection'

const rect = (x: number, y: number, w: number, h: number): Rect => ({
  minX: x,
  minY: y,
  maxX: x + w,
  maxY: y + h,
})

/** Two replicas wired directly together, as a host would relay them. */
function pair(): [Board, Board] {
  const a = new Board(new Y.Doc(), 'alice')
  const b = new Board(new Y.Doc(), 'bob')
  a.doc.on('update', (u: Uint8Array, o: unknown) => o !== 'remote' && Y.applyUpdate(b.doc, u, 'remote'))
  b.doc.on('update', (u: Uint8Array, o: unknown) => o !== 'remote' && Y.applyUpdate(a.doc, u, 'remote'))
  return [a, b]
}

const bounds = (board: Board, id: string): Rect => shapeBounds(board.readElement(id) ?? assertGone(id))
function assertGone(id: string): never {
  throw new Error(`${id} is gone`)
}

describe('align and distribute offsets', () => {
  const rs = [rect(10, 0, 20, 10), rect(50, 30, 40, 20), rect(0, 100, 10, 10)]

  it.each([
    [Align.Left, [-10, -50, 0], 'dx'],
    [Align.Right, [60, 0, 80], 'dx'],
    [Align.Center, [25, -25, 40], 'dx'],
    [Align.Top, [0, -30, -100], 'dy'],
    [Align.Bottom, [100, 60, 0], 'dy'],
    [Align.Middle, [50, 15, -50], 'dy'],
  ] as const)('%s moves each piece onto the common bounds', (how, want, axis) => {
    const got = alignOffsets(rs, how)
    expect(got.map((o) => o[axis])).toEqual(want)
    expect(got.every((o) => o[axis === 'dx' ? 'dy' : 'dx'] === 0)).toBe(true)
  })

  it('distributes with equal gaps between neighbours, the outermost staying', () => {
    // 0..10, 12..32, 80..100: 100 of room for 50 of width, so gaps of 25: the middle one goes to 35..55.
    const got = distributeOffsets(
      [rect(80, 0, 20, 5), rect(0, 0, 10, 5), rect(12, 0, 20, 5)],
      Distribute.Horizontal,
    )
    expect(got).toEqual([
      { dx: 0, dy: 0 },
      { dx: 0, dy: 0 },
      { dx: 23, dy: 0 },
    ])
  })

  it('spaces centres evenly when the pieces overlap too much for gaps', () => {
    const got = distributeOffsets(
      [rect(0, 0, 5, 100), rect(0, 10, 5, 100), rect(0, 90, 5, 100)],
      Distribute.Vertical,
    )
    // Centres 50, 60, 140 → 50, 95, 140.
    expect(got.map((o) => o.dy)).toEqual([0, 35, 0])
  })

  it('leaves fewer than three pieces alone', () => {
    expect(distributeOffsets([rect(0, 0, 1, 1), rect(9, 0, 1, 1)], Distribute.Horizontal)).toEqual([
      { dx: 0, dy: 0 },
      { dx: 0, dy: 0 },
    ])
  })
})

describe('shape bounds', () => {
  it('are a shape’s edges without its outline, an arrow’s points without its head, turned ones included', () => {
    const b = new Board(new Y.Doc(), 'alice')
    const r = b.addShape('rect', { x: 10, y: 20, width: 100, height: 50, strokeWidth: 8 })
    expect(shapeBounds(b.readElement(r) ?? assertGone(r))).toEqual(rect(10, 20, 100, 50))
    const a = b.addShape('arrow', { x: 5, y: 5, points: [0, 0, 60, 30], strokeWidth: 4 })
    expect(shapeBounds(b.readElement(a) ?? assertGone(a))).toEqual(rect(5, 5, 60, 30))
    b.updateElement(r, { rotation: 90 })
    const turned = shapeBounds(b.readElement(r) ?? assertGone(r))
    // Turned a quarter about its centre (60, 45): 50 wide, 100 high.
    expect(turned.minX).toBeCloseTo(35, 9)
    expect(turned.maxY).toBeCloseTo(95, 9)
  })
})

describe('aligning and distributing a selection on a board', () => {
  it('aligns left edges in one undo step that a peer sees, and undo takes it back whole', () => {
    const [a, b] = pair()
    const ids = [
      a.addShape('rect', { x: 100, y: 0, width: 50, height: 50 }),
      a.addShape('ellipse', { x: 230, y: 90, width: 80, height: 40 }),
      a.addShape('rect', { x: 170, y: 200, width: 20, height: 20 }),
    ]
    const steps = a.undoManager.undoStack.length
    // The leftmost stays: two move.
    expect(alignSelection(a, ids, Align.Left)).toBe(2)
    expect(a.undoManager.undoStack.length).toBe(steps + 1)
    for (const id of ids) expect(bounds(b, id).minX).toBe(bounds(b, ids[0] as string).minX)
    a.undo()
    expect(b.readElement(ids[1] as string)?.x).toBe(230)
    expect(b.readElement(ids[2] as string)?.x).toBe(170)
  })

  it('moves a group as one piece and leaves locked elements where they are', () => {
    const [a, b] = pair()
    const left = a.addShape('rect', { x: 0, y: 0, width: 10, height: 10 })
    const g1 = a.addShape('rect', { x: 100, y: 50, width: 10, height: 10 })
    const g2 = a.addShape('rect', { x: 140, y: 80, width: 10, height: 10 })
    const locked = a.addShape('rect', { x: 300, y: 0, width: 10, height: 10 })
    groupSelection(a, [g1, g2])
    setLocked(a, [locked], true)
    alignSelection(a, [left, g1, g2, locked], Align.Right)
    // The group's right (150) is the right of the unlocked pieces: the left one moves to it.
    expect(b.readElement(left)?.x).toBe(140)
    expect(b.readElement(g1)?.x).toBe(100)
    expect(b.readElement(g2)?.x).toBe(140)
    expect(b.readElement(locked)?.x).toBe(300)
    expect(
      canArrange(
        [a.readElement(g1), a.readElement(g2)].flatMap((e) => e ?? []),
        'align',
      ),
    ).toBe(false)
  })

  it('distributes horizontally in one undo step', () => {
    const [a, b] = pair()
    const ids = [0, 30, 200].map((x) => a.addShape('rect', { x, y: 0, width: 40, height: 10 }))
    const steps = a.undoManager.undoStack.length
    distributeSelection(a, ids, Distribute.Horizontal)
    expect(a.undoManager.undoStack.length).toBe(steps + 1)
    // The middle one ends halfway between its neighbours' facing edges.
    const xs = ids.map((id) => bounds(b, id))
    expect(xs[1]?.minX as number).toBeCloseTo(((xs[0]?.maxX as number) + (xs[2]?.minX as number)) / 2 - 20, 9)
    expect(b.readElement(ids[0] as string)?.x).toBe(0)
    expect(b.readElement(ids[2] as string)?.x).toBe(200)
  })

  it('does nothing, and adds no undo step, for too few pieces', () => {
    const [a] = pair()
    const ids = [a.addShape('rect', { x: 0, y: 0, width: 10, height: 10 })]
    const steps = a.undoManager.undoStack.length
    expect(alignSelection(a, ids, Align.Top)).toBe(0)
    expect(distributeSelection(a, ids, Distribute.Vertical)).toBe(0)
    expect(a.undoManager.undoStack.length).toBe(steps)
  })
})
