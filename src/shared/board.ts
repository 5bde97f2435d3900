import * as Y from 'yjs'
import { pointsBounds, type Rect } from './geometry'
import { decodePoints, encodePoints } from './points'

/** Version of the board schema inside the Y.Doc (docs/board-format.md). */
export const BOARD_SCHEMA_VERSION = 1

/** Kinds of element a board holds; later kinds (shapes, text, images) join this list. */
export const ElementKind = { Stroke: 'stroke' } as const
export type ElementKind = (typeof ElementKind)[keyof typeof ElementKind]

export interface StrokeStyle {
  /** CSS colour, #rrggbb. */
  color: string
  /** Nominal ink width in board units at full pressure. */
  width: number
}

/** A stroke as read from the board: its points decoded into one flat [x, y, pressure, ...] array. */
export interface Stroke extends StrokeStyle {
  id: string
  kind: typeof ElementKind.Stroke
  author: string
  points: Float32Array
  /** False while its author is still drawing it. */
  done: boolean
}

/** Limits on what one element may hold; the host refuses more (docs/board-format.md). */
export const STROKE_LIMITS = { maxPoints: 20_000, minWidth: 0.5, maxWidth: 200 } as const

const COLOR_PATTERN = /^#[0-9a-f]{6}$/i

/** Whether a string is a colour the board stores (#rrggbb). */
export function isBoardColor(value: unknown): value is string {
  return typeof value === 'string' && COLOR_PATTERN.test(value)
}

/** A fresh element id: random, so that ids made by different people never collide. */
export function newElementId(): string {
  const bytes = new Uint8Array(12)
  crypto.getRandomValues(bytes)
  let out = ''
  for (const b of bytes) out += b.toString(16).padStart(2, '0')
  return out
}

/**
 * A board: the Y.Doc and the typed edits people make on it. Every local edit is a transaction with this
 * replica's origin, so the undo manager undoes only this person's edits.
 */
export class Board {
  readonly doc: Y.Doc
  /** element id -> element map (kind, style, author, points...). */
  readonly elements: Y.Map<Y.Map<unknown>>
  /** element ids, bottom to top. */
  readonly order: Y.Array<string>
  readonly meta: Y.Map<unknown>
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
    // One gesture is one undo step: every action starts with stopCapturing(), so the timeout only has to be
    // longer than the longest stroke.
    this.undoManager = new Y.UndoManager([this.elements, this.order], {
      trackedOrigins: new Set([this.localOrigin]),
      captureTimeout: 24 * 60 * 60 * 1000,
    })
  }

  private edit(fn: () => void): void {
    this.doc.transact(fn, this.localOrigin)
  }

  /** Marks the start of a new user action, so that it becomes its own undo step. */
  beginAction(): void {
    this.undoManager.stopCapturing()
  }

  /** Starts a stroke with its first points; it is visible to peers from now on. Returns its id. */
  beginStroke(style: StrokeStyle, flat: ArrayLike<number>): string {
    if (!isBoardColor(style.color)) throw new Error(`not a colour: ${style.color}`)
    const id = newElementId()
    this.beginAction()
    this.edit(() => {
      if (this.meta.get('schema') === undefined) this.meta.set('schema', BOARD_SCHEMA_VERSION)
      const el = new Y.Map<unknown>()
      const points = new Y.Array<Uint8Array>()
      if (flat.length > 0) points.push([encodePoints(flat)])
      el.set('kind', ElementKind.Stroke)
      el.set('color', style.color)
      el.set('width', Math.min(STROKE_LIMITS.maxWidth, Math.max(STROKE_LIMITS.minWidth, style.width)))
      el.set('author', this.author)
      el.set('points', points)
      el.set('done', false)
      this.elements.set(id, el)
      this.order.push([id])
    })
    return id
  }

  /** Appends points to a stroke being drawn (one chunk per call: callers batch per animation frame). */
  appendPoints(id: string, flat: ArrayLike<number>): void {
    if (flat.length === 0) return
    const points = this.elements.get(id)?.get('points')
    if (!(points instanceof Y.Array)) return
    this.edit(() => points.push([encodePoints(flat)]))
  }

  /** Marks a stroke as finished (pen-up). */
  finishStroke(id: string): void {
    const el = this.elements.get(id)
    if (!el) return
    this.edit(() => el.set('done', true))
  }

  /** Removes elements from the board, as one edit. */
  deleteElements(ids: Iterable<string>): void {
    const gone = new Set([...ids].filter((id) => this.elements.has(id)))
    if (gone.size === 0) return
    this.edit(() => {
      for (const id of gone) this.elements.delete(id)
      const ordered = this.order.toArray()
      for (let i = ordered.length - 1; i >= 0; i--) {
        if (gone.has(ordered[i] as string)) this.order.delete(i, 1)
      }
    })
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

  /** A stroke as plain data, or undefined when the id is no stroke of this board. */
  getStroke(id: string): Stroke | undefined {
    return readStroke(id, this.elements.get(id))
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
    let out: Rect | undefined
    for (const s of this.strokes()) {
      const r = pointsBounds(s.points, s.width)
      out = out
        ? {
            minX: Math.min(out.minX, r.minX),
            minY: Math.min(out.minY, r.minY),
            maxX: Math.max(out.maxX, r.maxX),
            maxY: Math.max(out.maxY, r.maxY),
          }
        : r
    }
    return out
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
    this.undoManager.destroy()
  }
}

/** Reads one element map as a stroke, or undefined when it is not a well-formed stroke. */
export function readStroke(id: string, el: Y.Map<unknown> | undefined): Stroke | undefined {
  if (!el || el.get('kind') !== ElementKind.Stroke) return undefined
  const points = el.get('points')
  const color = el.get('color')
  const width = el.get('width')
  if (!(points instanceof Y.Array) || !isBoardColor(color) || typeof width !== 'number') return undefined
  const chunks = (points.toArray() as unknown[]).filter((c): c is Uint8Array => c instanceof Uint8Array)
  return {
    id,
    kind: ElementKind.Stroke,
    color,
    width,
    author: String(el.get('author') ?? ''),
    points: decodePoints(chunks),
    done: el.get('done') === true,
  }
}
