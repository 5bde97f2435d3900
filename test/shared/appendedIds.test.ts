/**
 * appendedIds: the ids a transaction appended to the end of the board's z-order, read from the transaction's new
 * structs. Checked against Yjs's own delta of the same events (local edits, concurrent replicas, a board streamed in
 * parts), and that it never asks Yjs for that delta (a walk over the whole array per transaction).
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Board } from '../../src/shared/board'
import { appendedIds } from '../../src/shared/elements/appended'
import { seededRandom } from '../../src/shared/sync/memorySocket'
import { syncParts } from '../../src/shared/sync/syncParts'

/** What the delta says: the ids appended at the end, or undefined for any other change (the scene's old reading). */
function fromDelta(event: Y.YArrayEvent<string>, lengthBefore: number): string[] | undefined {
  let at = 0
  const ids: string[] = []
  for (const d of event.changes.delta) {
    if (d.retain !== undefined && at === 0 && ids.length === 0) at = d.retain
    else if (Array.isArray(d.insert)) ids.push(...(d.insert as string[]))
    else return undefined
  }
  return at === lengthBefore ? ids : undefined
}

/** Every event of `order` as [appendedIds, fromDelta], appendedIds read first (the delta is cached once asked). */
function watch(order: Y.Array<string>): [string[] | undefined, string[] | undefined][] {
  const seen: [string[] | undefined, string[] | undefined][] = []
  let length = order.length
  order.observe((event) => {
    const mine = appendedIds(order, event)
    const ok = mine && order.length - mine.length === length ? mine : undefined
    seen.push([ok, fromDelta(event, length)])
    length = order.length
  })
  return seen
}

describe('appendedIds', () => {
  it('agrees with the delta on random edits of two replicas, exchanged late', () => {
    const random = seededRandom(11)
    const a = new Y.Doc()
    const b = new Y.Doc()
    const orderA = a.getArray<string>('order')
    const orderB = b.getArray<string>('order')
    const seenA = watch(orderA)
    const seenB = watch(orderB)
    let n = 0
    for (let step = 0; step < 400; step++) {
      const [doc, order] = random() < 0.5 ? [a, orderA] : [b, orderB]
      const r = random()
      doc.transact(() => {
        if (r < 0.55 || order.length === 0) order.push([`e${n++}`, ...(random() < 0.3 ? [`e${n++}`] : [])])
        else if (r < 0.75) order.insert(Math.floor(random() * order.length), [`e${n++}`])
        else if (r < 0.9) order.delete(Math.floor(random() * order.length), 1)
        else {
          order.delete(order.length - 1, 1)
          order.push([`e${n++}`])
        }
      })
      if (random() < 0.2) {
        Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
        Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
      }
    }
    const all = [...seenA, ...seenB]
    expect(all.length).toBeGreaterThan(400)
    for (const [mine, delta] of all) expect(mine).toEqual(delta)
    // Both kinds were seen: appends, and changes that are not.
    expect(all.some(([m]) => m !== undefined && m.length > 0)).toBe(true)
    expect(all.some(([m]) => m === undefined)).toBe(true)
  })

  it("reads a streamed board's parts as appends, without the delta", () => {
    const source = new Board(new Y.Doc(), 'host')
    for (let i = 0; i < 300; i++) {
      const id = source.beginStroke({ color: '#1e1e1e', width: 2 }, [i, 0, 0.5, i + 10, 10, 0.5])
      source.finishStroke(id)
    }
    source.deleteElements(source.elementIds().slice(0, 5))
    const joiner = new Y.Doc()
    const order = joiner.getArray<string>('order')
    const got: string[] = []
    const changes = Object.getOwnPropertyDescriptor(Y.YEvent.prototype, 'changes') as PropertyDescriptor
    let deltas = 0
    Object.defineProperty(Y.YEvent.prototype, 'changes', {
      ...changes,
      get(this: Y.YEvent<Y.AbstractType<unknown>>) {
        deltas++
        return changes.get?.call(this)
      },
    })
    let others = 0
    order.observe((event) => {
      const ids = appendedIds(order, event)
      if (ids) got.push(...ids)
      else others++
    })
    try {
      const { parts, last } = syncParts(source.doc, Y.encodeStateVector(joiner), 2048)
      expect(parts.length).toBeGreaterThan(5)
      for (const part of parts) Y.applyUpdate(joiner, part)
      expect(deltas).toBe(0)
      expect(others).toBe(0)
      // The parts came in causal order: appended one after another, they are the array as it stands.
      expect(got).toEqual(order.toArray())
      Y.applyUpdate(joiner, last)
    } finally {
      Object.defineProperty(Y.YEvent.prototype, 'changes', changes)
    }
    // The last update's deletions are no append (the scene reads the order again for them).
    expect(others).toBe(1)
    expect(order.toArray()).toEqual(source.order.toArray())
    expect(got.length).toBe(300)
  })
})
