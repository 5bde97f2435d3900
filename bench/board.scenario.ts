import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { it } from 'vitest'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { connectBoardFromNode as connectBoard } from '../src/main/host/nodeClient'
import { startHost } from '../src/main/host/server'
import { Board } from '../src/shared/board'
import { encodeBoardFile, openBoardFile } from '../src/shared/boardFile'
import { PROTOCOL_VERSION } from '../src/shared/sync/protocol'
import { connectYWebsocket, startYWebsocket } from './baselines/yWebsocket'
import { makeBoard } from './boards'
import { benchSize, median, ms, percentile, report } from './report'

const STROKES = benchSize(10_000, 1_000)
const JOINS = benchSize(5, 3)
const CHUNKS = benchSize(200, 50)

function connect(url: string, board: Board) {
  return connectBoard({
    url,
    board,
    awareness: new Awareness(board.doc),
  })
}

/** Joins the board with an empty replica; resolves to the replica and the time until it was synced. */
async function lateJoin(url: string): Promise<{ board: Board; took: number }> {
  const board = new Board(new Y.Doc(), 'joiner')
  const start = performance.now()
  const connection = connect(url, board)
  await connection.whenSynced()
  const took = performance.now() - start
  connection.close()
  return { board, took }
}

/** Milliseconds from each point appended on `a` until `b` has it, for CHUNKS points. */
async function chunkLatencies(a: Board, b: Board): Promise<number[]> {
  const id = a.beginStroke({ color: '#1e1e1e', width: 4 }, [0, 0, 0.5])
  const latencies: number[] = []
  for (let i = 1; i <= CHUNKS; i++) {
    const sent = performance.now()
    const seen = new Promise<void>((ok) => {
      const check = () => {
        const s = b.getStroke(id)
        if (s && s.points.length >= (i + 1) * 3) {
          b.doc.off('update', check)
          ok()
        }
      }
      b.doc.on('update', check)
    })
    a.appendPoints(id, [i, i, 0.5])
    await seen
    latencies.push(performance.now() - sent)
  }
  return latencies
}

/** The same late joins and live chunks through the y-websocket server and client: the baseline. */
async function yWebsocketFigures(state: Uint8Array) {
  const server = await startYWebsocket('board', state)
  try {
    const joins: number[] = []
    for (let i = 0; i < JOINS; i++) {
      const doc = new Y.Doc()
      const start = performance.now()
      const provider = await connectYWebsocket(server, 'board', doc)
      joins.push(performance.now() - start)
      provider.destroy()
      if (doc.getMap('elements').size !== STROKES) throw new Error('the y-websocket joiner got another board')
    }
    const a = new Board(new Y.Doc(), 'a')
    const b = new Board(new Y.Doc(), 'b')
    const pa = await connectYWebsocket(server, 'board', a.doc)
    const pb = await connectYWebsocket(server, 'board', b.doc)
    const latencies = await chunkLatencies(a, b)
    pa.destroy()
    pb.destroy()
    return {
      lateJoinMedianMs: ms(median(joins)),
      lateJoinMaxMs: ms(Math.max(...joins)),
      liveChunkLatencyMedianMs: ms(median(latencies)),
      liveChunkLatencyP95Ms: ms(percentile(latencies, 95)),
    }
  } finally {
    await server.close()
  }
}

it('a 10,000-stroke board: file, load, late join, live latency (baseline: y-websocket)', async () => {
  const t0 = performance.now()
  const source = makeBoard(STROKES)
  const buildMs = performance.now() - t0

  const t1 = performance.now()
  const file = encodeBoardFile(source.doc)
  const encodeMs = performance.now() - t1
  const t2 = performance.now()
  const opened = openBoardFile(file)
  const openMs = performance.now() - t2
  const t3 = performance.now()
  const strokes = opened.strokes()
  const readStrokesMs = performance.now() - t3

  const dir = await mkdtemp(join(tmpdir(), 'lanvas-bench-'))
  const boardPath = join(dir, 'big.lanvas')
  await writeFile(boardPath, file)
  const host = await startHost({ port: 0, boardPath, rendererDir: join(dir, 'none') })
  const url = `${host.url.replace('http', 'ws')}sync/${host.defaultBoardId}?v=${PROTOCOL_VERSION}`
  try {
    const joins: number[] = []
    for (let i = 0; i < JOINS; i++) {
      const j = await lateJoin(url)
      joins.push(j.took)
      if (j.board.elementIds().length !== STROKES)
        throw new Error(`joiner got ${j.board.elementIds().length} strokes`)
    }

    // Live latency: one person draws, another sees each chunk of points.
    const a = { board: new Board(new Y.Doc(), 'a') }
    const b = { board: new Board(new Y.Doc(), 'b') }
    const aConn = connect(url, a.board)
    const bConn = connect(url, b.board)
    await Promise.all([aConn.whenSynced(), bConn.whenSynced()])
    const latencies = await chunkLatencies(a.board, b.board)
    aConn.close()
    bConn.close()

    const baseline = await yWebsocketFigures(Y.encodeStateAsUpdate(opened.doc))
    report(
      'board-10k',
      {
        strokes: strokes.length,
        pointsPerStroke: 60,
        fileBytes: file.byteLength,
        bytesPerPoint: ms(file.byteLength / (STROKES * 60)),
        buildMs: ms(buildMs),
        encodeFileMs: ms(encodeMs),
        openFileMs: ms(openMs),
        decodeAllStrokesMs: ms(readStrokesMs),
        lateJoinMedianMs: ms(median(joins)),
        lateJoinMaxMs: ms(Math.max(...joins)),
        liveChunkLatencyMedianMs: ms(median(latencies)),
        liveChunkLatencyP95Ms: ms(percentile(latencies, 95)),
      },
      { name: 'y-websocket server', figures: baseline },
    )
  } finally {
    await host.close()
    await rm(dir, { recursive: true, force: true })
  }
})
