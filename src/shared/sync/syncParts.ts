/**
 * A SyncStep2 cut into parts: what a replica with a given state vector lacks of a document, as Yjs updates
 * of about `partBytes` each, in an order where every part applies on its own (each item comes after the
 * items it names: its left and right neighbours at insertion and its parent), then one last update with the
 * delete set. A page applies and draws each part as it comes, and none waits in Yjs's pending store.
 * Parts are cut one at a time (SyncPartCutter), as the socket drains: the first leaves at once, however large
 * the board, and the document may change between parts (structs split or merge; they are found by clock).
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
 * About how many bytes the parts for a replica with `stateVector` will take, from one walk over the struct store
 * without encoding anything (a few bytes of header per struct, plus its content): what a progress bar shows as
 * the total before the last part is cut.
 */
export function estimateLacking(doc: Y.Doc, stateVector: Uint8Array): number {
  const has = Y.decodeStateVector(stateVector)
  let bytes = 0
  for (const [client, structs] of doc.store.clients as Map<number, Struct[]>) {
    const from = has.get(client) ?? 0
    const last = structs[structs.length - 1]
    if (!last || last.id.clock + last.length <= from) continue
    bytes += 8
    for (let i = from > 0 ? Y.findIndexSS(structs, from) : 0; i < structs.length; i++) {
      const struct = structs[i] as Struct
      if (!(struct instanceof Y.Item)) {
        bytes += 3
        continue
      }
      bytes += 7 + (struct.parentSub?.length ?? 0) + contentBytes(struct.content)
    }
  }
  return bytes
}

/** About how many bytes an item's content takes in a v1 update. */
function contentBytes(content: Y.Item['content']): number {
  if (content instanceof Y.ContentBinary) return content.content.byteLength + 3
  if (content instanceof Y.ContentString) return content.str.length + 2
  if (content instanceof Y.ContentAny) {
    let n = 1
    for (const value of content.arr) n += typeof value === 'string' ? value.length + 2 : 9
    return n
  }
  if (content instanceof Y.ContentDeleted) return 2
  return 4
}

/**
 * Cuts what a replica with `stateVector` lacks of `doc` into parts of about `partBytes` (a single struct
 * larger than that, an image, is a part of its own), one part per `next()`. What it sends is the document as
 * it was when the cutter was made; edits made later may ride along (a replica skips what it already has) and
 * reach the replica as live updates anyway. The document may change between calls: every call finds its
 * place again by clock.
 */
export class SyncPartCutter {
  private readonly has: Map<number, number>
  /** Per client: the clock after the last struct sent (or the replica had). */
  private readonly sent = new Map<number, number>()
  /** Per client: where the document ended when the cutter was made (what it has to send). */
  private readonly ends = new Map<number, number>()
  /** Bytes of the parts cut so far. */
  bytes = 0
  private finished = false

  constructor(
    private readonly doc: Y.Doc,
    stateVector: Uint8Array,
    private readonly partBytes: number,
  ) {
    this.has = Y.decodeStateVector(stateVector)
    for (const [client, structs] of doc.store.clients as Map<number, Struct[]>) {
      const last = structs[structs.length - 1]
      const end = last ? last.id.clock + last.length : 0
      this.ends.set(client, end)
      this.sent.set(client, Math.min(this.has.get(client) ?? 0, end))
    }
  }

  /** Whether every part has been cut. */
  get done(): boolean {
    return this.finished
  }

  /** The next part, or undefined when all are cut (then `last()` gives the delete set). */
  next(): Uint8Array | undefined {
    if (this.finished) return undefined
    const clients = this.doc.store.clients as Map<number, Struct[]>
    const { sent, ends } = this
    let part = new Map<number, Run>()
    let partSize = 0
    let cut: Uint8Array | undefined

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
      cut = encoding.toUint8Array(out)
      this.bytes += cut.byteLength
      part = new Map()
      partSize = 0
    }

    /** The struct of `client` holding the next clock to send, found again by clock (the store may have changed). */
    const at = (client: number): Struct | undefined => {
      const structs = clients.get(client)
      const clock = sent.get(client) ?? 0
      if (!structs || clock >= (ends.get(client) ?? 0)) return undefined
      return structs[Y.findIndexSS(structs, clock)]
    }

    const emit = (client: number, struct: Struct): void => {
      const clock = sent.get(client) as number
      let run = part.get(client)
      if (!run) {
        run = { clock, count: 0, encoder: new Y.UpdateEncoderV1() }
        part.set(client, run)
        partSize += 8
      }
      const before = encoding.length(run.encoder.restEncoder)
      // From the middle of a struct that merged with what was sent before: Yjs writes the rest of it.
      struct.write(run.encoder, clock - struct.id.clock)
      partSize += encoding.length(run.encoder.restEncoder) - before
      run.count++
      sent.set(client, struct.id.clock + struct.length)
      if (partSize >= this.partBytes) flush()
    }

    // The first dependency of a struct the receiver will not have by the time the struct arrives.
    const unmet = (struct: Struct): Y.ID | undefined => {
      for (const dep of dependencies(struct)) if (dep.clock >= (sent.get(dep.client) ?? 0)) return dep
      return undefined
    }

    // Sends every struct of `client` up to and including `clock`, and first whatever each of them needs; stops
    // once a part is cut.
    const sendUpTo = (client: number, clock: number): void => {
      const stack: [number, number][] = [[client, clock]]
      const onStack = new Set<number>([client])
      while (stack.length > 0 && cut === undefined) {
        const [c, k] = stack[stack.length - 1] as [number, number]
        const struct = (sent.get(c) ?? 0) > k ? undefined : at(c)
        if (!struct) {
          stack.pop()
          onStack.delete(c)
          continue
        }
        const dep = unmet(struct)
        // A dependency on a client already waiting below is a cycle no causal history has: send as it is.
        if (dep && !onStack.has(dep.client) && clients.has(dep.client) && ends.has(dep.client)) {
          stack.push([dep.client, dep.clock])
          onStack.add(dep.client)
          continue
        }
        emit(c, struct)
      }
    }

    for (const [client, end] of ends) {
      if ((sent.get(client) ?? 0) < end) sendUpTo(client, end - 1)
      if (cut !== undefined) return cut
    }
    flush()
    this.finished = true
    return cut
  }

  /** The last update, once every part is cut: the delete set of the document now. */
  last(): Uint8Array {
    return Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(this.doc))
  }
}

/**
 * What a replica with `stateVector` lacks of `doc`, cut into parts of about `partBytes` (a single struct
 * larger than that, an image, is a part of its own), all at once: the parts are the document at one moment.
 */
export function syncParts(doc: Y.Doc, stateVector: Uint8Array, partBytes: number): SyncParts {
  const cutter = new SyncPartCutter(doc, stateVector, partBytes)
  const parts: Uint8Array[] = []
  for (let part = cutter.next(); part; part = cutter.next()) parts.push(part)
  const last = cutter.last()
  return { parts, last, bytes: cutter.bytes + last.byteLength }
}
