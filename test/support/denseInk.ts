import type { Board } from '../../src/shared/board'
import type { Rect } from '../../src/shared/geometry'
import { seededRandom } from '../../src/shared/sync/memorySocket'

/**
 * Dense strokes zigzagging over `area` (a hand's jitter: bytes enough for several parts), covering it: ink an
 * overview shows as solid, so that a stroke missing from it or drawn where it should not be changes many pixels.
 */
export function fillDense(board: Board, area: Rect, color = '#1e1e1e'): void {
  const random = seededRandom(area.minX + area.minY)
  for (let y = area.minY; y < area.maxY; y += 20) {
    const flat: number[] = []
    for (let x = area.minX; x <= area.maxX; x += 10)
      flat.push(x + random(), y + ((x / 40) % 2) * 20 + random() * 3, 0.3 + random() * 0.4)
    board.finishStroke(board.beginStroke({ color, width: 24 }, flat))
  }
}

/** A wide red stroke 400 units long through `p`; its id. */
export function redAcross(board: Board, p: { x: number; y: number }): string {
  const id = board.beginStroke({ color: '#e03131', width: 40 }, [p.x - 200, p.y, 0.5, p.x + 200, p.y, 0.5])
  board.finishStroke(id)
  return id
}
