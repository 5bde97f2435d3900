import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { estimateLacking, SyncPartCutter, syncParts } from '../../../src/shared/sync/syncParts'

/** A seeded source of numbers in [0, 1). */
function seeded(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

/** Three editors who take turns on one board through each other's edits: maps, nested arrays, text, deletions. */
function editedDocs(seed: number, rounds: number): Y.Doc[] {
  const rand = seeded(seed)
  const docs = [new Y.Doc(), new Y.Doc(), new Y.Doc()]
  for (let round = 0; round < rounds; round++) {
    const doc = docs[Math.floor(rand() * docs.length)] as Y.Doc
    const elements = doc.getMap<Y.Map<unknown>>('elements')
    doc.transact(() => {
      const ids = [...elements.keys()]
      const pick = rand()
      if (pick < 0.5 || ids.length === 0) {
        const el = new Y.Map<unknown>()
        elements.set(`e${round}`, el)
        el.set('x', Math.floor(rand() * 1000))
        const points = new Y.Array<Uint8Array>()
        el.set('points', points)
        points.push([new Uint8Array(Math.floor(rand() * 300)).fill(round % 256)])
        const label = new Y.Text()
        el.set('label', label)
        label.insert(0, `stroke ${round}`)
      } else {
        const id = ids[Math.floor(rand() * ids.length)] as string
        const el = elements.get(id) as Y.Map<unknown>
        if (pick < 0.7) elements.delete(id)
        else if (pick < 0.85) (el.get('points') as Y.Array<Uint8Array>).push([new Uint8Array(40).fill(1)])
        else (el.get('label') as Y.Text).insert(0, 'x')
      }
    })
    // Sometimes everyone catches up, so later edits build on other people's items.
    if (rand() < 0.15)
      for (const a of docs) for (const b of docs) if (a !== b) Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
  }
  for (const a of docs) for (const b of docs) if (a !== b) Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
  return docs
}

describe('syncParts', () => {
  it('cuts what a new replica lacks into parts that each apply without waiting, ending in the same board', () => {
    for (const seed of [1, 2, 3]) {
      const [doc] = editedDocs(seed, 250) as [Y.Doc]
      const { parts, last, bytes } = syncParts(doc, Y.encodeStateVector(new Y.Doc()), 2048)
      expect(parts.length).toBeGreaterThan(3)
      const replica = new Y.Doc()
      let total = last.byteLength
      for (const part of parts) {
        total += part.byteLength
        Y.applyUpdate(replica, part)
        expect(replica.store.pendingStructs).toBeNull()
      }
      Y.applyUpdate(replica, last)
      expect(replica.store.pendingStructs).toBeNull()
      expect(replica.store.pendingDs).toBeNull()
      expect(total).toBe(bytes)
      expect(replica.getMap('elements').toJSON()).toEqual(doc.getMap('elements').toJSON())
      expect(Y.encodeStateVector(replica)).toEqual(Y.encodeStateVector(doc))
    }
  })

  it('sends a replica that has part of the board only what it lacks', () => {
    const [doc, other] = editedDocs(7, 300) as [Y.Doc, Y.Doc]
    const behind = new Y.Doc()
    Y.applyUpdate(behind, Y.encodeStateAsUpdate(other))
    // The others go on editing; `behind` has the old state.
    const more = editedDocs(8, 50)[0] as Y.Doc
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(more))
    const { parts, last } = syncParts(doc, Y.encodeStateVector(behind), 1024)
    for (const part of parts) {
      Y.applyUpdate(behind, part)
      expect(behind.store.pendingStructs).toBeNull()
    }
    Y.applyUpdate(behind, last)
    expect(behind.getMap('elements').toJSON()).toEqual(doc.getMap('elements').toJSON())
    const whole = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(other))
    expect(parts.reduce((n, p) => n + p.byteLength, 0)).toBeLessThan(whole.byteLength * 1.2 + 1024)
  })

  it('keeps each part near its size, a struct larger than it being a part of its own', () => {
    const doc = new Y.Doc()
    const elements = doc.getMap<unknown>('elements')
    for (let i = 0; i < 200; i++) elements.set(`e${i}`, new Uint8Array(i === 100 ? 50_000 : 100))
    const { parts } = syncParts(doc, Y.encodeStateVector(new Y.Doc()), 4096)
    for (const part of parts) expect(part.byteLength < 4096 + 200 || part.byteLength > 50_000).toBe(true)
    expect(parts.some((p) => p.byteLength > 50_000)).toBe(true)
  })

  it('cuts one part at a time while people go on editing: each part still applies alone, and nothing is lost', () => {
    for (const seed of [4, 5]) {
      const [doc, other] = editedDocs(seed, 200) as [Y.Doc, Y.Doc]
      const rand = seeded(seed * 31)
      const cutter = new SyncPartCutter(doc, Y.encodeStateVector(new Y.Doc()), 1024)
      // What the host relays live to the joiner meanwhile.
      const live: Uint8Array[] = []
      doc.on('update', (update: Uint8Array) => live.push(update))
      const parts: Uint8Array[] = []
      for (let part = cutter.next(); part; part = cutter.next()) {
        parts.push(part)
        // Between parts: edits by the host's document itself (its structs merge with earlier ones) and by
        // another replica, inserting into the middle of labels (which splits structs) and deleting elements.
        for (const editor of [doc, other]) {
          const elements = editor.getMap<Y.Map<unknown>>('elements')
          const ids = [...elements.keys()]
          const id = ids[Math.floor(rand() * ids.length)] as string
          const label = elements.get(id)?.get('label') as Y.Text | undefined
          if (rand() < 0.3) elements.delete(id)
          else if (label) label.insert(Math.floor(rand() * label.length), 'mid')
          ;(elements.get(ids[0] as string)?.get('points') as Y.Array<Uint8Array> | undefined)?.push([
            new Uint8Array(8),
          ])
          if (editor === other) Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)))
        }
      }
      expect(parts.length).toBeGreaterThan(3)
      const replica = new Y.Doc()
      for (const part of parts) {
        Y.applyUpdate(replica, part)
        expect(replica.store.pendingStructs).toBeNull()
      }
      for (const update of live) Y.applyUpdate(replica, update)
      Y.applyUpdate(replica, cutter.last())
      expect(replica.store.pendingStructs).toBeNull()
      expect(replica.store.pendingDs).toBeNull()
      expect(replica.getMap('elements').toJSON()).toEqual(doc.getMap('elements').toJSON())
      expect(Y.encodeStateVector(replica)).toEqual(Y.encodeStateVector(doc))
    }
  })

  // The host announces this as the progress bar's total before the last part is cut (boardRoom.ts).
  it('estimates what the parts will weigh, without encoding them, within a tenth', () => {
    const [doc, other] = editedDocs(9, 300) as [Y.Doc, Y.Doc]
    const behind = new Y.Doc()
    Y.applyUpdate(behind, Y.encodeStateAsUpdate(other))
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(editedDocs(10, 80)[0] as Y.Doc))
    for (const from of [new Y.Doc(), behind]) {
      const stateVector = Y.encodeStateVector(from)
      const { bytes } = syncParts(doc, stateVector, 4096)
      const estimate = estimateLacking(doc, stateVector)
      expect(Math.abs(estimate - bytes) / bytes).toBeLessThan(0.1)
    }
    expect(estimateLacking(doc, Y.encodeStateVector(doc))).toBe(0)
  })
})
