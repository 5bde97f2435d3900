import CRC32 from 'crc-32'
import * as Y from 'yjs'
import { Board } from './board'

/**
 * The .lanvas file format version this code writes, and the newest it reads. Format 2 holds the board as a Yjs
 * update in Yjs's v2 encoding (column-wise, keys and client ids run-length coded: 13 % smaller than v1 on an ink
 * board); format 1 (v1 encoding) is still read.
 */
export const BOARD_FILE_VERSION = 2

/** A board file's Yjs update and the Yjs encoding it is in (what the host applies without converting it). */
export interface BoardPayload {
  update: Uint8Array
  /** 1: Yjs's v1 encoding (Y.applyUpdate); 2: its v2 encoding (Y.applyUpdateV2). */
  encoding: 1 | 2
}

/** Applies a board file's payload to a document, in the encoding it was written in. */
export function applyBoardPayload(doc: Y.Doc, payload: BoardPayload, origin?: unknown): void {
  if (payload.encoding === 2) Y.applyUpdateV2(doc, payload.update, origin)
  else Y.applyUpdate(doc, payload.update, origin)
}

/** A CRC-32 of bytes (the file's checksum): the portable one here; the host passes Node's native one. */
export type Checksum = (bytes: Uint8Array) => number

const portableCrc32: Checksum = (bytes) => CRC32.buf(bytes) >>> 0

/** Board files bigger than this are refused before they are parsed. */
export const MAX_BOARD_FILE_BYTES = 256 * 1024 * 1024

// PNG-style signature: a high byte, the name, CR LF and ^Z catch files mangled by text-mode transfers.
const MAGIC = [0x89, 0x4c, 0x4e, 0x56, 0x53, 0x0d, 0x0a, 0x1a] as const
const HEADER_BYTES = MAGIC.length + 2 + 2 + 4 + 4

/** Why a file could not be opened as a board, in words a user can act on. */
export class BoardFileError extends Error {
  override name = 'BoardFileError'
}

/** Encodes a board's whole state as a .lanvas file. */
export function encodeBoardFile(doc: Y.Doc): Uint8Array {
  const payload = Y.encodeStateAsUpdateV2(doc)
  const out = new Uint8Array(HEADER_BYTES + payload.byteLength)
  out.set(MAGIC, 0)
  const view = new DataView(out.buffer)
  view.setUint16(8, BOARD_FILE_VERSION, true)
  view.setUint16(10, 0, true)
  view.setUint32(12, payload.byteLength, true)
  view.setUint32(16, CRC32.buf(payload) >>> 0, true)
  out.set(payload, HEADER_BYTES)
  return out
}

/**
 * Checks a .lanvas file and returns the Yjs update it holds, in Yjs's v1 encoding whatever the file's (what
 * the board guard and Y.applyUpdate read). Throws BoardFileError as readBoardPayload does.
 */
export function decodeBoardFile(bytes: Uint8Array, checked = false): Uint8Array {
  const payload = readBoardPayload(bytes, checked)
  return payload.encoding === 2 ? Y.convertUpdateFormatV2ToV1(payload.update) : payload.update
}

/**
 * Checks a .lanvas file and returns the Yjs update it holds, in the encoding the file has. Throws
 * BoardFileError with a clear message for a foreign, newer, truncated or damaged file; nothing is changed by a
 * failed read. `checked`: the caller knows these exact bytes (by their digest) as a file it wrote or checked
 * before, so only the header is read: the checksum and the trial apply are what make opening a large board slow.
 */
export function readBoardPayload(bytes: Uint8Array, checked = false): BoardPayload {
  const payload = checkedPayload(bytes, checked, portableCrc32)
  if (!checked) loadPayload(payload).destroy()
  return payload
}

/** A board file read into a document of its own: the document and the payload it was read from. */
export interface LoadedBoardFile {
  doc: Y.Doc
  payload: BoardPayload
}

/**
 * Checks a .lanvas file as readBoardPayload does and applies it to a new document, which it returns: the one
 * apply a host needs to open a board, as the document becomes the board's own (the trial apply of
 * readBoardPayload is this apply). Throws BoardFileError as readBoardPayload does; the document is then dropped.
 * `checked`: the caller knows these exact bytes as a file it wrote or checked (the checksum is not computed).
 * `collected`: the caller knows them as a file it wrote itself from a document that collects deleted content (a
 * host's): the apply skips Yjs's pass over the deleted structs, which on such a file finds nothing to collect or
 * merge (a tenth of a 100,000-stroke board's apply).
 */
export function loadBoardFile(
  bytes: Uint8Array,
  checked = false,
  checksum: Checksum = portableCrc32,
  collected = false,
): LoadedBoardFile {
  const payload = checkedPayload(bytes, checked, checksum)
  return { doc: loadPayload(payload, collected), payload }
}

/** The header's checks and, unless `checked`, the checksum's; the payload as it is in the file. */
function checkedPayload(bytes: Uint8Array, checked: boolean, checksum: Checksum): BoardPayload {
  if (bytes.byteLength > MAX_BOARD_FILE_BYTES)
    throw new BoardFileError(
      `This file is too large to be a Lanvas board (over ${MAX_BOARD_FILE_BYTES >> 20} MB).`,
    )
  if (bytes.byteLength < MAGIC.length || MAGIC.some((b, i) => bytes[i] !== b))
    throw new BoardFileError('This is not a Lanvas board file (it does not start with the Lanvas signature).')
  if (bytes.byteLength < HEADER_BYTES)
    throw new BoardFileError('This board file is damaged: it is cut short.')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const version = view.getUint16(8, true)
  // No Lanvas ever wrote format 0: zeros here are damage (or another program's file), not the future.
  if (version === 0)
    throw new BoardFileError(
      'This board file is damaged (or not a Lanvas board file): its format version is 0.',
    )
  if (version > BOARD_FILE_VERSION)
    throw new BoardFileError(
      `This board was saved by a newer Lanvas (file format ${version}); this version reads format ${BOARD_FILE_VERSION}. Update Lanvas to open it.`,
    )
  const length = view.getUint32(12, true)
  if (bytes.byteLength - HEADER_BYTES < length)
    throw new BoardFileError('This board file is damaged: it is cut short.')
  const payload: BoardPayload = {
    update: bytes.subarray(HEADER_BYTES, HEADER_BYTES + length),
    encoding: version >= 2 ? 2 : 1,
  }
  if (!checked && checksum(payload.update) !== view.getUint32(16, true))
    throw new BoardFileError('This board file is damaged: its contents do not match its checksum.')
  return payload
}

/** A new document holding `payload`; a payload Yjs cannot read throws BoardFileError (and reaches no live board). */
function loadPayload(payload: BoardPayload, collected = false): Y.Doc {
  const doc = new Y.Doc()
  // Yjs collects and merges the structs of the transaction's delete set as it ends; the writer did that already.
  if (collected)
    doc.once('beforeObserverCalls', (transaction: Y.Transaction) => transaction.deleteSet.clients.clear())
  try {
    applyBoardPayload(doc, payload)
  } catch {
    doc.destroy()
    throw new BoardFileError('This board file is damaged: its board data cannot be read.')
  }
  return doc
}

/**
 * Reads a .lanvas file into a new Board (throws BoardFileError as decodeBoardFile does). `checksum`: the CRC-32 the file
 * is checked with (Node's zlib.crc32 where it runs: the portable one took 0.2 s of a 46 MB file).
 */
export function openBoardFile(bytes: Uint8Array, author?: string, checksum: Checksum = portableCrc32): Board {
  return new Board(loadBoardFile(bytes, false, checksum).doc, author)
}
