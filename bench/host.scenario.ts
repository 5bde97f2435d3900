/**
 * The host on a large ink board: how long `npm run host` takes to listen on it and what it holds in memory
 * (its own process's RSS), and a late join over loopback — time to the first board frame, time to the whole
 * board, the largest frame, the host's RSS after — beside a bare `ws` server sending the same bytes. Each build opens
 * the file three times: as a file from elsewhere, again unchanged (known as checked), and once more after a stroke
 * was drawn and the host wrote the file itself ("reopened": the start of a board people use; the stroke comes once the
 * host finished its start, its overview drawn), and after the late join waits until that host is idle: the CPU it
 * spent from listening on (its index, view-first measuring, overview) and its RSS then. The bench process
 * collects its own garbage and rests before each timed start, so that only the process being timed runs.
 * `LANVAS_BENCH_BASELINE_OUT=/path/to/an/older/out` runs the same against an older build (before/after).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { it } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { connectBoardFromNode, nodeSocket } from '../src/main/host/nodeClient'
import { Board } from '../src/shared/board'
import { encodeBoardFile, readBoardPayload } from '../src/shared/boardFile'
import { MessageType, PROTOCOL_VERSION } from '../src/shared/sync/protocol'
import type { BoardSocket } from '../src/shared/sync/socket'
import { type InkWriter, makeInkBoard } from './boards'
import { processCpuMs, processIdle } from './processCpu'
import { benchSize, ms, report } from './report'

const ROOT = join(import.meta.dirname, '..')
// The bench process's own heap (a 46 MB board applied to count its structs, a late joiner's copy) is collected
// before each timed start, so that its collector does not take a core from the process being timed.
setFlagsFromString('--expose-gc')
const collectGarbage = runInNewContext('gc') as () => void

/** Waits until this process has nothing left to do: its garbage collected, its collector's threads done. */
async function settle(): Promise<void> {
  collectGarbage()
  await new Promise((ok) => setTimeout(ok, 500))
}
const BASELINE_OUT = process.env.LANVAS_BENCH_BASELINE_OUT

/**
 * The board file of `count` ink strokes written by `writer` (today's flat records, or an older schema's layout for an
 * older build), generated once and kept in the temp folder.
 */
function inkBoardFile(count: number, writer: InkWriter): string {
  const dir = join(tmpdir(), 'lanvas-bench')
  mkdirSync(dir, { recursive: true })
  const path = join(dir, `ink-${count}-${writer}-s5.source.lanvas`)
  if (!existsSync(path)) {
    const board = makeInkBoard(count, writer)
    writeFileSync(path, encodeBoardFile(board.doc))
    board.destroy()
    board.doc.destroy()
  }
  return path
}

/** Structs (items and GC ranges) per stroke of a board file, as a host holds them after opening it. */
function structsPerStroke(file: Uint8Array, count: number): number {
  const doc = new Y.Doc()
  const payload = readBoardPayload(file)
  if (payload.encoding === 2) Y.applyUpdateV2(doc, payload.update)
  else Y.applyUpdate(doc, payload.update)
  let n = 0
  for (const structs of doc.store.clients.values()) n += structs.length
  doc.destroy()
  return round(n / count)
}

/**
 * Starts bench/baselines/plainYjsHost.mjs on the Yjs update of `file` (a Y.Doc applied from it and a bare `ws`
 * server): the least a host holding the board as a Yjs document does before it listens. Its listening time and RSS.
 */
async function plainYjsHost(file: Uint8Array): Promise<{ listenMs: number; rss: number }> {
  const payload = readBoardPayload(file)
  const dir = mkdtempSync(join(tmpdir(), 'lanvas-bench-plain-'))
  const updateFile = join(dir, 'board.yupdate')
  writeFileSync(updateFile, payload.update)
  await settle()
  const start = performance.now()
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bench', 'baselines', 'plainYjsHost.mjs'), updateFile, String(payload.encoding)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  try {
    await new Promise<void>((ok, fail) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('listening')) ok()
      })
      child.on('exit', (code) => fail(new Error(`the plain Yjs host exited with ${code}`)))
    })
    const listenMs = performance.now() - start
    return { listenMs, rss: rssOf(child.pid ?? 0).rss }
  } finally {
    const exited = new Promise((ok) => child.on('exit', ok))
    child.kill('SIGTERM')
    await exited
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The host process's resident memory now and at its peak, in MB (Linux /proc). */
function rssOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN)
  return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) }
}

interface StartedHost {
  child: ChildProcess
  url: string
  ownerKey: string
  boardId: string
  listenMs: number
  /** The protocol version this build's host speaks (the client asks for it in the socket's address). */
  protocol: number
}

/**
 * Starts out/main/cli.js of `outDir` on `board` (with `dataHome` as its data folder, where it notes the board
 * files it checked) and resolves once it prints its address.
 */
async function startHost(
  outDir: string,
  board: string,
  dataHome: string,
  protocol: number,
): Promise<StartedHost> {
  await settle()
  const start = performance.now()
  const child = spawn(process.execPath, [join(outDir, 'main', 'cli.js'), '--port', '0', '--board', board], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, XDG_DATA_HOME: dataHome },
  })
  let out = ''
  const link = await new Promise<string>((ok, fail) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const match = /Host link \(keep private\): (\S+)/.exec(out)
      if (match?.[1]) ok(match[1])
    })
    child.stderr?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
    })
    child.on('exit', (code) => fail(new Error(`host exited with ${code}:\n${out}`)))
  })
  const listenMs = performance.now() - start
  const url = new URL(link)
  const ownerKey = url.hash.replace('#owner=', '')
  const board0 = (await (await fetch(new URL('/api/boards/default', url))).json()) as { id: string }
  return { child, url: url.origin, ownerKey, boardId: board0.id, listenMs, protocol }
}

async function stopHost(host: StartedHost): Promise<void> {
  const exited = new Promise((ok) => host.child.on('exit', ok))
  host.child.kill('SIGTERM')
  await exited
}

interface JoinFigures {
  firstFrameMs: number
  allMs: number
  largestFrame: number
  frames: number
  bytes: number
}

/** `board` connected to the host's board on its plain loopback listener, as its owner. */
function connectToHost(
  host: StartedHost,
  board: Board,
  extra: Partial<Parameters<typeof connectBoardFromNode>[0]> = {},
) {
  return connectBoardFromNode({
    url: `${host.url.replace('http', 'ws')}/sync/${host.boardId}?v=${host.protocol}`,
    board,
    awareness: new Awareness(board.doc),
    ownerKey: host.ownerKey,
    plain: true,
    ...extra,
  })
}

/** One late joiner on the plain loopback listener: when board bytes first come, when it is synced. */
async function lateJoin(host: StartedHost): Promise<JoinFigures> {
  const board = new Board(new Y.Doc(), 'joiner')
  let firstFrame = Number.NaN
  let largestFrame = 0
  let frames = 0
  let bytes = 0
  const start = performance.now()
  const connection = connectToHost(host, board, {
    createSocket: (url) => {
      const ws = nodeSocket(url)
      ws.on('message', (raw: Buffer | ArrayBuffer) => {
        const data = new Uint8Array(
          raw instanceof ArrayBuffer
            ? raw
            : raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength),
        )
        // Board data: a SyncStep2 (Sync, then 1), an Update (Sync, 2) or a SyncPart; not the host's
        // SyncStep1, control or presence.
        if (!(data[0] === MessageType.SyncPart || (data[0] === MessageType.Sync && data[1] !== 0))) return
        if (Number.isNaN(firstFrame)) firstFrame = performance.now() - start
        frames++
        bytes += data.byteLength
        largestFrame = Math.max(largestFrame, data.byteLength)
      })
      return ws as unknown as BoardSocket
    },
  })
  await connection.whenSynced()
  const allMs = performance.now() - start
  connection.close()
  board.destroy()
  board.doc.destroy()
  return { firstFrameMs: firstFrame, allMs, largestFrame, frames, bytes }
}

/**
 * Draws one stroke on the host's board and waits until the host has it on disk: the host then writes the board
 * file itself when it stops (what a board people drew on is when the host opens it again).
 */
async function drawOneStroke(host: StartedHost): Promise<void> {
  const board = new Board(new Y.Doc(), 'bench')
  const connection = connectToHost(host, board)
  await connection.whenSynced()
  const id = board.beginStroke({ color: '#1e1e1e', width: 2 }, [0, 0, 0.5, 40, 40, 0.5])
  board.finishStroke(id)
  const end = Date.now() + 120_000
  while (connection.unsaved > 0 && Date.now() < end) await new Promise((ok) => setTimeout(ok, 50))
  connection.close()
  board.destroy()
  board.doc.destroy()
}

/** A bare `ws` server sending `parts` on connect: the floor for moving those bytes over loopback. */
async function bareRelay(parts: Uint8Array[]): Promise<{ firstFrameMs: number; allMs: number }> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', maxPayload: 256 * 1024 * 1024 })
  await new Promise((ok) => server.once('listening', ok))
  server.on('connection', (ws) => {
    for (const part of parts) ws.send(part)
  })
  const { port } = server.address() as { port: number }
  const start = performance.now()
  const ws = new WebSocket(`ws://127.0.0.1:${port}`, { maxPayload: 256 * 1024 * 1024 })
  let firstFrame = Number.NaN
  let got = 0
  await new Promise<void>((ok) =>
    ws.on('message', () => {
      if (Number.isNaN(firstFrame)) firstFrame = performance.now() - start
      if (++got === parts.length) ok()
    }),
  )
  const allMs = performance.now() - start
  ws.close()
  await new Promise((ok) => server.close(ok))
  return { firstFrameMs: firstFrame, allMs }
}

/** The bytes of a board file cut into frames of at most `size` bytes. */
function cut(bytes: Uint8Array, size: number): Uint8Array[] {
  const parts: Uint8Array[] = []
  for (let at = 0; at < bytes.byteLength; at += size) parts.push(bytes.subarray(at, at + size))
  return parts
}

const round = (n: number) => Math.round(n * 100) / 100

it('host start and late join on 10k and 100k compact ink boards, beside a bare ws server', async () => {
  // Builds out/ when src/ is newer (what `npm run host` does first).
  spawnSync(process.execPath, [join(ROOT, 'scripts', 'run-built.mjs'), 'cli', '--help'], { stdio: 'ignore' })
  const figures: Record<string, number | string> = { loadAverage1m: round(loadavg()[0] ?? 0) }
  const builds: [string, string, number, InkWriter][] = [
    ['now', join(ROOT, 'out'), PROTOCOL_VERSION, 'compact'],
  ]
  // An older build speaks the protocol of its day (1 before the Cursor frame): LANVAS_BENCH_BASELINE_PROTOCOL;
  // it opens the same strokes as its own code wrote them (LANVAS_BENCH_BASELINE_WRITER, schema 3's by default).
  if (BASELINE_OUT)
    builds.unshift([
      'before',
      BASELINE_OUT,
      Number(process.env.LANVAS_BENCH_BASELINE_PROTOCOL ?? 1),
      (process.env.LANVAS_BENCH_BASELINE_WRITER ?? 'flat') as InkWriter,
    ])
  // LANVAS_BENCH_HOST_COUNTS=10000 runs only the sizes named (a 100,000-stroke board takes minutes to build).
  // A quick run opens one small board: its figures only show the scenario still runs.
  const counts =
    process.env.LANVAS_BENCH_HOST_COUNTS?.split(',').map(Number) ?? benchSize([10_000, 100_000], [2_000])
  for (const count of counts) {
    const label = `${count / 1000}k`
    let fileBytes = new Uint8Array()
    for (const [name, outDir, protocol, writer] of builds) {
      fileBytes = readFileSync(inkBoardFile(count, writer))
      figures[`${label} ${name}: board file MB`] = round(fileBytes.byteLength / 2 ** 20)
      const board = join(tmpdir(), 'lanvas-bench', `ink-${count}-${name}.lanvas`)
      writeFileSync(board, fileBytes)
      const dataHome = mkdtempSync(join(tmpdir(), 'lanvas-bench-data-'))
      // First open: a file from elsewhere (checked in full). Then the same host program opens it again, twice.
      const first = await startHost(outDir, board, dataHome, protocol)
      const firstRss = rssOf(first.child.pid ?? 0)
      await stopHost(first)
      figures[`${label} ${name}: host listening ms, file from elsewhere`] = ms(first.listenMs)
      figures[`${label} ${name}: host RSS MB after start, file from elsewhere`] = firstRss.rss
      figures[`${label} ${name}: host peak RSS MB at start, file from elsewhere`] = firstRss.peak
      // Then the same file again, unchanged (known as checked), and someone draws a stroke: the host writes the file.
      const unchanged = await startHost(outDir, board, dataHome, protocol)
      figures[`${label} ${name}: host listening ms, reopened unchanged (checked before)`] = ms(
        unchanged.listenMs,
      )
      // It finishes its start (its overview drawn, and kept by a build that keeps it) before the stroke comes.
      await processIdle(unchanged.child.pid ?? 0, performance.now(), 0)
      await drawOneStroke(unchanged)
      await stopHost(unchanged)
      // The start the goal is about: the host opens a board file it wrote.
      const host = await startHost(outDir, board, dataHome, protocol)
      const listening = performance.now()
      const cpuAtListen = processCpuMs(host.child.pid ?? 0) ?? 0
      try {
        const started = rssOf(host.child.pid ?? 0)
        figures[`${label} ${name}: host listening ms, reopened`] = ms(host.listenMs)
        figures[`${label} ${name}: host RSS MB after start, reopened`] = started.rss
        figures[`${label} ${name}: host peak RSS MB at start, reopened`] = started.peak
        const join = await lateJoin(host)
        const after = rssOf(host.child.pid ?? 0)
        figures[`${label} ${name}: late join first board frame ms`] = ms(join.firstFrameMs)
        figures[`${label} ${name}: late join whole board ms`] = ms(join.allMs)
        figures[`${label} ${name}: late join largest frame KB`] = Math.round(join.largestFrame / 1024)
        figures[`${label} ${name}: late join frames`] = join.frames
        figures[`${label} ${name}: host RSS MB after join`] = after.rss
        figures[`${label} ${name}: host peak RSS MB`] = after.peak
        // What the host does on its own after it listens (its index, the strokes near the opening view, its
        // overview), the late join included: until it is idle.
        const settled = await processIdle(host.child.pid ?? 0, listening, cpuAtListen)
        figures[`${label} ${name}: host CPU ms from listening until idle (late join included), reopened`] =
          ms(settled.settleCpuMs)
        figures[`${label} ${name}: host ms from listening until idle, reopened`] = ms(settled.settleMs)
        const idle = rssOf(host.child.pid ?? 0)
        figures[`${label} ${name}: host RSS MB once idle, reopened`] = idle.rss
        figures[`${label} ${name}: host peak RSS MB once idle, reopened`] = idle.peak
      } finally {
        await stopHost(host)
        rmSync(dataHome, { recursive: true, force: true })
      }
      // Counted after the timed starts: applying the board here makes this process's heap as large as the host's.
      figures[`${label} ${name}: structs per stroke`] = structsPerStroke(fileBytes, count)
    }
    // The same board in a plain Yjs host (read, apply, listen), twice: the floor for the host's start.
    let plainBest = Number.POSITIVE_INFINITY
    for (const run of [1, 2]) {
      const plain = await plainYjsHost(fileBytes)
      plainBest = Math.min(plainBest, plain.listenMs)
      figures[`${label} plain Yjs host (apply + bare ws), run ${run}: listening ms`] = ms(plain.listenMs)
      figures[`${label} plain Yjs host (apply + bare ws), run ${run}: RSS MB`] = plain.rss
    }
    const reopened = figures[`${label} now: host listening ms, reopened`]
    if (typeof reopened === 'number')
      figures[`${label} now: host listening reopened ÷ plain Yjs host's best`] = round(reopened / plainBest)
    const bareOne = await bareRelay([fileBytes])
    const bareParts = await bareRelay(cut(fileBytes, 1024 * 1024))
    figures[`${label} bare ws, one frame: first ms`] = ms(bareOne.firstFrameMs)
    figures[`${label} bare ws, 1 MiB frames: first ms`] = ms(bareParts.firstFrameMs)
    figures[`${label} bare ws, 1 MiB frames: all ms`] = ms(bareParts.allMs)
  }
  figures.loadAverage1mAfter = round(loadavg()[0] ?? 0)
  report('host', figures)
}, 1_800_000)
