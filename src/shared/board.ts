/**
 * The board document: one Y.Doc with its roots (elements, order, assets, meta) and every edit a person makes
 * on it (draw, shapes, texts, images, move, restyle, erase, delete, undo). Over 400 lines because it is the one
 * place edits are written; how elements are read, checked and transformed lives in ./elements/.
 */
import * as Y from 'yjs'
import { lineLayoutAttrs } from './elements/arrowRoute'
import { checkAttrs, type ElementAttrs, ElementError, isBoardColor, KIND_KEYS } from './elements/attrs'
import { type ElementEntry, type FlatRecord, isFlatRecord, kindOf, ownKey } from './elements/entry'
import { assetIdOf, checkImage, startSize } from './elements/image'
import {
  editedFlatStroke,
  finishedLiveStroke,
  finishedStrokeMap,
  flatStroke,
  INK_KEY,
  LIVE_KEY,
  liveChunksOf,
  strokeFields,
} from './elements/inkRecord'
import { encodeMoveRecord, MOVE_RECORD_MIN, MOVES_ROOT, shiftOf } from './elements/moves'
import { readAsset, readElement, readPlace, readStroke } from './elements/read'
import { eraseRuns } from './elements/stroke'
import { onSteps, readStrokePoints } from './elements/strokePoints'
import {
  encodeStyleRecord,
  isStyleKey,
  STYLE_RECORD_MIN,
  STYLES_ROOT,
  styledEntry,
  styleOf,
} from './elements/styles'
import { elementRect, nodeTransform, toBoard, toLocal } from './elements/transform'
import {
  type BoardElement,
  ELEMENT_DEFAULTS,
  ELEMENT_LIMITS,
  ElementKind,
  type ImageAsset,
  type LineShape,
  NO_FILL,
  type ShapeKind,
  STROKE_LIMITS,
  type Stroke,
  type StrokeStyle,
} from './elements/types'
import { type Rect, unionRects } from './geometry'
import { platform } from './platform'
import { encodePoints } from './points'

// The schema lives in ./elements (types, validation, readers, geometry of each kind) and docs/board-format.md;
// this file holds the Board: the Y.Doc and every edit people make on it.
export { boundLineAttrs, edgePoint } from './elements/arrow'
export { arrowMidpoint } from './elements/arrowRoute'
export { type ElementAttrs, ElementError, isBoardColor, isBoardFill } from './elements/attrs'
export { ImageTooLargeError } from './elements/image'
export { readAsset, readElement, readStroke } from './elements/read'
export { attrsFromTransform, elementRect, localBox, nodeTransform } from './elements/transform'
export * from './elements/types'

/** Version of the board schema inside the Y.Doc (docs/board-format.md). */
export const BOARD_SCHEMA_VERSION = 5

/** A fresh element id: random, so that ids made by different people never collide. */
export function newElementId(): string {
  const bytes = new Uint8Array(12)
  crypto.getRandomValues(bytes)
  let out = ''
  for (const b of bytes) out += b.toString(16).padStart(2, '0')
  return out
}

/** A point on the board. */
export interface BoardPoint {
  x: number
  y: number
}

/** What addText and addNote take: attributes plus the text to start with. */
export type TextAttrs = ElementAttrs & { text?: string }

/**
 * A board: the Y.Doc and the typed edits people make on it. Every local edit is a transaction with this
 * replica's origin, so the undo manager undoes only this person's edits. Methods that add an element start a new
 * undo step; methods that change elements do not, so a gesture calls beginAction() once and then updates freely.
 */
export class Board {
  readonly doc: Y.Doc
  /** element id -> element map (kind, style, author, points...), or a finished stroke's flat record (./elements/entry.ts). */
  readonly elements: Y.Map<ElementEntry>
  /** element ids, bottom to top. */
  readonly order: Y.Array<string>
  readonly meta: Y.Map<unknown>
  /** asset id (sha-256 of the bytes) -> { mime, bytes, width, height }: each image's bytes once. */
  readonly assets: Y.Map<Y.Map<unknown>>
  /** Moves of large selections, one record each (./elements/moves.ts): an element's place adds those naming it. */
  readonly moves: Y.Array<Uint8Array>
  /** Restyles, locks and groups of large selections, one record each (./elements/styles.ts): read over each element's keys. */
  readonly styles: Y.Array<Uint8Array>
  readonly undoManager: Y.UndoManager
  /** The origin of this replica's own transactions. */
  readonly localOrigin = { local: true }
  author: string

  constructor(doc: Y.Doc = new Y.Doc(), author = 'anonymous') {
    this.doc = doc
    this.author = author
    this.elements = doc.getMap('elements')
    this.order = doc.getArray('order')
    this.meta = doc.getMap('meta')
    this.assets = doc.getMap('assets')
    this.moves = doc.getArray(MOVES_ROOT)
    this.styles = doc.getArray(STYLES_ROOT)
    // One gesture is one undo step: every action starts with stopCapturing(), so the timeout only has to be
    // longer than the longest stroke. Assets are not tracked: undoing an image removes the element, and the
    // bytes stay for redo and for copies of the same image.
    this.undoManager = new Y.UndoManager([this.elements, this.order, this.moves, this.styles], {
      trackedOrigins: new Set([this.localOrigin]),
      captureTimeout: 24 * 60 * 60 * 1000,
    })
    this.elements.observe(this.onPenUp)
  }

  /**
   * Someone's pen-up replaced a stroke's element map by its flat record while this replica was changing that map
   * (a move, a restyle they had not seen): this replica writes its keys over the record, so its edit is not lost
   * to the race (keys set before the pen-up was seen are in the record already). Part of this person's last edit.
   */
  private readonly onPenUp = (event: Y.YMapEvent<ElementEntry>, transaction: Y.Transaction): void => {
    if (transaction.local) return
    const own = this.doc.clientID
    const repairs: [string, FlatRecord][] = []
    // Only a key that now holds a stroke's record can be a pen-up, and only its old value is read: a peer's delete
    // of 10,000 elements costs a look at each key, not event.changes (the action and old value of every key).
    for (const id of event.keysChanged) {
      const record = this.elements.get(id)
      if (!isFlatRecord(record) || record.kind !== ElementKind.Stroke) continue
      const oldValue = replacedValue(event, id)
      if (!(oldValue instanceof Y.Map)) continue
      const mine: Record<string, unknown> = {}
      for (const [key, item] of oldValue._map) {
        if (item.id.client !== own || !STROKE_KEYS.has(key)) continue
        const value = item.content.getContent().at(-1)
        if (value !== undefined && ownKey(record, key) !== value) mine[key] = value
      }
      if (Object.keys(mine).length > 0) repairs.push([id, editedFlatStroke(record, mine)])
    }
    if (repairs.length > 0)
      this.edit(() => {
        for (const [id, record] of repairs) this.elements.set(id, record)
      })
  }

  /** Runs edits as one transaction of this replica (one message to peers, undone together). */
  transact(fn: () => void): void {
    this.doc.transact(fn, this.localOrigin)
  }

  private edit(fn: () => void): void {
    this.transact(fn)
  }

  /** Marks the start of a new user action, so that it becomes its own undo step. */
  beginAction(): void {
    this.undoManager.stopCapturing()
  }

  private stampSchema(): void {
    if (this.meta.get('schema') !== BOARD_SCHEMA_VERSION) this.meta.set('schema', BOARD_SCHEMA_VERSION)
  }

  /** Adds an element map with the given keys on top of the z-order (inside a transaction). */
  private insert(kind: ElementKind, fields: Record<string, unknown>, at = this.order.length): string {
    const id = newElementId()
    this.stampSchema()
    const el = new Y.Map<unknown>()
    el.set('kind', kind)
    el.set('author', this.author)
    for (const [key, value] of Object.entries(fields))
      if (value !== undefined && value !== null) el.set(key, value)
    // The order entry first: a stroke's map, keys and chunks then take consecutive clocks, and once its map is
    // replaced at pen-up they are collected into one GC range (see finishStroke).
    this.order.insert(Math.min(at, this.order.length), [id])
    this.elements.set(id, el)
    return id
  }

  /** Puts a finished stroke as a flat record at `at` in the z-order (inside a transaction); returns its id. */
  private insertFinishedStroke(fields: Record<string, unknown>, flat: ArrayLike<number>, at: number): string {
    const id = newElementId()
    this.stampSchema()
    this.order.insert(Math.min(at, this.order.length), [id])
    const all = { author: this.author, ...fields }
    this.elements.set(id, flatStroke(all, flat) ?? finishedStrokeMap(all, flat))
    return id
  }

  /** Starts a stroke with its first points; it is visible to peers from now on. Returns its id. */
  beginStroke(
    style: StrokeStyle & { highlighter?: boolean; opacity?: number },
    flat: ArrayLike<number>,
  ): string {
    if (!isBoardColor(style.color)) throw new ElementError(`not a colour: ${style.color}`)
    const attrs = checkAttrs(ElementKind.Stroke, {
      highlighter: style.highlighter || undefined,
      opacity: style.opacity,
    })
    this.beginAction()
    let id = ''
    this.edit(() => {
      const points = new Y.Array<Uint8Array>()
      if (flat.length > 0) points.push([encodePoints(onSteps(flat))])
      // What the pen writes goes in one nested map, deleted whole at pen-up (see finishStroke).
      const live = new Y.Map<unknown>()
      live.set('author', this.author)
      live.set('color', style.color)
      live.set('width', Math.min(STROKE_LIMITS.maxWidth, Math.max(STROKE_LIMITS.minWidth, style.width)))
      for (const [key, value] of Object.entries(attrs)) if (value !== undefined) live.set(key, value)
      live.set('points', points)
      id = newElementId()
      this.stampSchema()
      const el = new Y.Map<unknown>()
      el.set('kind', ElementKind.Stroke)
      el.set(LIVE_KEY, live)
      this.order.insert(this.order.length, [id])
      this.elements.set(id, el)
    })
    return id
  }

  /** Appends points to a stroke being drawn (one chunk per call: callers batch per animation frame). */
  appendPoints(id: string, flat: ArrayLike<number>): void {
    if (flat.length === 0) return
    const el = this.elements.get(id)
    const points = el instanceof Y.Map && !el.has(INK_KEY) ? liveChunksOf(el) : undefined
    if (!points) return
    this.edit(() => points.push([encodePoints(onSteps(flat))]))
  }

  /**
   * Marks a stroke as finished (pen-up), in one transaction: its element map is replaced by one flat record (every
   * key of the map, what the pen wrote in its `live` map, the points in compact form; ./elements/entry.ts), so
   * what others changed on the element meanwhile stays. Yjs collects what the replaced map held (its keys, live
   * map and chunks) into one GC range: a finished stroke holds four structs (its order entry, the replaced map's
   * item, that range, the record). Part of the stroke's undo step.
   */
  finishStroke(id: string): void {
    const el = this.elements.get(id)
    if (!(el instanceof Y.Map) || el.get('done') === true) return
    this.edit(() => {
      const record = finishedLiveStroke(el)
      if (record) {
        this.stampSchema()
        this.elements.set(id, record)
        return
      }
      if (el.has(INK_KEY)) return
      if (el.has(LIVE_KEY)) {
        // No points, or more than a stroke holds: the host refuses it with its own message; it stays as drawn.
        el.set('done', true)
        return
      }
      // A stroke begun in the older layout (keys on the element map): replaced by its record form, as the host
      // converts older boards. Read before the replace: a deleted Y.Map no longer holds its keys.
      const flat = readStrokePoints(el.get('points')) ?? new Float32Array(0)
      const fields = strokeFields(el)
      this.stampSchema()
      this.elements.set(id, flatStroke(fields, flat) ?? finishedStrokeMap(fields, flat))
    })
  }

  /**
   * Adds a rectangle, ellipse, line or arrow, as a new undo step; returns its id. Unset style keys take the
   * defaults (dark outline 2 wide, no fill); a line needs `points`, a box `width` and `height`.
   */
  addShape(kind: ShapeKind, attrs: ElementAttrs): string {
    const line = kind === ElementKind.Line || kind === ElementKind.Arrow
    const a = checkAttrs(kind, {
      strokeColor: ELEMENT_DEFAULTS.strokeColor,
      strokeWidth: ELEMENT_DEFAULTS.strokeWidth,
      ...(line
        ? { points: [0, 0, 0, 0], endArrow: kind === ElementKind.Arrow }
        : { width: 0, height: 0, fillColor: NO_FILL }),
      ...attrs,
    })
    this.beginAction()
    let id = ''
    this.edit(() => {
      id = this.insert(kind, { x: 0, y: 0, ...a })
      if (line) this.rebind(id)
    })
    return id
  }

  /**
   * Adds a frame (top-left at attrs.x, attrs.y; width, height, name) as a new undo step; returns its id. It goes
   * under everything, so that what is drawn in it shows over its outline.
   */
  addFrame(attrs: ElementAttrs): string {
    const a = checkAttrs(ElementKind.Frame, { width: 0, height: 0, name: '', ...attrs })
    this.beginAction()
    let id = ''
    this.edit(() => {
      id = this.insert(ElementKind.Frame, { x: 0, y: 0, ...a }, 0)
    })
    return id
  }

  /** Adds a text at attrs.x, attrs.y (top-left), as a new undo step; returns its id. */
  addText(attrs: TextAttrs): string {
    const { text = '', ...rest } = attrs
    const a = checkAttrs(ElementKind.Text, {
      fontSize: ELEMENT_DEFAULTS.fontSize,
      color: ELEMENT_DEFAULTS.strokeColor,
      width: 0,
      fontFamily: ELEMENT_DEFAULTS.fontFamily,
      text,
      ...rest,
    })
    return this.addWithText(ElementKind.Text, a)
  }

  /** Adds a sticky note (top-left at attrs.x, attrs.y), as a new undo step; returns its id. */
  addNote(attrs: TextAttrs): string {
    const { text = '', ...rest } = attrs
    const a = checkAttrs(ElementKind.Note, {
      width: ELEMENT_DEFAULTS.noteSize,
      height: ELEMENT_DEFAULTS.noteSize,
      fillColor: ELEMENT_DEFAULTS.noteFill,
      fontSize: ELEMENT_DEFAULTS.noteFontSize,
      color: ELEMENT_DEFAULTS.strokeColor,
      text,
      ...rest,
    })
    if (a.fillColor === NO_FILL) throw new ElementError('a note needs a fill colour')
    return this.addWithText(ElementKind.Note, a)
  }

  private addWithText(kind: typeof ElementKind.Text | typeof ElementKind.Note, a: ElementAttrs): string {
    const { text = '', ...rest } = a
    this.beginAction()
    let id = ''
    this.edit(() => {
      const yText = new Y.Text()
      yText.insert(0, text)
      id = this.insert(kind, { x: 0, y: 0, ...rest, text: yText })
    })
    return id
  }

  /**
   * Adds an image centred on `at`, as a new undo step; returns its id. The bytes are stored once per board under
   * their sha-256 (an image already on the board is not stored again), so moving it never re-sends them. Throws
   * ImageTooLargeError over 5 MB and ElementError for bytes that are no PNG, JPEG, GIF or WebP.
   */
  addImage(bytes: Uint8Array, mime: string, width: number, height: number, at: BoardPoint): string {
    const real = checkImage(bytes, width, height)
    if (mime && mime !== real && mime !== 'application/octet-stream')
      platform().warn(`image said it was ${mime} but is ${real}; storing it as ${real}`)
    const assetId = assetIdOf(bytes)
    const size = startSize(width, height)
    const place = checkAttrs(ElementKind.Image, {
      x: at.x - size.width / 2,
      y: at.y - size.height / 2,
      ...size,
    })
    this.beginAction()
    let id = ''
    this.edit(() => {
      if (!readAsset(assetId, this.assets.get(assetId))) {
        const asset = new Y.Map<unknown>()
        asset.set('mime', real)
        // A copy: the caller's buffer may be a view into something larger or change later.
        asset.set('bytes', bytes.slice())
        asset.set('width', width)
        asset.set('height', height)
        this.assets.set(assetId, asset)
      }
      id = this.insert(ElementKind.Image, { ...place, assetId })
    })
    return id
  }

  /** An image's stored bytes and size, or undefined when the board lacks them (yet). */
  asset(assetId: string): ImageAsset | undefined {
    return readAsset(assetId, this.assets.get(assetId))
  }

  /** Changes one element's attributes (validated); see updateElements. */
  updateElement(id: string, attrs: ElementAttrs): void {
    this.updateElements([[id, attrs]])
  }

  /**
   * Changes several elements in one transaction (part of the current undo step: call beginAction() when a new
   * action starts). Arrows bound to a changed element follow it in the same transaction. A line moved without its
   * bound element (and without naming the binding) lets go of it. Throws ElementError, changing nothing, when any
   * attribute is invalid; ids of missing elements are skipped.
   */
  updateElements(changes: Iterable<readonly [string, ElementAttrs]>): void {
    const checked: [string, ElementEntry, ElementAttrs][] = []
    for (const [id, attrs] of changes) {
      const el = this.elements.get(id)
      const kind = kindOf(el)
      if (!el || typeof kind !== 'string' || !(kind in KIND_OF)) continue
      checked.push([id, el, checkAttrs(kind as ElementKind, attrs)])
    }
    if (checked.length === 0) return
    const { records, rest } = this.styleRecords(checked)
    this.edit(() => {
      if (records.length > 0) this.styles.push(records)
      this.applyChanges(rest, new Set(checked.map(([id]) => id)))
      // Lines restyled by a record are laid out again, as those written per element are in applyChanges.
      if (records.length > 0) for (const [id, , attrs] of checked) if (!('x' in attrs)) this.rebind(id)
    })
  }

  /**
   * Which of `checked` go in style records (./elements/styles.ts): every style key when STYLE_RECORD_MIN elements
   * or more change (a flat stroke is not written anew whole for a colour), and a style key that a record already
   * holds for the element, whatever the count (a write on the element would read under the record). Elements that
   * get the same values share one record; what is left is written on each element.
   */
  private styleRecords(checked: readonly [string, ElementEntry, ElementAttrs][]): {
    records: Uint8Array[]
    rest: [string, ElementEntry, ElementAttrs][]
  } {
    const large = checked.length >= STYLE_RECORD_MIN
    const groups = new Map<string, { attrs: Record<string, unknown>; ids: string[] }>()
    const rest: [string, ElementEntry, ElementAttrs][] = []
    for (const [id, el, attrs] of checked) {
      const kind = kindOf(el)
      const named = large ? undefined : styleOf(this.doc, id)
      if (!large && !named) {
        rest.push([id, el, attrs])
        continue
      }
      let style: Record<string, unknown> | undefined
      const own: Record<string, unknown> = {}
      for (const [key, value] of Object.entries(attrs)) {
        if (value === undefined) continue
        if (isStyleKey(kind, key) && (large || (named && Object.hasOwn(named, key)))) {
          style ??= {}
          style[key] = value
        } else own[key] = value
      }
      if (style) {
        const key = JSON.stringify(Object.entries(style).sort(([a], [b]) => (a < b ? -1 : 1)))
        const group = groups.get(key)
        if (group) group.ids.push(id)
        else groups.set(key, { attrs: style, ids: [id] })
      }
      if (Object.keys(own).length > 0) rest.push([id, el, own as ElementAttrs])
    }
    const records = [...groups.values()].map(({ attrs, ids }) => encodeStyleRecord(attrs, ids))
    return { records, rest }
  }

  /**
   * Moves elements by (dx, dy) as one edit (part of the current undo step), as updateElements would with their new
   * x and y: `shifted` (no lines or arrows) go in one move record (./elements/moves.ts) instead of a write of x and
   * y on each, when there are MOVE_RECORD_MIN of them; `lines` (lines and arrows, with where they are now) are
   * written per element, and arrows bound to anything moved follow, in the same transaction.
   */
  moveElements(
    shifted: readonly string[],
    lines: readonly { id: string; x: number; y: number }[],
    dx: number,
    dy: number,
  ): void {
    const to = (el: { id: string; x: number; y: number }) => [el.id, { x: el.x + dx, y: el.y + dy }] as const
    if (shifted.length < MOVE_RECORD_MIN) {
      const places = shifted.flatMap((id) => readPlace(id, this.elements.get(id), this.doc) ?? [])
      this.updateElements([...places, ...lines].map(to))
      return
    }
    const checked: [string, ElementEntry, ElementAttrs][] = []
    for (const [id, attrs] of lines.map(to)) {
      const el = this.elements.get(id)
      if (el) checked.push([id, el, checkAttrs(kindOf(el) as ElementKind, attrs)])
    }
    const record = encodeMoveRecord(dx, dy, shifted)
    this.edit(() => {
      this.moves.push([record])
      this.applyChanges(checked, new Set([...shifted, ...lines.map((el) => el.id)]))
    })
  }

  /** Writes checked attributes (inside a transaction); `changed`: every element this edit moves or changes. */
  private applyChanges(checked: readonly [string, ElementEntry, ElementAttrs][], changed: Set<string>): void {
    for (const [id, el, attrs] of checked) {
      const shift = 'x' in attrs || 'y' in attrs ? shiftOf(this.doc, id) : undefined
      if (!(el instanceof Y.Map)) {
        this.elements.set(id, this.editedRecord(el, attrs, shift))
        continue
      }
      const kind = el.get('kind')
      const moved = ['x', 'y', 'points', 'rotation'].some((k) => k in attrs)
      for (const [key, value] of Object.entries(attrs)) {
        if (value === null) el.delete(key)
        else if (key === 'text') this.setText(el, value as string)
        else if (shift && (key === 'x' || key === 'y')) el.set(key, stored(value as number, shift, key))
        else el.set(key, value)
      }
      if (moved && (kind === ElementKind.Line || kind === ElementKind.Arrow)) {
        for (const end of ['startBinding', 'endBinding'] as const) {
          const target = el.get(end)
          if (typeof target === 'string' && !(end in attrs) && !changed.has(target)) el.delete(end)
        }
      }
    }
    for (const [id] of checked) this.rebind(id)
    for (const line of this.linesBoundTo(changed)) if (!changed.has(line)) this.rebind(line)
  }

  /**
   * A flat stroke with checked attributes written over it: the whole record goes again, and the last writer of a
   * stroke wins (docs/decisions.md); a stroke's text never changes this way, nor its points (editedFlatStroke
   * keeps the structure keys).
   */
  private editedRecord(
    record: FlatRecord,
    attrs: ElementAttrs,
    shift: { dx: number; dy: number } | undefined,
  ): FlatRecord {
    const out: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(attrs)) {
      if (key === 'text') continue
      out[key] = shift && (key === 'x' || key === 'y') ? stored(value as number, shift, key) : value
    }
    return editedFlatStroke(record, out)
  }

  private setText(el: Y.Map<unknown>, next: string): void {
    const t = el.get('text')
    if (t instanceof Y.Text) replaceYText(t, next)
    else {
      const y = new Y.Text()
      y.insert(0, next)
      el.set('text', y)
    }
  }

  /** The shared text of a text or note, for editors that change it as people type. */
  textOf(id: string): Y.Text | undefined {
    const el = this.elements.get(id)
    const t = el instanceof Y.Map ? el.get('text') : undefined
    return t instanceof Y.Text ? t : undefined
  }

  /** Replaces a text's or note's content with `next`, changing only the part that differs (one transaction). */
  replaceText(id: string, next: string): void {
    const el = this.elements.get(id)
    if (!(el instanceof Y.Map)) return
    checkAttrs(el.get('kind') as ElementKind, { text: next })
    this.edit(() => this.setText(el, next))
  }

  /** Ids of lines and arrows (on the board now) with an end bound to any of `ids`. */
  private linesBoundTo(ids: Set<string>): string[] {
    const out: string[] = []
    // Over the map's items, not forEach: only element maps can be lines, and a flat record (a finished stroke, most
    // of a large board) is passed over without its value being read.
    for (const [id, item] of this.elements._map) {
      if (item.deleted || !(item.content instanceof Y.ContentType)) continue
      const el = item.content.type
      if (!(el instanceof Y.Map)) continue
      const kind = el.get('kind')
      if (kind !== ElementKind.Line && kind !== ElementKind.Arrow) continue
      const s = el.get('startBinding')
      const e = el.get('endBinding')
      if ((typeof s === 'string' && ids.has(s)) || (typeof e === 'string' && ids.has(e))) out.push(id)
    }
    return out
  }

  /** Puts a line's bound ends on the outlines of their elements (inside a transaction). */
  private rebind(id: string): void {
    // Only lines and arrows bind: anything else is not read (a stroke's points are not decoded for nothing).
    const kind = kindOf(this.elements.get(id))
    if (kind !== ElementKind.Line && kind !== ElementKind.Arrow) return
    const line = this.readElement(id)
    if (!line || (line.kind !== ElementKind.Line && line.kind !== ElementKind.Arrow)) return
    const start = line.startBinding ? this.readElement(line.startBinding) : undefined
    const end = line.endBinding ? this.readElement(line.endBinding) : undefined
    const attrs = lineLayoutAttrs(line as LineShape, start, end)
    const el = this.elements.get(id)
    if (!attrs || !(el instanceof Y.Map)) return
    const shift = shiftOf(this.doc, id)
    for (const [key, value] of Object.entries(attrs))
      el.set(key, shift && (key === 'x' || key === 'y') ? stored(value as number, shift, key) : value)
  }

  /**
   * Erases the part of a stroke within `radius` of a board point (the partial eraser): the stroke is replaced,
   * in its place in the z-order, by the runs of points that are left, in one transaction. Returns whether
   * anything was erased. Part of the current undo step.
   */
  eraseInk(id: string, x: number, y: number, radius: number): boolean {
    const stroke = this.getStroke(id)
    if (!stroke || stroke.locked) return false
    const t = nodeTransform(stroke)
    const c = toLocal(t, x, y)
    const runs = eraseRuns(stroke.points, c.x, c.y, radius / Math.sqrt(Math.abs(t.scaleX * t.scaleY)))
    if (!runs) return false
    const el = this.elements.get(id) as ElementEntry
    const at = this.order.toArray().indexOf(id)
    // Read before the delete: a deleted Y.Map no longer holds its keys.
    const kept = strokeFields(styledEntry(id, el, this.doc))
    // The pieces are new elements, which no move record names: they take the stroke's place as read.
    if (shiftOf(this.doc, id)) {
      kept.x = stroke.x
      kept.y = stroke.y
    }
    this.edit(() => {
      this.deleteElements([id])
      runs.forEach((run, i) => {
        const fields: Record<string, unknown> = { ...kept }
        // A turned stroke turns about its box's centre; each piece keeps its ink where it was.
        const piece = { ...stroke, points: run }
        const pt = nodeTransform(piece)
        const want = toBoard(t, pt.offsetX, pt.offsetY)
        const sx = t.scaleX
        const sy = t.scaleY
        if (t.rotation !== 0) {
          fields.x = want.x - sx * pt.offsetX
          fields.y = want.y - sy * pt.offsetY
        }
        // Pieces keep the stroke's author (in `kept`): they are still that person's ink.
        this.insertFinishedStroke(fields, run, at < 0 ? this.order.length : at + i)
      })
    })
    return true
  }

  /**
   * Removes elements from the board, as one edit (part of the current undo step; a new one with `newAction`, when
   * anything goes); lines bound to them let go. Only those `only` keeps go, when given. Returns how many went.
   */
  deleteElements(
    ids: Iterable<string>,
    only?: (id: string, el: ElementEntry) => boolean,
    newAction = false,
  ): number {
    const gone = new Set<string>()
    // One pass over the ids reads and deletes each element: a delete of 10,000 touches each once, in one
    // transaction that changes nothing (and is no undo step) when none of them goes.
    this.edit(() => {
      const transaction = this.doc._transaction as Y.Transaction
      const items = this.elements._map
      for (const id of ids) {
        // The key's item, read and deleted as Y.Map's get and delete do (its last value; Item.delete), without a
        // second lookup and a nested transaction call for each of 10,000. An id met again reads as no element.
        const item = items.get(id)
        if (item === undefined || item.deleted) continue
        const el = item.content.getContent()[item.length - 1] as ElementEntry
        if (only && !only(id, el)) continue
        if (gone.size === 0 && newAction) this.beginAction()
        gone.add(id)
        item.delete(transaction)
      }
      if (gone.size === 0) return
      for (const line of this.linesBoundTo(gone)) {
        const el = this.elements.get(line) as Y.Map<unknown>
        for (const end of ['startBinding', 'endBinding']) if (gone.has(el.get(end) as string)) el.delete(end)
      }
      // Each run of deleted entries goes in one delete, from the end: deleting all 10,000 is one range, not
      // 10,000 walks of the list.
      const ordered = this.order.toArray()
      for (let end = ordered.length; end > 0; ) {
        if (!gone.has(ordered[end - 1] as string)) {
          end--
          continue
        }
        let start = end - 1
        while (start > 0 && gone.has(ordered[start - 1] as string)) start--
        this.order.delete(start, end - start)
        end = start
      }
    })
    return gone.size
  }

  /** Ids of the board's elements, bottom to top; ids in `order` without an element are skipped. */
  elementIds(): string[] {
    const seen = new Set<string>()
    const out: string[] = []
    for (const id of this.order) {
      if (!seen.has(id) && this.elements.has(id)) {
        seen.add(id)
        out.push(id)
      }
    }
    return out
  }

  /** Any element as plain data, or undefined when the id is no well-formed element of this board. */
  readElement(id: string): BoardElement | undefined {
    return readElement(id, this.elements.get(id), this.doc)
  }

  /** Every well-formed element, bottom to top. */
  readElements(): BoardElement[] {
    const out: BoardElement[] = []
    for (const id of this.elementIds()) {
      const el = this.readElement(id)
      if (el) out.push(el)
    }
    return out
  }

  /** Axis-aligned board bounds of an element's ink (rotation and scale included), or undefined. */
  elementBounds(id: string): Rect | undefined {
    const el = this.readElement(id)
    return el ? elementRect(el) : undefined
  }

  /** A stroke as plain data, or undefined when the id is no stroke of this board. */
  getStroke(id: string): Stroke | undefined {
    return readStroke(id, this.elements.get(id), this.doc)
  }

  /** All strokes, bottom to top. */
  strokes(): Stroke[] {
    const out: Stroke[] = []
    for (const id of this.elementIds()) {
      const s = this.getStroke(id)
      if (s) out.push(s)
    }
    return out
  }

  /** Bounds of everything on the board, or undefined when it is empty. */
  contentBounds(): Rect | undefined {
    return unionRects(this.readElements().map(elementRect))
  }

  /** Undoes this person's last action; returns whether there was one. */
  undo(): boolean {
    return this.undoManager.undo() !== null
  }

  /** Redoes this person's last undone action; returns whether there was one. */
  redo(): boolean {
    return this.undoManager.redo() !== null
  }

  /** Releases the undo manager's listeners. */
  destroy(): void {
    this.elements.unobserve(this.onPenUp)
    this.undoManager.destroy()
  }
}

/** The x or y to store for an element its move records shift by `shift`, so that it reads `value`. */
function stored(value: number, shift: { dx: number; dy: number }, key: 'x' | 'y'): number {
  const C = ELEMENT_LIMITS.maxCoordinate
  return Math.min(C, Math.max(-C, value - (key === 'x' ? shift.dx : shift.dy)))
}

/**
 * What a map event's transaction replaced under `key`, when it set the key anew over a value it deleted (the old
 * value event.changes.keys gives an 'update'); undefined otherwise. Reads this one key only.
 */
function replacedValue<T>(event: Y.YMapEvent<T>, key: string): unknown {
  const item = event.target._map.get(key)
  if (!item || !event.adds(item) || event.deletes(item)) return undefined
  let prev = item.left
  while (prev !== null && event.adds(prev)) prev = prev.left
  return prev !== null && event.deletes(prev) ? prev.content.getContent().at(-1) : undefined
}

/** The keys a person sets on a stroke (placement, style, lock, group): what a pen-up race may have to carry over. */
const STROKE_KEYS: ReadonlySet<string> = KIND_KEYS[ElementKind.Stroke]

const KIND_OF: Record<string, true> = Object.fromEntries(Object.values(ElementKind).map((k) => [k, true]))

/** Makes a Y.Text read `next`, deleting and inserting only the middle that differs (so concurrent edits merge). */
export function replaceYText(text: Y.Text, next: string): void {
  const current = text.toString()
  if (current === next) return
  let start = 0
  const max = Math.min(current.length, next.length)
  while (start < max && current[start] === next[start]) start++
  let end = 0
  while (end < max - start && current[current.length - 1 - end] === next[next.length - 1 - end]) end++
  const removed = current.length - start - end
  if (removed > 0) text.delete(start, removed)
  const inserted = next.slice(start, next.length - end)
  if (inserted) text.insert(start, inserted)
}
