/**
 * The vocabulary of the board schema as the update check sees it: what each place of the Y.Doc may hold.
 * A place (a root type, a key of a map, the entries of an array) is a Slot; a nested shared type is a
 * Container. The board's own table is ./boardSchema.ts; the check that walks an update is ./boardGuard.ts.
 */

/** Why a value is refused, in a few words; undefined when it is fine. */
export type Check = (value: unknown) => string | undefined

/** Where in the board a slot sits, for checks that depend on it (an asset's bytes must hash to its key). */
export interface Context {
  /** The key of the element (in `elements`) the place belongs to. */
  elementId?: string
  /** That element's kind, once known. */
  kind?: string
  /** The key of the asset (in `assets`) the place belongs to. */
  assetId?: string
}

/** What one place may hold: each field allows one kind of Yjs content; a missing field refuses it. */
export interface Slot {
  /** A plain JSON value (Yjs ContentAny): one per map key, any number per array item. */
  value?: Check
  /** Bytes (Yjs ContentBinary). */
  bytes?: (bytes: Uint8Array, at: Context) => string | undefined
  /** Most bytes one ContentBinary may hold here; more is refused as too large, before `bytes` runs. */
  maxBytes?: number
  /** A nested shared type (Yjs ContentType). */
  type?: Container
  /** Characters of a Y.Text (Yjs ContentString). */
  chars?: true
}

/** A cap on what a list (array or text) holds, counted in its own units (points, characters, ids). */
export interface ListCap {
  /** The units one entry adds: a value, a chunk of bytes or a run of characters. */
  units: (entry: { values?: readonly unknown[]; bytes?: Uint8Array; chars?: string }) => number
  limit: number
  /** What the units are, for the refusal: "points", "characters". */
  what: string
}

/** A nested shared type and what it may hold. `name` says what it is in refusals: "a stroke", "order". */
export type Container =
  | {
      yjs: 'map'
      name: string
      /** The slot of a key, or a refusal when the key does not belong here. */
      child: (key: string, at: Context) => Slot | string
      /** Enters this map from its parent under `key` (e.g. records the element id). */
      enter?: (key: string | null, at: Context) => Context
      /** Its keys depend on the value of this key (an element's `kind`), which never changes once set. */
      kindKey?: string
    }
  | { yjs: 'array'; name: string; item: Slot; cap?: ListCap }
  | { yjs: 'text'; name: string; cap?: ListCap }

/** A slot for a plain value. */
export const value = (check: Check): Slot => ({ value: check })

/** A finite number from min to max. */
export function numberIn(min: number, max: number): Check {
  return (v) =>
    typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max
      ? undefined
      : `not a number from ${min} to ${max}`
}

/** A string of at most `max` characters, optionally matching a pattern. */
export function stringOf(max: number, pattern?: RegExp): Check {
  return (v) =>
    typeof v !== 'string'
      ? 'not a string'
      : v.length > max
        ? `longer than ${max} characters`
        : pattern && !pattern.test(v)
          ? 'not in the expected form'
          : undefined
}

/** true or false. */
export const boolean: Check = (v) => (typeof v === 'boolean' ? undefined : 'not true or false')

/** Exactly one of some values. */
export function oneOf(values: readonly unknown[]): Check {
  return (v) => (values.includes(v) ? undefined : `not one of ${values.join(', ')}`)
}
