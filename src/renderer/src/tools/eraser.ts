import { type Board, type BoardElement, ElementKind } from '../../../shared/board'
import type { ElementIndex } from '../../../shared/scene'
import { hitsElement } from '../../../shared/selection'
import type { CanvasTool } from './gesture'
import { ERASER_RADIUS_PX } from './tool'

/** What the eraser needs to find elements near a point. */
export interface EraserTarget {
  index: ElementIndex
  element(id: string): BoardElement | undefined
}

/** One eraser drag: every element it touches is removed (or, partial, cut), and the whole drag is one undo step. */
export interface EraserGesture {
  move(x: number, y: number): void
  end(): void
}

/**
 * Starts an eraser drag at a board point with a radius in board units. Whole: elements it touches go. Partial: ink
 * is cut where the eraser passes (the pieces stay) and other elements are left alone. Locked elements stay.
 */
export function startEraser(
  board: Board,
  target: EraserTarget,
  x: number,
  y: number,
  radius: number,
  partial = false,
): EraserGesture {
  board.beginAction()
  let lastX = x
  let lastY = y

  const near = (px: number, py: number): BoardElement[] => {
    const out: BoardElement[] = []
    for (const id of target.index.search({
      minX: px - radius,
      minY: py - radius,
      maxX: px + radius,
      maxY: py + radius,
    })) {
      const el = target.element(id)
      if (el && !el.locked) out.push(el)
    }
    return out
  }

  const eraseAt = (px: number, py: number, hits: Set<string>): void => {
    for (const el of near(px, py)) {
      if (partial) {
        // Board.eraseInk reads the stroke fresh, so pieces cut earlier in this drag are cut again.
        if (el.kind === ElementKind.Stroke) board.eraseInk(el.id, px, py, radius)
      } else if (hitsElement(el, px, py, radius)) hits.add(el.id)
    }
  }

  const sweep = (toX: number, toY: number): void => {
    // Sample the segment so that a fast drag does not jump over thin strokes.
    const dist = Math.hypot(toX - lastX, toY - lastY)
    const steps = Math.max(1, Math.ceil(dist / Math.max(0.5, radius / 2)))
    const hits = new Set<string>()
    for (let i = 1; i <= steps; i++) {
      const t = i / steps
      eraseAt(lastX + (toX - lastX) * t, lastY + (toY - lastY) * t, hits)
    }
    lastX = toX
    lastY = toY
    if (hits.size > 0) board.deleteElements(hits)
  }

  const first = new Set<string>()
  eraseAt(x, y, first)
  if (first.size > 0) board.deleteElements(first)

  return {
    move: sweep,
    end() {},
  }
}

/** The eraser (E; Shift+E cuts ink instead): its radius is the same on screen at every zoom. */
export const eraserTool: CanvasTool = {
  cursor: 'none',
  down(input, { board, scene, viewport, style }) {
    if (!scene) return null
    const radius = ERASER_RADIUS_PX / viewport.get().zoom
    const eraser = startEraser(board, scene, input.x, input.y, radius, style.partialEraser === true)
    return {
      move: (_input, samples) => {
        for (const p of samples) eraser.move(p.x, p.y)
      },
      up: () => eraser.end(),
      cancel: () => eraser.end(),
    }
  },
}
