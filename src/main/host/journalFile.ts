/**
 * The board journal's bytes (docs/board-format.md, "The journal"): a header naming the board file the journal
 * applies on, then one record per Yjs update the host applied. Pure: no file system here.
 */
import CRC32 from 'crc-32'

/** The journal of NAME.lanvas is NAME.lanvas.journal, beside it. */
export const JOURNAL_SUFFIX = '.journal'

/** The journal format version this code writes, and the newest it reads. */
export const JOURNAL_VERSION = 1

// Like the board file's signature, with J: a high byte, the name, CR LF and ^Z catch mangled copies.
const MAGIC = [0x89, 0x4c, 0x4e, 0x56, 0x4a, 0x0d, 0x0a, 0x1a] as const
/** Bytes of the SHA-256 of the board file the journal applies on. */
export const BASE_BYTES = 32
/** signature, version (u16), flags (u16), base. */
export const JOURNAL_HEADER_BYTES = MAGIC.length + 2 + 2 + BASE_BYTES
/** length (u32) and CRC-32 (u32) before each record's payload. */
export const RECORD_HEADER_BYTES = 8

/** The journal file of a board file. */
export function journalPathFor(boardPath: string): string {
  return `${boardPath}${JOURNAL_SUFFIX}`
}

/** A journal's header: signature, version, flags, and the base (SHA-256 of the board file, zeros for none). */
export function encodeJournalHeader(base: Uint8Array): Uint8Array {
  if (base.byteLength !== BASE_BYTES) throw new Error(`A journal base is ${BASE_BYTES} bytes.`)
  const out = new Uint8Array(JOURNAL_HEADER_BYTES)
  out.set(MAGIC, 0)
  const view = new DataView(out.buffer)
  view.setUint16(8, JOURNAL_VERSION, true)
  view.setUint16(10, 0, true)
  out.set(base, 12)
  return out
}

/** One record: the payload's length and CRC-32, then the payload (a Yjs update). */
export function encodeJournalRecord(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(RECORD_HEADER_BYTES + payload.byteLength)
  const view = new DataView(out.buffer)
  view.setUint32(0, payload.byteLength, true)
  view.setUint32(4, CRC32.buf(payload) >>> 0, true)
  out.set(payload, RECORD_HEADER_BYTES)
  return out
}

/**
 * What is wrong with a journal: `torn`, its last record is cut short (the host stopped mid-write, which a
 * crash does); `damaged`, a complete record fails its checksum; `foreign`, no journal header at all;
 * `newer`, written by a newer Lanvas.
 */
export type JournalProblem =
  | { kind: 'torn'; offset: number; message: string }
  | { kind: 'damaged'; offset: number; message: string }
  | { kind: 'foreign'; message: string }
  | { kind: 'newer'; message: string }

/** A journal as read: its base, the records of its good prefix, and the first problem found, if any. */
export interface ParsedJournal {
  /** Undefined when there is no usable header (empty, foreign or newer). */
  base: Uint8Array | undefined
  records: Uint8Array[]
  /** Bytes of the good prefix (header and whole, intact records). */
  goodBytes: number
  problem: JournalProblem | undefined
}

/**
 * Reads a journal's bytes. Records are taken in order up to the first one that is cut short or fails its
 * checksum; that one and everything after it are left out and described in `problem`.
 */
export function parseJournal(bytes: Uint8Array): ParsedJournal {
  const none = { base: undefined, records: [], goodBytes: 0 }
  if (bytes.byteLength < JOURNAL_HEADER_BYTES) {
    // A header cut short is a journal the host was creating when it stopped: it held no record yet.
    const prefix = bytes.every((b, i) => i >= MAGIC.length || b === MAGIC[i])
    return prefix
      ? { ...none, problem: undefined }
      : { ...none, problem: { kind: 'foreign', message: 'it is not a Lanvas journal' } }
  }
  if (MAGIC.some((b, i) => bytes[i] !== b))
    return { ...none, problem: { kind: 'foreign', message: 'it is not a Lanvas journal' } }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const version = view.getUint16(8, true)
  if (version === 0)
    return {
      ...none,
      problem: { kind: 'foreign', message: 'it is damaged or not a Lanvas journal (format 0)' },
    }
  if (version > JOURNAL_VERSION)
    return {
      ...none,
      problem: { kind: 'newer', message: `it was written by a newer Lanvas (journal format ${version})` },
    }
  const base = bytes.slice(12, 12 + BASE_BYTES)
  const records: Uint8Array[] = []
  let offset = JOURNAL_HEADER_BYTES
  while (offset < bytes.byteLength) {
    if (bytes.byteLength - offset < RECORD_HEADER_BYTES)
      return { base, records, goodBytes: offset, problem: torn(offset, bytes.byteLength - offset) }
    const length = view.getUint32(offset, true)
    const end = offset + RECORD_HEADER_BYTES + length
    if (end > bytes.byteLength) {
      // A crash cuts only the last record; a whole record further on means this length field is damaged.
      const later =
        length > MAX_RECORD_BYTES ? offset : intactRecordAfter(bytes, offset + RECORD_HEADER_BYTES)
      if (later === undefined)
        return { base, records, goodBytes: offset, problem: torn(offset, bytes.byteLength - offset) }
      const after = bytes.byteLength - offset - RECORD_HEADER_BYTES
      return {
        base,
        records,
        goodBytes: offset,
        problem: damaged(offset, records.length + 1, `has a damaged length (${length} bytes)`, after),
      }
    }
    const payload = bytes.subarray(offset + RECORD_HEADER_BYTES, end)
    if (CRC32.buf(payload) >>> 0 !== view.getUint32(offset + 4, true))
      return {
        base,
        records,
        goodBytes: offset,
        problem: damaged(offset, records.length + 1, 'does not match its checksum', bytes.byteLength - end),
      }
    records.push(payload)
    offset = end
  }
  return { base, records, goodBytes: offset, problem: undefined }
}

/** The largest record the host writes: one update frame (MAX_MESSAGE_BYTES) and room to spare. */
export const MAX_RECORD_BYTES = 32 * 1024 * 1024
// Bytes of checksums the search for a later record may compute; past it the tail is called damaged (and kept).
const SEARCH_BUDGET_BYTES = 64 * 1024 * 1024

/** Where a whole record with a matching checksum starts at or after `from`, or undefined when none does. */
function intactRecordAfter(bytes: Uint8Array, from: number): number | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let budget = SEARCH_BUDGET_BYTES
  for (let at = from; at + RECORD_HEADER_BYTES < bytes.byteLength; at++) {
    const length = view.getUint32(at, true)
    // Every update Yjs writes is 2 bytes or more; 0 would match any run of zeros.
    if (length < 2 || at + RECORD_HEADER_BYTES + length > bytes.byteLength) continue
    budget -= length
    if (budget < 0) return at
    const payload = bytes.subarray(at + RECORD_HEADER_BYTES, at + RECORD_HEADER_BYTES + length)
    if (CRC32.buf(payload) >>> 0 === view.getUint32(at + 4, true)) return at
  }
  return undefined
}

function torn(offset: number, bytes: number): JournalProblem {
  return { kind: 'torn', offset, message: `its last record (${bytes} bytes at byte ${offset}) is cut short` }
}

/** Record `n` at `offset` is damaged (`what` is wrong with it); it and the `after` bytes after it are left out. */
function damaged(offset: number, n: number, what: string, after: number): JournalProblem {
  return {
    kind: 'damaged',
    offset,
    message: `record ${n} at byte ${offset} ${what}; it and the ${after} bytes after it were left out`,
  }
}
