import type { Board, StrokeStyle } from '../../../shared/board'
import { MOUSE_PRESSURE } from '../../../shared/scene'
import type { CanvasTool } from './gesture'
import type { ToolStyle } from './style'
import type { InputPoint } from './tool'

/** Highlighter ink is this many times wider than the chosen pen width. */
export const HIGHLIGHTER_WIDTH_FACTOR = 3
/** Widest highlighter ink, board units. */
const MAX_HIGHLIGHTER_WIDTH = 200

/** One pen stroke being drawn: points go to the board at most once per animation frame. */
export interface PenGesture {
  add(points: InputPoint[]): void
  end(): void
  readonly id: string
}

/** Pressure to store for a pointer sample: mice (and pens reporting nothing) store the mouse pressure. */
export function samplePressure(pointerType: string, pressure: number): number {
  if (pointerType === 'mouse' || !(pressure > 0)) return MOUSE_PRESSURE
  return Math.min(1, pressure)
}

/** Starts a stroke at a first point; peers see it from now on. */
export function startPen(board: Board, style: StrokeStyle, first: InputPoint): PenGesture {
  const id = board.beginStroke(style, [first.x, first.y, first.pressure])
  let buffer: number[] = []
  let last = first
  let frame = 0

  const flush = (): void => {
    frame = 0
    if (buffer.length === 0) return
    const chunk = buffer
    buffer = []
    board.appendPoints(id, chunk)
  }

  return {
    id,
    add(points) {
      for (const p of points) {
        // Sub-pixel repeats add bytes for every peer and nothing to the ink.
        if (Math.abs(p.x - last.x) < 0.05 && Math.abs(p.y - last.y) < 0.05) continue
        buffer.push(p.x, p.y, p.pressure)
        last = p
      }
      if (buffer.length > 0 && !frame) frame = requestAnimationFrame(flush)
    },
    end() {
      if (frame) cancelAnimationFrame(frame)
      flush()
      board.finishStroke(id)
    },
  }
}

/** The ink the pen draws with a style: a highlighter is wider than the pen width the panel shows. */
export function inkStyle(style: ToolStyle): ToolStyle {
  return style.highlighter
    ? { ...style, width: Math.min(MAX_HIGHLIGHTER_WIDTH, style.width * HIGHLIGHTER_WIDTH_FACTOR) }
    : { ...style, highlighter: false }
}

/** The pen (P; Shift+P the highlighter): a stroke follows every coalesced pointer sample. */
export const penTool: CanvasTool = {
  cursor: 'crosshair',
  down(input, { board, style }) {
    const pen = startPen(board, inkStyle(style), input)
    return {
      move: (_input, samples) => pen.add(samples.map(({ x, y, pressure }) => ({ x, y, pressure }))),
      up: () => pen.end(),
      // A second finger means pinch, not ink: the stroke the first finger began is taken back.
      cancel: () => {
        pen.end()
        board.deleteElements([pen.id])
      },
    }
  },
}
