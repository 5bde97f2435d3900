import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Board, type BoardElement } from '../../src/shared/board'
import {
  clickSelection,
  hitsElement,
  marqueeSelection,
  selectionBounds,
  topElementAt,
} from '../../src/shared/selection'

const TOL = 2

/** A board with one element made by `make`; returns the element as read. */
function one(make: (b: Board) => string): BoardElement {
  const b = new Board(new Y.Doc(), 'alice')
  const id = make(b)
  const el = b.readElement(id)
  if (!el) throw new Error('no element')
  return el
}

/** A finished stroke through the given board points (pressure 0.5). */
function stroke(b: Board, pts: [number, number][], width = 4): string {
  const id = b.beginStroke(
    { color: '#1e1e1e', width },
    pts.flatMap(([x, y]) => [x, y, 0.5]),
  )
  b.finishStroke(id)
  return id
}

describe('hit tests per kind', () => {
  it('hits a stroke near its centre line only', () => {
    const s = one((b) =>
      stroke(b, [
        [0, 0],
        [100, 0],
      ]),
    )
    expect(hitsElement(s, 50, 1, TOL)).toBe(true)
    expect(hitsElement(s, 50, 3.9, TOL)).toBe(true)
    expect(hitsElement(s, 50, 10, TOL)).toBe(false)
    expect(hitsElement(s, 110, 0, TOL)).toBe(false)
  })

  it('hits a turned and a stretched stroke where they are drawn', () => {
    const turned = one((b) => {
      const id = stroke(b, [
        [0, 0],
        [100, 0],
      ])
      b.updateElement(id, { rotation: 90 })
      return id
    })
    // Turned about its centre (50, 0): now vertical from (50, -50) to (50, 50).
    expect(hitsElement(turned, 50, 40, TOL)).toBe(true)
    expect(hitsElement(turned, 90, 0, TOL)).toBe(false)
    const stretched = one((b) => {
      const id = stroke(b, [
        [0, 0],
        [100, 0],
      ])
      b.updateElement(id, { scaleX: 2 })
      return id
    })
    expect(hitsElement(stretched, 190, 0, TOL)).toBe(true)
    expect(hitsElement(stretched, 210, 0, TOL)).toBe(false)
  })

  it('hits a filled rectangle anywhere, an unfilled one on its outline', () => {
    const filled = one((b) =>
      b.addShape('rect', { x: 0, y: 0, width: 100, height: 50, fillColor: '#ff0000' }),
    )
    const hollow = one((b) => b.addShape('rect', { x: 0, y: 0, width: 100, height: 50 }))
    expect(hitsElement(filled, 50, 25, TOL)).toBe(true)
    expect(hitsElement(hollow, 50, 25, TOL)).toBe(false)
    expect(hitsElement(hollow, 50, 1, TOL)).toBe(true)
    expect(hitsElement(hollow, 99, 25, TOL)).toBe(true)
    expect(hitsElement(filled, 120, 25, TOL)).toBe(false)
    // In box mode (text editing, arrow binding) the inside of an outline counts too.
    expect(hitsElement(hollow, 50, 25, TOL, 'box')).toBe(true)
    expect(hitsElement(hollow, 120, 25, TOL, 'box')).toBe(false)
  })

  it('hits a turned rectangle by its turned outline', () => {
    const r = one((b) =>
      b.addShape('rect', { x: 0, y: 0, width: 100, height: 100, fillColor: '#ff0000', rotation: 45 }),
    )
    // The corner (2, 2) of the unturned box is outside the diamond; (50, -15) is inside it.
    expect(hitsElement(r, 2, 2, TOL)).toBe(false)
    expect(hitsElement(r, 50, -15, TOL)).toBe(true)
  })

  it('hits an ellipse inside its curve, not in the corners of its box', () => {
    const filled = one((b) =>
      b.addShape('ellipse', { x: 0, y: 0, width: 100, height: 60, fillColor: '#00ff00' }),
    )
    const hollow = one((b) => b.addShape('ellipse', { x: 0, y: 0, width: 100, height: 60 }))
    expect(hitsElement(filled, 50, 30, TOL)).toBe(true)
    expect(hitsElement(filled, 3, 3, TOL)).toBe(false)
    expect(hitsElement(hollow, 50, 30, TOL)).toBe(false)
    expect(hitsElement(hollow, 0, 30, TOL)).toBe(true)
    expect(hitsElement(hollow, 50, 59, TOL)).toBe(true)
    const circle = one((b) => b.addShape('ellipse', { x: 0, y: 0, width: 100, height: 100 }))
    expect(hitsElement(circle, 3, 3, TOL)).toBe(false)
    expect(hitsElement(circle, 3, 3, TOL, 'box')).toBe(true)
  })

  it('hits a line near its segments and an arrow at its head', () => {
    const line = one((b) => b.addShape('line', { x: 10, y: 10, points: [0, 0, 100, 0, 100, 100] }))
    expect(hitsElement(line, 60, 11, TOL)).toBe(true)
    expect(hitsElement(line, 111, 60, TOL)).toBe(true)
    expect(hitsElement(line, 60, 60, TOL)).toBe(false)
    const arrow = one((b) => b.addShape('arrow', { x: 0, y: 0, points: [0, 0, 100, 0], strokeWidth: 4 }))
    // The head is 16 long and about 13 wide: 6 units off the line beside the tip is still the arrow.
    expect(hitsElement(arrow, 96, 6, 0.5)).toBe(true)
    expect(hitsElement(arrow, 50, 6, 0.5)).toBe(false)
  })

  it('hits texts, notes and images anywhere in their box, turned ones too', () => {
    const note = one((b) => b.addNote({ x: 0, y: 0, text: 'hello' }))
    expect(hitsElement(note, 100, 100, TOL)).toBe(true)
    expect(hitsElement(note, 210, 100, TOL)).toBe(false)
    const text = one((b) => b.addText({ x: 0, y: 0, text: 'hello world', fontSize: 20 }))
    expect(hitsElement(text, 5, 12, TOL)).toBe(true)
    expect(hitsElement(text, 5, 40, TOL)).toBe(false)
    const turnedNote = one((b) => b.addNote({ x: 0, y: 0, width: 200, height: 20, rotation: 90 }))
    // A 200 × 20 strip turned upright about (100, 10).
    expect(hitsElement(turnedNote, 100, 90, TOL)).toBe(true)
    expect(hitsElement(turnedNote, 10, 10, TOL)).toBe(false)
    const b = new Board(new Y.Doc(), 'alice')
    const turnedText = b.readElement(
      b.addText({ x: 0, y: 200, text: 'some words here', fontSize: 20, rotation: 90 }),
    )
    const box = turnedText && b.elementBounds(turnedText.id)
    if (!turnedText || !box) throw new Error('no text')
    // Turned upright: narrow and tall around its centre.
    const cx = (box.minX + box.maxX) / 2
    expect(box.maxY - box.minY).toBeGreaterThan(box.maxX - box.minX)
    expect(hitsElement(turnedText, cx, box.minY + 5, 1)).toBe(true)
    expect(hitsElement(turnedText, box.maxX + 30, (box.minY + box.maxY) / 2, 1)).toBe(false)
  })

  it('picks the topmost element and passes over locked ones', () => {
    const b = new Board(new Y.Doc(), 'alice')
    const low = b.addShape('rect', { x: 0, y: 0, width: 100, height: 100, fillColor: '#ff0000' })
    const high = b.addShape('rect', { x: 50, y: 50, width: 100, height: 100, fillColor: '#00ff00' })
    const els = b.readElements()
    expect(topElementAt(els, 75, 75, TOL)?.id).toBe(high)
    expect(topElementAt(els, 25, 25, TOL)?.id).toBe(low)
    b.updateElement(high, { locked: true })
    expect(topElementAt(b.readElements(), 75, 75, TOL)?.id).toBe(low)
    expect(topElementAt(b.readElements(), 75, 75, TOL, { includeLocked: true })?.id).toBe(high)
    expect(topElementAt(els, 500, 500, TOL)).toBeUndefined()
  })

  it('picks a note above a filled rectangle, and the rectangle around it', () => {
    const b = new Board(new Y.Doc(), 'alice')
    b.addShape('rect', { x: 0, y: 0, width: 100, height: 100, fillColor: '#ffc9c9' })
    const top = b.addNote({ x: 50, y: 50, width: 100, height: 100 })
    expect(topElementAt(b.readElements(), 75, 75, 1)?.id).toBe(top)
    expect(topElementAt(b.readElements(), 25, 25, 1)?.kind).toBe('rect')
  })

  it('picks by box in box mode: an unfilled shape under the pointer, not the one beneath it', () => {
    const b = new Board(new Y.Doc(), 'alice')
    const low = b.addShape('rect', { x: 0, y: 0, width: 200, height: 200, fillColor: '#ff0000' })
    const hollow = b.addShape('rect', { x: 50, y: 50, width: 100, height: 100 })
    expect(topElementAt(b.readElements(), 100, 100, TOL)?.id).toBe(low)
    expect(topElementAt(b.readElements(), 100, 100, TOL, { mode: 'box' })?.id).toBe(hollow)
  })
})

describe('what a click and a marquee select', () => {
  it('selects elements wholly inside a marquee, whole groups, never locked ones', () => {
    const b = new Board(new Y.Doc(), 'alice')
    const inside = b.addShape('rect', { x: 10, y: 10, width: 20, height: 20 })
    const across = b.addShape('rect', { x: 90, y: 10, width: 40, height: 20 })
    const grouped = b.addShape('ellipse', { x: 50, y: 50, width: 10, height: 10, groupId: 'g1' })
    const mate = b.addShape('ellipse', { x: 500, y: 500, width: 10, height: 10, groupId: 'g1' })
    const locked = b.addShape('rect', { x: 20, y: 60, width: 10, height: 10, locked: true })
    const all = b.readElements()
    const marquee = { minX: 0, minY: 0, maxX: 100, maxY: 100 }
    const picked = marqueeSelection(all, marquee, all)
    expect(picked.sort()).toEqual([inside, grouped, mate].sort())
    expect(picked).not.toContain(across)
    expect(picked).not.toContain(locked)
  })

  it('selects the group of a clicked element; Shift adds and removes', () => {
    const b = new Board(new Y.Doc(), 'alice')
    const a = b.addShape('rect', { x: 0, y: 0, width: 10, height: 10, groupId: 'g' })
    const a2 = b.addShape('rect', { x: 20, y: 0, width: 10, height: 10, groupId: 'g' })
    const c = b.addShape('rect', { x: 40, y: 0, width: 10, height: 10 })
    const all = b.readElements()
    const byId = (id: string) => all.find((e) => e.id === id)
    expect(clickSelection([], byId(a), false, all).sort()).toEqual([a, a2].sort())
    expect(clickSelection([a, a2], byId(c), true, all).sort()).toEqual([a, a2, c].sort())
    expect(clickSelection([a, a2, c], byId(a2), true, all)).toEqual([c])
    expect(clickSelection([c], undefined, false, all)).toEqual([])
    expect(clickSelection([c], undefined, true, all)).toEqual([c])
  })

  it('bounds a selection by its ink, turned elements included', () => {
    const b = new Board(new Y.Doc(), 'alice')
    b.addShape('rect', { x: 0, y: 0, width: 100, height: 100, strokeWidth: 2, rotation: 45 })
    const r = selectionBounds(b.readElements())
    const half = Math.SQRT2 * 51
    expect(r?.minX).toBeCloseTo(50 - half, 5)
    expect(r?.maxY).toBeCloseTo(50 + half, 5)
  })
})
