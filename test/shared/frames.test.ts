// Frames on real boards (real Y.Docs): what a frame holds, moving it, its name, its checks and its hit test.
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Board, type BoardElement, ElementError, ElementKind } from '../../src/shared/board'
import { frameMembers, isFrame, owningFrame } from '../../src/shared/elements/frame'
import { boardFrames, boardLookup, hitsElement, membersOf, moveSelection } from '../../src/shared/selection'
import { BoardGuard } from '../../src/shared/validate/boardGuard'

const rect = (board: Board, x: number, y: number, w = 40, h = 40) =>
  board.addShape('rect', { x, y, width: w, height: h })

function frameOf(board: Board, id: string) {
  const el = board.readElement(id)
  if (!isFrame(el)) throw new Error(`${id} is no frame`)
  return el
}

const members = (board: Board, frame: string) =>
  membersOf(board, boardLookup(board), frameOf(board, frame)).sort()
const at = (board: Board, id: string) => {
  const el = board.readElement(id) as BoardElement
  return [el.x, el.y]
}

describe('a frame', () => {
  it('is stored under everything, with its name and area, and reads back upright', () => {
    const board = new Board(undefined, 'ann')
    const shape = rect(board, 0, 0)
    const id = board.addFrame({ x: 10, y: 20, width: 300, height: 200, name: 'Slide 1' })
    expect(board.elementIds()).toEqual([id, shape])
    expect(board.readElement(id)).toMatchObject({
      kind: ElementKind.Frame,
      x: 10,
      y: 20,
      width: 300,
      height: 200,
      name: 'Slide 1',
      rotation: 0,
    })
    // A turn (a Transformer, or a peer) does not turn a frame.
    board.updateElement(id, { rotation: 30 })
    expect(board.readElement(id)?.rotation).toBe(0)
    expect(boardFrames(board).map((f) => f.name)).toEqual(['Slide 1'])
  })

  it('refuses a name on two lines or too long, and keys a frame has not', () => {
    const board = new Board()
    const id = board.addFrame({ x: 0, y: 0, width: 100, height: 100, name: 'A' })
    expect(() => board.updateElement(id, { name: 'one\ntwo' })).toThrow(
      /name is at most 200 characters on one line/,
    )
    expect(() => board.updateElement(id, { name: 'x'.repeat(201) })).toThrow(ElementError)
    expect(() => board.updateElement(id, { fillColor: '#ff0000' })).toThrow('a frame has no "fillColor"')
    expect(() => board.addShape('rect', { name: 'no' } as never)).toThrow('a rect has no "name"')
    board.updateElement(id, { name: 'Renamed' })
    expect(frameOf(board, id).name).toBe('Renamed')
  })

  it("passes the host's guard as a board makes it, and a peer's frame with a bad name is refused", () => {
    const host = new Y.Doc()
    const guard = new BoardGuard(host)
    const ann = new Board(new Y.Doc(), 'ann')
    const verdicts: boolean[] = []
    ann.doc.on('update', (u: Uint8Array) => {
      const v = guard.check(u)
      verdicts.push(v.ok)
      if (v.ok) {
        Y.applyUpdate(host, u)
        v.commit()
      }
    })
    const id = ann.addFrame({ x: 0, y: 0, width: 100, height: 80, name: 'Plan' })
    ann.updateElement(id, { name: 'Plan B', width: 120 })
    expect(verdicts).toEqual([true, true])
    expect(new Board(host).readElement(id)).toMatchObject({ kind: 'frame', name: 'Plan B', width: 120 })

    // A peer that writes the map by hand, with a name of two lines.
    const mallory = new Y.Doc()
    Y.applyUpdate(mallory, Y.encodeStateAsUpdate(host))
    const before = Y.encodeStateVector(mallory)
    mallory.transact(() => mallory.getMap<Y.Map<unknown>>('elements').get(id)?.set('name', 'a\nb'))
    const verdict = guard.check(Y.encodeStateAsUpdate(mallory, before))
    expect(verdict).toMatchObject({ ok: false, problem: 'invalid' })
    expect(verdict.ok ? '' : verdict.reason).toMatch(/name is at most 200 characters on one line/)
  })
})

describe('what a frame holds', () => {
  it('the elements wholly inside it; not one partly out, not one outside, not another frame', () => {
    const board = new Board()
    const frame = board.addFrame({ x: 0, y: 0, width: 200, height: 200, name: 'F' })
    const inside = rect(board, 20, 20)
    const text = board.addText({ x: 100, y: 100, text: 'hi' })
    rect(board, 180, 180) // crosses the edge
    rect(board, 400, 0) // outside
    board.addFrame({ x: 300, y: 0, width: 50, height: 50, name: 'other' })
    expect(members(board, frame)).toEqual([inside, text].sort())
  })

  it('an element in two overlapping frames belongs to the smaller one', () => {
    const board = new Board()
    const big = board.addFrame({ x: 0, y: 0, width: 400, height: 400, name: 'big' })
    const small = board.addFrame({ x: 50, y: 50, width: 100, height: 100, name: 'small' })
    const inSmall = rect(board, 60, 60)
    const inBigOnly = rect(board, 300, 300)
    expect(members(board, small)).toEqual([inSmall])
    expect(members(board, big)).toEqual([inBigOnly])
    const frames = boardFrames(board)
    expect(owningFrame(board.readElement(inSmall) as BoardElement, frames)?.id).toBe(small)
  })

  it('takes a group whole or not at all, and leaves out an arrow bound to something outside', () => {
    const board = new Board()
    const frame = board.addFrame({ x: 0, y: 0, width: 300, height: 300, name: 'F' })
    const a = rect(board, 10, 10)
    const b = rect(board, 500, 10)
    board.updateElements([
      [a, { groupId: 'g1' }],
      [b, { groupId: 'g1' }],
    ])
    const c = rect(board, 100, 100)
    const d = rect(board, 200, 200)
    const outside = rect(board, 600, 600)
    const bound = board.addShape('arrow', { x: 120, y: 120, points: [0, 0, 80, 80] })
    board.updateElement(bound, { startBinding: c, endBinding: d })
    const loose = board.addShape('arrow', { x: 150, y: 20, points: [0, 0, 50, 0] })
    board.updateElement(loose, { startBinding: outside })
    expect(members(board, frame)).toEqual([c, d, bound].sort())
    // The same without the board: the group's mates among what is near.
    const near = board.readElements()
    expect(
      frameMembers(frameOf(board, frame), near)
        .map((e) => e.id)
        .sort(),
    ).toEqual([c, d, bound].sort())
  })
})

describe('moving a frame', () => {
  it('moves what it holds with it, as one undo step, and a peer sees one change', () => {
    const ann = new Board(new Y.Doc(), 'ann')
    const bob = new Board(new Y.Doc(), 'bob')
    const updates: Uint8Array[] = []
    ann.doc.on('update', (u: Uint8Array) => updates.push(u))
    const frame = ann.addFrame({ x: 0, y: 0, width: 200, height: 200, name: 'F' })
    const inside = rect(ann, 20, 20)
    const stroke = ann.beginStroke({ color: '#1e1e1e', width: 2 }, [50, 150, 0.5, 80, 160, 0.5])
    ann.finishStroke(stroke)
    const outside = rect(ann, 300, 300)
    const locked = rect(ann, 100, 20)
    ann.updateElement(locked, { locked: true })
    for (const u of updates.splice(0)) Y.applyUpdate(bob.doc, u)

    moveSelection(ann, [frame], 100, 50)
    expect(at(ann, frame)).toEqual([100, 50])
    expect(at(ann, inside)).toEqual([120, 70])
    expect(at(ann, stroke)).toEqual([100, 50])
    expect(at(ann, outside)).toEqual([300, 300])
    // A lock holds against a frame's move too.
    expect(at(ann, locked)).toEqual([100, 20])

    expect(updates).toHaveLength(1)
    Y.applyUpdate(bob.doc, updates[0] as Uint8Array)
    expect(at(bob, frame)).toEqual([100, 50])
    expect(at(bob, inside)).toEqual([120, 70])

    ann.undo()
    expect(at(ann, frame)).toEqual([0, 0])
    expect(at(ann, inside)).toEqual([20, 20])
    expect(at(ann, stroke)).toEqual([0, 0])
  })

  it('moving a member alone leaves the frame; out of the frame, it is no longer in it', () => {
    const board = new Board()
    const frame = board.addFrame({ x: 0, y: 0, width: 200, height: 200, name: 'F' })
    const shape = rect(board, 20, 20)
    moveSelection(board, [shape], 300, 0)
    expect(at(board, frame)).toEqual([0, 0])
    expect(members(board, frame)).toEqual([])
    moveSelection(board, [frame], 10, 10)
    expect(at(board, shape)).toEqual([320, 20])
  })

  it('a frame selected with its members moves them once', () => {
    const board = new Board()
    const frame = board.addFrame({ x: 0, y: 0, width: 200, height: 200, name: 'F' })
    const shape = rect(board, 20, 20)
    moveSelection(board, [frame, shape], 5, 5)
    expect(at(board, shape)).toEqual([25, 25])
  })
})

describe('pointing at a frame', () => {
  it('is hit on its outline and its name, not inside, so a press inside reaches what is in it', () => {
    const board = new Board()
    const id = board.addFrame({ x: 0, y: 0, width: 200, height: 100, name: 'Slide' })
    const frame = frameOf(board, id)
    expect(hitsElement(frame, 0, 50, 2)).toBe(true)
    expect(hitsElement(frame, 100, 100, 2)).toBe(true)
    expect(hitsElement(frame, 100, 50, 2)).toBe(false)
    // The name sits above the top-left corner.
    expect(hitsElement(frame, 10, -10, 0)).toBe(true)
    expect(hitsElement(frame, 150, -10, 0)).toBe(false)
  })
})
