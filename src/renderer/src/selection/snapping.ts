import type Konva from 'konva'
import { Shape } from 'konva/lib/Shape'
import type { Transformer } from 'konva/lib/shapes/Transformer'
import type { Board } from '../../../shared/board'
import { type Rect, visibleRect } from '../../../shared/geometry'
import {
  type SnapGuide,
  type SnapOptions,
  SnapTargets,
  shapeBounds,
  shapesBounds,
  snapPoint,
} from '../../../shared/selection'
import { GRID_SPACING } from '../canvas/background'
import { canvasPrefs } from '../canvas/backgroundPrefs'
import type { ViewportStore } from '../canvas/viewportStore'
import { type ElementQuery, finishedIn } from './elementQuery'

// Snapping while the select tool moves or resizes (the maths is src/shared/selection/snap.ts): what it snaps to,
// when, and the guides it shows. Holding Ctrl (Cmd on a Mac) turns it off for as long as it is held, as in Excalidraw.

/** Screen pixels within which an edge or centre snaps (as in Excalidraw and tldraw). */
const SNAP_PX = 8
/** Most elements snapping reads at a gesture's start; past it (a zoomed-out big board), only those near the selection. */
const MAX_TARGETS = 3000
/** Guide colour: not the selection's, so a guide reads as a guide (Excalidraw's and tldraw's are red too). */
export const GUIDE_COLOUR = '#e8384f'

/** Whether a pointer event lets snapping work: off while Ctrl or Cmd is held. */
export function snapsWith(e: { ctrlKey?: boolean; metaKey?: boolean }): boolean {
  return !(e.ctrlKey || e.metaKey)
}

/** How a gesture snaps at this zoom: the pull in board units, and the grid when the person turned it on. */
export function snapOptions(zoom: number): SnapOptions {
  return { threshold: SNAP_PX / zoom, grid: canvasPrefs.get().snapToGrid ? GRID_SPACING : undefined }
}

/**
 * The edges and centres a gesture of `moving` (bounds `box`) may snap to: those of the finished elements in view,
 * read once when it starts (an index search, not the whole board).
 */
export function snapTargetsFor(
  scene: ElementQuery,
  viewport: ViewportStore,
  moving: ReadonlySet<string>,
  box: Rect,
): SnapTargets {
  const { width, height } = viewport.screenSize()
  const view = visibleRect(viewport.get(), width, height)
  let near = finishedIn(scene, view)
  if (near.length > MAX_TARGETS) {
    // A zoomed-out big board: what lies within a quarter of the view of the selection.
    const mx = (view.maxX - view.minX) / 4
    const my = (view.maxY - view.minY) / 4
    near = finishedIn(scene, {
      minX: box.minX - mx,
      minY: box.minY - my,
      maxX: box.maxX + mx,
      maxY: box.maxY + my,
    })
    near = near.slice(-MAX_TARGETS)
  }
  return new SnapTargets(near.filter((el) => !moving.has(el.id)).map(shapeBounds))
}

/** The snap guides on the selection's layer: thin lines, one screen pixel wide at any zoom. */
export class SnapGuides {
  private guides: readonly SnapGuide[] = []
  private readonly shape: Shape

  constructor(private readonly layer: Konva.Layer) {
    this.shape = new Shape({
      listening: false,
      name: 'snap-guides',
      sceneFunc: (ctx) => {
        if (this.guides.length === 0) return
        const k = 1 / (this.layer.getStage()?.scaleX() ?? 1)
        const cross = 3 * k
        ctx.beginPath()
        for (const g of this.guides) {
          const at = (along: number) => (g.axis === 'x' ? [g.at, along] : [along, g.at]) as [number, number]
          ctx.moveTo(...at(g.from))
          ctx.lineTo(...at(g.to))
          // A small cross at each end, as tldraw marks the points that line up.
          for (const end of [g.from, g.to]) {
            const [x, y] = at(end)
            ctx.moveTo(x - cross, y - cross)
            ctx.lineTo(x + cross, y + cross)
            ctx.moveTo(x - cross, y + cross)
            ctx.lineTo(x + cross, y - cross)
          }
        }
        ctx.setAttr('strokeStyle', GUIDE_COLOUR)
        ctx.setAttr('lineWidth', k)
        ctx.stroke()
      },
    })
    layer.add(this.shape)
  }

  /** Whether `node` is the guides' shape, and it draws something now (a guide is shown). */
  draws(node: Konva.Node): boolean | undefined {
    return node === this.shape ? this.guides.length > 0 : undefined
  }

  /** Shows these guides (none hides them). */
  show(guides: readonly SnapGuide[]): void {
    if (guides.length === 0 && this.guides.length === 0) return
    this.guides = guides
    if (guides.length > 0) this.shape.moveToTop()
    this.layer.batchDraw()
  }

  clear(): void {
    this.show([])
  }

  destroy(): void {
    this.shape.destroy()
  }
}

type Point = { x: number; y: number }

/** What resize snapping reads: the board and scene, the view, where guides go, and the selected ids. */
export interface ResizeSnapping {
  board: Board
  scene: ElementQuery
  viewport: ViewportStore
  guides: SnapGuides
  ids(): readonly string[]
}

/**
 * Makes a Transformer's resize handles snap (its anchorDragBoundFunc): the dragged corner or side goes onto other
 * elements' edges and centres, or the grid, unless Ctrl/Cmd is held. A turned box (one turned element) resizes
 * freely; so does the rotation handle.
 */
export function snapResizes(transformer: Transformer, s: ResizeSnapping): void {
  let targets: SnapTargets | null = null
  const layer = () => transformer.getLayer()
  transformer.on('transformstart.snap', () => {
    const ids = s.ids()
    const box = shapesBounds(ids.flatMap((id) => s.scene.element(id) ?? s.board.readElement(id) ?? []))
    targets = box ? snapTargetsFor(s.scene, s.viewport, new Set(ids), box) : null
  })
  transformer.on('transformend.snap', () => {
    targets = null
    s.guides.clear()
  })
  transformer.anchorDragBoundFunc((_old: Point, next: Point, e: { ctrlKey?: boolean; metaKey?: boolean }) => {
    const anchor = transformer.getActiveAnchor() ?? ''
    // Turning corners are named 'rotater…' too.
    const resizing = !anchor.startsWith('rotater')
    const axes = { x: resizing && /left|right/.test(anchor), y: resizing && /top|bottom/.test(anchor) }
    const on = layer()
    if (!targets || !on || transformer.rotation() % 360 !== 0 || !snapsWith(e) || !(axes.x || axes.y)) {
      s.guides.clear()
      return next
    }
    const p = snapPoint(
      on.getAbsoluteTransform().copy().invert().point(next),
      axes,
      targets,
      snapOptions(s.viewport.get().zoom),
    )
    s.guides.show(p.guides)
    return on.getAbsoluteTransform().point(p)
  })
}
