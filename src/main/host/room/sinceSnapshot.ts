/**
 * What changed in a board since a Yjs snapshot of it (its state vector and delete set): the elements added, changed
 * or deleted since, and the z-order as it was then, read from the document as it is now. Yjs items never change
 * once made (an id names the same content in every replica), so an item within the snapshot's state vector is one
 * the snapshot had, and one past it came after. The host uses it to bring an overview it drew of the board before
 * (./overview.ts, ../savedOverviews.ts) up to date instead of drawing the board again.
 */
import * as Y from 'yjs'

/** What changed since a snapshot, read from the document now. */
export interface BoardSince {
  /** The z-order the snapshot had (the raw entries), the first entries of today's. */
  order: unknown[]
  /**
   * The ids of the elements added, changed or deleted since, or 'all' when something else changed (a move or style
   * record, the background), or the z-order changed other than by entries appended after the snapshot's.
   */
  touched: Set<string> | 'all'
}

type DeleteRanges = { clock: number; len: number }[]

/**
 * What changed in `doc` since `snapshot`, or why the snapshot is not of this board's past: the document lacks an
 * item or a deletion the snapshot has (an older file, another board).
 */
export function boardSince(doc: Y.Doc, snapshot: Y.Snapshot): BoardSince | string {
  const store = doc.store
  for (const [client, clock] of snapshot.sv)
    if (Y.getState(store, client) < clock) return 'the board lacks items the overview showed'
  const then = sortedRanges(snapshot.ds)
  // The board's deletions as Yjs lists them (one walk of its structs, as a snapshot takes).
  const now = sortedRanges(Y.createDeleteSetFromStructStore(store))
  for (const [client, ranges] of then)
    if (outside(ranges, now.get(client)).length > 0) return 'the board lacks deletions the overview showed'
  const elements = doc.getMap<unknown>('elements')
  const order = doc.getArray<unknown>('order')
  const touched = new Set<string>()
  /** Notes the element a struct added or deleted since belongs to; false for an item of anything else. */
  const note = (struct: Y.Item | Y.GC): boolean => {
    // What a deleted type held is collected: its own item tells.
    if (!(struct instanceof Y.Item) || struct.parent === order) return true
    if (struct.parent === elements) {
      if (struct.parentSub !== null) touched.add(struct.parentSub)
      return true
    }
    const id = struct.parent instanceof Y.AbstractType ? elementOf(struct.parent, elements) : undefined
    if (id !== undefined) touched.add(id)
    return id !== undefined
  }
  for (const [client, structs] of store.clients) {
    // Added since: the structs from the snapshot's clock on (the first may hold entries from before, merged).
    const known = snapshot.sv.get(client) ?? 0
    if (Y.getState(store, client) > known)
      for (let i = known === 0 ? 0 : Y.findIndexSS(structs, known); i < structs.length; i++)
        if (!note(structs[i] as Y.Item | Y.GC)) return { order: [], touched: 'all' }
    // Deleted since: the board's deleted ranges the snapshot's do not cover, struct by struct.
    for (const { clock, len } of outside(now.get(client) ?? [], then.get(client)))
      for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
        const struct = structs[i] as Y.Item | Y.GC
        if (struct.id.clock >= clock + len) break
        if (!note(struct)) return { order: [], touched: 'all' }
      }
  }
  const past = orderThen(order, snapshot.sv, then)
  return past ? { order: past, touched } : { order: [], touched: 'all' }
}

/**
 * The z-order's entries the snapshot had, when today's z-order starts with them all (entries only appended after);
 * undefined when one of them is gone or an entry came in before one of them.
 */
function orderThen(
  order: Y.Array<unknown>,
  sv: Map<number, number>,
  deleted: Map<number, DeleteRanges>,
): unknown[] | undefined {
  const then: unknown[] = []
  let later = false
  for (let item = order._start; item !== null; item = item.right) {
    const { client, clock } = item.id
    const had = Math.max(0, Math.min(item.length, (sv.get(client) ?? 0) - clock))
    if (item.deleted) {
      // Entries deleted before the snapshot were not in it; one it had and that went since changes the order.
      if (had > 0 && !covered(deleted.get(client), clock, had)) return undefined
      continue
    }
    if (!item.countable) continue
    if (had > 0 && later) return undefined
    const content = item.content.getContent()
    for (let i = 0; i < had; i++) then.push(content[i])
    if (had < item.length) later = true
  }
  return then
}

/** The delete set's ranges per client, sorted and joined where they touch (as Yjs makes them, mostly: then kept). */
function sortedRanges(ds: Y.Snapshot['ds']): Map<number, DeleteRanges> {
  const out = new Map<number, DeleteRanges>()
  for (const [client, items] of ds.clients) {
    let apart = true
    for (let i = 1; i < items.length && apart; i++) {
      const a = items[i - 1] as DeleteRanges[number]
      apart = a.clock + a.len < (items[i] as DeleteRanges[number]).clock
    }
    if (apart) {
      out.set(client, items)
      continue
    }
    const sorted = [...items].sort((a, b) => a.clock - b.clock)
    const ranges: DeleteRanges = []
    for (const { clock, len } of sorted) {
      const last = ranges.at(-1)
      if (last && clock <= last.clock + last.len) last.len = Math.max(last.len, clock + len - last.clock)
      else ranges.push({ clock, len })
    }
    out.set(client, ranges)
  }
  return out
}

/** The parts of `ranges` that `cover` leaves out (both sorted and joined), in one walk of the two. */
function outside(ranges: DeleteRanges, cover: DeleteRanges | undefined): DeleteRanges {
  const out: DeleteRanges = []
  let j = 0
  for (const r of ranges) {
    let at = r.clock
    const end = r.clock + r.len
    while (at < end) {
      let next = cover?.[j]
      while (next && next.clock + next.len <= at) next = cover?.[++j]
      if (!next || next.clock >= end) {
        out.push({ clock: at, len: end - at })
        break
      }
      if (next.clock > at) out.push({ clock: at, len: next.clock - at })
      at = next.clock + next.len
    }
  }
  return out
}

/** Whether [clock, clock + len) lies within one of `ranges` (sorted and joined). */
function covered(ranges: DeleteRanges | undefined, clock: number, len: number): boolean {
  if (!ranges) return false
  let lo = 0
  let hi = ranges.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const r = ranges[mid] as DeleteRanges[number]
    if (r.clock > clock) hi = mid - 1
    else if (clock >= r.clock + r.len) lo = mid + 1
    else return clock + len <= r.clock + r.len
  }
  return false
}

/** The id of the element (a map in `elements`) that `type` is or lies within; undefined for any other type. */
// biome-ignore lint/suspicious/noExplicitAny: Yjs's own type of a changed type
export function elementOf(type: Y.AbstractType<any>, elements: Y.AbstractType<any>): string | undefined {
  // biome-ignore lint/suspicious/noExplicitAny: as above
  let at: Y.AbstractType<any> | null = type
  while (at?._item) {
    const parent: unknown = at._item.parent
    if (parent === elements) return at._item.parentSub ?? undefined
    at = parent instanceof Y.AbstractType ? parent : null
  }
  return undefined
}
