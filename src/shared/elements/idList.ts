/**
 * A list of element ids as bytes, shared by the move records (./moves.ts) and the style records (./styles.ts): an
 * id `newElementId` made (24 lower-case hex digits) as a tag and its 12 bytes, any other element id as a tag, its
 * length and its characters. docs/board-format.md, "Move records", describes the bytes.
 */

/** An id of 24 lower-case hex digits (what newElementId makes), stored as its 12 bytes. */
const TAG_HEX12 = 0
/** Any other id (ELEMENT_ID: letters, digits, - and _), stored as its length and characters. */
const TAG_TEXT = 1
const TEXT_ID = /^[A-Za-z0-9_-]{1,64}$/

/** Most bytes one id takes (a tag, a length and 64 characters). */
export const MAX_ID_BYTES = 66

/** Value of each lower-case hex digit by char code; -1 elsewhere. */
const NIBBLE = new Int8Array(128).fill(-1)
for (let i = 0; i < 16; i++) NIBBLE['0123456789abcdef'.charCodeAt(i)] = i

function isHex24(id: string): boolean {
  if (id.length !== 24) return false
  for (let i = 0; i < 24; i++) if ((NIBBLE[id.charCodeAt(i)] ?? -1) < 0) return false
  return true
}

/** How many bytes `ids` take. */
export function idListBytes(ids: readonly string[]): number {
  let size = 0
  for (const id of ids) size += isHex24(id) ? 13 : 2 + id.length
  return size
}

/** Writes `ids` into `out` from `at`; returns where it stopped. Throws on an id no board would hold. */
export function writeIdList(out: Uint8Array, at: number, ids: readonly string[]): number {
  for (const id of ids) {
    if (isHex24(id)) {
      out[at++] = TAG_HEX12
      for (let i = 0; i < 24; i += 2)
        out[at++] = ((NIBBLE[id.charCodeAt(i)] as number) << 4) | (NIBBLE[id.charCodeAt(i + 1)] as number)
    } else {
      if (!TEXT_ID.test(id)) throw new RangeError(`not an element id: ${id.slice(0, 40)}`)
      out[at++] = TAG_TEXT
      out[at++] = id.length
      for (let i = 0; i < id.length; i++) out[at++] = id.charCodeAt(i)
    }
  }
  return at
}

/** Lower-case hex digits by value, as char codes. */
const HEX_CODES = new TextEncoder().encode('0123456789abcdef')
/** Char codes allowed in a text id (ELEMENT_ID). */
const ID_CHAR = new Uint8Array(128)
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-')
  ID_CHAR[c.charCodeAt(0)] = 1
const latin1 = new TextDecoder('latin1')

/**
 * Reads `count` ids from `at` to the end of `bytes`, or says why they are none, in words that start with `what`
 * ("a move record"). With `withIds` false only checks (the guard needs no strings); the ids are written as text
 * into one buffer and decoded at once.
 */
export function readIdList(
  bytes: Uint8Array,
  at: number,
  count: number,
  withIds: boolean,
  what: string,
): string[] | string {
  // Where each id ends in `text` (a hex id takes 24 characters, a text id its own).
  const ends = withIds ? new Uint32Array(count) : undefined
  const text = withIds ? new Uint8Array(Math.min(count * 64, (bytes.byteLength - at) * 2)) : undefined
  let written = 0
  for (let n = 0; n < count; n++) {
    const tag = bytes[at++]
    if (tag === TAG_HEX12) {
      if (at + 12 > bytes.byteLength) return `${what} ends inside an id`
      if (text) {
        for (let i = 0; i < 12; i++) {
          const b = bytes[at + i] as number
          text[written++] = HEX_CODES[b >> 4] as number
          text[written++] = HEX_CODES[b & 15] as number
        }
      }
      at += 12
    } else if (tag === TAG_TEXT) {
      const length = bytes[at++] ?? 0
      if (length < 1 || length > 64 || at + length > bytes.byteLength) return `${what} ends inside an id`
      for (let i = 0; i < length; i++) {
        const c = bytes[at + i] as number
        if (c >= 128 || ID_CHAR[c] !== 1) return `${what} names something that is no element id`
        if (text) text[written++] = c
      }
      at += length
    } else return `${what} holds an id of unknown form`
    if (ends) ends[n] = written
  }
  if (at !== bytes.byteLength) return `${what} has bytes after its last id`
  const ids: string[] = new Array(withIds ? count : 0)
  if (text && ends) {
    const all = latin1.decode(text.subarray(0, written))
    let start = 0
    for (let n = 0; n < count; n++) {
      ids[n] = all.slice(start, ends[n])
      start = ends[n] as number
    }
  }
  return ids
}
