/**
 * The relay while the host redraws its overview (issue 9, items 3 and 8): on a large ink board (`makeInkBoard`), a
 * peer draws as a person does (a stroke's points a chunk per animation frame, pen-up, a pause of 0.3–1.5 s, now and
 * then a small delete or move of one stroke instead), and a second peer receives. Each pause past QUICK_QUIET_MS
 * lets the host start a quick drawing of its overview (strokes added, or the regions a delete or move touched), at
 * most every ten times the last one's CPU; the next stroke's points wait behind whatever part of it holds the host's
 * event loop. Measured: the relay delay of every chunk, begin and pen-up from the drawing peer to the receiving one
 * through a real host on loopback (p50 / p99 / worst), and the host's own figures of each drawing it made meanwhile
 * (its log line: event loop delay p99 and max while it ran, its longest slice).
 * Builds: this one, `LANVAS_BENCH_BASELINE_OUT` (an older build's out/) in the same run, and this one with the
 * overview off (`LANVAS_BENCH_HOST_NO_OVERVIEW=1`: the host draws none), the order alternating run by run.
 * Knobs: `LANVAS_BENCH_OVRELAY_STROKES` (100,000), `LANVAS_BENCH_OVRELAY_SPAN` (board units the strokes start in,
 * 20,000: ink a pixel or less wide on the overview, drawn by the host's own raster; a smaller span makes it wide, drawn
 * by Skia), `LANVAS_BENCH_OVRELAY_SECONDS` (60), `LANVAS_BENCH_OVRELAY_RUNS` (2), `LANVAS_BENCH_OVRELAY_BUILDS`
 * (`before,this,off`: which to run), `LANVAS_BENCH_OVRELAY_NODE_ARGS` (flags for each host's node, space-separated: e.g.
 * `--trace-gc`, or `--require` of a probe), `LANVAS_BENCH_OVRELAY_HOST_LOGS` (a folder: each host's output is written
 * there, to look at what the host did around a slow relay).
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { it } from 'vitest'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { connectBoardFromNode as connectBoard } from '../src/main/host/nodeClient'
import { Board } from '../src/shared/board'
import { encodeBoardFile } from '../src/shared/boardFile'
import { liveChunksOf } from '../src/shared/elements/inkRecord'
import { deleteSelection, moveSelection } from '../src/shared/selection/edits'
import { seededRandom } from '../src/shared/sync/memorySocket'
import { PROTOCOL_VERSION } from '../src/shared/sync/protocol'
import { type HostProcess, startHostProcess } from '../test/support/hostProcess'
import { cachedFile, makeInkBoard } from './boards'
import { processCpuMs, processIdle } from './processCpu'
import { benchSize, type Figures, median, ms, percentile, report } from './report'

const BASELINE_OUT = process.env.LANVAS_BENCH_BASELINE_OUT
const STROKES = Number(process.env.LANVAS_BENCH_OVRELAY_STROKES ?? benchSize(100_000, 2_000))
const SPAN = Number(process.env.LANVAS_BENCH_OVRELAY_SPAN ?? 20_000)
const SECONDS = Number(process.env.LANVAS_BENCH_OVRELAY_SECONDS ?? benchSize(60, 3))
const RUNS = Number(process.env.LANVAS_BENCH_OVRELAY_RUNS ?? benchSize(2, 1))
const BUILDS = (process.env.LANVAS_BENCH_OVRELAY_BUILDS ?? 'before,this,off').split(',')
const NODE_ARGS = (process.env.LANVAS_BENCH_OVRELAY_NODE_ARGS ?? '').split(' ').filter(Boolean)
const HOST_LOGS = process.env.LANVAS_BENCH_OVRELAY_HOST_LOGS
/** A frame of the pen: the app sends a stroke's points a chunk per animation frame. */
const FRAME_MS = 1000 / 60
/** Points a stroke of the drawing peer has (~0.7 s of drawing at a frame's chunk of 2 points). */
const STROKE_CHUNKS = 40

interface Build {
  name: string
  cli?: string
  env?: NodeJS.ProcessEnv
}

const sleep = (msToWait: number) => new Promise((ok) => setTimeout(ok, msToWait))

/** The host's overview lines (any build): kind, event loop delay p99 and max while it ran, longest slice. */
function drawings(output: string) {
  return [
    ...output.matchAll(
      / overview (?:\((\d+) (added|redrawn around (\d+) changed)\) )?(\d+)×(\d+) px, (\d+) KB, in (\d+) ms \(CPU (\d+) ms, (\d+) slices, longest (\d+) ms; event loop delay p99 (\d+) ms, max (\d+) ms(?:; its slices (\d+) ms in all)?/g,
    ),
  ].map((m) => ({
    kind: m[2] === 'added' ? 'added' : m[2] ? 'redrawn' : 'whole',
    wallMs: Number(m[7]),
    cpuMs: Number(m[8]),
    longestSliceMs: Number(m[10]),
    delayP99Ms: Number(m[11]),
    delayMaxMs: Number(m[12]),
  }))
}

/**
 * The host process's resident memory now and at its peak (MB: /proc's VmRSS and VmHWM), or undefined off Linux. Its
 * threads' (the overview's picture worker's) included.
 */
async function hostMemoryMb(pid: number): Promise<{ rss: number; peak: number } | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8')
    const kb = (field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN)
    return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) }
  } catch {
    return undefined
  }
}

/** A host of the build on a copy of the board, idle after its start (its whole overview drawn, when it draws one). */
async function readyHost(build: Build, boardPath: string, dataDir: string) {
  const env = { ...process.env, XDG_DATA_HOME: dataDir, ...build.env }
  const host = await startHostProcess(
    ['--port', '0', '--board', boardPath],
    undefined,
    build.cli,
    NODE_ARGS,
    env,
  )
  const listening = performance.now()
  await processIdle(host.process.pid ?? 0, listening, processCpuMs(host.process.pid ?? 0) ?? 0)
  return host
}

/** A peer on the host's default board, synced. */
async function peer(host: HostProcess, name: string) {
  const res = await fetch(new URL('/api/boards/default', host.url))
  const { id } = (await res.json()) as { id: string }
  const url = `${host.url.replace('http', 'ws').replace(/\/$/, '')}/sync/${encodeURIComponent(id)}?v=${PROTOCOL_VERSION}`
  const board = new Board(new Y.Doc(), name)
  board.undoManager.destroy()
  const connection = connectBoard({ url, board, awareness: new Awareness(board.doc) })
  await connection.whenSynced()
  return {
    board,
    close: () => {
      connection.close()
      board.destroy()
      board.doc.destroy()
    },
  }
}

/**
 * One build's window: the drawing peer draws for SECONDS, the receiving peer stamps what arrives. Returns every
 * relay delay (ms) and the host's drawings meanwhile.
 */
async function relayWhileDrawing(build: Build, source: string, dir: string, run: number) {
  const tag = `${run}-${build.name.replace(/\W+/g, '_')}`
  const boardPath = join(dir, `board-${tag}.lanvas`)
  await copyFile(source, boardPath)
  const host = await readyHost(build, boardPath, join(dir, `data-${tag}`))
  const drawer = await peer(host, 'drawer')
  const receiver = await peer(host, 'receiver')
  try {
    const before = drawings(host.output()).length
    const cpuAt = processCpuMs(host.process.pid ?? 0) ?? 0
    const memoryAt = await hostMemoryMb(host.process.pid ?? 0)
    const rand = seededRandom(run + 11)
    // What the drawing peer sent, by key (stroke id, then `:n` for its n-th chunk, `:up` at pen-up), and when.
    const sent = new Map<string, number>()
    const delays: number[] = []
    const seen = new Set<string>()
    let current: string | undefined
    const elements = receiver.board.doc.getMap<unknown>('elements')
    receiver.board.doc.on('afterTransaction', () => {
      const id = current
      if (!id) return
      const now = performance.now()
      const stamp = (key: string) => {
        const at = sent.get(key)
        if (at === undefined || seen.has(key)) return
        seen.add(key)
        delays.push(now - at)
      }
      const el = elements.get(id)
      if (el === undefined) return
      stamp(id)
      const chunks = el instanceof Y.Map ? liveChunksOf(el as never) : undefined
      if (chunks) for (let n = 1; n < chunks.length; n++) stamp(`${id}:${n}`)
      else {
        // Finished: one flat record (every chunk is in it).
        for (let n = 1; n < STROKE_CHUNKS; n++) stamp(`${id}:${n}`)
        stamp(`${id}:up`)
      }
    })
    const mine: string[] = []
    const ends = performance.now() + SECONDS * 1000
    let strokes = 0
    let edits = 0
    while (performance.now() < ends) {
      if (mine.length > 3 && strokes % 5 === 4) {
        // A small delete or move of one of its strokes: the host's next drawing redraws the regions it touched.
        const id = mine.splice(Math.floor(rand() * mine.length), 1)[0] as string
        if (edits % 2 === 0) deleteSelection(drawer.board, [id])
        else {
          moveSelection(drawer.board, [id], 40, 30)
          mine.push(id)
        }
        edits++
      } else {
        let x = 1000 + rand() * (SPAN - 2000)
        let y = 1000 + rand() * (SPAN - 2000)
        const chunk = () => {
          const flat: number[] = []
          for (let p = 0; p < 2; p++) {
            x += 3 + rand() * 3
            y += (rand() - 0.5) * 6
            flat.push(x, y, 0.5)
          }
          return flat
        }
        const at = performance.now()
        const id = drawer.board.beginStroke({ color: '#1971c2', width: 4 }, chunk())
        sent.set(id, at)
        current = id
        for (let n = 1; n < STROKE_CHUNKS; n++) {
          await sleep(FRAME_MS)
          const flat = chunk()
          sent.set(`${id}:${n}`, performance.now())
          drawer.board.appendPoints(id, flat)
        }
        await sleep(FRAME_MS)
        sent.set(`${id}:up`, performance.now())
        drawer.board.finishStroke(id)
        mine.push(id)
      }
      strokes++
      await sleep(300 + rand() * 1200)
    }
    // The last pen-up's relay, then the host's last drawing (a quick run's small board draws in well under a second).
    await sleep(benchSize(2000, 1000))
    const cpuMs = (processCpuMs(host.process.pid ?? 0) ?? 0) - cpuAt
    const made = drawings(host.output()).slice(before)
    const lost = sent.size - seen.size
    const memory = await hostMemoryMb(host.process.pid ?? 0)
    return { delays, made, cpuMs, strokes, edits, lost, memoryAt, memory }
  } finally {
    drawer.close()
    receiver.close()
    await host.stop()
    if (HOST_LOGS) await writeFile(join(HOST_LOGS, `host-${tag}.log`), host.output())
  }
}

it('the relay while the host redraws the overview of a large board (quick drawings between strokes)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lanvas-bench-ovrelay-'))
  try {
    const source = await cachedFile(
      `ink-${STROKES}${SPAN === 20_000 ? '' : `-span${SPAN}`}.lanvas`,
      async (path) => {
        const board = makeInkBoard(STROKES, 'compact', 1, 16, SPAN)
        await writeFile(path, encodeBoardFile(board.doc))
        board.destroy()
        board.doc.destroy()
      },
    )
    const bytes = (await readFile(source)).byteLength
    const builds: Build[] = []
    if (BUILDS.includes('before') && BASELINE_OUT)
      builds.push({ name: `before (${BASELINE_OUT})`, cli: join(BASELINE_OUT, 'main', 'cli.js') })
    if (BUILDS.includes('this')) builds.push({ name: 'this build' })
    if (BUILDS.includes('off'))
      builds.push({ name: 'this build, overview off', env: { LANVAS_BENCH_HOST_NO_OVERVIEW: '1' } })
    const all = new Map<Build, Awaited<ReturnType<typeof relayWhileDrawing>>[]>(builds.map((b) => [b, []]))
    for (let run = 0; run < RUNS; run++) {
      const order = run % 2 === 0 ? builds : [...builds].reverse()
      for (const build of order) {
        const load = loadavg()[0]?.toFixed(2)
        const got = await relayWhileDrawing(build, source, dir, run)
        all.get(build)?.push(got)
        const holds = got.made.map((d) => d.delayMaxMs)
        console.log(
          `[ovrelay] run ${run} ${build.name}: relay p50 ${ms(median(got.delays))} / p99 ${ms(percentile(got.delays, 99))} / worst ${ms(Math.max(...got.delays))} ms over ${got.delays.length} (lost ${got.lost}); ${got.strokes} strokes, ${got.edits} edits; ${got.made.length} drawings (${got.made.map((d) => d.kind[0]).join('')}), loop delay max per drawing ${JSON.stringify(holds)}, longest slices ${JSON.stringify(got.made.map((d) => d.longestSliceMs))}; host CPU ${Math.round(got.cpuMs)} ms; host RSS ${got.memoryAt?.rss} → ${got.memory?.rss} MB (peak ${got.memory?.peak} MB); load ${load} → ${loadavg()[0]?.toFixed(2)}`,
        )
      }
    }
    const figuresOf = (runs: Awaited<ReturnType<typeof relayWhileDrawing>>[]): Figures => {
      const delays = runs.flatMap((r) => r.delays)
      const made = runs.flatMap((r) => r.made)
      const holds = made.map((d) => d.delayMaxMs)
      return {
        relayP50Ms: ms(median(delays)),
        relayP99Ms: ms(percentile(delays, 99)),
        relayWorstMs: ms(Math.max(...delays)),
        relaySamples: delays.length,
        drawings: made.length,
        drawingLoopDelayMaxMedianMs: holds.length ? ms(median(holds)) : 0,
        drawingLoopDelayMaxWorstMs: holds.length ? Math.max(...holds) : 0,
        drawingLongestSliceWorstMs: made.length ? Math.max(...made.map((d) => d.longestSliceMs)) : 0,
        hostCpuMsPerRun: ms(median(runs.map((r) => r.cpuMs))),
        hostRssEndMb: Math.max(...runs.map((r) => r.memory?.rss ?? 0)),
      }
    }
    const self = builds.find((b) => b.name === 'this build') ?? builds[0]
    if (!self) return
    report(
      `overview-relay-${STROKES >= 100_000 ? '100k' : 'quick'}${SPAN === 20_000 ? '' : `-span${SPAN}`}`,
      { boardBytes: bytes, ...figuresOf(all.get(self) ?? []) },
      builds.filter((b) => b !== self).map((b) => ({ name: b.name, figures: figuresOf(all.get(b) ?? []) })),
    )
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}, 3_600_000)
