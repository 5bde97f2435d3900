/** What a transaction appended to the end of an array (the board's z-order), read without walking the array. */
import * as Y from 'yjs'

/**
 * The ids a transaction appended to the end of an array, in order, or undefined when it changed the array otherwise
 * (removed an entry, inserted before the end). Read from the transaction's new structs, not from the event's delta:
 * Yjs builds that by walking the whole array, 100,000 ids for each part of a board streamed to a late joiner.
 */
export function appendedIds(array: Y.Array<string>, event: Y.YArrayEvent<string>): string[] | undefined {
  const { transaction } = event
  const clients = transaction.doc.store.clients as Map<number, (Y.Item | Y.GC)[]>
  // An entry that was there before and is removed now. Only deletions below each client's clock before the
  // transaction are looked at: a part of a streamed board deletes many structs it brings itself (content the host
  // collected), none of them there before.
  for (const [client, ranges] of transaction.deleteSet.clients) {
    const before = transaction.beforeState.get(client) ?? 0
    const structs = clients.get(client)
    if (!structs) continue
    for (const { clock, len } of ranges) {
      const end = Math.min(clock + len, before)
      if (clock >= end) continue
      for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
        const struct = structs[i] as Y.Item | Y.GC
        if (struct.id.clock >= end) break
        if (struct instanceof Y.Item && struct.parent === array) return undefined
      }
    }
  }
  // The new entries still there; the last of the array among them, if the array ends with them.
  const added = new Set<Y.Item>()
  let tail: Y.Item | undefined
  for (const [client, after] of transaction.afterState) {
    const before = transaction.beforeState.get(client) ?? 0
    const structs = clients.get(client)
    if (after <= before || !structs) continue
    for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
      const item = structs[i]
      if (!(item instanceof Y.Item) || item.parent !== array || item.deleted) continue
      added.add(item)
      let next = item.right
      while (next?.deleted) next = next.right
      if (!next) tail = item
    }
  }
  if (added.size === 0) return []
  if (!tail) return undefined
  // From the end leftwards, every new entry must come before any older one.
  const run: Y.Item[] = []
  for (let item: Y.Item | null = tail; item && run.length < added.size; item = item.left) {
    if (item.deleted) continue
    if (!added.has(item)) return undefined
    run.push(item)
  }
  if (run.length !== added.size) return undefined
  const ids: string[] = []
  for (let i = run.length - 1; i >= 0; i--)
    for (const id of (run[i] as Y.Item).content.getContent()) ids.push(id as string)
  return ids
}
