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
  | { type: 'sync-part'; total: number; update: Uint8Array }

/** What a frame is, for rate and size limits: known from its first two bytes, before the body is read. */
export type Traffic = 'edit' | 'control' | 'awareness' | 'sync-request'

/** Thrown for bytes that are no protocol frame; the message says what is wrong. */
export class FrameError extends Error {}

/** Reads one frame; throws FrameError when the bytes are not one (unknown type, cut short, bytes left over). */
export function readFrame(bytes: Uint8Array): Frame {
  try {
    const decoder = decoding.createDecoder(bytes)
    const frame = readBody(decoder)
    if (decoding.hasContent(decoder)) throw new FrameError('bytes after the end of the frame')
    return frame
  } catch (error) {
    if (error instanceof FrameError) throw error
    throw new FrameError('a frame cut short')
  }
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

/** The traffic class of a frame from its first bytes only (a SyncStep1 makes the host diff the whole board). */
export function trafficOf(bytes: Uint8Array): Traffic {
  if (bytes[0] === MessageType.Control) return 'control'
  if (bytes[0] === MessageType.Awareness) return 'awareness'
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
