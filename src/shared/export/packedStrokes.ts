import { shownLabel } from '../elements/label'
import { type BoardElement, ElementKind, type Stroke } from '../elements/types'
import type { Rect } from '../geometry'
import type { ExportItem } from './layout'
import type { PainterItems } from './raster'

/**
 * Lean ink strokes in columns: for each, its bounds, its compact bytes (a block of the layout's arena, an offset and a
 * length), its element's id and the rest of its element (one object for all the strokes that share it: colour,
 * width, author…). Typed arrays instead of an object graph per stroke: on the dense 100,000-stroke board each band
 * worker was given 30,000-60,000 items of five objects and three strings each, which its heap held, and marked at
 * every band's collection, for the whole export (docs/performance.md, "Round twelve, helper exportcores"). The
 * command line's walked layout (exportLayoutWalked) holds all its strokes this way, in shared memory, and every band
 * worker is given the same columns.
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

/**
 * Strokes in columns and the other items, in one z order: what a painter draws. `places` says what is at each place,
 * bottom to top: ≥ 0 a packed stroke, < 0 the item `~place` of the items.
 */
export interface PackedLayout {
  strokes: PackedStrokes
  places: Int32Array
}

const NO_POINTS = new Float32Array(0)

/**
 * An exact key of an element's fields (or a flat record's keys) but its id and points (numbers as they read back, -0
 * kept, strings quoted), or undefined for one holding a value that is not a number, string, boolean or undefined (it
 * is not packed).
 */
export function valuesKey(values: Readonly<Record<string, unknown>>): string | undefined {
  let key = ''
  for (const name in values) {
    if (name === 'id' || name === 'points') continue
    const v = values[name]
    let text: string
    if (typeof v === 'string') text = JSON.stringify(v)
    else if (typeof v === 'number') text = Object.is(v, -0) ? '-0' : String(v)
    else if (typeof v === 'boolean' || v === undefined) text = String(v)
    else return undefined
    key += `${name}=${text};`
  }
  return key
}

/** A buffer of `bytes`: shared memory where asked and the platform has it (it then crosses to a worker as the same memory). */
function columnBuffer(bytes: number, shared: boolean): ArrayBufferLike {
  return shared && typeof SharedArrayBuffer === 'function'
    ? new SharedArrayBuffer(bytes)
    : new ArrayBuffer(bytes)
}

function floats(numbers: number[], shared: boolean): Float64Array {
  const column = new Float64Array(columnBuffer(numbers.length * 8, shared))
  column.set(numbers)
  return column
}

function uints(numbers: number[], shared: boolean): Uint32Array {
  const column = new Uint32Array(columnBuffer(numbers.length * 4, shared))
  column.set(numbers)
  return column
}

/** Collects strokes into columns (PackedStrokes). */
export class StrokePacker {
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
    if (!compact || element.kind !== ElementKind.Stroke) return undefined
    const style = this.styleOf(element)
    return style === undefined ? undefined : this.push(style, element.id, compact, item.bounds)
  }

  /**
   * The index of a stroke's style (its element but for id and points, one template for all the strokes that share
   * it), or undefined for a stroke that stays an object (a value a key cannot hold, a label).
   */
  styleOf(element: Stroke): number | undefined {
    if (shownLabel(element) !== undefined) return undefined
    const key = valuesKey(element as unknown as Record<string, unknown>)
    if (key === undefined) return undefined
    let style = this.styles.get(key)
    if (style === undefined) {
      style = this.templates.length
      const { id: _id, ...rest } = element
      this.templates.push({ ...rest, points: NO_POINTS })
      this.styles.set(key, style)
    }
    return style
  }

  /** Adds a stroke of a style styleOf gave, its compact bytes and bounds; returns its index. */
  push(style: number, id: string, compact: Uint8Array, bounds: Rect): number {
    let block = this.blocks.get(compact.buffer)
    if (block === undefined) {
      block = this.blocks.size
      this.blocks.set(compact.buffer, block)
    }
    this.bounds.push(bounds.minX, bounds.minY, bounds.maxX, bounds.maxY)
    this.block.push(block)
    this.offset.push(compact.byteOffset)
    this.length.push(compact.byteLength)
    this.style.push(style)
    this.ids.push(id)
    this.idLength += id.length
    this.idEnds.push(this.idLength)
    return this.count++
  }

  /**
   * The columns. `shared`: in shared memory (where the platform has it), so that every worker given them reads the
   * same memory instead of a copy each. `template`: what each style's template becomes (the walked layout's colours
   * as exported).
   */
  done(shared = false, template: (t: Omit<Stroke, 'id'>) => Omit<Stroke, 'id'> = (t) => t): PackedStrokes {
    return {
      bounds: floats(this.bounds, shared),
      block: uints(this.block, shared),
      offset: uints(this.offset, shared),
      length: uints(this.length, shared),
      blocks: [...this.blocks.keys()],
      style: uints(this.style, shared),
      styles: this.templates.map(template),
      ids: this.ids.join(''),
      idEnds: uints(this.idEnds, shared),
    }
  }
}

/** A layout's items as its painter reads them when its strokes are packed: a packed stroke is made into an item when drawn. */
export class PackedItems implements PainterItems {
  /** Every id is at one place: a worker's share was given the last place of each (lastPlaces), a walked layout reads each id once. */
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

  work(z: number): number {
    const p = this.place(z)
    return p < 0 ? itemWork(this.items[~p] as ExportItem) : (this.packed.length[p] as number)
  }

  private place(z: number): number {
    const p = this.places[z]
    if (p === undefined) throw new Error(`no export item at ${z}`)
    return p
  }
}

/** What drawing an item costs, for bandShares' estimate: its stored points (a lean stroke's compact bytes). */
export function itemWork(item: ExportItem): number {
  return item.compact?.byteLength ?? ('points' in item.element ? item.element.points.length : 0)
}
