import { SceneCanvas } from 'konva/lib/Canvas'
import { Group } from 'konva/lib/Group'
import { Shape } from 'konva/lib/Shape'
import { Transform } from 'konva/lib/Util'
import type { Stroke } from '../elements/types'
import { grownRect, type Rect } from '../geometry'
import { platform } from '../platform'
import { ElementIndex, type ElementNode, elementNode, strokeShapeOutline } from '../scene'
import { itemBlend } from './blend'
import { drawInk, drawsAsInk, endInk, groupTransform, type InkDraw, inkDraw, inkState } from './inkDraw'
import { type ExportLayout, itemElement } from './layout'

/** A tile of an export in output pixels. */
export interface TileRect {
  x: number
  y: number
  width: number
  height: number
}

/**
 * Paints any part of an export onto a canvas through the scene code: each element is the node the screen draws
 * (elementNode: strokes, shapes, arrows, text, notes, images). Nodes are made once and reused for every tile; a
 * spatial index of element bounds picks the elements a tile touches. Images draw from the scene's image cache:
 * await loadBoardImages first (exportBoard does), or they paint as grey boxes.
 */
export class ExportPainter {
  private readonly index = new ElementIndex()
  private readonly nodes = new Map<string, ElementNode>()
  /** Strokes drawn without a node (inkDraw.ts); null for one whose outline draws nothing. */
  private readonly inks = new Map<string, InkDraw | null>()
  private readonly z = new Map<string, number>()
  private readonly scratch = new Transform()

  constructor(readonly layout: ExportLayout) {
    layout.items.forEach((item, i) => {
      this.index.setBounds(item.element.id, item.bounds)
      this.z.set(item.element.id, i)
    })
  }

  /** Draws the tile of the output at (tile.x, tile.y) into the canvas' top-left corner, background first. */
  paint(canvas: SceneCanvas, tile: TileRect): void {
    const { layout } = this
    const ctx = canvas.getContext()
    const raw = ctx._context
    raw.setTransform(1, 0, 0, 1, 0, 0)
    raw.clearRect(0, 0, canvas.width, canvas.height)
    if (layout.background) {
      raw.fillStyle = layout.background
      raw.fillRect(0, 0, tile.width, tile.height)
    }
    const s = layout.scale
    const area: Rect = {
      minX: layout.rect.minX + tile.x / s,
      minY: layout.rect.minY + tile.y / s,
      maxX: layout.rect.minX + (tile.x + tile.width) / s,
      maxY: layout.rect.minY + (tile.y + tile.height) / s,
    }
    // Antialiased edges reach about a pixel past an element's bounds.
    const pad = 1 / s
    const ids = this.index
      .search(grownRect(area, pad))
      .sort((a, b) => (this.z.get(a) as number) - (this.z.get(b) as number))
    if (ids.length === 0) return
    const x = -layout.rect.minX * s - tile.x
    const y = -layout.rect.minY * s - tile.y
    const parent = groupTransform(x, y, s)
    // Strokes are drawn straight (drawInk), other elements by their nodes in a group, a run of them at a time, so
    // that everything keeps its order.
    let run: ElementNode[] = []
    const state = inkState()
    const flush = () => {
      if (run.length === 0) return
      const group = new Group({ x, y, scaleX: s, scaleY: s })
      for (const node of run) group.add(node)
      // No clip: whatever falls past the tile on a larger canvas is never read.
      group.drawScene(canvas)
      // Detach, not destroy: the nodes serve the next tile.
      group.removeChildren()
      group.destroy()
      run = []
    }
    for (const id of ids) {
      const ink = this.ink(id)
      if (ink === undefined) {
        endInk(ctx, state)
        run.push(this.node(id))
      } else if (ink) {
        flush()
        drawInk(ctx, ink, parent, this.scratch, state)
      }
    }
    endInk(ctx, state)
    flush()
  }

  /** The InkDraw of a stroke drawn without a node (null: it draws nothing), or undefined for any other element. */
  private ink(id: string): InkDraw | null | undefined {
    const held = this.inks.get(id)
    if (held !== undefined) return held
    const item = this.layout.items[this.z.get(id) as number]
    if (!item) throw new Error(`no export item ${id}`)
    if (!drawsAsInk(item.element)) return undefined
    // A lean stroke's points are decoded here and dropped once its outline is traced.
    const ink = inkDraw(itemElement(item) as Stroke, itemBlend(item, this.layout.options.dark)) ?? null
    this.inks.set(id, ink)
    return ink
  }

  /** How many strokes' paths the painter holds now (drawn without nodes; releaseAbove lets them go). */
  heldInk(): number {
    return this.inks.size
  }

  private node(id: string): ElementNode {
    let node = this.nodes.get(id)
    if (!node) {
      const item = this.layout.items[this.z.get(id) as number]
      if (!item) throw new Error(`no export item ${id}`)
      // A lean stroke's points are decoded here, for as long as its node lives (releaseAbove).
      node = elementNode(itemElement(item), this.layout.asset)
      node.globalCompositeOperation(itemBlend(item, this.layout.options.dark))
      this.nodes.set(id, node)
    }
    return node
  }

  /**
   * Releases the nodes of elements that end above output row `y` (a painter that only draws further down needs them
   * no more): a worker drawing bands top to bottom keeps the nodes near its band, not the whole board's. Returns how
   * many outline points the released strokes' paths held (what a collection would free: GarbageAfterBands).
   */
  releaseAbove(y: number): number {
    const { rect, scale } = this.layout
    // The same pad paint() searches with: an element that far above still touches the row.
    const limit = rect.minY + (y - 1) / scale
    let released = 0
    for (const [id, ink] of this.inks) {
      const item = this.layout.items[this.z.get(id) as number]
      if (item && item.bounds.maxY < limit) {
        released += ink?.points ?? 0
        this.inks.delete(id)
      }
    }
    for (const [id, node] of this.nodes) {
      const item = this.layout.items[this.z.get(id) as number]
      if (item && item.bounds.maxY < limit) {
        if (node instanceof Shape) released += (strokeShapeOutline(node)?.length ?? 0) / 2
        node.destroy()
        this.nodes.delete(id)
      }
    }
    return released
  }

  /** Releases the nodes. */
  destroy(): void {
    for (const node of this.nodes.values()) node.destroy()
    this.nodes.clear()
    this.inks.clear()
    this.index.clear()
  }
}

/**
 * Outline points released between two collections (about 30 MB of Skia paths): on the dense 100,000-stroke board a
 * collection every band or so (a million) cost a quarter more CPU than none; three million about as much as none
 * (docs/performance.md, "Export at scale", round four).
 */
const COLLECT_AFTER_POINTS = 3_000_000

/**
 * Runs the platform's collection (Platform.collectGarbage) once the strokes released since the last one held enough
 * path points to be worth it: the native paths of released strokes are freed only by a collection, and a full one
 * after every band of a wide, sparse image (bands of a few hundred rows) would cost more than it frees.
 */
export class GarbageAfterBands {
  private pending = 0

  released(points: number): void {
    this.pending += points
    const collect = platform().collectGarbage
    if (!collect || this.pending < COLLECT_AFTER_POINTS) return
    this.pending = 0
    collect()
  }
}

/** A Konva scene canvas of a given size in device pixels (pixel ratio 1), made by this platform's canvas. */
export function exportCanvas(width: number, height: number): SceneCanvas {
  return new SceneCanvas({ width, height, pixelRatio: 1, willReadFrequently: true })
}

/**
 * The whole export drawn on one canvas (for previews, JPEG and WebP); the layout must fit a canvas. Images draw from
 * the scene's image cache: await loadBoardImages first, or images not decoded yet show as grey boxes.
 */
export function renderExportCanvas(layout: ExportLayout): SceneCanvas {
  const canvas = exportCanvas(layout.width, layout.height)
  const painter = new ExportPainter(layout)
  try {
    painter.paint(canvas, { x: 0, y: 0, width: layout.width, height: layout.height })
  } finally {
    painter.destroy()
  }
  return canvas
}
