import { mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { NO_BOARD_FILE } from '../src/main/host/journal'
import { encodeJournalHeader, encodeJournalRecord, journalPathFor } from '../src/main/host/journalFile'
import { connectBoardFromNode as connectBoard } from '../src/main/host/nodeClient'
import { startHost } from '../src/main/host/server'
import { Board } from '../src/shared/board'
import { openBoardFile } from '../src/shared/boardFile'
import { PROTOCOL_VERSION } from '../src/shared/sync/protocol'
import { benchSize, type Figures, median, ms, percentile, report } from './report'

// A pen sends one chunk per animation frame.
const FRAME_MS = 16
const STROKES = benchSize(20, 5)
const POINTS_PER_STROKE = 60
const REPLAY_STROKES = benchSize(2000, 300)

/** The pen: STROKES strokes of POINTS_PER_STROKE points, one chunk a frame. */
async function draw(board: Board): Promise<void> {
  for (let s = 0; s < STROKES; s++) {
    const id = board.beginStroke({ color: '#112233', width: 2 }, [0, s, 0.5])
    for (let p = 1; p < POINTS_PER_STROKE; p++) {
      await new Promise((r) => setTimeout(r, FRAME_MS))
      board.appendPoints(id, [p, s, 0.5])
    }
    board.finishStroke(id)
  }
}

/**
 * The baseline: the least a server can do to say "saved" honestly. A bare `ws` server appends each update it
 * receives to a file (4-byte length, bytes), fsyncs, and acknowledges every update that fsync covered (updates
 * that arrive during an fsync share the next one: group commit, with no timer). Replay reads the file and
 * applies each record to a Y.Doc, then writes the state once (the compaction).
 */
async function plainJournal(dir: string): Promise<Figures> {
  const path = join(dir, 'plain.journal')
  const file = await open(path, 'a')
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' })
  let fsyncs = 0
  server.on('connection', (socket) => {
    let pending: Buffer[] = []
    let received = 0
    let flushing = false
    const flush = async () => {
      flushing = true
      while (pending.length > 0) {
        const batch = pending
        pending = []
        const framed: Buffer[] = []
        for (const u of batch) {
          const head = Buffer.alloc(4)
          head.writeUInt32LE(u.length)
          framed.push(head, u)
        }
        await file.write(Buffer.concat(framed))
        await file.datasync()
        fsyncs++
        // Acknowledges every update up to this one, by count (the socket keeps their order).
        socket.send(String(received - pending.length))
      }
      flushing = false
    }
    socket.on('message', (data: Buffer) => {
      pending.push(data)
      received++
      if (!flushing) void flush()
    })
  })
  await new Promise((ok) => server.once('listening', ok))
  const socket = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`)
  await new Promise((ok, fail) => {
    socket.once('open', ok)
    socket.once('error', fail)
  })
  const board = new Board(new Y.Doc(), 'bench')
  const sentAt: number[] = []
  const latencies: number[] = []
  board.doc.on('update', (update: Uint8Array) => {
    sentAt.push(performance.now())
    socket.send(update)
  })
  socket.on('message', (data: Buffer) => {
    const now = performance.now()
    for (let i = latencies.length; i < Number(data.toString()); i++)
      latencies.push(now - (sentAt[i] as number))
  })
  await draw(board)
  while (latencies.length < sentAt.length) await new Promise((r) => setTimeout(r, 10))
  socket.close()
  await new Promise((ok) => server.close(ok))
  await file.close()
  const journalBytes = (await stat(path)).size

  // Replay of the same number of strokes as Lanvas's: one record per stroke.
  const replayPath = join(dir, 'plain-replay.journal')
  const source = new Board(new Y.Doc(), 'bench')
  const records: Buffer[] = []
  source.doc.on('update', (u: Uint8Array) => {
    const head = Buffer.alloc(4)
    head.writeUInt32LE(u.length)
    records.push(head, Buffer.from(u))
  })
  for (let s = 0; s < REPLAY_STROKES; s++) {
    const points = Array.from({ length: POINTS_PER_STROKE }, (_, p) => [p, s, 0.5]).flat()
    source.finishStroke(source.beginStroke({ color: '#112233', width: 2 }, points))
  }
  await writeFile(replayPath, Buffer.concat(records))
  const start = performance.now()
  const bytes = await readFile(replayPath)
  const doc = new Y.Doc()
  let replayed = 0
  for (let at = 0; at < bytes.length; replayed++) {
    const n = bytes.readUInt32LE(at)
    Y.applyUpdate(doc, bytes.subarray(at + 4, at + 4 + n))
    at += 4 + n
  }
  await writeFile(join(dir, 'plain-compacted.bin'), Y.encodeStateAsUpdate(doc))
  const replayMs = performance.now() - start
  expect(latencies.length).toBe(sentAt.length)
  expect(doc.getMap('elements').size).toBe(REPLAY_STROKES)
  return {
    updatesSaved: latencies.length,
    savedMedianMs: ms(median(latencies)),
    savedP95Ms: ms(percentile(latencies, 95)),
    savedMaxMs: ms(Math.max(...latencies)),
    fsyncs,
    journalBytesPerPoint: ms(journalBytes / (STROKES * POINTS_PER_STROKE)),
    replayRecords: replayed,
    replayAndCompactMs: ms(replayMs),
  }
}

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
    await draw(board)
    while (connection.unsaved > 0) await new Promise((r) => setTimeout(r, 10))
    // What was measured happened: every update the board made was reported saved.
    expect(latencies.length).toBe(sentAt.size)
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
    const replayedElements = openBoardFile(replayed.boardFileBytes(replayed.defaultBoardId)).elementIds()
      .length
    await replayed.close()
    expect(replayedElements).toBe(REPLAY_STROKES)
    const plain = await plainJournal(dir)

    report(
      'journal',
      {
        updatesSaved: latencies.length,
        savedMedianMs: ms(median(latencies)),
        savedP95Ms: ms(percentile(latencies, 95)),
        savedMaxMs: ms(Math.max(...latencies)),
        journalBytesPerPoint: ms(journalBytes / (STROKES * POINTS_PER_STROKE)),
        replayRecords: records.length,
        replayAndCompactMs: ms(replayMs),
      },
      { name: 'plain journal (ws + append + fsync)', figures: plain },
    )
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
