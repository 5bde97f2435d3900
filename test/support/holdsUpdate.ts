import * as Y from 'yjs'

/** Whether a document already holds everything an update brings: its items and its deletions. */
export function holdsUpdate(doc: Y.Doc, update: Uint8Array): boolean {
  const missing = Y.decodeUpdate(Y.diffUpdate(update, Y.encodeStateVector(doc)))
  if (missing.structs.length > 0) return false
  const deleted = Y.createDeleteSetFromStructStore(doc.store)
  for (const [client, ranges] of Y.decodeUpdate(update).ds.clients)
    for (const { clock, len } of ranges)
      for (let c = clock; c < clock + len; c++) if (!Y.isDeleted(deleted, Y.createID(client, c))) return false
  return true
}
