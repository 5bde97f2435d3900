/**
 * Late join on a board larger than the frame cap, through a real host on loopback: the board comes in parts
 * no larger than the cap, the joiner ends with exactly the host's document (edits made meanwhile included),
 * and its progress rises to 100 %.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { nodeTimers } from '../../../src/main/host/nodeClient'
import { Board } from '../../../src/shared/board'
import { encodeBoardFile } from '../../../src/shared/boardFile'
import { connectBoard } from '../../../src/shared/sync/connect'
import { MessageType } from '../../../src/shared/sync/protocol'
import type { BoardSocket } from '../../../src/shared/sync/socket'
import { eachTestHost, sameState, syncUrl } from '../../support/hostFixture'
import { waitUntil } from '../../support/waitUntil'

// The cap of this test's host on a board's frames to a joiner; the board is twenty times larger.
const PART_BYTES = 32 * 1024

/** A board file of `count` finished pen strokes of 120 points each, written by a person before the host starts. */
function inkBoard(count: number): Board {
  const board = new Board(new Y.Doc(), 'author')
  let seed = 7
  const rand = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0
    return seed / 2 ** 32
  }
  for (let i = 0; i < count; i++) {
    const flat: number[] = []
    let x = rand() * 3000
    let y = rand() * 3000
    for (let p = 0; p < 120; p++) {
      x += rand() * 6 - 3
      y += rand() * 6 - 3
      flat.push(x, y, 0.3 + rand() * 0.5)
    }
    const id = board.beginStroke({ color: '#1e1e1e', width: 4 }, flat)
    board.finishStroke(id)
  }
  return board
}

describe('a late joiner on a large board', () => {
  const t = eachTestHost()

  it('gets the board in frames within the cap, ends with the same document and sees progress rise to 100 %', async () => {
    const source = inkBoard(1500)
    const file = encodeBoardFile(source.doc)
    expect(file.byteLength).toBeGreaterThan(20 * PART_BYTES)
    await writeFile(join(t.dir, 'board.lanvas'), file)
    const host = await t.start({ limits: { syncPartBytes: PART_BYTES } })
    const url = syncUrl(host.port, host.defaultBoardId)

    // The host's own window, drawing while the newcomer's board is on its way.
    const owner = t.connect(url, 'owner', { ownerKey: host.ownerKey })
    await owner.connection.whenSynced()

    const joiner = new Board(new Y.Doc(), 'joiner')
    const frames: { type: number; bytes: number }[] = []
    const progress: number[] = []
    const connection = connectBoard({
      url,
      board: joiner,
      awareness: new Awareness(joiner.doc),
      ownerKey: host.ownerKey,
      plain: true,
      timers: nodeTimers,
      createSocket: (u) => {
        const ws = new WebSocket(u)
        ws.on('error', () => {})
        ws.on('message', (data: Buffer | ArrayBuffer) => {
          const bytes = new Uint8Array(data)
          frames.push({ type: bytes[0] ?? -1, bytes: bytes.byteLength })
        })
        return ws as unknown as BoardSocket
      },
    })
    connection.onProgress(() => {
      if (connection.progress !== undefined && progress.at(-1) !== connection.progress)
        progress.push(connection.progress)
    })
    await waitUntil('the first part came', () => frames.some((f) => f.type === MessageType.SyncPart))
    const drawn = owner.board.beginStroke({ color: '#e03131', width: 2 }, [0, 0, 0.5, 40, 40, 0.5])
    owner.board.finishStroke(drawn)
    await connection.whenSynced()
    await waitUntil("the owner's stroke reached the joiner", () => joiner.readElement(drawn) !== undefined)

    // Every frame, the parts and the SyncStep2 that ends them included, is within the cap.
    const boardFrames = frames.filter((f) => f.type === MessageType.Sync || f.type === MessageType.SyncPart)
    expect(boardFrames.filter((f) => f.type === MessageType.SyncPart).length).toBeGreaterThan(10)
    for (const f of frames) expect(f.bytes).toBeLessThanOrEqual(PART_BYTES + 1024)
    // The same document as the host's (through its own window), and as the file it started from.
    await waitUntil('the same document', () => sameState(owner.board, joiner))
    expect(joiner.readElements()).toEqual(owner.board.readElements())
    expect(joiner.readElements().length).toBe(source.readElements().length + 1)
    // Progress rises part by part to 100 %.
    expect(progress.length).toBeGreaterThan(10)
    for (let i = 1; i < progress.length; i++)
      expect(progress[i] as number).toBeGreaterThan(progress[i - 1] as number)
    expect(progress.at(-1)).toBe(1)
    expect(progress[0] as number).toBeLessThan(0.2)
    connection.close()
    joiner.destroy()
    joiner.doc.destroy()
  })

  it('on the secure channel, with offline edits of its own, merges both ways', async () => {
    await writeFile(join(t.dir, 'board.lanvas'), encodeBoardFile(inkBoard(800).doc))
    const host = await t.start({ limits: { syncPartBytes: PART_BYTES } })
    const url = syncUrl(host.port, host.defaultBoardId)
    const first = t.connect(url, 'first', { ownerKey: host.ownerKey })
    await first.connection.whenSynced()
    // Offline, it draws; back online, it gets the board streamed again and sends its stroke.
    first.setOnline(false)
    await waitUntil('first is offline', () => first.connection.status === 'offline')
    const mine = first.board.beginStroke({ color: '#2f9e44', width: 3 }, [5, 5, 0.5, 60, 60, 0.5])
    first.board.finishStroke(mine)
    const second = t.connect(url, 'second', { ownerKey: host.ownerKey })
    await second.connection.whenSynced()
    expect(second.connection.progress).toBe(1)
    first.setOnline(true)
    await waitUntil('the offline stroke reached second', () => second.board.readElement(mine) !== undefined)
    await waitUntil('the same document', () => sameState(first.board, second.board))
    expect(second.board.readElements()).toEqual(first.board.readElements())
  })
})
