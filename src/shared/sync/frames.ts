/**
 * The frame codec: every protocol frame the host and its clients exchange, written and read in one place
 * (docs/protocol.md, "WebSocket"). A frame is a varuint MessageType, then its body; Sync and Awareness
 * bodies are y-protocols' own encodings, as y-websocket sends them.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import type * as Y from 'yjs'
import { InkError, type InkFrame, readInk } from './liveInk'
import { type OverviewImage, readOverviewBody } from './overview'
import { PreviewError, readPreviewBody } from './preview'
import { MessageType } from './protocol'
import type { ClientControl, HostControl } from './session'

/** A frame as read off the wire; `control` is the raw JSON, checked by parseClientControl/parseHostControl. */
export type Frame =
  | { type: 'control'; json: string }
  | { type: 'sync-step1'; stateVector: Uint8Array }
  | { type: 'sync-step2'; update: Uint8Array }
  | { type: 'update'; update: Uint8Array }
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'saved'; count: number }
  | { type: 'cursor'; client: number; cursor: Cursor }
  | { type: 'sync-part'; total: number; update: Uint8Array }
  | { type: 'ink'; ink: InkFrame }
  /** A view preview's strokes as read: ids and records not checked yet (preview.ts previewProblem). */
  | { type: 'preview'; elements: { id: unknown; record: unknown }[] }
  /** The board's overview as read: not checked yet (overview.ts overviewProblem); a body cut short reads as none. */
  | ({ type: 'overview' } & OverviewImage)

/** Where a person's pointer is: off the board, at a board point, or at the tip of the ink they draw. */
export type Cursor = { kind: 'off' } | { kind: 'at'; x: number; y: number } | { kind: 'ink' }

/** The cursor kinds on the wire. */
export const CursorKind = { Off: 0, At: 1, Ink: 2 } as const

// 1/8 board unit: under a screen pixel up to 8x zoom, and 3 bytes per coordinate on a board of ±65,000 units.
/** Cursor coordinates travel as integers in 1/CURSOR_STEPS board units. */
export const CURSOR_STEPS = 8
/** Farthest a cursor may be from the board's origin, board units (farther is no board point: refused). */
export const MAX_CURSOR_COORD = 10_000_000
/** Largest cursor frame: type, a 5-byte client id, kind and two 5-byte coordinates (anything longer is refused). */
export const MAX_CURSOR_FRAME_BYTES = 17

/** What a frame is, for rate and size limits: known from its first two bytes, before the body is read. */
export type Traffic = 'edit' | 'control' | 'awareness' | 'cursor' | 'sync-request'

/** Thrown for bytes that are no protocol frame; the message says what is wrong. */
export class FrameError extends Error {}

/** Reads one frame; throws FrameError when the bytes are not one (unknown type, cut short, bytes left over). */
export function readFrame(bytes: Uint8Array): Frame {
  try {
    const decoder = decoding.createDecoder(bytes)
    const frame = readBody(decoder)
    // lib0 reads a varint past the end as zeros rather than throwing.
    if (decoder.pos > bytes.byteLength) throw new FrameError('a frame cut short')
    if (decoding.hasContent(decoder)) throw new FrameError('bytes after the end of the frame')
    return frame
  } catch (error) {
    if (error instanceof FrameError) throw error
    if (error instanceof InkError || error instanceof PreviewError) throw new FrameError(error.message)
    throw new FrameError('a frame cut short')
  }
}

/**
 * Reads one WebSocket message: one frame, or an Update followed by its sender's Cursor frame (the edit and the
 * pointer of one animation frame in one message, docs/protocol.md "Cursor"). Throws FrameError otherwise.
 */
export function readMessage(bytes: Uint8Array): Frame[] {
  let first: Frame
  let end: number
  try {
    const decoder = decoding.createDecoder(bytes)
    first = readBody(decoder)
    end = decoder.pos
    if (end > bytes.byteLength) throw new FrameError('a frame cut short')
  } catch (error) {
    if (error instanceof FrameError) throw error
    if (error instanceof InkError || error instanceof PreviewError) throw new FrameError(error.message)
    throw new FrameError('a frame cut short')
  }
  if (end === bytes.byteLength) return [first]
  const rest = bytes.subarray(end)
  if (
    (first.type !== 'update' && first.type !== 'ink') ||
    rest[0] !== MessageType.Cursor ||
    rest.byteLength > MAX_CURSOR_FRAME_BYTES
  )
    throw new FrameError('bytes after the end of the frame')
  return [first, readFrame(rest)]
}

/** An Update (or Ink) frame with its sender's cursor after it, as one message. */
export function withCursor(update: Uint8Array, cursor: Uint8Array): Uint8Array {
  const out = new Uint8Array(update.byteLength + cursor.byteLength)
  out.set(update)
  out.set(cursor, update.byteLength)
  return out
}

function readBody(decoder: decoding.Decoder): Frame {
  const type = decoding.readVarUint(decoder)
  switch (type) {
    case MessageType.Control:
      return { type: 'control', json: decoding.readVarString(decoder) }
    case MessageType.Awareness:
      return { type: 'awareness', update: decoding.readVarUint8Array(decoder) }
    case MessageType.Saved:
      return { type: 'saved', count: decoding.readVarUint(decoder) }
    case MessageType.Cursor:
      return readCursor(decoder)
    case MessageType.Ink:
      return { type: 'ink', ink: readInk(decoder) }
    case MessageType.Preview:
      try {
        return { type: 'preview', elements: readPreviewBody(decoder) }
      } catch (error) {
        if (error instanceof PreviewError) throw error
        throw new PreviewError('a view preview that is no list of strokes')
      }
    case MessageType.Overview:
      return { type: 'overview', ...readOverviewBody(decoder) }
    case MessageType.SyncPart: {
      const total = decoding.readVarUint(decoder)
      return { type: 'sync-part', total, update: decoding.readVarUint8Array(decoder) }
    }
    case MessageType.Sync: {
      const kind = decoding.readVarUint(decoder)
      const body = decoding.readVarUint8Array(decoder)
      if (kind === syncProtocol.messageYjsSyncStep1) return { type: 'sync-step1', stateVector: body }
      if (kind === syncProtocol.messageYjsSyncStep2) return { type: 'sync-step2', update: body }
      if (kind === syncProtocol.messageYjsUpdate) return { type: 'update', update: body }
      throw new FrameError(`unknown sync message ${kind}`)
    }
    default:
      throw new FrameError(`unknown message type ${type}`)
  }
}

function readCursor(decoder: decoding.Decoder): Frame {
  const client = decoding.readVarUint(decoder)
  const kind = decoding.readVarUint(decoder)
  if (kind === CursorKind.Off) return { type: 'cursor', client, cursor: { kind: 'off' } }
  if (kind === CursorKind.Ink) return { type: 'cursor', client, cursor: { kind: 'ink' } }
  if (kind !== CursorKind.At) throw new FrameError(`unknown cursor kind ${kind}`)
  const x = decoding.readVarInt(decoder) / CURSOR_STEPS
  const y = decoding.readVarInt(decoder) / CURSOR_STEPS
  if (!(Math.abs(x) <= MAX_CURSOR_COORD && Math.abs(y) <= MAX_CURSOR_COORD))
    throw new FrameError('a cursor beyond the board')
  return { type: 'cursor', client, cursor: { kind: 'at', x, y } }
}

/** The traffic class of a frame from its first bytes only (a SyncStep1 makes the host diff the whole board). */
export function trafficOf(bytes: Uint8Array): Traffic {
  if (bytes[0] === MessageType.Control) return 'control'
  if (bytes[0] === MessageType.Awareness) return 'awareness'
  if (bytes[0] === MessageType.Cursor) return 'cursor'
  return bytes[0] === MessageType.Sync && bytes[1] === syncProtocol.messageYjsSyncStep1
    ? 'sync-request'
    : 'edit'
}

/** A control message as a frame: MessageType.Control, then the JSON as a varstring. */
export function controlFrame(message: ClientControl | HostControl): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Control)
  encoding.writeVarString(encoder, JSON.stringify(message))
  return encoding.toUint8Array(encoder)
}

/** SyncStep1: this replica's state vector, asking the other side for what it lacks. */
export function syncStep1Frame(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Sync)
  syncProtocol.writeSyncStep1(encoder, doc)
  return encoding.toUint8Array(encoder)
}

/** SyncStep2: an update holding what a replica with `stateVector` lacks of `doc`. */
export function syncStep2Frame(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Sync)
  syncProtocol.writeSyncStep2(encoder, doc, stateVector)
  return encoding.toUint8Array(encoder)
}

/** SyncStep2 with a given update (the last of a streamed answer, which carries the delete set). */
export function syncStep2UpdateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Sync)
  encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** Host -> client: one part of a streamed SyncStep2, with the bytes of the whole answer for progress. */
export function syncPartFrame(total: number, update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.SyncPart)
  encoding.writeVarUint(encoder, total)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** A live document update. */
export function updateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Sync)
  syncProtocol.writeUpdate(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** The awareness states of `clients` (removed ones as null). */
export function awarenessFrame(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Awareness)
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients))
  return encoding.toUint8Array(encoder)
}

/**
 * A presence delta: `client`'s cursor (0 from a client: its own; the host fills in who it is). Coordinates are
 * rounded to 1/CURSOR_STEPS board units and clamped to the board's reach.
 */
export function cursorFrame(client: number, cursor: Cursor): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Cursor)
  encoding.writeVarUint(encoder, client)
  encoding.writeVarUint(
    encoder,
    CursorKind[cursor.kind === 'off' ? 'Off' : cursor.kind === 'at' ? 'At' : 'Ink'],
  )
  if (cursor.kind === 'at') {
    const clamp = (v: number) => Math.max(-MAX_CURSOR_COORD, Math.min(MAX_CURSOR_COORD, v))
    encoding.writeVarInt(encoder, Math.round(clamp(cursor.x) * CURSOR_STEPS))
    encoding.writeVarInt(encoder, Math.round(clamp(cursor.y) * CURSOR_STEPS))
  }
  return encoding.toUint8Array(encoder)
}

/** Host -> client: the first `count` update frames the client sent on this socket are on the host's disk. */
export function savedFrame(count: number): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Saved)
  encoding.writeVarUint(encoder, count)
  return encoding.toUint8Array(encoder)
}

/** The client ids an awareness update speaks for (its encoding: count, then id, clock, state per client). */
export function awarenessClients(update: Uint8Array): number[] {
  const decoder = decoding.createDecoder(update)
  const count = decoding.readVarUint(decoder)
  const ids: number[] = []
  for (let i = 0; i < count; i++) {
    ids.push(decoding.readVarUint(decoder))
    decoding.readVarUint(decoder)
    decoding.readVarString(decoder)
  }
  return ids
}
