/**
 * A local edit too large for one message (a paste or duplicate of tens of thousands of strokes), cut into updates
 * that each fit one frame and apply on their own, in order: the edit's structs as SyncStep2 parts (./syncParts.ts)
 * cut from the document as it is right after the edit, then its delete set alone. The host checks, applies and
 * relays each as any update; peers see the edit arrive part by part instead of the host refusing one frame over
 * MAX_MESSAGE_BYTES (docs/decisions.md, "Large edits are small, round four").
 */
import * as Y from 'yjs'
import { MAX_MESSAGE_BYTES, SYNC_PART_BYTES } from './protocol'
import { syncParts } from './syncParts'

/**
 * A local update above this goes in parts: half the frame cap leaves room for the frame's header, a cursor riding
 * along and the seal, and a single struct larger than a part (an image of at most 5 MB) is a part of its own.
 */
export const SPLIT_UPDATE_BYTES = MAX_MESSAGE_BYTES / 2

/**
 * `update`, which `doc` just applied (its 'update' event, before any other change), as updates of about
 * `partBytes` each that together are the same edit; a small update is returned as it is.
 */
export function updateInParts(
  doc: Y.Doc,
  update: Uint8Array,
  partBytes = SYNC_PART_BYTES,
  above = SPLIT_UPDATE_BYTES,
): Uint8Array[] {
  if (update.byteLength <= above) return [update]
  // What the document held before the edit: everything it holds now, less the clocks the update starts at.
  const before = new Map<number, number>(Y.decodeStateVector(Y.encodeStateVector(doc)))
  for (const [client, clock] of Y.parseUpdateMeta(update).from) before.set(client, clock)
  const { parts } = syncParts(doc, Y.encodeStateVector(before), partBytes)
  // The update's delete set alone: its structs are in the parts.
  const deletes = Y.diffUpdate(update, Y.encodeStateVectorFromUpdate(update))
  return [...parts, deletes]
}
