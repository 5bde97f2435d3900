import type { Board, Stroke } from '../../../shared/board'
import { strokeHitsPoint } from '../../../shared/geometry'
import type { StrokeIndex } from '../../../shared/scene'

/** What the eraser needs to find strokes near a point. */
export interface EraserTarget {
  index: StrokeIndex
  stroke(id: string): Stroke | undefined
}

/** One eraser drag: every stroke it touches is removed, and the whole drag is one undo step. */
export interface EraserGesture {
  move(x: number, y: number): void
  end(): void
}

/** Starts an eraser drag at a board point with a radius in board units. */
export function startEraser(
  board: Board,
  target: EraserTarget,
  x: number,
  y: number,
  radius: number,
): EraserGesture {
  board.beginAction()
  let lastX = x
  let lastY = y

  const eraseAt = (px: number, py: number): string[] => {
    const hits: string[] = []
    const near = target.index.search({
      minX: px - radius,
      minY: py - radius,
      maxX: px + radius,
      maxY: py + radius,
    })
    for (const id of near) {
      const s = target.stroke(id)
      if (s && strokeHitsPoint(s.points, px, py, radius + s.width / 2)) hits.push(id)
    }
    return hits
  }

  const sweep = (toX: number, toY: number): void => {
    // Sample the segment so that a fast drag does not jump over thin strokes.
    const dist = Math.hypot(toX - lastX, toY - lastY)
    const steps = Math.max(1, Math.ceil(dist / Math.max(0.5, radius / 2)))
    const hits = new Set<string>()
    for (let i = 1; i <= steps; i++) {
      const t = i / steps
      for (const id of eraseAt(lastX + (toX - lastX) * t, lastY + (toY - lastY) * t)) hits.add(id)
    }
    lastX = toX
    lastY = toY
    if (hits.size > 0) board.deleteElements(hits)
  }

  const first = eraseAt(x, y)
  if (first.length > 0) board.deleteElements(first)

  return {
    move: sweep,
    end() {},
  }
}
