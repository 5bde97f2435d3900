import { beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Host } from '../../../src/main/host/server'
import { openBoardFile } from '../../../src/shared/boardFile'
import { eachTestHost, sameState, syncUrl, type TestClient } from '../../support/hostFixture'
import { waitUntil } from '../../support/waitUntil'

const ink = { color: '#1e90ff', width: 4 }

describe('board sync through a real host', () => {
  const scope = eachTestHost()
  let host: Host | undefined

  const join = (name: string): TestClient => {
    if (!host) throw new Error('no host')
    return scope.connect(syncUrl(host.port, host.defaultBoardId), name)
  }

  beforeEach(async () => {
    host = await scope.start()
  })

  it('converges edits from several clients to identical boards', async () => {
    const group = [join('ann'), join('bob'), join('cy'), join('dee')]
    await Promise.all(group.map((c) => c.connection.whenSynced()))
    // Interleaved edits, including concurrent ones before anything arrives.
    group.forEach((c, i) => {
      for (let s = 0; s < 3; s++) {
        const id = c.board.beginStroke(ink, [i, s, 0.5, i + 1, s + 1, 0.6])
        c.board.appendPoints(id, [i + 2, s + 2, 0.7])
        c.board.finishStroke(id)
      }
    })
    const first = group[0] as TestClient
    first.board.deleteElements([first.board.elementIds()[0] as string])
    await waitUntil('all boards converge', () =>
      group.every((c) => c.board.elementIds().length === 11 && sameState(c.board, first.board)),
    )
    for (const c of group) {
      expect(c.board.strokes()).toEqual(first.board.strokes())
      expect(Y.encodeStateVector(c.board.doc)).toEqual(Y.encodeStateVector(first.board.doc))
    }
  })

  it('shows a stroke while it is being drawn, before pen-up', async () => {
    const drawer = join('drawer')
    const watcher = join('watcher')
    await Promise.all([drawer.connection.whenSynced(), watcher.connection.whenSynced()])
    const id = drawer.board.beginStroke(ink, [0, 0, 0.5])
    drawer.board.appendPoints(id, [10, 10, 0.5, 20, 5, 0.5])
    const seen = await waitUntil('the watcher sees three points', () => {
      const s = watcher.board.getStroke(id)
      return s && s.points.length === 9 ? s : undefined
    })
    expect(seen?.done).toBe(false)
    expect(Array.from(seen?.points ?? [])).toEqual([0, 0, 0.5, 10, 10, 0.5, 20, 5, 0.5])
    drawer.board.finishStroke(id)
    await waitUntil('the watcher sees pen-up', () => watcher.board.getStroke(id)?.done === true)
  })

  it('gives a late joiner the whole board', async () => {
    const early = join('early')
    await early.connection.whenSynced()
    for (let i = 0; i < 20; i++) early.board.finishStroke(early.board.beginStroke(ink, [i, i, 1]))
    await host?.flush()
    const late = join('late')
    await late.connection.whenSynced()
    expect(late.board.strokes()).toEqual(early.board.strokes())
  })

  it('relays presence and removes it when a client leaves', async () => {
    const a = join('a')
    const b = join('b')
    await Promise.all([a.connection.whenSynced(), b.connection.whenSynced()])
    a.awareness.setLocalState({ name: 'Ann', cursor: { x: 1, y: 2 } })
    await waitUntil('b sees a', () => b.awareness.getStates().get(a.awareness.clientID)?.name === 'Ann')
    a.destroy()
    await waitUntil('b forgets a', () => !b.awareness.getStates().has(a.awareness.clientID))
  })

  it('serves the same board after a restart from its file', async () => {
    const a = join('a')
    await a.connection.whenSynced()
    for (let i = 0; i < 5; i++) a.board.finishStroke(a.board.beginStroke(ink, [i, 0, 1, i, 1, 1]))
    const expected = a.board.strokes()
    const h = host as Host
    await waitUntil(
      'the host has every stroke',
      () => openBoardFile(h.boardFileBytes(h.defaultBoardId)).strokes().length === 5,
    )
    a.destroy()
    await host?.close()
    host = await scope.start()
    const b = join('b')
    await b.connection.whenSynced()
    expect(b.board.strokes()).toEqual(expected)
  })

  it('merges edits made offline after the host comes back on the same port', async () => {
    const a = join('a')
    const b = join('b')
    await Promise.all([a.connection.whenSynced(), b.connection.whenSynced()])
    const before = a.board.beginStroke(ink, [1, 1, 1])
    await waitUntil('b has the first stroke', () => b.board.getStroke(before) !== undefined)
    const port = (host as Host).port
    await host?.close()
    host = undefined
    await waitUntil('both clients are offline', () =>
      [a, b].every((c) => c.connection.status === 'offline' || c.connection.status === 'connecting'),
    )
    const offlineA = a.board.beginStroke(ink, [2, 2, 1])
    const offlineB = b.board.beginStroke({ color: '#ff0000', width: 2 }, [3, 3, 1])
    host = await scope.start({ port })
    await waitUntil('both clients re-synced', () => a.connection.synced && b.connection.synced)
    await waitUntil('offline edits merged', () =>
      [a, b].every((c) => [before, offlineA, offlineB].every((id) => c.board.getStroke(id) !== undefined)),
    )
    await waitUntil('identical boards', () => sameState(a.board, b.board))
    expect(a.board.strokes()).toEqual(b.board.strokes())
  })
})
