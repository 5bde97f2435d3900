import { describe, expect, it } from 'vitest'
import { encodeBoardFile, openBoardFile } from '../../../src/shared/boardFile'
import { eachTestHost, sameState, shareOnLoopback, syncUrl } from '../../support/hostFixture'
import { waitUntil } from '../../support/waitUntil'

const ink = { color: '#2b8a3e', width: 3 }

describe('re-hosting a board after its host left', () => {
  // The old host and the new one, each in a folder of its own.
  const placeA = eachTestHost()
  const placeB = eachTestHost()

  it("keeps every stroke of the old host's people when one of them hosts the board again", async () => {
    const hostA = await placeA.start()
    const shareA = await shareOnLoopback(hostA)
    const urlA = syncUrl(shareA.port, hostA.defaultBoardId)
    const a = placeA.connect(syncUrl(hostA.port, hostA.defaultBoardId), 'a', { ownerKey: hostA.ownerKey })
    const x = placeA.connect(urlA, 'x', { token: shareA.token })
    const y = placeA.connect(urlA, 'y', { token: shareA.token })
    await Promise.all([a, x, y].map((c) => c.connection.whenSynced()))
    const fromA = a.board.beginStroke(ink, [1, 1, 1])
    a.board.appendPoints(fromA, [2, 2, 1])
    a.board.finishStroke(fromA)
    const fromX = x.board.beginStroke(ink, [3, 3, 1])
    const fromY = y.board.beginStroke(ink, [4, 4, 1])
    await waitUntil('everyone has everything', () =>
      [a, x, y].every((c) => [fromA, fromX, fromY].every((id) => c.board.getStroke(id))),
    )

    // Host A leaves; its people keep their boards and keep drawing.
    await hostA.close()
    await waitUntil('x and y are offline', () =>
      [x, y].every((c) => c.connection.status !== 'connected' && !c.connection.synced),
    )
    const yOffline = y.board.beginStroke({ color: '#e03131', width: 2 }, [5, 5, 1])
    y.board.appendPoints(fromY, [6, 6, 1])
    const xOffline = x.board.beginStroke(ink, [7, 7, 1])

    // X hosts its replica on a new host B; Y joins B with its own replica, offline edits included.
    const hostB = await placeB.start()
    const imported = await hostB.importBoard(encodeBoardFile(x.board.doc), 'Rehosted')
    const shareB = await shareOnLoopback(hostB, { boardId: imported.id })
    expect(shareB.boardId).toBe(imported.id)
    const urlB = syncUrl(shareB.port, imported.id)
    x.connection.close()
    y.connection.close()
    const x2 = placeB.connect(syncUrl(hostB.port, imported.id), 'x', {
      ownerKey: hostB.ownerKey,
      replica: { board: x.board, awareness: x.awareness },
    })
    const y2 = placeB.connect(urlB, 'y', {
      token: shareB.token,
      replica: { board: y.board, awareness: y.awareness },
    })
    await Promise.all([x2.connection.whenSynced(), y2.connection.whenSynced()])

    const all = [fromA, fromX, fromY, yOffline, xOffline]
    const hostBoard = () => openBoardFile(hostB.boardFileBytes(imported.id))
    await waitUntil('every stroke is on B and on both replicas', () =>
      [x.board, y.board, hostBoard()].every((b) => all.every((id) => b.getStroke(id))),
    )
    await waitUntil('identical boards', () => sameState(x.board, y.board) && sameState(hostBoard(), x.board))
    expect(y.board.getStroke(fromY)?.points.length).toBe(6)
    expect(x.board.getStroke(fromA)?.points.length).toBe(6)
    expect(hostBoard().strokes()).toEqual(x.board.strokes())
  })
})
