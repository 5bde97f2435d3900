/**
 * Large edits through a real host on loopback (issue 9, item 5): moving, restyling and deleting thousands of
 * strokes at once converges between real clients, each person's undo of such an edit restores exactly what was
 * there, and the edits are on disk once the host says they are saved.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Host } from '../../../src/main/host/server'
import { Board, ElementKind } from '../../../src/shared/board'
import { encodeBoardFile, openBoardFile } from '../../../src/shared/boardFile'
import { deleteSelection, moveSelection } from '../../../src/shared/selection'
import { CloseReason } from '../../../src/shared/sync/protocol'
import { encodeStructs } from '../../shared/validate/craft'
import { elementMap } from '../../support/elementMap'
import { eachTestHost, sameState, syncUrl, type TestClient } from '../../support/hostFixture'
import { waitUntil } from '../../support/waitUntil'

const STROKES = 3000

/** A board file of `count` finished strokes by someone not in the session. */
function boardFile(count: number): Uint8Array {
  const board = new Board(new Y.Doc(), 'earlier')
  board.transact(() => {
    for (let i = 0; i < count; i++) {
      const id = board.beginStroke({ color: '#1e1e1e', width: 4 }, [i, 2 * i, 0.5, i + 5, 2 * i + 3, 0.7])
      board.appendPoints(id, [i + 9, 2 * i + 1, 0.6])
      board.finishStroke(id)
    }
  })
  return encodeBoardFile(board.doc)
}

describe('large edits through a real host', () => {
  const scope = eachTestHost()
  let host: Host
  let clients: TestClient[] = []

  async function session(people: string[]): Promise<TestClient[]> {
    await writeFile(join(scope.dir, 'board.lanvas'), boardFile(STROKES))
    host = await scope.start()
    const url = syncUrl(host.port, host.defaultBoardId)
    clients = people.map((name) => scope.connect(url, name))
    await Promise.all(clients.map((c) => c.connection.whenSynced()))
    return clients
  }

  async function converged(): Promise<void> {
    const first = clients[0] as TestClient
    await waitUntil('identical boards', () => clients.every((c) => sameState(c.board, first.board)), 60_000)
    await waitUntil(
      'everything sent is saved',
      () => clients.every((c) => c.connection.unsaved === 0),
      60_000,
    )
  }

  it('a move, a restyle and a delete of thousands of strokes, made at once by three people, converge and are saved', async () => {
    const [ann, bea, cal] = (await session(['ann', 'bea', 'cal'])) as [TestClient, TestClient, TestClient]
    const ids = ann.board.elementIds()
    expect(ids).toHaveLength(STROKES)
    const before = new Map(ann.board.strokes().map((s) => [s.id, s]))
    // All three before any of them hears of the others' edits.
    moveSelection(ann.board, ids, 30, -20)
    bea.board.beginAction()
    bea.board.updateElements(ids.map((id) => [id, { color: '#e03131', width: 8 }] as const))
    const gone = ids.filter((_, i) => i % 3 === 0)
    expect(deleteSelection(cal.board, gone)).toBe(gone.length)
    await converged()

    const strokes = ann.board.strokes()
    expect(strokes).toHaveLength(STROKES - gone.length)
    for (const s of strokes) {
      const was = before.get(s.id)
      expect({ x: s.x, y: s.y, color: s.color, width: s.width, points: s.points }).toEqual({
        x: 30,
        y: -20,
        color: '#e03131',
        width: 8,
        points: was?.points,
      })
    }
    for (const c of clients) expect(c.board.readElements()).toEqual(ann.board.readElements())
    await host.close()
    const saved = openBoardFile(await readFile(join(scope.dir, 'board.lanvas')))
    expect(saved.readElements()).toEqual(ann.board.readElements())
  })

  it("one person's undo of a move of every stroke restores exactly where they were, and keeps another's restyle", async () => {
    const [ann, bea] = (await session(['ann', 'bea'])) as [TestClient, TestClient]
    const ids = ann.board.elementIds()
    const before = ann.board.strokes()
    moveSelection(ann.board, ids, 123.5, 77.25)
    bea.board.beginAction()
    bea.board.updateElements(ids.slice(0, 1000).map((id) => [id, { color: '#2f9e44' }] as const))
    await converged()
    expect(bea.board.getStroke(ids[2999] as string)?.x).toBe(123.5)

    expect(ann.board.undo()).toBe(true)
    await converged()
    const restyled = new Set(ids.slice(0, 1000))
    const expected = before.map((s) => ({ ...s, color: restyled.has(s.id) ? '#2f9e44' : s.color }))
    for (const c of clients) expect(c.board.strokes()).toEqual(expected)
    // And redo moves them again, for everyone.
    expect(ann.board.redo()).toBe(true)
    await converged()
    expect(bea.board.strokes().every((s) => s.x === 123.5 && s.y === 77.25)).toBe(true)
  })

  it("one person's undo of a delete of every stroke brings each back whole, in its place in the order", async () => {
    const [ann, bea] = (await session(['ann', 'bea'])) as [TestClient, TestClient]
    const ids = ann.board.elementIds()
    const before = ann.board.readElements()
    expect(deleteSelection(ann.board, ids)).toBe(STROKES)
    await converged()
    expect(bea.board.elementIds()).toHaveLength(0)
    expect(ann.board.undo()).toBe(true)
    await converged()
    expect(bea.board.elementIds()).toEqual(ids)
    expect(bea.board.readElements()).toEqual(before)
  })
})

describe('moving 10,000 strokes through a real host', () => {
  const scope = eachTestHost()
  const MANY = 10_000

  it('is one small update; the peer sees every stroke moved, concurrent moves add up, each undo takes back its own, and the host saves it', async () => {
    await writeFile(join(scope.dir, 'board.lanvas'), boardFile(MANY))
    const host = await scope.start()
    const url = syncUrl(host.port, host.defaultBoardId)
    const ann = scope.connect(url, 'ann')
    const bea = scope.connect(url, 'bea')
    await Promise.all([ann.connection.whenSynced(), bea.connection.whenSynced()])
    const ids = ann.board.elementIds()
    expect(ids).toHaveLength(MANY)
    const before = new Map(ann.board.readElements().map((el) => [el.id, { x: el.x, y: el.y }]))
    const placedBy = (board: Board, dx: (id: string) => number, dy: number) =>
      board.readElements().every((el) => {
        const was = before.get(el.id)
        return was !== undefined && el.x === was.x + dx(el.id) && el.y === was.y + dy
      })

    const sent: number[] = []
    ann.board.doc.on('update', (u: Uint8Array, origin: unknown) => {
      if (origin === ann.board.localOrigin) sent.push(u.byteLength)
    })
    moveSelection(ann.board, ids, 40, 25)
    expect(sent).toHaveLength(1)
    // About 13 bytes a stroke: writing x and y on each took 28.
    expect(sent[0]).toBeLessThan(14 * MANY)
    await waitUntil('the peer sees every stroke moved', () => placedBy(bea.board, () => 40, 25), 60_000)

    // At the same time, before either hears of the other: bea moves them all down, ann one of them right.
    const one = ids[123] as string
    moveSelection(bea.board, ids, 0, 100)
    moveSelection(ann.board, [one], 7, 0)
    await waitUntil('identical boards', () => sameState(ann.board, bea.board), 60_000)
    const merged = (id: string) => 40 + (id === one ? 7 : 0)
    expect(placedBy(ann.board, merged, 125)).toBe(true)
    expect(placedBy(bea.board, merged, 125)).toBe(true)

    // Ann's undo takes back her nudge, then her move of all; bea's move stays.
    expect(ann.board.undo()).toBe(true)
    expect(ann.board.undo()).toBe(true)
    await waitUntil('the peer sees the undo', () => placedBy(bea.board, () => 0, 100), 60_000)
    await waitUntil(
      'everything sent is saved',
      () => ann.connection.unsaved + bea.connection.unsaved === 0,
      60_000,
    )
    await host.close()
    const saved = openBoardFile(await readFile(join(scope.dir, 'board.lanvas')))
    expect(saved.readElements()).toEqual(bea.board.readElements())
  }, 180_000)
})

/** How many delete ranges an update carries, over all clients. */
function deleteRanges(update: Uint8Array): number {
  let ranges = 0
  for (const list of Y.decodeUpdate(update).ds.clients.values()) ranges += list.length
  return ranges
}

describe('deleting 10,000 strokes through a real host', () => {
  const scope = eachTestHost()
  const MANY = 10_000

  it('reaches a peer as a handful of delete ranges; the peer holds exactly the board the sender has, and the undo brings each back', async () => {
    await writeFile(join(scope.dir, 'board.lanvas'), boardFile(MANY))
    const host = await scope.start()
    const url = syncUrl(host.port, host.defaultBoardId)
    const ann = scope.connect(url, 'ann')
    const bea = scope.connect(url, 'bea')
    // A third peer reads the frames as they come over the wire.
    const watcher = scope.raw(url, { name: 'watcher' }, { plain: true })
    await Promise.all([ann.connection.whenSynced(), bea.connection.whenSynced()])
    await waitUntil('the watcher is welcomed', () => watcher.welcome())
    const ids = ann.board.elementIds()
    expect(ids).toHaveLength(MANY)
    const before = ann.board.readElements()

    // Every stroke but one in the middle: that one's order entry and record stay, so no range may run over them.
    const kept = ids[Math.floor(MANY * 0.43)] as string
    const gone = ids.filter((id) => id !== kept)
    expect(deleteSelection(ann.board, gone)).toBe(MANY - 1)
    await waitUntil('the watcher gets the delete', () => watcher.updates.length > 0, 60_000)
    // Yjs writes a range per run of deleted clocks: 10,000 here (each stroke's entry, then its record with the next
    // stroke's entry). One run of strokes before the kept one and one after, for the one author.
    expect(watcher.updates.map(deleteRanges)).toEqual([2])
    await waitUntil('identical boards', () => sameState(ann.board, bea.board), 60_000)
    expect(bea.board.elementIds()).toEqual([kept])
    expect(bea.board.readElements()).toEqual(ann.board.readElements())
    // Deleted the same structs, not one more (ann's undo keeps what she deleted; bea's replica collects it).
    const deletes = (b: Board) => Y.createDeleteSetFromStructStore(b.doc.store)
    expect(Y.equalDeleteSets(deletes(bea.board), deletes(ann.board))).toBe(true)

    // Ann's undo brings every stroke back whole, in its place, for both; bea's later stroke stays.
    const late = bea.board.beginStroke({ color: '#e03131', width: 2 }, [1, 2, 0.5, 3, 4, 0.5])
    bea.board.finishStroke(late)
    await waitUntil('ann sees bea draw', () => ann.board.getStroke(late)?.done === true, 60_000)
    expect(ann.board.undo()).toBe(true)
    await waitUntil('identical boards', () => sameState(ann.board, bea.board), 60_000)
    expect(bea.board.readElements().filter((el) => el.id !== late)).toEqual(before)
    expect(bea.board.elementIds().filter((id) => id !== late)).toEqual(ids)
    expect(bea.board.getStroke(late)?.done).toBe(true)
    await waitUntil('everything sent is saved', () => ann.connection.unsaved + bea.connection.unsaved === 0)
    await host.close()
    const saved = openBoardFile(await readFile(join(scope.dir, 'board.lanvas')))
    expect(saved.readElements()).toEqual(bea.board.readElements())
  }, 180_000)
})

describe('a delete range run on over what its sender may not delete', () => {
  const scope = eachTestHost()

  it("is refused when it takes a shape's kind without the shape, and taken when it takes the shape whole", async () => {
    const earlier = new Board(new Y.Doc(), 'earlier')
    const draw = (n: number) => {
      for (let i = 0; i < n; i++) {
        const id = earlier.beginStroke({ color: '#1e1e1e', width: 4 }, [i, i, 0.5, i + 5, i + 3, 0.7])
        earlier.finishStroke(id)
      }
    }
    draw(200)
    const rect = earlier.addShape(ElementKind.Rect, { width: 10, height: 10 })
    draw(200)
    await writeFile(join(scope.dir, 'board.lanvas'), encodeBoardFile(earlier.doc))
    const host = await scope.start()
    const url = syncUrl(host.port, host.defaultBoardId)
    const ann = scope.connect(url, 'ann')
    await ann.connection.whenSynced()
    const ids = ann.board.elementIds()
    expect(ids).toHaveLength(401)

    // One range from the shape's kind over the 200 strokes drawn after it, as a widened delete would be written.
    const shape = elementMap(ann.board, rect) as Y.Map<unknown>
    const kind = (shape._map.get('kind') as Y.Item).id
    const last = ann.board.elements._map.get(ids[400] as string) as Y.Item
    const to = last.id.clock + last.length
    const mallory = scope.raw(url, { name: 'mallory' }, { plain: true })
    await waitUntil('mallory is welcomed', () => mallory.welcome())
    mallory.sendUpdate(encodeStructs([], [{ client: kind.client, clock: kind.clock, len: to - kind.clock }]))
    expect(await mallory.closed).toEqual({
      code: CloseReason.InvalidMessage,
      reason: "The host refused an edit: an element's kind cannot be removed from it.",
    })
    const held = () => openBoardFile(host.boardFileBytes(host.defaultBoardId))
    expect(held().elementIds()).toEqual(ids)
    expect(ann.board.elementIds()).toEqual(ids)

    // The same range from the shape's own item: the shape goes whole, with the strokes after it.
    const whole = (shape._item as Y.Item).id
    const cal = scope.raw(url, { name: 'cal' }, { plain: true })
    await waitUntil('cal is welcomed', () => cal.welcome())
    cal.sendUpdate(encodeStructs([], [{ client: whole.client, clock: whole.clock, len: to - whole.clock }]))
    await waitUntil('ann sees the delete', () => ann.board.elementIds().length === 200)
    expect(ann.board.elementIds()).toEqual(ids.slice(0, 200))
    expect(held().readElements()).toEqual(ann.board.readElements())
  })

  it("is refused, and reaches nobody, when it runs on over clocks the board does not have: someone's strokes still to come", async () => {
    const host = await scope.start()
    const url = syncUrl(host.port, host.defaultBoardId)
    const ann = scope.connect(url, 'ann')
    const bea = scope.connect(url, 'bea')
    await Promise.all([ann.connection.whenSynced(), bea.connection.whenSynced()])
    const stroke = (at: number) => {
      const id = ann.board.beginStroke({ color: '#1e1e1e', width: 4 }, [at, at, 0.5, at + 5, at + 3, 0.7])
      ann.board.finishStroke(id)
      return id
    }
    stroke(0)
    const last = stroke(10)
    await waitUntil("bea has ann's strokes", () => bea.board.elementIds().length === 2)

    // One range from ann's last stroke (hers to delete: it goes whole) on over clocks ann has not written yet.
    const item = (ann.board.elements._map.get(last) as Y.Item).id
    const state = Y.getState(ann.board.doc.store, ann.board.doc.clientID)
    const mallory = scope.raw(url, { name: 'mallory' }, { plain: true })
    await waitUntil('mallory is welcomed', () => mallory.welcome())
    mallory.sendUpdate(
      encodeStructs([], [{ client: item.client, clock: item.clock, len: state + 1000 - item.clock }]),
    )
    // The host relays a delete as it came (src/shared/sync/deleteRanges.ts): what it could not apply must never
    // reach the others, where Yjs would keep it and delete ann's next stroke when it comes.
    expect(await mallory.closed).toEqual({
      code: CloseReason.InvalidMessage,
      reason: 'The host refused an edit: it builds on edits this board does not have.',
    })
    expect(bea.board.doc.store.pendingDs).toBeNull()

    // Ann's next stroke is written on those clocks: everyone sees it.
    const next = stroke(20)
    await waitUntil("the host has ann's next stroke", () =>
      openBoardFile(host.boardFileBytes(host.defaultBoardId)).elementIds().includes(next),
    )
    await waitUntil("bea sees ann's next stroke", () => bea.board.elementIds().includes(next))
    expect(bea.board.elementIds()).toEqual(ann.board.elementIds())
  })
})
