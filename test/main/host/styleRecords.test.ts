/**
 * Large attribute edits and edits over the frame cap through a real host on loopback (issue 9, item 5): a restyle
 * and a lock of 10,000 flat strokes are one small update each that the peer reads, undone per person and saved;
 * an edit larger than one message (MAX_MESSAGE_BYTES) reaches the peer in parts instead of being refused.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Board } from '../../../src/shared/board'
import { encodeBoardFile, openBoardFile } from '../../../src/shared/boardFile'
import type { FlatRecord } from '../../../src/shared/elements/entry'
import { setLocked } from '../../../src/shared/selection'
import { MAX_MESSAGE_BYTES } from '../../../src/shared/sync/protocol'
import { eachTestHost, sameState, syncUrl } from '../../support/hostFixture'
import { waitUntil } from '../../support/waitUntil'

/** A board file of `count` finished strokes by someone not in the session. */
function boardFile(count: number): Uint8Array {
  const board = new Board(new Y.Doc(), 'earlier')
  board.transact(() => {
    for (let i = 0; i < count; i++)
      board.finishStroke(
        board.beginStroke({ color: '#1e1e1e', width: 4 }, [
          i,
          2 * i,
          0.5,
          i + 5,
          2 * i + 3,
          0.7,
          i + 9,
          i,
          0.6,
        ]),
      )
  })
  return encodeBoardFile(board.doc)
}

describe('large attribute edits through a real host', () => {
  const scope = eachTestHost()
  const MANY = 10_000

  it('a restyle and a lock of 10,000 strokes are one small update each; the peer reads them, undo is per person, the file keeps them', async () => {
    await writeFile(join(scope.dir, 'board.lanvas'), boardFile(MANY))
    const host = await scope.start()
    const url = syncUrl(host.port, host.defaultBoardId)
    const ann = scope.connect(url, 'ann')
    const bea = scope.connect(url, 'bea')
    await Promise.all([ann.connection.whenSynced(), bea.connection.whenSynced()])
    const ids = ann.board.elementIds()
    expect(ids).toHaveLength(MANY)
    const before = bea.board.strokes()
    const sent: number[] = []
    ann.board.doc.on('update', (u: Uint8Array, origin: unknown) => {
      if (origin === ann.board.localOrigin) sent.push(u.byteLength)
    })

    ann.board.beginAction()
    ann.board.updateElements(ids.map((id) => [id, { color: '#e03131', width: 10, opacity: 0.5 }] as const))
    expect(sent).toHaveLength(1)
    // About 13 bytes a stroke; writing each flat record anew sent its points again (~100 bytes a stroke here).
    expect(sent[0]).toBeLessThan(14 * MANY)
    const restyled = before.map((s) => ({ ...s, color: '#e03131', width: 10, opacity: 0.5 }))
    await waitUntil(
      'the peer sees every stroke restyled',
      () => bea.board.strokes()[MANY - 1]?.width === 10,
      60_000,
    )
    expect(bea.board.strokes()).toEqual(restyled)

    // Bea locks them all meanwhile: one more small update; ann's undo of her restyle leaves bea's lock.
    setLocked(bea.board, ids, true)
    await waitUntil(
      'ann sees every stroke locked',
      () => ann.board.readElements().every((el) => el.locked),
      60_000,
    )
    expect(ann.board.undo()).toBe(true)
    await waitUntil('the peer sees the undo', () => bea.board.strokes()[0]?.width === 4, 60_000)
    expect(bea.board.strokes()).toEqual(before.map((s) => ({ ...s, locked: true })))
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

describe('an edit larger than one message', () => {
  const scope = eachTestHost()

  it('reaches the peer in parts under the cap, whole, and is saved', async () => {
    await writeFile(join(scope.dir, 'board.lanvas'), boardFile(1))
    const host = await scope.start()
    const url = syncUrl(host.port, host.defaultBoardId)
    const ann = scope.connect(url, 'ann')
    const bea = scope.connect(url, 'bea')
    await Promise.all([ann.connection.whenSynced(), bea.connection.whenSynced()])
    const sent: number[] = []
    ann.board.doc.on('update', (u: Uint8Array, origin: unknown) => {
      if (origin === ann.board.localOrigin) sent.push(u.byteLength)
    })
    // 1,000 strokes of 1,300 points that jump far at each point (about 15.5 bytes a point stored): one transaction
    // of ~20 MB, over the host's frame cap (16 MiB) and within what a client may send at once (32 MiB: more is
    // refused as a flood, and what a refused client resends on reconnecting is one message, over the cap again).
    const points: number[] = []
    for (let p = 0; p < 1300; p++) points.push((p * 7919) % 4001, (p * 104729) % 3989, (p % 10) / 10)
    ann.board.beginAction()
    ann.board.transact(() => {
      for (let i = 0; i < 1000; i++)
        ann.board.finishStroke(ann.board.beginStroke({ color: '#1971c2', width: 3 }, points))
    })
    expect(sent).toHaveLength(1)
    expect(sent[0]).toBeGreaterThan(MAX_MESSAGE_BYTES)
    await waitUntil('the peer has every stroke', () => bea.board.elementIds().length === 1001, 120_000)
    await waitUntil('identical boards', () => sameState(ann.board, bea.board), 60_000)
    // The same strokes, points byte for byte (as stored: reading 1,300,000 points to compare them is slow).
    expect(bea.board.elementIds()).toEqual(ann.board.elementIds())
    for (const id of ann.board.elementIds()) {
      const mine = ann.board.elements.get(id) as FlatRecord
      const theirs = bea.board.elements.get(id) as FlatRecord
      expect(Buffer.from(theirs.points as Uint8Array).equals(Buffer.from(mine.points as Uint8Array))).toBe(
        true,
      )
      expect(theirs.color).toBe(mine.color)
    }
    await waitUntil('everything sent is saved', () => ann.connection.unsaved === 0, 60_000)
    // And it is one undo step for its author, which reaches the peer too.
    expect(ann.board.undo()).toBe(true)
    await waitUntil('the peer sees the undo', () => bea.board.elementIds().length === 1, 60_000)
  }, 240_000)
})
