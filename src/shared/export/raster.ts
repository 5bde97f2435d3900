import { SceneCanvas } from 'konva/lib/Canvas'
import { Group } from 'konva/lib/Group'
import { Shape } from 'konva/lib/Shape'
import { Transform } from 'konva/lib/Util'
import RBush from 'rbush'
import type { Stroke } from '../elements/types'
import { grownRect, type Rect } from '../geometry'
import { platform } from '../platform'
import { type ElementNode, elementNode, strokeShapeOutline } from '../scene'
import { itemBlend } from './blend'
import { drawInk, drawsAsInk, endInk, groupTransform, type InkDraw, inkDraw, inkState } from './inkDraw'
import { type ExportItem, type ExportLayout, itemElement } from './layout'
import { itemWork } from './packedStrokes'

/** A tile of an export in output pixels. */
export interface TileRect {
  x: number
  y: number
  width: number
  height: number
}

/** An item's bounds and its place in the layout. */
interface PlacedBounds extends Rect {
  z: number
}

/**
 * What a painter draws, by place (z order, bottom to top): a layout's items (layoutItems), or strokes packed into
 * columns (packedStrokes.ts: a walked layout's, a band worker's), whose items are made when drawn.
 */
export interface PainterItems {
  readonly count: number
  /** The item at place z (a packed one is made at each call: the painter keeps only what it draws from it). */
  item(z: number): ExportItem
  /** Its bounds (board units). */
  bounds(z: number): Rect
  /** Its bounds' top and bottom, without making the item. */
  minY(z: number): number
  maxY(z: number): number
  /** What drawing it costs, for bandShares' estimate (itemWork: its stored points). */
  work(z: number): number
  /** True when no two places hold the same element id (a packed table leaves out all but the last). */
  readonly distinct?: boolean
}

/** A layout's items as a painter reads them. */
export function layoutItems(items: readonly ExportItem[]): PainterItems {
  const at = (z: number): ExportItem => {
    const item = items[z]
    if (!item) throw new Error(`no export item at ${z}`)
    return item
  }
  return {
    count: items.length,
    item: at,
    bounds: (z) => at(z).bounds,
    minY: (z) => at(z).bounds.minY,
    maxY: (z) => at(z).bounds.maxY,
    work: (z) => itemWork(at(z)),
  }
}

/**
 * Which of `count` places an export draws: an id that comes twice is drawn once, at its last place (as a spatial index
 * keyed by id kept it). The painter and a band worker's layout (workerLayout.ts) both leave the others out.
 */
export function lastPlaces(count: number, idAt: (place: number) => string): (place: number) => boolean {
  const last = new Map<string, number>()
  for (let i = 0; i < count; i++) last.set(idAt(i), i)
  return (place) => last.get(idAt(place)) === place
}

/**
 * Paints any part of an export onto a canvas through the scene code: each element is the node the screen draws
 * (elementNode: strokes, shapes, arrows, text, notes, images). Nodes are made once and reused for every tile; a
 * spatial index of element bounds picks the elements a tile touches. Images draw from the scene's image cache:
 * await loadBoardImages first (exportBoard does), or they paint as grey boxes.
 */
export class ExportPainter {
  /** Item bounds by the item's place in the layout (its z order): numbers, not ids, to sort and look up per tile. */
  private readonly tree = new RBush<PlacedBounds>()
  private readonly nodes = new Map<number, ElementNode>()
  /** Strokes drawn without a node (inkDraw.ts), by place; null for one whose outline draws nothing. */
  private readonly inks: (InkDraw | null | undefined)[] = []
  /** The places `inks` holds an entry for (what releaseAbove walks). */
  private held: number[] = []
  private readonly scratch = new Transform()
  private order = new Int32Array(1024)
  /** What it draws, by place: the layout's items, or a band worker's packed ones (ExportLayout.table). */
  private readonly table: PainterItems

  constructor(readonly layout: ExportLayout) {
    const table = layout.table ?? layoutItems(layout.items)
    this.table = table
    // A packed table has left out the earlier places of an id already (lastPlaces).
    const drawn = table.distinct ? undefined : lastPlaces(table.count, (i) => table.item(i).element.id)
    const entries: PlacedBounds[] = []
    for (let i = 0; i < table.count; i++) {
      if (drawn && !drawn(i)) continue
      const { minX, minY, maxX, maxY } = table.bounds(i)
      entries.push({ minX, minY, maxX, maxY, z: i })
    }
    this.tree.load(entries)
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
    const found = this.tree.search(grownRect(area, pad))
    if (found.length === 0) return
    if (this.order.length < found.length) this.order = new Int32Array(found.length * 2)
    for (let i = 0; i < found.length; i++) this.order[i] = (found[i] as PlacedBounds).z
    const order = this.order.subarray(0, found.length).sort()
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
    for (const z of order) {
      const ink = this.ink(z)
      if (ink === undefined) {
        endInk(ctx, state)
        run.push(this.node(z))
      } else if (ink) {
        flush()
        drawInk(ctx, ink, parent, this.scratch, state)
      }
    }
    endInk(ctx, state)
    flush()
  }

  /** The InkDraw of a stroke drawn without a node (null: it draws nothing), or undefined for any other element. */
  private ink(z: number): InkDraw | null | undefined {
    const held = this.inks[z]
    if (held !== undefined) return held
    const item = this.table.item(z)
    if (!drawsAsInk(item.element)) return undefined
    // A lean stroke's points are decoded here and dropped once its outline is traced.
    const ink = inkDraw(itemElement(item) as Stroke, itemBlend(item, this.layout.options.dark)) ?? null
    this.inks[z] = ink
    this.held.push(z)
    return ink
  }

  /** How many strokes' paths the painter holds now (drawn without nodes; releaseAbove lets them go). */
  heldInk(): number {
    return this.held.length
  }

  private node(z: number): ElementNode {
    let node = this.nodes.get(z)
    if (!node) {
      const item = this.table.item(z)
      // A lean stroke's points are decoded here, for as long as its node lives (releaseAbove).
      node = elementNode(itemElement(item), this.layout.asset)
      node.globalCompositeOperation(itemBlend(item, this.layout.options.dark))
      this.nodes.set(z, node)
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
    return this.release((z) => this.table.maxY(z) < limit)
  }

  /**
   * Releases the nodes of elements that start below output row `y` (the first row past the part still to draw): a
   * worker drawing bands bottom to top (BandClaims) keeps the nodes near its band. Returns what releaseAbove does.
   */
  releaseBelow(y: number): number {
    const { rect, scale } = this.layout
    // The same pad paint() searches with: an element that far below still touches row y - 1.
    const limit = rect.minY + (y + 1) / scale
    return this.release((z) => this.table.minY(z) > limit)
  }

  private release(gone: (z: number) => boolean): number {
    let released = 0
    const kept: number[] = []
    for (const z of this.held) {
      if (gone(z)) {
        released += this.inks[z]?.points ?? 0
        this.inks[z] = undefined
      } else kept.push(z)
    }
    this.held = kept
    for (const [z, node] of this.nodes) {
      if (gone(z)) {
        if (node instanceof Shape) released += (strokeShapeOutline(node)?.length ?? 0) / 2
        node.destroy()
        this.nodes.delete(z)
      }
    }
    return released
  }

  /** Releases the nodes. */
  destroy(): void {
    for (const node of this.nodes.values()) node.destroy()
    this.nodes.clear()
    this.inks.length = 0
    this.held = []
    this.tree.clear()
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
