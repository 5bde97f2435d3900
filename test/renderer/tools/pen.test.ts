import { describe, expect, it } from 'vitest'
import { ViewportStore } from '../../../src/renderer/src/canvas/viewportStore'
import type { PointerInput, ToolContext } from '../../../src/renderer/src/tools/gesture'
import { inkStyle, penTool } from '../../../src/renderer/src/tools/pen'
import { DEFAULT_STYLE } from '../../../src/renderer/src/tools/style'
import { Board } from '../../../src/shared/board'

const at = (x: number, y: number): PointerInput => ({
  x,
  y,
  screenX: x,
  screenY: y,
  pressure: 0.5,
  pointerType: 'mouse',
  button: 0,
  shift: false,
  alt: false,
  mod: false,
})

const context = (board: Board, highlighter = false): ToolContext => ({
  board,
  viewport: new ViewportStore(),
  scene: null,
  style: { ...DEFAULT_STYLE, width: 8, highlighter },
  selection: null,
  store: undefined,
  readOnly: false,
  edit: () => {},
  setPanning: () => {},
})

describe('the pen tool', () => {
  it('draws highlighter ink three times the chosen width, at most 200 units', () => {
    expect(inkStyle({ ...DEFAULT_STYLE, width: 8, highlighter: true }).width).toBe(24)
    expect(inkStyle({ ...DEFAULT_STYLE, width: 100, highlighter: true }).width).toBe(200)
    expect(inkStyle({ ...DEFAULT_STYLE, width: 8 })).toMatchObject({ width: 8, highlighter: false })
  })

  it('starts a stroke on the board at the press, in highlighter width when asked', () => {
    const board = new Board()
    penTool.down(at(10, 20), context(board, true))?.up(at(10, 20))
    const [stroke] = board.strokes()
    expect(stroke).toMatchObject({ width: 24, highlighter: true })
  })

  it('takes its stroke back when a second finger makes the press a pinch', () => {
    const board = new Board()
    const gesture = penTool.down(at(10, 20), context(board))
    expect(board.elementIds()).toHaveLength(1)
    gesture?.cancel()
    expect(board.elementIds()).toHaveLength(0)
  })
})
