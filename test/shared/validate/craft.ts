// Hand-made Yjs updates: what a hostile peer could send but no Yjs client would write.
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'

type Struct = Y.Item | Y.GC | Y.Skip

/** Encodes structs (decoded from real updates, then changed) as a Yjs v1 update, grouped by client in order. */
export function encodeStructs(
  structs: Struct[],
  deletes: { client: number; clock: number; len: number }[] = [],
): Uint8Array {
  const encoder = new Y.UpdateEncoderV1()
  const runs: Struct[][] = []
  for (const s of structs) {
    const last = runs.at(-1)
    if (last && (last[0] as Struct).id.client === s.id.client) last.push(s)
    else runs.push([s])
  }
  encoding.writeVarUint(encoder.restEncoder, runs.length)
  for (const run of runs) {
    const first = run[0] as Struct
    encoding.writeVarUint(encoder.restEncoder, run.length)
    encoder.writeClient(first.id.client)
    encoding.writeVarUint(encoder.restEncoder, first.id.clock)
    for (const s of run) {
      if (s instanceof Y.Skip) {
        encoder.writeInfo(10)
        encoding.writeVarUint(encoder.restEncoder, s.length)
      } else s.write(encoder, 0)
    }
  }
  const byClient = new Map<number, { clock: number; len: number }[]>()
  for (const d of deletes) byClient.set(d.client, [...(byClient.get(d.client) ?? []), d])
  encoding.writeVarUint(encoder.restEncoder, byClient.size)
  for (const [client, ranges] of byClient) {
    encoding.writeVarUint(encoder.restEncoder, client)
    encoding.writeVarUint(encoder.restEncoder, ranges.length)
    for (const r of ranges) {
      encoding.writeVarUint(encoder.restEncoder, r.clock)
      encoding.writeVarUint(encoder.restEncoder, r.len)
    }
  }
  return encoder.toUint8Array()
}

/** The structs of an update, to change and encode again. */
export function structsOf(update: Uint8Array): Struct[] {
  return Y.decodeUpdate(update).structs
}

/** Every update a change to a doc makes, as one merged update. */
export function updateOf(doc: Y.Doc, change: () => void): Uint8Array {
  const updates: Uint8Array[] = []
  const record = (u: Uint8Array) => updates.push(u)
  doc.on('update', record)
  try {
    change()
  } finally {
    doc.off('update', record)
  }
  return Y.mergeUpdates(updates)
}
