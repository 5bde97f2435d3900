import { type Board, type BoardElement, ElementKind } from '../../../shared/board'
import { type ElementQuery, elementAt } from '../selection/elementQuery'
import type { CanvasTool } from './gesture'
import type { ToolStyle } from './style'
import { Tool } from './tool'

/** The text or note at a board point (topmost), for editing it in place. */
export function textAt(query: ElementQuery, x: number, y: number): string | undefined {
  // Only texts and notes count: a dot of ink on a text (the first click of a double-click) must not hide it.
  const isText = (e: BoardElement) =>
    (e.kind === ElementKind.Text || e.kind === ElementKind.Note) && !e.locked
  return elementAt(query, x, y, 2, { mode: 'box', accept: isText })?.id
}

/**
 * A click of the text or note tool: on a text or note, edit it; elsewhere, make a new one there (the click at the
 * middle of a text's first line, or of a note) and edit that. Returns what to edit.
 */
export function placeTextOrNote(
  board: Board,
  query: ElementQuery,
  tool: typeof Tool.Text | typeof Tool.Note,
  style: ToolStyle,
  x: number,
  y: number,
): { id: string; fresh: boolean } {
  const existing = textAt(query, x, y)
  if (existing) return { id: existing, fresh: false }
  if (tool === Tool.Note) {
    const size = 200
    const id = board.addNote({
      x: x - size / 2,
      y: y - size / 2,
      width: size,
      height: size,
      fillColor: style.noteFill,
      color: style.color,
      fontSize: Math.min(style.fontSize, 36),
      opacity: style.opacity,
    })
    return { id, fresh: true }
  }
  const id = board.addText({
    x,
    y: y - (style.fontSize * 1.25) / 2,
    fontSize: style.fontSize,
    color: style.color,
    opacity: style.opacity,
  })
  return { id, fresh: true }
}

/** The text (T) or sticky note (N) tool: a press places one, or picks the one under it, and edits it in place. */
export function textTool(tool: typeof Tool.Text | typeof Tool.Note): CanvasTool {
  return {
    cursor: tool === Tool.Text ? 'text' : 'crosshair',
    down(input, { board, scene, style, edit }) {
      if (scene) edit(placeTextOrNote(board, scene, tool, style, input.x, input.y))
      return null
    },
  }
}
