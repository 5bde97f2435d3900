import { describe, expect, it } from 'vitest'
import { Board } from '../../src/shared/board'
import { hitElement, topElementAt } from '../../src/shared/elements/hit'

function read(board: Board, id: string) {
  const el = board.readElement(id)
  if (!el) throw new Error(`no element ${id}`)
  return el
}

describe('hit tests', () => {
  it('hits an unfilled rectangle on its outline only, a filled one anywhere inside', () => {
    const board = new Board()
    const empty = read(board, board.addShape('rect', { x: 0, y: 0, width: 100, height: 50 }))
    expect(hitElement(empty, 0, 25, 2)).toBe(true)
    expect(hitElement(empty, 50, 25, 2)).toBe(false)
    expect(hitElement(empty, 50, 25, 2, 'box')).toBe(true)
    const full = read(
      board,
      board.addShape('rect', { x: 0, y: 0, width: 100, height: 50, fillColor: '#ffc9c9' }),
    )
    expect(hitElement(full, 50, 25, 2)).toBe(true)
    expect(hitElement(full, 150, 25, 2)).toBe(false)
  })

  it('hits an ellipse on its curve, not in the corner of its box', () => {
    const board = new Board()
    const el = read(board, board.addShape('ellipse', { x: 0, y: 0, width: 100, height: 100 }))
    expect(hitElement(el, 0, 50, 2)).toBe(true)
    expect(hitElement(el, 50, 50, 2)).toBe(false)
    expect(hitElement(el, 3, 3, 2)).toBe(false)
  })

  it('hits a line near its segment and a turned text in its turned box', () => {
    const board = new Board()
    const line = read(board, board.addShape('line', { x: 10, y: 10, points: [0, 0, 100, 100] }))
    expect(hitElement(line, 60, 60, 2)).toBe(true)
    expect(hitElement(line, 60, 20, 2)).toBe(false)
    const text = read(
      board,
      board.addText({ x: 0, y: 200, text: 'some words here', fontSize: 20, rotation: 90 }),
    )
    const box = board.elementBounds(text.id)
    if (!box) throw new Error('no bounds')
    // Turned upright: narrow and tall around its centre.
    const cx = (box.minX + box.maxX) / 2
    expect(box.maxY - box.minY).toBeGreaterThan(box.maxX - box.minX)
    expect(hitElement(text, cx, box.minY + 5, 1)).toBe(true)
    expect(hitElement(text, box.maxX + 30, (box.minY + box.maxY) / 2, 1)).toBe(false)
  })

  it('finds the topmost element at a point', () => {
    const board = new Board()
    board.addShape('rect', { x: 0, y: 0, width: 100, height: 100, fillColor: '#ffc9c9' })
    const top = board.addNote({ x: 50, y: 50, width: 100, height: 100 })
    expect(topElementAt(board.readElements(), 75, 75, 1)?.id).toBe(top)
    expect(topElementAt(board.readElements(), 25, 25, 1)?.kind).toBe('rect')
    expect(topElementAt(board.readElements(), 500, 500, 1)).toBeUndefined()
  })
})
