// A delete's ranges run on over structs the sender holds deleted already: real Yjs documents and boards; a replica
// that applies the joined update ends with exactly the deletions the update Yjs wrote gives it.
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Board, ElementKind } from '../../../src/shared/board'
import { deletesOnly, widenDeletes } from '../../../src/shared/sync/deleteRanges'

const ink = { color: '#1e1e1e', width: 4 }

/** How many delete ranges an update carries, over all clients. */
function ranges(update: Uint8Array): number {
  let n = 0
  for (const list of Y.decodeUpdate(update).ds.clients.values()) n += list.length
  return n
}

/** A replica of `board` as it is now. */
function replica(board: Board): Board {
  const copy = new Board(new Y.Doc(), 'copy')
  Y.applyUpdate(copy.doc, Y.encodeStateAsUpdate(board.doc))
  return copy
}

/** The transaction of the last update updateOf returned (the client engine reads its delete set). */
let lastTransaction: Y.Transaction | undefined

/** Runs `edit` on `board` and returns the update Yjs wrote for it. */
function updateOf(board: Board, edit: () => void): Uint8Array {
  let update: Uint8Array | undefined
  const keep = (u: Uint8Array, _origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => {
    update = u
    lastTransaction = transaction
  }
  board.doc.on('update', keep)
  edit()
  board.doc.off('update', keep)
  if (!update) throw new Error('the edit wrote no update')
  return update
}

/** Every deletion a document holds. */
const deletions = (doc: Y.Doc) => Y.createDeleteSetFromStructStore(doc.store)

describe('the delete ranges a client sends', () => {
  it('join over strokes already collected and never run over one that stays, for each author', () => {
    // Two people drew in turns: each one's strokes lie apart in their own clocks, the other's between.
    const bea = new Board(new Y.Doc(), 'bea')
    const cal = new Board(new Y.Doc(), 'cal')
    for (let i = 0; i < 300; i++) {
      const who = i % 2 === 0 ? bea : cal
      who.finishStroke(who.beginStroke(ink, [i, i, 0.5, i + 3, i + 4, 0.5]))
      Y.applyUpdate(i % 2 === 0 ? cal.doc : bea.doc, Y.encodeStateAsUpdate(who.doc))
    }
    const ann = replica(bea)
    const ids = ann.elementIds()
    const stay = new Set([ids[17], ids[150], ids[151], ids[299]])
    const peer = replica(ann)
    const plain = replica(ann)

    const update = updateOf(ann, () => ann.deleteElements(ids.filter((id) => !stay.has(id))))
    const joined = widenDeletes(ann.doc, update)
    // Read from the edit's transaction (as the client engine does) instead of decoded: the same bytes.
    expect(widenDeletes(ann.doc, update, lastTransaction)).toEqual(joined)
    // Yjs: a range per stroke and author (its entry; its record with the next stroke's entry). Joined: for each of
    // the two authors, one run before each stroke that stays, one after the last.
    expect(ranges(update)).toBeGreaterThan(250)
    expect(ranges(joined)).toBeLessThanOrEqual(8)
    expect(deletesOnly(joined)).toBe(true)

    Y.applyUpdate(peer.doc, joined)
    Y.applyUpdate(plain.doc, update)
    expect(peer.elementIds()).toEqual(ids.filter((id) => stay.has(id)))
    expect(peer.readElements()).toEqual(ann.readElements())
    expect(Y.equalDeleteSets(deletions(peer.doc), deletions(plain.doc))).toBe(true)
    expect(Y.equalDeleteSets(deletions(peer.doc), deletions(ann.doc))).toBe(true)
  })

  it('stop at a struct the sender holds live, though only deleted ones lie around it', () => {
    const bea = new Board(new Y.Doc(), 'bea')
    const strokes: string[] = []
    for (let i = 0; i < 20; i++) strokes.push(bea.beginStroke(ink, [i, i, 0.5, i + 3, i + 4, 0.5]))
    for (const id of strokes) bea.finishStroke(id)
    // A shape in the middle of bea's clocks: its element map and keys are live structs between the strokes' records.
    const shape = bea.addShape(ElementKind.Rect, { width: 10, height: 10 })
    const more = [0, 1, 2].map((i) => bea.beginStroke(ink, [i, 0, 0.5, i, 9, 0.5]))
    for (const id of more) bea.finishStroke(id)
    const ann = replica(bea)
    const peer = replica(ann)
    const update = updateOf(ann, () => ann.deleteElements([...strokes, ...more]))
    const joined = widenDeletes(ann.doc, update)
    expect(widenDeletes(ann.doc, update, lastTransaction)).toEqual(joined)
    expect(ranges(joined)).toBeLessThan(ranges(update))
    Y.applyUpdate(peer.doc, joined)
    expect(peer.elementIds()).toEqual([shape])
    expect(peer.readElements()).toEqual(ann.readElements())
    expect(Y.equalDeleteSets(deletions(peer.doc), deletions(ann.doc))).toBe(true)
  })

  it('leave an update that adds structs, or joins nothing, as it is', () => {
    const ann = new Board(new Y.Doc(), 'ann')
    const ids = [0, 1, 2].map((i) => ann.beginStroke(ink, [i, i, 0.5, i + 3, i + 4, 0.5]))
    const drawn = updateOf(ann, () => ann.finishStroke(ids[0] as string))
    expect(deletesOnly(drawn)).toBe(false)
    expect(widenDeletes(ann.doc, drawn)).toBe(drawn)
    expect(widenDeletes(ann.doc, drawn, lastTransaction)).toBe(drawn)
    // One stroke: one range already.
    const one = updateOf(ann, () => ann.deleteElements([ids[1] as string]))
    expect(widenDeletes(ann.doc, one)).toBe(one)
    expect(widenDeletes(ann.doc, one, lastTransaction)).toBe(one)
  })
})
