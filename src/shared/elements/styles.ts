/**
 * Style records (issue 9, item 5): a restyle, lock or group of a large selection is stored as one entry of the
 * board's `styles` list, "these elements take these attribute values", instead of writing the keys on every
 * element (a flat stroke would be written anew whole, points included). An element reads as its own keys with the
 * values of the live records that name it written over them, later records over earlier ones. Undoing the edit
 * removes the record (the undo manager tracks `styles`), so each person undoes only their own; a later edit of a key
 * a record holds for an element is itself a record, so it reads as the latest. docs/board-format.md describes the
 * bytes; docs/decisions.md ("Large edits are small, round four") why.
 */
import * as Y from 'yjs'
import { attrProblem, type ElementAttrs, KIND_KEYS } from './attrs'
import { docOf, type ElementEntry, ownKey } from './entry'
import { idListBytes, MAX_ID_BYTES, readIdList, writeIdList } from './idList'
import { elementKey, INK_KEY, LIVE_KEY, strokeFields } from './inkRecord'
import { recordReader } from './recordIndex'
import { ElementKind, STROKE_LIMITS } from './types'

/** The root list of style records in a board's Y.Doc. */
export const STYLES_ROOT = 'styles'

/** An edit of fewer elements than this writes its keys on each (a record is for large selections). */
export const STYLE_RECORD_MIN = 100

/** Most element ids one record names (the most `order` may hold). */
export const MAX_STYLE_RECORD_IDS = 500_000

/** Most bytes of a record's attributes (as JSON). */
const MAX_ATTRS_BYTES = 4096

const HEADER_BYTES = 1 + 4 + 2

/** Most bytes one record may take. */
export const MAX_STYLE_RECORD_BYTES = HEADER_BYTES + MAX_ATTRS_BYTES + MAX_STYLE_RECORD_IDS * MAX_ID_BYTES

const VERSION = 1

/**
 * The keys a record may hold: how an element looks, whether it is locked, its group. Never its place (move
 * records), its size or content (points, text), nor a line's geometry or bindings: those depend on each element.
 */
export const STYLE_KEYS: ReadonlySet<keyof ElementAttrs> = new Set<keyof ElementAttrs>([
  'color',
  'strokeColor',
  'fillColor',
  'strokeWidth',
  'width',
  'opacity',
  'highlighter',
  'dashed',
  'locked',
  'groupId',
  'fontSize',
  'fontFamily',
  'labelColor',
  'labelFontSize',
  'startArrow',
  'endArrow',
])

/** Keys a record may remove (null): what an element may lack. */
const REMOVABLE: ReadonlySet<string> = new Set(['groupId', 'labelColor', 'labelFontSize'])

/** The attributes of one record: a key's value, or null for a key removed. */
export type StyleAttrs = Readonly<Record<string, unknown>>

/** A decoded style record. */
export interface StyleRecord {
  attrs: StyleAttrs
  ids: string[]
}

/** Whether a record's `key` applies to an element of `kind`: a key the kind takes; `width` only on strokes (pen width). */
export function styleApplies(kind: unknown, key: string): boolean {
  if (key === 'width') return kind === ElementKind.Stroke
  const keys = KIND_KEYS[kind as ElementKind] as ReadonlySet<string> | undefined
  return keys?.has(key) === true
}

/** Whether `key` set to `value` on an element of `kind` can go in a record (the board checked the value already). */
export function isStyleKey(kind: unknown, key: string): boolean {
  return STYLE_KEYS.has(key as keyof ElementAttrs) && styleApplies(kind, key)
}

/** Why `attrs` are no record's attributes, or undefined when they are. */
function attrsProblem(attrs: unknown): string | undefined {
  if (attrs === null || typeof attrs !== 'object' || Array.isArray(attrs))
    return "a style record's attributes must be a map"
  const entries = Object.entries(attrs)
  if (entries.length === 0) return 'a style record sets no attribute'
  for (const [key, value] of entries) {
    if (!STYLE_KEYS.has(key as keyof ElementAttrs)) return `a style record cannot set "${key.slice(0, 40)}"`
    if (value === null) {
      if (!REMOVABLE.has(key)) return `a style record cannot remove ${key}`
      continue
    }
    if (key === 'width') {
      if (!(typeof value === 'number' && value >= STROKE_LIMITS.minWidth && value <= STROKE_LIMITS.maxWidth))
        return `a style record's width must be a number from ${STROKE_LIMITS.minWidth} to ${STROKE_LIMITS.maxWidth}`
      continue
    }
    const problem = attrProblem(key as keyof ElementAttrs, value)
    if (problem) return `a style record's ${key}: ${problem}`
  }
  return undefined
}

const utf8 = new TextEncoder()
const fromUtf8 = new TextDecoder('utf-8', { fatal: true })

/** The bytes of a record giving `ids` the attributes `attrs`. Throws on attributes or ids no board would hold. */
export function encodeStyleRecord(attrs: StyleAttrs, ids: readonly string[]): Uint8Array {
  const problem = attrsProblem(attrs)
  if (problem) throw new RangeError(problem)
  const json = utf8.encode(JSON.stringify(attrs))
  if (json.byteLength > MAX_ATTRS_BYTES) throw new RangeError('a style record sets too much')
  const out = new Uint8Array(HEADER_BYTES + json.byteLength + idListBytes(ids))
  const view = new DataView(out.buffer)
  out[0] = VERSION
  view.setUint32(1, ids.length, true)
  view.setUint16(5, json.byteLength, true)
  out.set(json, HEADER_BYTES)
  writeIdList(out, HEADER_BYTES + json.byteLength, ids)
  return out
}

/** Reads a record, or says why the bytes are none (what the board guard refuses); `withIds` false only checks. */
function readStyleRecord(bytes: Uint8Array, withIds = true): StyleRecord | string {
  if (bytes.byteLength < HEADER_BYTES) return 'a style record is shorter than its header'
  if (bytes.byteLength > MAX_STYLE_RECORD_BYTES) return 'a style record is too large'
  if (bytes[0] !== VERSION) return `a style record of version ${bytes[0]} (this Lanvas reads ${VERSION})`
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const count = view.getUint32(1, true)
  if (count > MAX_STYLE_RECORD_IDS) return `a style record names more than ${MAX_STYLE_RECORD_IDS} elements`
  const length = view.getUint16(5, true)
  if (length > MAX_ATTRS_BYTES || HEADER_BYTES + length > bytes.byteLength)
    return "a style record's attributes are cut off or too long"
  let attrs: unknown
  try {
    attrs = JSON.parse(fromUtf8.decode(bytes.subarray(HEADER_BYTES, HEADER_BYTES + length)))
  } catch {
    return "a style record's attributes are not JSON"
  }
  const problem = attrsProblem(attrs)
  if (problem) return problem
  const ids = readIdList(bytes, HEADER_BYTES + length, count, withIds, 'a style record')
  return typeof ids === 'string' ? ids : { attrs: attrs as StyleAttrs, ids }
}

/** A record's contents, or undefined when the bytes are no record. */
export function decodeStyleRecord(bytes: Uint8Array): StyleRecord | undefined {
  const record = readStyleRecord(bytes)
  return typeof record === 'string' ? undefined : record
}

/** Why `bytes` are no style record, or undefined when they are one (the guard's check of the `styles` list). */
export function styleRecordProblem(bytes: Uint8Array): string | undefined {
  const record = readStyleRecord(bytes, false)
  return typeof record === 'string' ? record : undefined
}

const decoded = new WeakMap<Uint8Array, StyleRecord | undefined>()

function decodedRecord(entry: Uint8Array): StyleRecord | undefined {
  // A record's bytes never change: each is decoded once, whatever comes and goes around it.
  if (!decoded.has(entry)) decoded.set(entry, decodeStyleRecord(entry))
  return decoded.get(entry)
}

const attrsOfRecord = new WeakMap<Uint8Array, StyleAttrs | undefined>()

/** A record's attributes, its ids checked but not decoded, or undefined when it is no record. */
function recordAttrs(entry: Uint8Array): StyleAttrs | undefined {
  const known = decoded.get(entry)
  if (known) return known.attrs
  if (!attrsOfRecord.has(entry)) {
    const record = readStyleRecord(entry, false)
    attrsOfRecord.set(entry, typeof record === 'string' ? undefined : record.attrs)
  }
  return attrsOfRecord.get(entry)
}

/**
 * The ids of the elements a style record of the board `doc` gives `key` (none on most boards): a reader of that one
 * key of many elements (a delete's lock check of 10,000) reads the others' own key, without the records' index of
 * every id they name. Only records that set `key` have their ids decoded.
 */
export function idsStyledWith(doc: Y.Doc, key: string): ReadonlySet<string> {
  if (!doc.share.has(STYLES_ROOT)) return new Set()
  return idsInStyleRecords(
    doc
      .getArray<unknown>(STYLES_ROOT)
      .toArray()
      .filter((entry) => entry instanceof Uint8Array && Object.hasOwn(recordAttrs(entry) ?? {}, key)),
  )
}

/** The attributes the style records of the board `doc` give the element `id`, or undefined when none names it. */
export const styleOf = recordReader<StyleAttrs>(STYLES_ROOT, (records) => {
  // Later records win, key by key.
  const byId = new Map<string, StyleAttrs>()
  for (const entry of records) {
    const record = decodedRecord(entry)
    if (!record) continue
    for (const id of record.ids) {
      const now = byId.get(id)
      // Records that set the same attributes share one object until a later one adds to it.
      if (!now) byId.set(id, record.attrs)
      else byId.set(id, { ...now, ...record.attrs })
    }
  }
  return byId
})

/**
 * The entry `el` of the element `id` as its style records make it read: unchanged when no record names it, else a
 * plain copy of its keys (a stroke's record or live map merged in, as elementKey reads them) with the records'
 * values over them. Readers of an element's keys read this instead of the entry.
 */
export function styledEntry(id: string, el: ElementEntry, doc?: Y.Doc | null): ElementEntry {
  const style = styleOf(docOf(el, doc), id)
  if (!style) return el
  const kind = ownKey(el, 'kind')
  let out: Record<string, unknown>
  if (!(el instanceof Y.Map)) out = { ...el }
  else if (kind === ElementKind.Stroke && (el.has(INK_KEY) || el.has(LIVE_KEY)))
    out = { ...strokeFields(el), kind, points: elementKey(el, 'points') }
  else out = Object.fromEntries(el.entries())
  for (const [key, value] of Object.entries(style)) {
    if (!styleApplies(kind, key)) continue
    if (value === null) delete out[key]
    else out[key] = value
  }
  return out
}

/** One key of the element `id` as its style records make it read (elementKey with the records over it). */
export function styledKey(id: string, el: ElementEntry, key: string, doc?: Y.Doc | null): unknown {
  const style = styleOf(docOf(el, doc), id)
  if (style && Object.hasOwn(style, key) && styleApplies(ownKey(el, 'kind'), key)) {
    const value = style[key]
    return value === null ? undefined : value
  }
  return elementKey(el, key)
}

/** The element ids the records among `entries` name (what a change of the `styles` list restyled). */
export function idsInStyleRecords(entries: Iterable<unknown>): Set<string> {
  const out = new Set<string>()
  for (const entry of entries) {
    if (!(entry instanceof Uint8Array)) continue
    const record = decodedRecord(entry)
    if (record) for (const id of record.ids) out.add(id)
  }
  return out
}
