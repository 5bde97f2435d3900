import { describe, expect, it } from 'vitest'
import { dragBox, isBindable, snapAngle, startShape } from '../../../src/renderer/src/tools/shapeTool'
import { DEFAULT_STYLE, styleAttrs } from '../../../src/renderer/src/tools/style'
import { Board, type BoardElement, type LineShape } from '../../../src/shared/board'
import { topElementAt } from '../../../src/shared/selection'

const target = (board: Board) => ({
  bindableAt: (x: number, y: number): BoardElement | undefined =>
    topElementAt(board.readElements().filter(isBindable), x, y, 2, { mode: 'box' }),
  unitsPerPixel: () => 1,
})

describe('shape drags', () => {
  it('keeps a square with Shift whichever way the drag goes', () => {
    expect(dragBox(100, 100, 40, 130, true)).toEqual({ x: 40, y: 100, width: 60, height: 60 })
    expect(dragBox(100, 100, 40, 130, false)).toEqual({ x: 40, y: 100, width: 60, height: 30 })
  })

  it('snaps a line to 15° steps with Shift', () => {
    const p = snapAngle(0, 0, 100, 30)
    expect(Math.atan2(p.y, p.x) * (180 / Math.PI)).toBeCloseTo(15)
    expect(Math.hypot(p.x, p.y)).toBeCloseTo(Math.hypot(100, 30))
  })

  it('draws nothing for a click, one undo step for a drag, and binds both ends of an arrow', () => {
    const board = new Board()
    const a = board.addShape('rect', { x: 0, y: 0, width: 100, height: 100 })
    const b = board.addShape('ellipse', { x: 300, y: 0, width: 100, height: 100 })
    const click = startShape(board, 'rect', DEFAULT_STYLE, target(board), 500, 500)
    click.move(501, 501, false)
    click.end()
    expect(click.id).toBeUndefined()
    const drag = startShape(board, 'arrow', DEFAULT_STYLE, target(board), 50, 50)
    for (let x = 60; x <= 350; x += 10) drag.move(x, 50, false)
    drag.end()
    const arrow = board.readElement(drag.id as string) as LineShape
    expect(arrow).toMatchObject({ startBinding: a, endBinding: b, strokeWidth: DEFAULT_STYLE.width / 2 })
    // From the rectangle's right edge to the circle's left, each 6 units out.
    expect(arrow.x).toBeCloseTo(106)
    expect(arrow.x + (arrow.points[2] as number)).toBeCloseTo(294)
    board.undo()
    expect(board.elementIds()).toEqual([a, b])
  })

  it('draws arrows with the route the style panel holds: curved ones bent, elbow ones routed square', () => {
    const board = new Board()
    const curved = startShape(board, 'arrow', { ...DEFAULT_STYLE, route: 'curved' }, target(board), 0, 0)
    for (let x = 10; x <= 200; x += 10) curved.move(x, 0, false)
    curved.end()
    // A fifth of its length, bulging to its left.
    expect(board.readElement(curved.id as string)).toMatchObject({ route: 'curved', bend: 40 })
    const a = board.addShape('rect', { x: 0, y: 300, width: 100, height: 100 })
    const b = board.addShape('rect', { x: 300, y: 500, width: 100, height: 100 })
    const elbow = startShape(board, 'arrow', { ...DEFAULT_STYLE, route: 'elbow' }, target(board), 50, 350)
    for (let k = 1; k <= 10; k++) elbow.move(50 + 30 * k, 350 + 20 * k, false)
    elbow.end()
    const arrow = board.readElement(elbow.id as string) as LineShape
    expect(arrow).toMatchObject({ route: 'elbow', startBinding: a, endBinding: b })
    const pts: number[][] = []
    for (let i = 0; i < arrow.points.length; i += 2)
      pts.push([arrow.x + (arrow.points[i] as number), arrow.y + (arrow.points[i + 1] as number)])
    expect(pts).toEqual([
      [106, 350],
      [200, 350],
      [200, 550],
      [294, 550],
    ])
  })

  it('maps a style change to the keys each kind has', () => {
    expect(styleAttrs({ kind: 'rect' }, { color: '#e03131', fill: '#a5d8ff', width: 8 })).toEqual({
      strokeColor: '#e03131',
      fillColor: '#a5d8ff',
      strokeWidth: 4,
    })
    expect(styleAttrs({ kind: 'text' }, { color: '#e03131', fill: '#a5d8ff', fontSize: 36 })).toEqual({
      color: '#e03131',
      fontSize: 36,
    })
    expect(styleAttrs({ kind: 'stroke' }, { highlighter: true, opacity: 0.5 })).toEqual({
      highlighter: true,
      opacity: 0.5,
    })
  })
})
