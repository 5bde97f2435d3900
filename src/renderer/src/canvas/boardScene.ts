import type Konva from 'konva'
import type * as Y from 'yjs'
import type { Board, Stroke } from '../../../shared/board'
import { type Rect, rectsIntersect } from '../../../shared/geometry'
import { createStrokeShape, StrokeIndex, strokeBounds, updateStrokeShape } from '../../../shared/scene'

interface Entry {
  stroke: Stroke
  bounds: Rect
  /** The Konva node with its cached outline; made when the stroke is first seen, dropped when it changes off-screen. */
  shape: Konva.Shape | null
}

/**
 * Keeps two Konva layers in step with a board, without React: finished strokes that intersect the view go in
 * `finished` (redrawn only when that set or the view changes); strokes still being drawn, by anyone, go in
 * `live`, so a pen move redraws only them. Board changes update only the ids they touch.
 */
export class BoardScene {
  readonly index = new StrokeIndex()
  private readonly entries = new Map<string, Entry>()
  private readonly liveIds = new Set<string>()
  private orderPos = new Map<string, number>()
  private view: Rect = { minX: 0, minY: 0, maxX: 0, maxY: 0 }
  private shown: Konva.Shape[] = []
  private finishedDirty = true
  private liveDirty = true
  private frame = 0

  constructor(
    private readonly board: Board,
    private readonly finished: Konva.Layer,
    private readonly live: Konva.Layer,
  ) {
    this.refreshOrder()
    for (const id of this.orderPos.keys()) this.updateId(id)
    board.elements.observeDeep(this.onElements)
    board.order.observe(this.onOrder)
    this.schedule()
  }

  /** A stroke as last seen by the scene. */
  stroke(id: string): Stroke | undefined {
    return this.entries.get(id)?.stroke
  }

  /** Number of finished strokes currently in the layer (the visible ones). */
  shownCount(): number {
    return this.shown.length
  }

  /** Sets the board area on screen; only finished strokes intersecting it are put in the layer. */
  setView(rect: Rect): void {
    this.view = rect
    this.finishedDirty = true
    this.sync()
  }

  destroy(): void {
    cancelAnimationFrame(this.frame)
    this.board.elements.unobserveDeep(this.onElements)
    this.board.order.unobserve(this.onOrder)
    for (const entry of this.entries.values()) entry.shape?.destroy()
    this.entries.clear()
    this.index.clear()
  }

  private readonly onElements = (events: Y.YEvent<Y.AbstractType<unknown>>[]): void => {
    const changed = new Set<string>()
    for (const event of events) {
      if (event.target === this.board.elements) {
        for (const key of event.changes.keys.keys()) changed.add(key)
      } else {
        const top = event.path[0]
        if (typeof top === 'string') changed.add(top)
      }
    }
    for (const id of changed) this.updateId(id)
    this.schedule()
  }

  private readonly onOrder = (): void => {
    this.refreshOrder()
    this.finishedDirty = true
    this.liveDirty = true
    this.schedule()
  }

  private refreshOrder(): void {
    const pos = new Map<string, number>()
    let i = 0
    for (const id of this.board.order) if (!pos.has(id)) pos.set(id, i++)
    this.orderPos = pos
  }

  private updateId(id: string): void {
    const stroke = this.board.getStroke(id)
    const entry = this.entries.get(id)
    if (!stroke) {
      if (!entry) return
      entry.shape?.destroy()
      this.entries.delete(id)
      this.index.delete(id)
      if (this.liveIds.delete(id)) this.liveDirty = true
      if (rectsIntersect(entry.bounds, this.view)) this.finishedDirty = true
      return
    }
    const bounds = strokeBounds(stroke)
    const wasLive = this.liveIds.has(id)
    if (entry) {
      if (entry.shape && (!stroke.done || rectsIntersect(bounds, this.view))) {
        updateStrokeShape(entry.shape, stroke)
      } else if (entry.shape) {
        // Changed while off-screen: drop the cached outline, it is rebuilt if the stroke comes into view.
        entry.shape.destroy()
        entry.shape = null
      }
      entry.stroke = stroke
      entry.bounds = bounds
    } else {
      this.entries.set(id, { stroke, bounds, shape: stroke.done ? null : createStrokeShape(stroke) })
    }
    this.index.setBounds(id, bounds)
    if (stroke.done) {
      this.liveIds.delete(id)
      if (wasLive) this.liveDirty = true
      if (wasLive || rectsIntersect(bounds, this.view) || (entry && rectsIntersect(entry.bounds, this.view)))
        this.finishedDirty = true
    } else {
      this.liveIds.add(id)
      this.liveDirty = true
    }
  }

  private schedule(): void {
    if (this.frame) return
    this.frame = requestAnimationFrame(() => {
      this.frame = 0
      this.sync()
    })
  }

  private byOrder = (a: string, b: string): number =>
    (this.orderPos.get(a) ?? Number.MAX_SAFE_INTEGER) - (this.orderPos.get(b) ?? Number.MAX_SAFE_INTEGER)

  private shapeOf(id: string): Konva.Shape | null {
    const entry = this.entries.get(id)
    if (!entry) return null
    if (!entry.shape) entry.shape = createStrokeShape(entry.stroke)
    return entry.shape
  }

  /** Puts the right shapes in each layer and asks Konva to redraw the layers that changed. */
  private sync(): void {
    if (this.finishedDirty) {
      this.finishedDirty = false
      const ids = this.index
        .search(this.view)
        .filter((id) => this.entries.get(id)?.stroke.done)
        .sort(this.byOrder)
      const next: Konva.Shape[] = []
      for (const id of ids) {
        const shape = this.shapeOf(id)
        if (shape) next.push(shape)
      }
      if (!sameShapes(next, this.shown)) {
        this.finished.removeChildren()
        if (next.length > 0) this.finished.add(...next)
        this.shown = next
      }
      this.finished.batchDraw()
    }
    if (this.liveDirty) {
      this.liveDirty = false
      this.live.removeChildren()
      const ids = [...this.liveIds].sort(this.byOrder)
      for (const id of ids) {
        const shape = this.shapeOf(id)
        if (shape) this.live.add(shape)
      }
      this.live.batchDraw()
    }
  }
}

function sameShapes(a: Konva.Shape[], b: Konva.Shape[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
