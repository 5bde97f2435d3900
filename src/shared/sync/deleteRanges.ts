/**
 * Fewer delete ranges on the wire. Yjs writes a transaction's delete set as one range per run of clocks it deleted:
 * deleting 10,000 finished strokes is 10,000 ranges (each stroke's order entry, then its record and the next
 * stroke's entry), because between them lie the stroke's replaced element map and its collected live map, which
 * were deleted long before. Every replica decodes, searches for and walks each range. A range that runs on over
 * structs already deleted means the same to Yjs (deleting a deleted struct does nothing), so the sender writes one
 * range where only such structs lie between two (docs/protocol.md, "Delete ranges").
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'

type Struct = Y.Item | Y.GC

/** One delete range as Yjs keeps it in a transaction's delete set. */
interface Range {
  clock: number
  len: number
}

/**
 * `update` (Yjs v1, just applied to `doc`: its 'update' event) with each client's delete ranges joined where
 * everything between two of them is deleted in `doc` already. Only an update that deletes and adds nothing is
 * rewritten (a delete of a selection, an undo of a paste); any other comes back as it is, as does one that joins
 * nothing. `transaction`: the one the event came from, whose delete set the update holds (Yjs writes it from that):
 * its ranges are read from there instead of decoded from the update.
 */
export function widenDeletes(doc: Y.Doc, update: Uint8Array, transaction?: Y.Transaction): Uint8Array {
  if (!deletesOnly(update)) return update
  const read = transaction ? [...transaction.deleteSet.clients] : readDeleteOnly(update)
  if (!read) return update
  let joined = false
  const out: [number, number[]][] = []
  for (const [client, ranges] of read) {
    const structs = (doc.store.clients.get(client) ?? []) as Struct[]
    const state = Y.getState(doc.store, client)
    const wide: number[] = []
    let at = 0
    for (const range of ranges) {
      const clock = range.clock
      const end = clock + range.len
      const last = wide.length - 1
      if (last > 0) {
        const from = wide[last] as number
        if (clock >= from && clock < state) {
          at = indexFrom(structs, from, at)
          if (deletedBetween(structs, at, clock)) {
            wide[last] = Math.max(from, end)
            joined = true
            continue
          }
        }
      }
      wide.push(clock, end)
    }
    out.push([client, wide])
  }
  // Clients in the order Yjs writes them (descending), so that the bytes are what Yjs would write for these ranges.
  return joined ? writeDeleteOnly(out.sort(([a], [b]) => b - a)) : update
}

/** Whether a Yjs (v1) update adds no structs: it deletes, or is empty. */
export function deletesOnly(update: Uint8Array): boolean {
  // The update starts with its count of clients with structs, a varuint: 0 is the one byte 0.
  return update[0] === 0
}

/** Whether every struct from index `at` of `structs` to the clock `to` is deleted (GC'd structs are). */
function deletedBetween(structs: readonly Struct[], at: number, to: number): boolean {
  for (let i = at; i < structs.length; i++) {
    const s = structs[i] as Struct
    if (s.id.clock >= to) return true
    if (!s.deleted) return false
  }
  // Clocks past what this replica holds: nothing to vouch for.
  return false
}

/**
 * The delete set of an update that adds no structs, as client -> its ranges in the order written; undefined when the
 * update adds structs or holds anything after its delete set.
 */
function readDeleteOnly(update: Uint8Array): [number, Range[]][] | undefined {
  const decoder = new Y.UpdateDecoderV1(decoding.createDecoder(update))
  const rest = decoder.restDecoder
  if (decoding.readVarUint(rest) !== 0) return undefined
  const clients = decoding.readVarUint(rest)
  const out: [number, Range[]][] = []
  for (let c = 0; c < clients; c++) {
    decoder.resetDsCurVal()
    const client = decoding.readVarUint(rest)
    const count = decoding.readVarUint(rest)
    const ranges: Range[] = []
    for (let i = 0; i < count; i++) {
      const clock = decoder.readDsClock()
      ranges.push({ clock, len: decoder.readDsLen() })
    }
    out.push([client, ranges])
  }
  return decoding.hasContent(rest) ? undefined : out
}

/** An update of no structs and the given delete ranges (client -> [clock, end, …]), written as Yjs writes one. */
function writeDeleteOnly(clients: [number, number[]][]): Uint8Array {
  const encoder = new Y.UpdateEncoderV1()
  const rest = encoder.restEncoder
  encoding.writeVarUint(rest, 0)
  encoding.writeVarUint(rest, clients.length)
  for (const [client, wide] of clients) {
    encoder.resetDsCurVal()
    encoding.writeVarUint(rest, client)
    encoding.writeVarUint(rest, wide.length / 2)
    for (let i = 0; i < wide.length; i += 2) {
      encoder.writeDsClock(wide[i] as number)
      encoder.writeDsLen((wide[i + 1] as number) - (wide[i] as number))
    }
  }
  return encoder.toUint8Array()
}

/**
 * The index of the struct of `list` (a client's structs, their clocks in a row) that holds `clock`, as
 * Y.findIndexSS finds it, looked for forward from `hint` in growing steps: ranges in clock order each cost a few
 * looks near the last one. A clock before `hint` is searched for in the whole list.
 */
export function indexFrom(list: readonly Struct[], clock: number, hint: number): number {
  if (hint >= list.length || (list[hint] as Struct).id.clock > clock)
    return Y.findIndexSS(list as Struct[], clock)
  let lo = hint
  let step = 1
  let hi = lo + step
  while (hi < list.length && (list[hi] as Struct).id.clock <= clock) {
    lo = hi
    step *= 2
    hi = lo + step
  }
  hi = Math.min(hi, list.length)
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1
    if ((list[mid] as Struct).id.clock <= clock) lo = mid
    else hi = mid
  }
  return lo
}
