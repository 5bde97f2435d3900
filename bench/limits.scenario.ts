import { mkdtemp, rm } from 'node:fs/promises'
import { type Socket, connect as tcpConnect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { it } from 'vitest'
import { WebSocket } from 'ws'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { hostLimits } from '../src/main/host/limits'
import { connectBoardFromNode as connectBoard } from '../src/main/host/nodeClient'
import { startHost } from '../src/main/host/server'
import { Board } from '../src/shared/board'
import { controlFrame } from '../src/shared/sync/frames'
import { PROTOCOL_VERSION } from '../src/shared/sync/protocol'
import { BoardGuard } from '../src/shared/validate/boardGuard'
import { makeBoard } from './boards'
import { benchSize, median, ms, percentile, report } from './report'

const WHOLE_BOARD_STROKES = benchSize(10_000, 1_000)
const LIVE_CHUNKS = benchSize(999, 200)
const LATENCY_CHUNKS = benchSize(300, 60)

function connect(url: string, board: Board) {
  return connectBoard({
    url,
    board,
    awareness: new Awareness(board.doc),
    plain: true,
  })
}

/** Milliseconds from each appended chunk on `from` until `to` has it, for `count` chunks. */
async function chunkLatencies(from: Board, to: Board, count: number, points = 20): Promise<number[]> {
  const id = from.beginStroke({ color: '#1e1e1e', width: 4 }, [0, 0, 0.5])
  const out: number[] = []
  for (let i = 1; i <= count; i++) {
    const want = (1 + i * points) * 3
    const sent = performance.now()
    const seen = new Promise<void>((ok) => {
      const check = () => {
        if ((to.getStroke(id)?.points.length ?? 0) >= want) {
          to.doc.off('update', check)
          ok()
        }
      }
      to.doc.on('update', check)
    })
    from.appendPoints(
      id,
      new Array(points * 3).fill(0).map((_, j) => (j % 3 === 2 ? 0.5 : i + j)),
    )
    await seen
    out.push(performance.now() - sent)
  }
  from.finishStroke(id)
  return out
}

it('validation cost, and latency for everyone while one peer stops reading', async () => {
  // The guard on the live path: one chunk of 20 points (what a frame of drawing sends).
  const host = new Y.Doc()
  const guard = new BoardGuard(host)
  const drawer = new Board(new Y.Doc(), 'drawer')
  const updates: Uint8Array[] = []
  drawer.doc.on('update', (u: Uint8Array) => updates.push(u))
  const stroke = drawer.beginStroke({ color: '#1e1e1e', width: 4 }, [0, 0, 0.5])
  for (let i = 0; i < LIVE_CHUNKS; i++)
    drawer.appendPoints(
      stroke,
      new Array(60).fill(0).map((_, j) => (j % 3 === 2 ? 0.5 : i)),
    )
  const checkChunk: number[] = []
  const applyChunk: number[] = []
  for (const u of updates) {
    const t0 = performance.now()
    const verdict = guard.check(u)
    const t1 = performance.now()
    Y.applyUpdate(host, u)
    const t2 = performance.now()
    if (!verdict.ok) throw new Error(verdict.reason)
    verdict.commit()
    checkChunk.push(t1 - t0)
    applyChunk.push(t2 - t1)
  }

  // A late SyncStep2 carrying a whole 10,000-stroke board.
  const big = makeBoard(WHOLE_BOARD_STROKES)
  const whole = Y.encodeStateAsUpdate(big.doc)
  const t3 = performance.now()
  const verdict = new BoardGuard(new Y.Doc()).check(whole)
  const checkWholeMs = performance.now() - t3
  if (!verdict.ok) throw new Error(verdict.reason)
  const t4 = performance.now()
  Y.applyUpdate(new Y.Doc(), whole)
  const applyWholeMs = performance.now() - t4

  // Latency for the others with and without a peer that stopped reading.
  const dir = await mkdtemp(join(tmpdir(), 'lanvas-bench-'))
  // Quick: a 4 MiB slow-peer bound (the chunks here are 18 KB), so the backlog fills in a few rounds.
  const defaults = hostLimits()
  const slowCloseBytes = benchSize(defaults.slowCloseBytes, 4 * 2 ** 20)
  const limits = { ...defaults, slowCloseBytes }
  const running = await startHost({
    port: 0,
    boardPath: join(dir, 'b.lanvas'),
    rendererDir: join(dir, 'none'),
    limits,
  })
  const url = `ws://127.0.0.1:${running.port}/sync/${running.defaultBoardId}?v=${PROTOCOL_VERSION}`
  try {
    const a = new Board(new Y.Doc(), 'a')
    const b = new Board(new Y.Doc(), 'b')
    const ca = connect(url, a)
    const cb = connect(url, b)
    await Promise.all([ca.whenSynced(), cb.whenSynced()])
    const before = await chunkLatencies(a, b, LATENCY_CHUNKS)

    let tcp: Socket | undefined
    const slow = new WebSocket(url, {
      createConnection: () => {
        tcp = tcpConnect(running.port, '127.0.0.1')
        return tcp
      },
    })
    await new Promise<void>((ok) =>
      slow.on('open', () => {
        slow.send(controlFrame({ type: 'hello', name: 'slow', color: '#000000', awarenessId: 1 }))
        ok()
      }),
    )
    await new Promise((r) => setTimeout(r, 200))
    tcp?.pause()
    // Enough traffic to fill the slow peer's socket buffers and pass the host's bound (default figures).
    const during: number[] = []
    let rounds = 0
    // A stroke holds at most 20,000 points: 13 chunks of 1,500 points each (18 KB a chunk).
    while (running.backlogs(running.defaultBoardId).closedSlow === 0 && rounds < 400) {
      during.push(...(await chunkLatencies(a, b, 13, 1500)))
      rounds++
    }
    const figures = running.backlogs(running.defaultBoardId)
    slow.terminate()
    ca.close()
    cb.close()

    // Baselines in the same run: applying without the guard, and the latency before the slow peer came.
    report(
      'limits',
      {
        checkThenApplyChunkMedianUs: ms(
          median(checkChunk.map((c, i) => c + (applyChunk[i] as number))) * 1000,
        ),
        guardCheckChunkP95Us: ms(percentile(checkChunk, 95) * 1000),
        checkThenApplyWholeBoardMs: ms(checkWholeMs + applyWholeMs),
        wholeBoardStrokes: WHOLE_BOARD_STROKES,
        wholeBoardBytes: whole.byteLength,
        latencyMedianMs: ms(median(during)),
        latencyP95Ms: ms(percentile(during, 95)),
        slowPeerClosed: figures.closedSlow,
        slowPeerPeakBacklogKB: Math.round(figures.peak / 1024),
        slowPeerBoundKB: Math.round(limits.slowCloseBytes / 1024),
        chunksWhileSlow: during.length,
      },
      [
        {
          name: 'applying unchecked',
          figures: {
            checkThenApplyChunkMedianUs: ms(median(applyChunk) * 1000),
            checkThenApplyWholeBoardMs: ms(applyWholeMs),
          },
        },
        {
          name: 'no slow peer',
          figures: { latencyMedianMs: ms(median(before)), latencyP95Ms: ms(percentile(before, 95)) },
        },
      ],
    )
  } finally {
    await running.close()
    await rm(dir, { recursive: true, force: true })
  }
})
