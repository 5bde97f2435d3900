import { shownLabel } from '../elements/label'
import { type BoardElement, ElementKind, type ImageAsset, type Stroke } from '../elements/types'
import type { Rect } from '../geometry'
import { images } from '../scene/images'
import { type BandPlan, type BandShare, shareItems } from './bands'
import type { ExportItem, ExportLayout } from './layout'
import { lastPlaces, type PainterItems } from './raster'

/**
 * A band worker's strokes in columns: for each, its bounds, its compact bytes (a block of the layout's arena, an
 * offset and a length), its element's id and the rest of its element (one object for all the strokes that share
 * it: colour, width, author…). A message of typed arrays instead of an object graph per stroke: on the dense
 * 100,000-stroke board each worker was given 30,000-60,000 items of five objects and three strings each, which its
 * heap held, and marked at every band's collection, for the whole export (docs/performance.md, "Round twelve,
 * helper exportcores").
 */
export interface PackedStrokes {
  /** 4 a stroke: minX, minY, maxX, maxY. */
  bounds: Float64Array
  /** Which of `blocks` holds its compact bytes, where, and how many. */
  block: Uint32Array
  offset: Uint32Array
  length: Uint32Array
  /** The buffers its bytes are in (the layout's arena blocks: shared memory where the platform has it). */
  blocks: ArrayBufferLike[]
  /** Its element but for id and points: an index into `styles`. */
  style: Uint32Array
  styles: Omit<Stroke, 'id'>[]
  /** The ids, one after another, and where each ends. */
  ids: string
  idEnds: Uint32Array
}

/** A layout as a band worker gets it (a message): plain data, the items of its bands, the images they show. */
export type WorkerLayout = Omit<ExportLayout, 'asset' | 'notes' | 'table'> & {
  assets: ImageAsset[]
  /** Its strokes drawn as ink, in columns; `items` holds the other items. */
  packed: PackedStrokes
  /** What is at each place, bottom to top: ≥ 0 a packed stroke, < 0 the item `~place` of `items`. */
  places: Int32Array
}

const NO_POINTS = new Float32Array(0)

/**
 * An exact key of an element's fields but its id and points (numbers as they read back, -0 kept, strings quoted),
 * or undefined for one holding a value that is not a number, string, boolean or undefined (it is not packed).
 */
function styleKey(element: BoardElement): string | undefined {
  let key = ''
  for (const name in element) {
    if (name === 'id' || name === 'points') continue
    const v = (element as unknown as Record<string, unknown>)[name]
    let text: string
    if (typeof v === 'string') text = JSON.stringify(v)
    else if (typeof v === 'number') text = Object.is(v, -0) ? '-0' : String(v)
    else if (typeof v === 'boolean' || v === undefined) text = String(v)
    else return undefined
    key += `${name}=${text};`
  }
  return key
}

/** Collects strokes into columns (PackedStrokes). */
class StrokePacker {
  private readonly bounds: number[] = []
  private readonly block: number[] = []
  private readonly offset: number[] = []
  private readonly length: number[] = []
  private readonly blocks = new Map<ArrayBufferLike, number>()
  private readonly style: number[] = []
  private readonly styles = new Map<string, number>()
  private readonly templates: Omit<Stroke, 'id'>[] = []
  private readonly ids: string[] = []
  private readonly idEnds: number[] = []
  private idLength = 0
  count = 0

  /** Adds a lean stroke drawn as ink and returns its index, or undefined for an item that stays an object. */
  add(item: ExportItem): number | undefined {
    const { element, compact } = item
    if (!compact || element.kind !== ElementKind.Stroke || shownLabel(element) !== undefined) return undefined
    const key = styleKey(element)
    if (key === undefined) return undefined
    let style = this.styles.get(key)
    if (style === undefined) {
      style = this.templates.length
      const { id: _id, ...rest } = element
      this.templates.push({ ...rest, points: NO_POINTS })
      this.styles.set(key, style)
    }
    let block = this.blocks.get(compact.buffer)
    if (block === undefined) {
      block = this.blocks.size
      this.blocks.set(compact.buffer, block)
    }
    const b = item.bounds
    this.bounds.push(b.minX, b.minY, b.maxX, b.maxY)
    this.block.push(block)
    this.offset.push(compact.byteOffset)
    this.length.push(compact.byteLength)
    this.style.push(style)
    this.ids.push(element.id)
    this.idLength += element.id.length
    this.idEnds.push(this.idLength)
    return this.count++
  }

  done(): PackedStrokes {
    return {
      bounds: Float64Array.from(this.bounds),
      block: Uint32Array.from(this.block),
      offset: Uint32Array.from(this.offset),
      length: Uint32Array.from(this.length),
      blocks: [...this.blocks.keys()],
      style: Uint32Array.from(this.style),
      styles: this.templates,
      ids: this.ids.join(''),
      idEnds: Uint32Array.from(this.idEnds),
    }
  }
}

/**
 * What a worker needs of a layout to draw a share of its bands: plain data, its items (its lean strokes drawn as ink
 * in columns, the others as they are), the bytes of its images. The command line's worker threads (parallelBands) and
 * the export dialog's Web Workers (bandWorkers) are given this. An id that comes twice is drawn once, at its last
 * place (lastPlaces): the earlier places are left out here.
 */
export function workerLayout(layout: ExportLayout, plan: BandPlan, share: BandShare): WorkerLayout {
  const all = shareItems(layout, plan, share)
  const drawn = lastPlaces(all.length, (i) => (all[i] as ExportItem).element.id)
  const items: ExportItem[] = []
  const places: number[] = []
  const packer = new StrokePacker()
  const assets = new Map<string, ImageAsset>()
  all.forEach((item, i) => {
    if (!drawn(i)) return
    const packed = packer.add(item)
    if (packed !== undefined) {
      places.push(packed)
      return
    }
    places.push(~items.length)
    items.push(item)
    const { element } = item
    if (element.kind === ElementKind.Image) {
      const asset = layout.asset(element.assetId)
      if (asset) assets.set(asset.id, asset)
    }
  })
  const { asset: _asset, notes: _notes, table: _table, ...data } = layout
  return {
    ...data,
    items,
    assets: [...assets.values()],
    packed: packer.done(),
    places: Int32Array.from(places),
  }
}

/** A band worker's items as its painter reads them: packed strokes are made into items when drawn. */
class WorkerItems implements PainterItems {
  readonly distinct = true
  readonly count: number
  private readonly views: Uint8Array[]

  constructor(
    private readonly items: ExportItem[],
    private readonly packed: PackedStrokes,
    private readonly places: Int32Array,
  ) {
    this.count = places.length
    this.views = packed.blocks.map((b) => new Uint8Array(b))
  }

  item(z: number): ExportItem {
    const p = this.place(z)
    if (p < 0) return this.items[~p] as ExportItem
    const { packed } = this
    const at = (packed.block[p] as number) >>> 0
    const offset = packed.offset[p] as number
    const compact = (this.views[at] as Uint8Array).subarray(offset, offset + (packed.length[p] as number))
    const id = packed.ids.slice(p === 0 ? 0 : packed.idEnds[p - 1], packed.idEnds[p])
    const element = { ...packed.styles[packed.style[p] as number], id } as BoardElement
    return { element, bounds: this.bounds(z), compact }
  }

  bounds(z: number): Rect {
    const p = this.place(z)
    if (p < 0) return (this.items[~p] as ExportItem).bounds
    const b = this.packed.bounds
    return {
      minX: b[p * 4] as number,
      minY: b[p * 4 + 1] as number,
      maxX: b[p * 4 + 2] as number,
      maxY: b[p * 4 + 3] as number,
    }
  }

  minY(z: number): number {
    const p = this.place(z)
    return p < 0 ? (this.items[~p] as ExportItem).bounds.minY : (this.packed.bounds[p * 4 + 1] as number)
  }

  maxY(z: number): number {
    const p = this.place(z)
    return p < 0 ? (this.items[~p] as ExportItem).bounds.maxY : (this.packed.bounds[p * 4 + 3] as number)
  }

  private place(z: number): number {
    const p = this.places[z]
    if (p === undefined) throw new Error(`no export item at ${z}`)
    return p
  }
}

/**
 * The layout a worker draws from what it was given (its painter reads the items through `table`), its images
 * decoded first (or the canvas paints grey boxes where they go).
 */
export async function layoutInWorker(data: WorkerLayout): Promise<ExportLayout> {
  const { packed, places, assets: list, ...rest } = data
  const assets = new Map<string, ImageAsset>(list.map((a) => [a.id, a]))
  const layout: ExportLayout = {
    ...rest,
    asset: (id) => assets.get(id),
    notes: [],
    table: new WorkerItems(data.items, packed, places),
  }
  await Promise.all(
    layout.items.flatMap((i) => {
      const asset = i.element.kind === ElementKind.Image ? assets.get(i.element.assetId) : undefined
      return asset ? [images.load(asset)] : []
    }),
  )
  return layout
}
