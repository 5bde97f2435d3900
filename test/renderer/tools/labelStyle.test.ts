// The style panel's font size on shapes and arrows sets their label's size (issue 13).
import { describe, expect, it } from 'vitest'
import { DEFAULT_STYLE, styleAttrs, styleOf } from '../../../src/renderer/src/tools/style'
import { Board, ELEMENT_DEFAULTS, ElementKind } from '../../../src/shared/board'

describe('label font size in the style panel', () => {
  it('a font size change sets labelFontSize on shapes and arrows, fontSize on texts', () => {
    for (const kind of ['rect', 'ellipse', 'line', 'arrow'] as const)
      expect(styleAttrs({ kind }, { fontSize: 36 })).toEqual({ labelFontSize: 36 })
    expect(styleAttrs({ kind: 'text' }, { fontSize: 36 })).toEqual({ fontSize: 36 })
  })

  it("shows a shape's label size, or the default size without one", () => {
    const board = new Board(undefined, 'ann')
    const rect = board.addShape(ElementKind.Rect, { width: 10, height: 10, label: 'x', labelFontSize: 56 })
    const arrow = board.addShape(ElementKind.Arrow, { points: [0, 0, 10, 0] })
    expect(styleOf(board.readElement(rect) as never, DEFAULT_STYLE).fontSize).toBe(56)
    expect(styleOf(board.readElement(arrow) as never, DEFAULT_STYLE).fontSize).toBe(
      ELEMENT_DEFAULTS.labelFontSize,
    )
  })
})
