/**
 * Move records (issue 9, item 5): a move of a large selection is stored as one entry of the board's `moves` list,
 * "these elements moved by dx, dy", instead of rewriting x and y on every element. An element is where its own
 * x, y say plus the sum of the live records that name it. Undoing the move removes the record (the undo manager
 * tracks `moves`), so each person undoes only their own; concurrent moves of the same element add up.
 * docs/board-format.md describes the bytes; docs/decisions.md ("Large edits are small, round two") why.
 */
import { idListBytes, MAX_ID_BYTES, readIdList, writeIdList } from './idList'
import { recordReader } from './recordIndex'
import { ELEMENT_LIMITS } from './types'

/** The root list of move records in a board's Y.Doc. */
export const MOVES_ROOT = 'moves'

/** A move of fewer elements than this writes x and y on each (a record is for large selections). */
export const MOVE_RECORD_MIN = 100

/** Most element ids one record names (the most `order` may hold). */
export const MAX_MOVE_RECORD_IDS = 500_000

/** Most bytes one record may take: every id at its longest (a tag, a length and 64 characters). */
export const MAX_MOVE_RECORD_BYTES = 24 + MAX_MOVE_RECORD_IDS * MAX_ID_BYTES

/** Largest |dx|, |dy| of one record: across the whole board. */
const MAX_SHIFT = 2 * ELEMENT_LIMITS.maxCoordinate

const VERSION = 1
const HEADER_BYTES = 1 + 8 + 8 + 4

/** How far an element is moved by the records that name it. */
export interface Shift {
  dx: number
  dy: number
}

/** A decoded move record. */
export interface MoveRecord extends Shift {
  ids: string[]
}

/** The bytes of a record moving `ids` by (dx, dy). Throws on an id no board would hold. */
export function encodeMoveRecord(dx: number, dy: number, ids: readonly string[]): Uint8Array {
  if (!Number.isFinite(dx) || !Number.isFinite(dy) || Math.abs(dx) > MAX_SHIFT || Math.abs(dy) > MAX_SHIFT)
    throw new RangeError(`a move by ${dx}, ${dy} is off the board`)
  const out = new Uint8Array(HEADER_BYTES + idListBytes(ids))
  const view = new DataView(out.buffer)
  out[0] = VERSION
  view.setFloat64(1, dx, true)
  view.setFloat64(9, dy, true)
  view.setUint32(17, ids.length, true)
  writeIdList(out, HEADER_BYTES, ids)
  return out
}

/**
 * Reads a record, or says why the bytes are none (what the board guard refuses). With `withIds` false only checks
 * (the guard needs no strings).
 */
function readMoveRecord(bytes: Uint8Array, withIds = true): MoveRecord | string {
  if (bytes.byteLength < HEADER_BYTES) return 'a move record is shorter than its header'
  if (bytes.byteLength > MAX_MOVE_RECORD_BYTES) return 'a move record is too large'
  if (bytes[0] !== VERSION) return `a move record of version ${bytes[0]} (this Lanvas reads ${VERSION})`
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const dx = view.getFloat64(1, true)
  const dy = view.getFloat64(9, true)
  // Negated so that NaN fails too.
  if (!(Math.abs(dx) <= MAX_SHIFT && Math.abs(dy) <= MAX_SHIFT))
    return `a move record moves by more than ±${MAX_SHIFT}`
  const count = view.getUint32(17, true)
  if (count > MAX_MOVE_RECORD_IDS) return `a move record names more than ${MAX_MOVE_RECORD_IDS} elements`
  const ids = readIdList(bytes, HEADER_BYTES, count, withIds, 'a move record')
  return typeof ids === 'string' ? ids : { dx, dy, ids }
}

/** A record's contents, or undefined when the bytes are no record. */
export function decodeMoveRecord(bytes: Uint8Array): MoveRecord | undefined {
  const record = readMoveRecord(bytes)
  return typeof record === 'string' ? undefined : record
}

/** Why `bytes` are no move record, or undefined when they are one (the guard's check of the `moves` list). */
export function moveRecordProblem(bytes: Uint8Array): string | undefined {
  const record = readMoveRecord(bytes, false)
  return typeof record === 'string' ? record : undefined
}

const decoded = new WeakMap<Uint8Array, MoveRecord | undefined>()

/** How far the move records of the board `doc` move the element `id`, or undefined when none names it. */
export const shiftOf = recordReader<Shift>(MOVES_ROOT, (records) => {
  const byId = new Map<string, Shift>()
  for (const entry of records) {
    // A record's bytes never change: each is decoded once, whatever comes and goes around it.
    let record = decoded.get(entry)
    if (!decoded.has(entry)) {
      record = decodeMoveRecord(entry)
      decoded.set(entry, record)
    }
    if (!record) continue
    for (const id of record.ids) {
      const s = byId.get(id)
      if (s) {
        s.dx += record.dx
        s.dy += record.dy
      } else byId.set(id, { dx: record.dx, dy: record.dy })
    }
  }
  return byId
})

/** The element ids the records among `entries` name (what a change of the `moves` list moved). */
export function idsInRecords(entries: Iterable<unknown>): Set<string> {
  const out = new Set<string>()
  for (const entry of entries) {
    if (!(entry instanceof Uint8Array)) continue
    const record = decodeMoveRecord(entry)
    if (record) for (const id of record.ids) out.add(id)
  }
  return out
}
