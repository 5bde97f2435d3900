// An edit too large for one frame is cut into updates that each fit and apply on their own, in order, to a
// replica that had everything before it: real Yjs documents, the replica ends identical.
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Board } from '../../../src/shared/board'
import { updateInParts } from '../../../src/shared/sync/splitUpdate'

describe('an update too large for one frame', () => {
  it('is cut into parts under the size asked that bring a replica to the same board, each applying at once', () => {
    const ann = new Board(new Y.Doc(), 'ann')
    ann.finishStroke(ann.beginStroke({ color: '#1e1e1e', width: 4 }, [0, 0, 0.5, 5, 5, 0.5]))
    const bea = new Board(new Y.Doc(), 'bea')
    Y.applyUpdate(bea.doc, Y.encodeStateAsUpdate(ann.doc))
    let parts: Uint8Array[] = []
    let whole = 0
    ann.doc.on('update', (u: Uint8Array) => {
      whole = u.byteLength
      parts = updateInParts(ann.doc, u, 64 * 1024, 256 * 1024)
    })
    const points: number[] = []
    for (let p = 0; p < 2000; p++) points.push((p * 7919) % 4001, (p * 104729) % 3989, (p % 10) / 10)
    ann.transact(() => {
      // A delete in the same edit: the last part carries it.
      ann.deleteElements(ann.elementIds())
      for (let i = 0; i < 100; i++) ann.finishStroke(ann.beginStroke({ color: '#1971c2', width: 3 }, points))
    })
    expect(whole).toBeGreaterThan(256 * 1024)
    expect(parts.length).toBeGreaterThan(5)
    for (const part of parts.slice(0, -1)) expect(part.byteLength).toBeLessThan(64 * 1024 + 40 * 1024)
    for (const part of parts) {
      Y.applyUpdate(bea.doc, part)
      // Nothing waits for a later part.
      expect(bea.doc.store.pendingStructs).toBeNull()
    }
    expect(bea.elementIds()).toHaveLength(100)
    expect(bea.strokes()).toEqual(ann.strokes())
    expect(Y.encodeStateVector(bea.doc)).toEqual(Y.encodeStateVector(ann.doc))
  })
})
