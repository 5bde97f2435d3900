import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { it } from 'vitest'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { NO_BOARD_FILE } from '../src/main/host/journal'
import { encodeJournalHeader, encodeJournalRecord, journalPathFor } from '../src/main/host/journalFile'
import { connectBoardFromNode as connectBoard } from '../src/main/host/nodeClient'
import { startHost } from '../src/main/host/server'
import { Board } from '../src/shared/board'
import { PROTOCOL_VERSION } from '../src/shared/sync/protocol'
import { benchSize, median, ms, percentile, report } from './report'

// A pen sends one chunk per animation frame.
const FRAME_MS = 16
const STROKES = benchSize(20, 5)
const POINTS_PER_STROKE = 60
const REPLAY_STROKES = benchSize(2000, 300)

it('journal: time until the host says an update is saved, journal size, replay on start', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lanvas-bench-'))
  try {
    const boardPath = join(dir, 'bench.lanvas')
    // Autosave far away: the journal alone carries the updates during the run.
    const host = await startHost({
      port: 0,
      boardPath,
      rendererDir: join(dir, 'none'),
      autosave: { quietMs: 600_000, maxDelayMs: 600_000 },
    })
    const board = new Board(new Y.Doc(), 'bench')
    const connection = connectBoard({
      url: `ws://127.0.0.1:${host.port}/sync/${host.defaultBoardId}?v=${PROTOCOL_VERSION}`,
      board,
      awareness: new Awareness(board.doc),
    })
    await connection.whenSynced()
    const sentAt = new Map<Uint8Array, number>()
    const latencies: number[] = []
    board.doc.on('update', (update: Uint8Array) => sentAt.set(update, performance.now()))
    connection.onSaved((updates) => {
      const now = performance.now()
      for (const u of updates) {
        const at = sentAt.get(u)
        if (at !== undefined) latencies.push(now - at)
      }
    })
    for (let s = 0; s < STROKES; s++) {
      const id = board.beginStroke({ color: '#112233', width: 2 }, [0, s, 0.5])
      for (let p = 1; p < POINTS_PER_STROKE; p++) {
        await new Promise((r) => setTimeout(r, FRAME_MS))
        board.appendPoints(id, [p, s, 0.5])
      }
      board.finishStroke(id)
    }
    while (connection.unsaved > 0) await new Promise((r) => setTimeout(r, 10))
    const journalBytes = (await stat(journalPathFor(boardPath))).size
    connection.close()
    await host.close()

    // Replay: a journal of REPLAY_STROKES strokes, one record per stroke, beside no board file.
    const replayPath = join(dir, 'replay.lanvas')
    const source = new Board(new Y.Doc(), 'bench')
    const records: Uint8Array[] = []
    source.doc.on('update', (u: Uint8Array) => records.push(encodeJournalRecord(u)))
    for (let s = 0; s < REPLAY_STROKES; s++) {
      const points = Array.from({ length: POINTS_PER_STROKE }, (_, p) => [p, s, 0.5]).flat()
      source.finishStroke(source.beginStroke({ color: '#112233', width: 2 }, points))
    }
    await writeFile(
      journalPathFor(replayPath),
      Buffer.concat([encodeJournalHeader(NO_BOARD_FILE), ...records]),
    )
    const start = performance.now()
    const replayed = await startHost({ port: 0, boardPath: replayPath, rendererDir: join(dir, 'none') })
    const replayMs = performance.now() - start
    await replayed.close()

    report('journal', {
      updatesSaved: latencies.length,
      savedMedianMs: ms(median(latencies)),
      savedP95Ms: ms(percentile(latencies, 95)),
      savedMaxMs: ms(Math.max(...latencies)),
      journalBytesPerPoint: ms(journalBytes / (STROKES * POINTS_PER_STROKE)),
      replayRecords: records.length,
      replayAndCompactMs: ms(replayMs),
    })
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
