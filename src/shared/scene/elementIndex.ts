import RBush from 'rbush'
import type { Rect } from '../geometry'

interface IndexedElement extends Rect {
  id: string
}

/** A node of rbush's tree (its `toJSON()`): leaves hold elements, other nodes hold nodes. */
interface RBushNode extends Rect {
  children: (RBushNode | IndexedElement)[]
  leaf: boolean
}

function intersects(a: Rect, b: Rect): boolean {
  return b.minX <= a.maxX && b.minY <= a.maxY && b.maxX >= a.minX && b.maxY >= a.minY
}

/**
 * A spatial index of element bounds (an R-tree), so that drawing and erasing only look at nearby elements.
 * Deleted elements leave the tree when it is next used, all at once: when as many go as stay (someone deleted
 * 10,000 strokes of a board) the tree is built anew from those that stay, not walked for each one that went.
 */
export class ElementIndex {
  private readonly tree = new RBush<IndexedElement>()
  private readonly items = new Map<string, IndexedElement>()
  /** Deleted elements still in the tree. */
  private gone: IndexedElement[] = []

  /** Number of elements in the index. */
  get size(): number {
    return this.items.size
  }

  /** Adds an element's bounds, or moves it when they changed. */
  setBounds(id: string, rect: Rect): void {
    this.settle()
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

  /** Removes an element; unknown ids are ignored. */
  delete(id: string): void {
    const old = this.items.get(id)
    if (!old) return
    this.gone.push(old)
    this.items.delete(id)
  }

  /** Takes deleted elements out of the tree (before any use of it). */
  private settle(): void {
    const gone = this.gone
    if (gone.length === 0) return
    this.gone = []
    if (gone.length < this.items.size) for (const item of gone) this.tree.remove(item)
    else {
      this.tree.clear()
      if (this.items.size > 0) this.tree.load([...this.items.values()])
    }
  }

  /** Whether the index holds an id. */
  has(id: string): boolean {
    return this.items.has(id)
  }

  /** Ids of the elements whose bounds intersect a rectangle, in no particular order. */
  search(rect: Rect): string[] {
    this.settle()
    return this.tree.search(rect).map((item) => item.id)
  }

  /**
   * How many elements intersect a rectangle, counting no further than `limit`: whether a view is cheap to draw is
   * known without listing the 100,000 elements of a zoomed-out board.
   */
  countUpTo(rect: Rect, limit: number): number {
    this.settle()
    let n = 0
    const stack: RBushNode[] = [this.tree.toJSON() as RBushNode]
    while (stack.length > 0 && n < limit) {
      const node = stack.pop() as RBushNode
      for (const child of node.children) {
        if (!intersects(rect, child)) continue
        if (node.leaf) n++
        else stack.push(child as RBushNode)
      }
    }
    return Math.min(n, limit)
  }

  /** The union of every element's bounds (the tree's root box), or undefined when the index is empty. */
  bounds(): Rect | undefined {
    if (this.items.size === 0) return undefined
    this.settle()
    const { minX, minY, maxX, maxY } = this.tree.toJSON() as RBushNode
    return { minX, minY, maxX, maxY }
  }

  /** Empties the index. */
  clear(): void {
    this.tree.clear()
    this.items.clear()
    this.gone = []
  }
}
