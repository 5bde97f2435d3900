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
import { checkAttrs, type ElementAttrs, KIND_KEYS } from './attrs'
import { type ElementEntry, type FlatRecord, isFlatRecord, ownEntries, ownKey } from './entry'
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
export function inkRecordOf(el: ElementEntry): Record<string, unknown> | undefined {
  if (!(el instanceof Y.Map)) return undefined
  const v = el.get(INK_KEY)
  return v !== null && typeof v === 'object' && !(v instanceof Uint8Array) && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined
}

/**
 * The value of one key of an element: its own key when the map holds it (a later edit), else the record's. Every
 * reader of a stroke's attributes goes through this, so a record and the keys written over it read as one map.
 */
export function elementKey(el: ElementEntry, key: string): unknown {
  if (!(el instanceof Y.Map)) return ownKey(el, key)
  const own = el.get(key)
  if (own !== undefined || !INK_RECORD_KEYS.has(key)) return own
  const record = inkRecordOf(el)
  if (record) return Object.hasOwn(record, key) ? record[key] : undefined
  return liveMapOf(el)?.get(key)
}

/** The nested map of a stroke being drawn, when the element holds one. */
export function liveMapOf(el: ElementEntry): Y.Map<unknown> | undefined {
  if (!(el instanceof Y.Map)) return undefined
  const live = el.get(LIVE_KEY)
  return live instanceof Y.Map ? live : undefined
}

/** The list of chunks points are appended to while a stroke is drawn (record layout or the older one). */
export function liveChunksOf(el: ElementEntry): Y.Array<unknown> | undefined {
  if (!(el instanceof Y.Map)) return undefined
  const points = (liveMapOf(el) ?? el).get('points')
  return points instanceof Y.Array ? points : undefined
}

/** Whether the element is a stroke that was finished: a flat record, a map with a record, or `done` is true. */
export function isFinishedStroke(el: ElementEntry): boolean {
  if (!(el instanceof Y.Map)) return el.kind === ElementKind.Stroke
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
export function strokeFields(el: ElementEntry): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (!(el instanceof Y.Map)) {
    for (const [key, value] of ownEntries(el))
      if (key !== 'kind' && key !== 'points' && key !== 'done' && key !== INK_KEY && key !== LIVE_KEY)
        out[key] = value
    return out
  }
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

/** Keys of an element map that are its structure, never copied into a flat record as they are. */
const STRUCTURE_KEYS: ReadonlySet<string> = new Set(['kind', 'done', 'points', INK_KEY, LIVE_KEY])

/**
 * A finished stroke as one flat record (docs/board-format.md, "Flat stroke"): `kind`, every field of `fields` but
 * the structure keys, and the points `flat` in compact form. Undefined when the points cannot be compact (none, or
 * more than a stroke holds): such a stroke keeps its map.
 */
export function flatStroke(
  fields: Record<string, unknown>,
  flat: ArrayLike<number>,
  compact?: Uint8Array,
): FlatRecord | undefined {
  // `compact`: the same points already in compact form (a converted stroke's stored value), kept as they are.
  const points = compact ?? finishedPoints(flat)
  if (!(points instanceof Uint8Array)) return undefined
  const out: Record<string, unknown> = { kind: ElementKind.Stroke }
  for (const [key, value] of Object.entries(fields))
    if (value !== undefined && value !== null && !STRUCTURE_KEYS.has(key)) out[key] = value
  out.points = points
  return out
}

/**
 * The flat record a stroke being drawn becomes at pen-up: what the pen wrote (its `live` map) and every key set on
 * its element map meanwhile (a move, a restyle by someone else), which win. Undefined when the element has no live
 * map or its points cannot take the compact form.
 */
export function finishedLiveStroke(el: Y.Map<unknown>): FlatRecord | undefined {
  const live = liveMapOf(el)
  if (!live || el.has(INK_KEY)) return undefined
  const flat = readStrokePoints(live.get('points'))
  if (!flat) return undefined
  const fields: Record<string, unknown> = {}
  for (const [key, value] of live.entries()) if (INK_RECORD_KEYS.has(key)) fields[key] = value
  for (const [key, value] of el.entries()) if (!STRUCTURE_KEYS.has(key)) fields[key] = value
  return flatStroke(fields, flat)
}

/**
 * A flat stroke with `attrs` written over it (null removes a key): the record a later edit of a finished stroke
 * writes in its place, whole (the last writer of a stroke wins; docs/decisions.md).
 */
export function editedFlatStroke(record: FlatRecord, attrs: Record<string, unknown>): FlatRecord {
  const out: Record<string, unknown> = { ...record }
  for (const [key, value] of Object.entries(attrs)) {
    if (STRUCTURE_KEYS.has(key)) continue
    if (value === null || value === undefined) delete out[key]
    else out[key] = value
  }
  return out
}

/** The points of a stroke element in any of its forms (record, compact key, chunks). */
export function strokePointsOf(el: ElementEntry): Float32Array | undefined {
  return readStrokePoints(elementKey(el, 'points'))
}

/**
 * Replaces a finished stroke of an older layout (its keys on the map, points compact or in chunks, or an ink record)
 * by its flat record, in its place under the same id (inside a transaction). Returns whether it did: strokes still
 * being drawn, flat ones and strokes whose points cannot be read or made compact are left as they are.
 */
export function flattenStroke(elements: Y.Map<unknown>, id: string): boolean {
  const el = elements.get(id)
  if (!(el instanceof Y.Map) || !isFinishedStroke(el)) return false
  const stored = elementKey(el, 'points')
  const flat = readStrokePoints(stored)
  const n = flat ? Math.floor(flat.length / 3) : 0
  if (!flat || n < 1 || n > STROKE_LIMITS.maxPoints) return false
  // Points already compact (schema 3 and 4) are kept byte for byte: encoding them again was a third of the time
  // a host took to convert a 100,000-stroke board.
  const record = flatStroke(strokeFields(el), flat, stored instanceof Uint8Array ? stored : undefined)
  if (!record) return false
  elements.set(id, record)
  return true
}

/**
 * Converts every finished stroke of an older layout (boards of schema 1 to 4) to a flat record, in one transaction
 * with `origin`; returns how many. Strokes still being drawn keep their layout.
 */
export function recordFinishedStrokes(doc: Y.Doc, origin: unknown, schema: number): number {
  const elements = doc.getMap<unknown>('elements')
  const todo: string[] = []
  for (const [id, el] of elements.entries()) if (el instanceof Y.Map && isFinishedStroke(el)) todo.push(id)
  if (todo.length === 0) return 0
  let n = 0
  doc.transact(() => {
    for (const id of todo) if (flattenStroke(elements, id)) n++
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
  const attrs: ElementAttrs = {}
  for (const key of ['color', 'highlighter', 'opacity'] as const)
    if (record[key] !== undefined) (attrs as Record<string, unknown>)[key] = record[key]
  return drawnFieldsProblem(record, attrs, 'an ink record')
}

/**
 * Why a value of `elements` is no flat stroke (it came from the network), or undefined when it is one: a map of
 * plain values, kind 'stroke', an author, compact points, a colour and a width, and otherwise only the keys a stroke
 * takes (KIND_KEYS), each checked as the board checks it when people set it (checkAttrs).
 */
export function flatRecordProblem(v: unknown): string | undefined {
  if (!isFlatRecord(v)) return 'a flat stroke must be a map of values'
  const record = v as Record<string, unknown>
  if (record.kind !== ElementKind.Stroke) return "a flat record must be of kind 'stroke'"
  const attrs: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(record)) {
    if (key === 'kind' || key === 'author' || key === 'points') continue
    if (!KIND_KEYS[ElementKind.Stroke].has(key as keyof ElementAttrs))
      return `a flat stroke has no key "${key.slice(0, 40)}"`
    if (value === null || value === undefined) return `a flat stroke's ${key} must be a value`
    attrs[key] = value
  }
  return drawnFieldsProblem(record, attrs as ElementAttrs, 'a flat stroke')
}

/**
 * Why the keys a pen writes (author, compact points, colour, width) and `attrs` (checked as the board checks them
 * when people set them) are not a stroke's, in words that start with `what` ("an ink record", "a flat stroke").
 */
function drawnFieldsProblem(
  record: Record<string, unknown>,
  attrs: ElementAttrs,
  what: string,
): string | undefined {
  const author = record.author
  if (typeof author !== 'string' || author.length > MAX_AUTHOR)
    return `${what}'s author must be a name of at most ${MAX_AUTHOR} characters`
  const points = record.points
  if (!(points instanceof Uint8Array)) return `${what}'s points must be compact points`
  if (points.byteLength > MAX_COMPACT_POINTS_BYTES) return `${what}'s points are too large`
  const bad = compactPointsProblem(points)
  if (bad) return `${what}'s points: ${bad}`
  if (typeof record.color !== 'string') return `${what}'s color must be a colour (#rrggbb)`
  if (
    typeof record.width !== 'number' ||
    !(record.width >= STROKE_LIMITS.minWidth && record.width <= STROKE_LIMITS.maxWidth)
  )
    return `${what}'s width must be a number from ${STROKE_LIMITS.minWidth} to ${STROKE_LIMITS.maxWidth}`
  try {
    checkAttrs(ElementKind.Stroke, attrs)
  } catch (error) {
    return `${what}'s ${(error as Error).message.replace(/^stroke /, '')}`
  }
  return undefined
}
