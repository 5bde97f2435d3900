import RBush from 'rbush'
import type * as Y from 'yjs'
import type { Board } from '../board'
import { elementRect } from '../elements/transform'
import type { BoardElement } from '../elements/types'
import type { Rect } from '../geometry'
import { topElementAt } from './hitTest'

interface Entry extends Rect {
  el: BoardElement
}

/**
 * Every finished element of a board in an R-tree of its bounds, kept up to date from the board's own change events,
 * so that a click or a marquee looks only at the elements near it. Strokes still being drawn are left out until
 * their pen-up: nobody can select them yet, and re-reading them on every frame would cost what drawing them does.
 */
export class BoardIndex {
  private readonly tree = new RBush<Entry>()
  private readonly entries = new Map<string, Entry>()
  private orderPos: Map<string, number> | null = null
  private readonly listeners = new Set<() => void>()

  constructor(private readonly board: Board) {
    this.tree.load(this.readAll())
    board.elements.observeDeep(this.onElements)
    board.order.observe(this.onOrder)
  }

  /** Stops following the board. */
  destroy(): void {
    this.board.elements.unobserveDeep(this.onElements)
    this.board.order.unobserve(this.onOrder)
    this.tree.clear()
    this.entries.clear()
    this.listeners.clear()
  }

  /** Calls `fn` after every change of the indexed elements or their order; returns how to stop. */
  subscribe(fn: () => void): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  /** An indexed element as last read. */
  get(id: string): BoardElement | undefined {
    return this.entries.get(id)?.el
  }

  /** Every indexed element, in no particular order. */
  all(): BoardElement[] {
    return [...this.entries.values()].map((e) => e.el)
  }

  /** The elements whose bounds meet `rect`, bottom to top. */
  search(rect: Rect): BoardElement[] {
    const pos = this.positions()
    return this.tree
      .search(rect)
      .map((e) => e.el)
      .filter((el) => pos.has(el.id))
      .sort((a, b) => (pos.get(a.id) as number) - (pos.get(b.id) as number))
  }

  /** The topmost element under a board point (see topElementAt). */
  elementAt(x: number, y: number, tolerance: number, includeLocked = false): BoardElement | undefined {
    const near = this.search({
      minX: x - tolerance,
      minY: y - tolerance,
      maxX: x + tolerance,
      maxY: y + tolerance,
    })
    return topElementAt(near, x, y, tolerance, includeLocked)
  }

  /** Position of each id in the z-order (0 = bottom), as `Board.elementIds` reads it. */
  positions(): Map<string, number> {
    if (!this.orderPos) {
      const pos = new Map<string, number>()
      for (const id of this.board.elementIds()) pos.set(id, pos.size)
      this.orderPos = pos
    }
    return this.orderPos
  }

  private readAll(): Entry[] {
    const out: Entry[] = []
    this.board.elements.forEach((_, id) => {
      const entry = this.read(id)
      if (entry) {
        this.entries.set(id, entry)
        out.push(entry)
      }
    })
    return out
  }

  private read(id: string): Entry | undefined {
    const map = this.board.elements.get(id)
    if (!map || map.get('done') === false) return undefined
    const el = this.board.readElement(id)
    if (!el) return undefined
    return { el, ...elementRect(el) }
  }

  private readonly onElements = (events: Y.YEvent<Y.AbstractType<unknown>>[]): void => {
    const changed = new Set<string>()
    for (const event of events) {
      if (event.target === this.board.elements) for (const key of event.changes.keys.keys()) changed.add(key)
      else if (typeof event.path[0] === 'string') changed.add(event.path[0])
    }
    for (const id of changed) {
      const old = this.entries.get(id)
      if (old) {
        this.tree.remove(old)
        this.entries.delete(id)
      }
      const entry = this.read(id)
      if (entry) {
        this.entries.set(id, entry)
        this.tree.insert(entry)
      }
    }
    // A new element sits above the others: positions are re-read on demand.
    this.orderPos = null
    this.emit()
  }

  private readonly onOrder = (): void => {
    this.orderPos = null
    this.emit()
  }

  private emit(): void {
    for (const fn of this.listeners) fn()
  }
}
