/**
 * A stroke's element map in the record layout (docs/board-format.md, "Ink record"): `kind`, and while it is drawn
 * `live`, a nested map with what the pen writes (author, colour, width, the chunks of points); at pen-up `live` is
 * deleted and `ink` set, one value with the same keys and the points in compact form. The deleted `live` map is a
 * deleted Yjs type, so Yjs collects its keys and chunks into one GC range instead of keeping a deleted item per
 * overwritten key: a finished stroke holds about half the structs it did. Later edits (move, restyle, lock, group)
 * write their own keys on the element map, which win over the record's; they are never lost to the pen-up.
 */
import * as Y from 'yjs'
import { compactPointsProblem, MAX_COMPACT_POINTS_BYTES } from '../compactPoints'
import { checkAttrs, type ElementAttrs } from './attrs'
import { finishedPoints, readStrokePoints } from './strokePoints'
import { ElementKind, STROKE_LIMITS } from './types'

/** The element map key that holds a finished stroke's record. */
export const INK_KEY = 'ink'
/** The element map key that holds a stroke being drawn (a Y.Map of the record's keys, points as chunks). */
export const LIVE_KEY = 'live'

/** What a record holds: what the pen drew. Any other key stays on the element map, where people change it. */
export const INK_RECORD_KEYS: ReadonlySet<string> = new Set([
  'author',
  'color',
  'width',
  'highlighter',
  'opacity',
  'points',
])

/** Longest author name a record stores (as the element's own `author` key). */
const MAX_AUTHOR = 200

/** A finished stroke's record as stored: plain values and the compact points. */
export type InkRecord = Record<string, unknown> & { points: Uint8Array }

/** The record of an element map, when it holds one of the right shape (readers never trust the document). */
export function inkRecordOf(el: Y.Map<unknown>): Record<string, unknown> | undefined {
  const v = el.get(INK_KEY)
  return v !== null && typeof v === 'object' && !(v instanceof Uint8Array) && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined
}

/**
 * The value of one key of an element: its own key when the map holds it (a later edit), else the record's. Every
 * reader of a stroke's attributes goes through this, so a record and the keys written over it read as one map.
 */
export function elementKey(el: Y.Map<unknown>, key: string): unknown {
  const own = el.get(key)
  if (own !== undefined || !INK_RECORD_KEYS.has(key)) return own
  const record = inkRecordOf(el)
  if (record) return Object.hasOwn(record, key) ? record[key] : undefined
  return liveMapOf(el)?.get(key)
}

/** The nested map of a stroke being drawn, when the element holds one. */
export function liveMapOf(el: Y.Map<unknown>): Y.Map<unknown> | undefined {
  const live = el.get(LIVE_KEY)
  return live instanceof Y.Map ? live : undefined
}

/** The list of chunks points are appended to while a stroke is drawn (record layout or the older one). */
export function liveChunksOf(el: Y.Map<unknown>): Y.Array<unknown> | undefined {
  const points = (liveMapOf(el) ?? el).get('points')
  return points instanceof Y.Array ? points : undefined
}

/** Whether the element is a stroke that was finished: it holds a record, or (older boards) `done` is true. */
export function isFinishedStroke(el: Y.Map<unknown>): boolean {
  return el.get('kind') === ElementKind.Stroke && (el.has(INK_KEY) || el.get('done') === true)
}

/**
 * A finished stroke's element map, not yet in a document: `kind`, the record of `fields`' ink keys with the
 * points in compact form, and every other field as its own key. Points a record cannot hold (none, or more than a
 * stroke holds) keep the older layout, which the host refuses with its own message.
 */
export function finishedStrokeMap(fields: Record<string, unknown>, flat: ArrayLike<number>): Y.Map<unknown> {
  const map = new Y.Map<unknown>()
  map.set('kind', ElementKind.Stroke)
  const record = inkRecord(fields, flat)
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || value === null || key === 'kind' || key === 'done' || key === 'points')
      continue
    if (key === INK_KEY || key === LIVE_KEY || (record && INK_RECORD_KEYS.has(key))) continue
    map.set(key, value)
  }
  if (record) map.set(INK_KEY, record)
  else {
    map.set('points', finishedPoints(flat))
    map.set('done', true)
  }
  return map
}

/**
 * A stroke's keys as plain values, record and own keys merged (own keys win), without kind, points, done and the
 * record itself: what a copy of the stroke (a piece of it, a converted stroke) starts from.
 */
export function strokeFields(el: Y.Map<unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const record = inkRecordOf(el)
  if (record) {
    for (const key of INK_RECORD_KEYS) if (Object.hasOwn(record, key)) out[key] = record[key]
  } else {
    for (const [key, value] of liveMapOf(el)?.entries() ?? []) if (INK_RECORD_KEYS.has(key)) out[key] = value
  }
  for (const [key, value] of el.entries())
    if (key !== 'kind' && key !== 'points' && key !== 'done' && key !== INK_KEY && key !== LIVE_KEY)
      out[key] = value
  delete out.points
  return out
}

/** The record of a stroke whose points are `flat` and whose drawn keys are in `fields`; undefined when points cannot be compact. */
export function inkRecord(fields: Record<string, unknown>, flat: ArrayLike<number>): InkRecord | undefined {
  const points = finishedPoints(flat)
  if (!(points instanceof Uint8Array)) return undefined
  const record: Record<string, unknown> = {}
  for (const key of INK_RECORD_KEYS)
    if (key !== 'points' && fields[key] !== undefined && fields[key] !== null) record[key] = fields[key]
  record.points = points
  return record as InkRecord
}

/**
 * Pen-up of a stroke in the record layout (inside a transaction): `live` goes and `ink` comes, on the same element
 * map, so edits others made to the element meanwhile (a move, a restyle) stay. Returns false, changing nothing,
 * when the element has no live map or its points cannot take the compact form.
 */
export function finishLiveStroke(el: Y.Map<unknown>): boolean {
  const live = liveMapOf(el)
  if (!live || el.has(INK_KEY)) return false
  const flat = readStrokePoints(live.get('points'))
  const fields: Record<string, unknown> = {}
  for (const [key, value] of live.entries()) fields[key] = value
  const record = flat ? inkRecord(fields, flat) : undefined
  if (!record) return false
  el.delete(LIVE_KEY)
  el.set(INK_KEY, record)
  return true
}

/** The points of a stroke element in any of its forms (record, compact key, chunks). */
export function strokePointsOf(el: Y.Map<unknown>): Float32Array | undefined {
  return readStrokePoints(elementKey(el, 'points'))
}

/**
 * Replaces a finished stroke of an older layout (its keys on the map, points compact or in chunks) by its record
 * form, in its place under the same id (inside a transaction). Returns whether it did: strokes still being drawn,
 * strokes already in record form and strokes whose points cannot be read are left as they are.
 */
export function recordStroke(elements: Y.Map<Y.Map<unknown>>, id: string): boolean {
  const el = elements.get(id)
  if (!(el instanceof Y.Map) || el.get('kind') !== ElementKind.Stroke || el.has(INK_KEY)) return false
  if (el.get('done') !== true) return false
  if (liveMapOf(el)) return finishLiveStroke(el)
  const flat = readStrokePoints(el.get('points'))
  const n = flat ? Math.floor(flat.length / 3) : 0
  if (!flat || n < 1 || n > STROKE_LIMITS.maxPoints) return false
  elements.set(id, finishedStrokeMap(strokeFields(el), flat))
  return true
}

/**
 * Converts every finished stroke of an older layout (boards of schema 1 to 3) to the record layout, in one
 * transaction with `origin`; returns how many. Strokes still being drawn keep their layout.
 */
export function recordFinishedStrokes(doc: Y.Doc, origin: unknown, schema: number): number {
  const elements = doc.getMap<Y.Map<unknown>>('elements')
  const todo: string[] = []
  for (const [id, el] of elements.entries())
    if (
      el instanceof Y.Map &&
      el.get('kind') === ElementKind.Stroke &&
      !el.has(INK_KEY) &&
      el.get('done') === true
    )
      todo.push(id)
  if (todo.length === 0) return 0
  let n = 0
  doc.transact(() => {
    for (const id of todo) if (recordStroke(elements, id)) n++
    if (n > 0) doc.getMap('meta').set('schema', schema)
  }, origin)
  return n
}

/** Why a value is no ink record (it came from the network), or undefined when it is one. */
export function inkRecordProblem(v: unknown): string | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Uint8Array)
    return 'an ink record must be a map of values'
  const record = v as Record<string, unknown>
  for (const key of Object.keys(record))
    if (!INK_RECORD_KEYS.has(key)) return `an ink record has no key "${key.slice(0, 40)}"`
  const author = record.author
  if (typeof author !== 'string' || author.length > MAX_AUTHOR)
    return `an ink record's author must be a name of at most ${MAX_AUTHOR} characters`
  const points = record.points
  if (!(points instanceof Uint8Array)) return "an ink record's points must be compact points"
  if (points.byteLength > MAX_COMPACT_POINTS_BYTES) return "an ink record's points are too large"
  const bad = compactPointsProblem(points)
  if (bad) return `an ink record's points: ${bad}`
  if (typeof record.color !== 'string') return "an ink record's color must be a colour (#rrggbb)"
  if (
    typeof record.width !== 'number' ||
    !(record.width >= STROKE_LIMITS.minWidth && record.width <= STROKE_LIMITS.maxWidth)
  )
    return `an ink record's width must be a number from ${STROKE_LIMITS.minWidth} to ${STROKE_LIMITS.maxWidth}`
  const attrs: ElementAttrs = {}
  for (const key of ['color', 'highlighter', 'opacity'] as const)
    if (record[key] !== undefined) (attrs as Record<string, unknown>)[key] = record[key]
  try {
    checkAttrs(ElementKind.Stroke, attrs)
  } catch (error) {
    return `an ink record's ${(error as Error).message.replace(/^stroke /, '')}`
  }
  return undefined
}
