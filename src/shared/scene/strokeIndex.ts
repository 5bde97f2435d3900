import RBush from 'rbush'
import type { Stroke } from '../board'
import { pointsBounds, type Rect } from '../geometry'

interface IndexedStroke extends Rect {
  id: string
}

/** A spatial index of stroke bounds (an R-tree), so that drawing and erasing only look at nearby strokes. */
export class StrokeIndex {
  private readonly tree = new RBush<IndexedStroke>()
  private readonly items = new Map<string, IndexedStroke>()

  /** Number of strokes in the index. */
  get size(): number {
    return this.items.size
  }

  /** Adds a stroke, or moves it when its bounds changed. */
  set(stroke: Pick<Stroke, 'id' | 'points' | 'width'>): void {
    this.setBounds(stroke.id, strokeBounds(stroke))
  }

  /** Adds or moves an id with given bounds. */
  setBounds(id: string, rect: Rect): void {
    const old = this.items.get(id)
    if (old) {
      if (
        old.minX === rect.minX &&
        old.minY === rect.minY &&
        old.maxX === rect.maxX &&
        old.maxY === rect.maxY
      )
        return
      this.tree.remove(old)
    }
    const item = { id, minX: rect.minX, minY: rect.minY, maxX: rect.maxX, maxY: rect.maxY }
    this.items.set(id, item)
    this.tree.insert(item)
  }

  /** Removes a stroke; unknown ids are ignored. */
  delete(id: string): void {
    const old = this.items.get(id)
    if (!old) return
    this.tree.remove(old)
    this.items.delete(id)
  }

  /** Whether the index holds an id. */
  has(id: string): boolean {
    return this.items.has(id)
  }

  /** Ids of the strokes whose bounds intersect a rectangle, in no particular order. */
  search(rect: Rect): string[] {
    return this.tree.search(rect).map((item) => item.id)
  }

  /** Empties the index. */
  clear(): void {
    this.tree.clear()
    this.items.clear()
  }
}

/** The area a stroke's ink may cover: its points' bounds grown by its width (pressure can exceed 0.5). */
export function strokeBounds(stroke: Pick<Stroke, 'points' | 'width'>): Rect {
  return pointsBounds(stroke.points, stroke.width)
}
