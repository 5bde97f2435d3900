import type { Board } from '../../../shared/board'
import { frameLabel } from '../../../shared/elements/frame'
import { boardFrames } from '../../../shared/selection'
import type { CanvasTool } from './gesture'
import { dragBox } from './shapeTool'

/** A drag shorter than this (screen px) draws nothing: it was a click. */
const MIN_DRAG_PX = 3

/** The name a new frame gets: "Frame N", N one more than the highest such number on the board. */
export function nextFrameName(board: Board): string {
  let highest = 0
  for (const frame of boardFrames(board)) {
    const n = /^Frame (\d+)$/.exec(frameLabel(frame))?.[1]
    if (n) highest = Math.max(highest, Number(n))
  }
  return `Frame ${highest + 1}`
}

/**
 * The frame tool (F): a drag draws a named frame (Shift: a square), as a rectangle is drawn; peers see it grow.
 * Whatever lies wholly inside it is in it (see shared/elements/frame.ts).
 */
export const frameTool: CanvasTool = {
  cursor: 'crosshair',
  down(input, { board, viewport }) {
    const x0 = input.x
    const y0 = input.y
    let id: string | undefined
    return {
      move(p) {
        const box = dragBox(x0, y0, p.x, p.y, p.shift)
        if (id === undefined) {
          if (Math.hypot(p.x - x0, p.y - y0) * viewport.get().zoom < MIN_DRAG_PX) return
          id = board.addFrame({ ...box, name: nextFrameName(board) })
          return
        }
        board.updateElement(id, box)
      },
      up: () => {},
      cancel: () => {},
    }
  },
}
