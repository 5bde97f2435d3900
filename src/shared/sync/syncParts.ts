/**
 * A SyncStep2 cut into parts: what a replica with a given state vector lacks of a document, as Yjs updates
 * of about `partBytes` each, in an order where every part applies on its own (each item comes after the
 * items it names: its left and right neighbours at insertion and its parent), then one last update with the
 * delete set. A page applies and draws each part as it comes, and none waits in Yjs's pending store.
 *
 * Written here rather than taken from Yjs: Yjs exports no way to write a bounded slice of a document's
 * structs (its lazy struct reader and writer and `writeStructs` are internal), and cutting the bytes of a
 * whole `encodeStateAsUpdate` would first build the whole answer and then decode it into objects again.
 * This walks the document's own struct store once and writes each struct with Yjs's own `write` and
 * `UpdateEncoderV1`, so the format is Yjs's v1 update format exactly (docs/decisions.md, "Streamed join").
 */
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'

/** What a replica lacks, as parts that each apply on their own, and the last update (the delete set). */
export interface SyncParts {
  parts: Uint8Array[]
  last: Uint8Array
  /** Bytes of all parts and the last update together. */
  bytes: number
}

type Struct = Y.Item | Y.GC

/** One client's run of structs inside the part being written. */
interface Run {
  clock: number
  count: number
  encoder: Y.UpdateEncoderV1
}

/** The IDs an item needs on the receiving side before it can be integrated. */
function dependencies(struct: Struct): Y.ID[] {
  if (!(struct instanceof Y.Item)) return []
  const deps: Y.ID[] = []
  if (struct.origin) deps.push(struct.origin)
  if (struct.rightOrigin) deps.push(struct.rightOrigin)
  const parent = struct.parent
  if (parent instanceof Y.AbstractType && parent._item) deps.push(parent._item.id)
  else if (parent instanceof Y.ID) deps.push(parent)
  return deps
}

/**
 * What a replica with `stateVector` lacks of `doc`, cut into parts of about `partBytes` (a single struct
 * larger than that, an image, is a part of its own). Synchronous: the parts are the document at one moment.
 */
export function syncParts(doc: Y.Doc, stateVector: Uint8Array, partBytes: number): SyncParts {
  const has = Y.decodeStateVector(stateVector)
  const clients = doc.store.clients as Map<number, Struct[]>
  // Per client: the next clock to send and the index of the struct holding it.
  const next = new Map<number, number>()
  const index = new Map<number, number>()
  for (const [client, structs] of clients) {
    const last = structs[structs.length - 1]
    const end = last ? last.id.clock + last.length : 0
    const from = Math.min(has.get(client) ?? 0, end)
    next.set(client, from)
    index.set(client, from < end ? Y.findIndexSS(structs, from) : structs.length)
  }
  const parts: Uint8Array[] = []
  let part = new Map<number, Run>()
  let partSize = 0
  let bytes = 0

  const flush = (): void => {
    if (part.size === 0) return
    const out = encoding.createEncoder()
    encoding.writeVarUint(out, part.size)
    // Higher client ids first, as Yjs writes them.
    for (const [client, run] of [...part].sort((a, b) => b[0] - a[0])) {
      encoding.writeVarUint(out, run.count)
      encoding.writeVarUint(out, client)
      encoding.writeVarUint(out, run.clock)
      encoding.writeUint8Array(out, run.encoder.toUint8Array())
    }
    // An empty delete set: the deletions all come in the last update.
    encoding.writeVarUint(out, 0)
    const bytesOfPart = encoding.toUint8Array(out)
    parts.push(bytesOfPart)
    bytes += bytesOfPart.byteLength
    part = new Map()
    partSize = 0
  }

  const emit = (client: number, struct: Struct): void => {
    const clock = next.get(client) as number
    let run = part.get(client)
    if (!run) {
      run = { clock, count: 0, encoder: new Y.UpdateEncoderV1() }
      part.set(client, run)
      partSize += 8
    }
    const before = encoding.length(run.encoder.restEncoder)
    struct.write(run.encoder, clock - struct.id.clock)
    partSize += encoding.length(run.encoder.restEncoder) - before
    run.count++
    next.set(client, struct.id.clock + struct.length)
    index.set(client, (index.get(client) as number) + 1)
    if (partSize >= partBytes) flush()
  }

  // The first dependency of a struct the receiver will not have by the time the struct arrives.
  const unmet = (struct: Struct): Y.ID | undefined => {
    for (const dep of dependencies(struct)) if (dep.clock >= (next.get(dep.client) ?? 0)) return dep
    return undefined
  }

  // Sends every struct of `client` up to and including `clock`, and first whatever each of them needs.
  const sendUpTo = (client: number, clock: number): void => {
    const stack: [number, number][] = [[client, clock]]
    const onStack = new Set<number>([client])
    while (stack.length > 0) {
      const [c, k] = stack[stack.length - 1] as [number, number]
      const structs = clients.get(c)
      const i = index.get(c) ?? 0
      if (!structs || (next.get(c) ?? 0) > k || i >= structs.length) {
        stack.pop()
        onStack.delete(c)
        continue
      }
      const struct = structs[i] as Struct
      const dep = unmet(struct)
      // A dependency on a client already waiting below is a cycle no causal history has: send as it is.
      if (dep && !onStack.has(dep.client) && clients.has(dep.client)) {
        stack.push([dep.client, dep.clock])
        onStack.add(dep.client)
        continue
      }
      emit(c, struct)
    }
  }

  for (const [client, structs] of clients) {
    const last = structs[structs.length - 1]
    if (last) sendUpTo(client, last.id.clock + last.length - 1)
  }
  flush()
  const last = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(doc))
  return { parts, last, bytes: bytes + last.byteLength }
}
