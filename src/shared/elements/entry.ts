/**
 * What the board's `elements` map holds under an id: an element map (Y.Map: shapes, texts, strokes being drawn,
 * strokes of older boards), or, since schema 5, a finished stroke as one flat record, a plain value with every key
 * of the stroke (docs/board-format.md, "Flat stroke"). A Y.Map costs every reader of the board a struct per key;
 * a flat record is one struct. Readers go through these accessors, which read both alike.
 */
import * as Y from 'yjs'

/** A finished stroke stored as one plain value: its keys as a map would hold them, the points compact. */
export type FlatRecord = Readonly<Record<string, unknown>>

/** One entry of `elements`: an element map, or a flat record (readers never trust which). */
export type ElementEntry = Y.Map<unknown> | FlatRecord

/** Whether a value of `elements` is a flat record (a plain object, not a Yjs type, bytes or a list). */
export function isFlatRecord(v: unknown): v is FlatRecord {
  return (
    v !== null &&
    typeof v === 'object' &&
    !(v instanceof Y.AbstractType) &&
    !(v instanceof Uint8Array) &&
    !Array.isArray(v)
  )
}

/** The entry under an id of `elements` when it is an element map or a flat record; anything else reads as none. */
export function entryOf(value: unknown): ElementEntry | undefined {
  return value instanceof Y.Map || isFlatRecord(value) ? (value as ElementEntry) : undefined
}

/** A key of an entry as it is stored (for a stroke's drawn keys use elementKey, which also looks in its record). */
export function ownKey(el: ElementEntry, key: string): unknown {
  if (el instanceof Y.Map) return el.get(key)
  return Object.hasOwn(el, key) ? el[key] : undefined
}

/** Whether an entry holds a key of its own. */
export function hasOwnKey(el: ElementEntry, key: string): boolean {
  return el instanceof Y.Map ? el.has(key) : Object.hasOwn(el, key)
}

/** An entry's keys and values as stored. */
export function ownEntries(el: ElementEntry): [string, unknown][] {
  return el instanceof Y.Map ? [...el.entries()] : Object.entries(el)
}

/** The element's kind as stored (readers check it against the known kinds). */
export function kindOf(el: ElementEntry | undefined): unknown {
  return el === undefined ? undefined : ownKey(el, 'kind')
}

/** The document an entry belongs to: a map's own, else the board's that holds the record. */
export function docOf(el: ElementEntry, doc?: Y.Doc | null): Y.Doc | null {
  return el instanceof Y.Map ? el.doc : (doc ?? null)
}
