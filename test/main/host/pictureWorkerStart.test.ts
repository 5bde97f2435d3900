// The built host (the command line, as `npm run host` starts it) makes a large board's overview pictures on its own
// thread while it relays to fewer than two pages, and starts its picture worker once it relays between two or more:
// only then does anyone's ink wait behind the picture step, and a worker costs the host ~30 MB and its start's CPU.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { makeInkBoard } from '../../../bench/boards'
import { connectBoardFromNode } from '../../../src/main/host/nodeClient'
import { Board } from '../../../src/shared/board'
import { encodeBoardFile } from '../../../src/shared/boardFile'
import { PROTOCOL_VERSION } from '../../../src/shared/sync/protocol'
import { type HostProcess, startHostProcess } from '../../support/hostProcess'
import { waitUntil } from '../../support/waitUntil'

let dir: string
let host: HostProcess

/** The host's overview log lines so far, and whether each picture was made by the worker. */
function pictures(): { worker: boolean }[] {
  return [...host.output().matchAll(/ overview (?:\(\d+ added\) )?\d+×\d+ px[^\n]*/g)].map((m) => ({
    worker: m[0].includes('for the worker'),
  }))
}

async function page(name: string) {
  const { id } = (await (await fetch(new URL('/api/boards/default', host.url))).json()) as { id: string }
  const url = `${host.url.replace('http', 'ws').replace(/\/$/, '')}/sync/${encodeURIComponent(id)}?v=${PROTOCOL_VERSION}`
  const board = new Board(new Y.Doc(), name)
  const connection = connectBoardFromNode({ url, board, awareness: new Awareness(board.doc) })
  await connection.whenSynced()
  return { board, close: () => connection.close() }
}

/** A finished stroke across the board's corner, `dy` units down. */
function draw(board: Board, dy: number): void {
  const id = board.beginStroke({ color: '#e03131', width: 6 }, [0, dy, 0.5, 300, 200 + dy, 0.5])
  board.appendPoints(id, [600, dy, 0.5])
  board.finishStroke(id)
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-picture-worker-'))
  // Large enough for an overview (over a frame's 1 MB of board).
  const board = makeInkBoard(4_000, 'compact')
  const file = join(dir, 'big.lanvas')
  await writeFile(file, encodeBoardFile(board.doc))
  board.destroy()
  host = await startHostProcess(['--port', '0', '--board', file], undefined, undefined, [], {
    ...process.env,
    XDG_DATA_HOME: join(dir, 'data'),
  })
}, 120_000)

afterAll(async () => {
  await host?.stop()
  await rm(dir, { recursive: true, force: true })
})

it('makes the pictures itself with one page or none, and in its worker once it relays between two pages', async () => {
  // The whole drawing after the host's start: nobody there.
  await waitUntil('the whole drawing', () => pictures().length >= 1, 60_000)
  expect(pictures()[0]?.worker).toBe(false)
  // One page draws: strokes added, pictured again on the host's thread (nobody to relay the page's ink to).
  const ann = await page('ann')
  draw(ann.board, 0)
  await waitUntil('a picture of the stroke added', () => pictures().length >= 2, 60_000)
  expect(pictures()[1]?.worker).toBe(false)
  // A second page: the next picture is the worker's.
  const bob = await page('bob')
  draw(ann.board, 50)
  await waitUntil('a picture of the second stroke', () => pictures().length >= 3, 60_000)
  expect(pictures()[2]?.worker).toBe(true)
  ann.close()
  bob.close()
}, 180_000)
