/**
 * A late join in Chromium on a large ink board (issue 9's row "late join: page shows the board at 100 % / at
 * zoom to fit; page heap"): a real host (`node out/main/cli.js`) on a board file of `makeInkBoard` strokes, a
 * page opening the host's address. Timed in the page from the start of navigation: the first stroke drawn, the view
 * at 100 % complete (as many strokes drawn in it as once the board is in: since view first, the host's preview), the
 * whole board there and drawn (progress bar gone: the view at 100 % is complete, as parts come in causal order,
 * not view first), then the first frame after zoom to fit (Shift+1). The page's JS heap after a GC once the
 * board is in, its main thread's busy time (tasks, script) and CPU time (main thread, renderer process) to the whole
 * board, and how often the app rendered.
 * Zoom to fit while opening (issue 9's "at zoom to fit"): on a page of its own, Shift+1 pressed as soon as the first
 * stroke is drawn, then the time from navigation to the first frame of the fitted view that shows the whole board's
 * extent: the host's overview drawn under the scene (a build that sends one), or else the whole board drawn. The host
 * draws the overview after it listens; each join waits until the host is idle after its start (this build's also for
 * that log line: a page joining before gets none), which gives the host's CPU and wall time to draw it and how late
 * its timers fired meanwhile (what a relay waited); also the page's own share from the key to that frame, and how many
 * of the board's parts were applied in between (`LANVAS_BENCH_JOIN_FIT_KEY=page`: the key is dispatched in the page
 * in the frame of the first stroke, without the harness's round trip). Before the first stroke, the steps of the
 * page's start: its first render, the board's socket asked, open, and its first message.
 * Baseline in the same run: a bare `ws` server sending the same file's bytes in 1 MiB frames to a plain page that
 * only counts them (the floor for moving the bytes).
 * `LANVAS_BENCH_BASELINE_OUT=/path/to/an/older/out` (main built in another worktree) joins through that build's host
 * and page too, in the same run, as a second baseline (before/after). `LANVAS_BENCH_JOIN_COUNTS=100000` runs only
 * the sizes named.
 * A fair pair (docs/round7/joinstart.md: the instrument used to favour one build by 0.75–2.8 × against itself):
 * every join on a fresh host that has finished its own start (idle: its CPU under 2 % of a core for 2 s) and in a
 * browser launched for it, once the machine is quiet; `LANVAS_BENCH_JOIN_RUNS` runs (4; quick 1), each joining
 * through every build, the order alternating (before first, then this build first, ...); each figure is the
 * median over the runs, the first strokes of every run listed beside it. Checks of the instrument itself:
 * `LANVAS_BENCH_JOIN_HOST=listening` joins as soon as the host prints its address (a join racing the host's start),
 * `LANVAS_BENCH_JOIN_HOST=reopened` the same on a host that opened the board before: before each join, a host of the
 * build opens the file, finishes its start (its overview drawn, and kept by a build that keeps it) and stops,
 * `LANVAS_BENCH_JOIN_BROWSER=shared` all pages in one browser.
 * `LANVAS_BENCH_JOIN_EDIT=delete|move|restyle` (issue 9, item 3: a latecomer after a small edit): zoom to fit only; on
 * each idle host a peer (a Node client) first deletes, moves or restyles `LANVAS_BENCH_JOIN_EDIT_COUNT` (5) strokes
 * spread over the board, as the app does (one undo step), then the page joins; the host's overview after that edit
 * (its wall time, CPU and kind: whole, or a redraw of the regions it touched) is read from its log.
 * `LANVAS_BENCH_JOIN_OVERVIEW=none` (issue 9, items 3 and 4: a joiner the host sends no overview, as after a large
 * move or restyle, on a host that never drew one of this board, or while its first whole drawing runs): zoom to fit
 * only; the host is told to send none (`LANVAS_BENCH_HOST_NO_OVERVIEW=1`, HostLimits.sendOverviews: hosts before
 * round eleven ignore it; the page's hello cannot be rewritten on the way, as the secure channel seals it: to compare
 * an older page, join it through this build's host, e.g. a folder whose main/ is this build's and whose renderer/ is
 * the older one's, as LANVAS_BENCH_BASELINE_OUT), and the fitted view is the board once it is all in and the view is
 * drawn (no tile of it pending: `settled`); whether that view holds the whole board is reported beside it.
 * `LANVAS_BENCH_JOIN_FIT_UNTIL=drawn`: the same figures with the overview sent (the key then fits its extent at once,
 * and the page draws the board under it as the parts come). Also read: the page's CPU, long tasks and frame times from the key to that frame, and whether it
 * settles at all (`LANVAS_BENCH_JOIN_SETTLE_WAIT_S`, 600: after that the run reports it never did).
 * `LANVAS_BENCH_JOIN_EDIT_NEAR=1`: the strokes nearest the board's middle instead (a lasso's selection: with 100 or
 * more, a move or restyle writes one record naming them, not keys on each).
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { it } from 'vitest'
import { WebSocketServer } from 'ws'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { connectBoardFromNode as connectBoard } from '../src/main/host/nodeClient'
import { Board } from '../src/shared/board'
import { encodeBoardFile, openBoardFile } from '../src/shared/boardFile'
import { deleteSelection, moveSelection } from '../src/shared/selection'
import { PROTOCOL_VERSION } from '../src/shared/sync/protocol'
import { launchBrowser } from '../test/support/browser'
import { type HostProcess, startHostProcess } from '../test/support/hostProcess'
import { cachedFile, makeInkBoard } from './boards'
import { machineTicks, processCpuMs, processIdle } from './processCpu'
import { benchSize, type Figures, median, ms, report } from './report'

const BASELINE_OUT = process.env.LANVAS_BENCH_BASELINE_OUT
const SCREEN = { width: 1280, height: 800 }
const FRAME_BYTES = 1024 * 1024
const RUNS = Number(process.env.LANVAS_BENCH_JOIN_RUNS ?? benchSize(4, 1))
const HOST_WAIT =
  (['listening', 'reopened'] as const).find((w) => w === process.env.LANVAS_BENCH_JOIN_HOST) ?? 'idle'
const SHARED_BROWSER = process.env.LANVAS_BENCH_JOIN_BROWSER === 'shared'
const FIT_KEY_IN_PAGE = process.env.LANVAS_BENCH_JOIN_FIT_KEY === 'page'
const EDIT = (['delete', 'move', 'restyle'] as const).find((e) => e === process.env.LANVAS_BENCH_JOIN_EDIT)
const EDIT_COUNT = Number(process.env.LANVAS_BENCH_JOIN_EDIT_COUNT ?? 5)
const NO_OVERVIEW = process.env.LANVAS_BENCH_JOIN_OVERVIEW === 'none'
/** Zoom to fit only, timed to the board drawn at fit (as without an overview) with the host's overview sent. */
const FIT_UNTIL_DRAWN = NO_OVERVIEW || process.env.LANVAS_BENCH_JOIN_FIT_UNTIL === 'drawn'
const SETTLE_WAIT_MS = Number(process.env.LANVAS_BENCH_JOIN_SETTLE_WAIT_S ?? 600) * 1000
/**
 * With LANVAS_BENCH_JOIN_OVERVIEW=none or LANVAS_BENCH_JOIN_FIT_UNTIL=drawn, a folder to write a CPU profile of the page from the key to the fitted board
 * (`fit-<build>-<run>.cpuprofile`: Chromium's sampling profiler through CDP, 1 ms; read it with
 * bench/profileFrames.mjs; a renderer built with LANVAS_RENDERER_MINIFY=0 keeps its names). Unset: none runs.
 */
const PROFILE_DIR = process.env.LANVAS_BENCH_JOIN_PROFILE
let profiles = 0
const EDIT_NEAR = process.env.LANVAS_BENCH_JOIN_EDIT_NEAR === '1'

/** Installed before the app's scripts: one timestamp per milestone, read by requestAnimationFrame. */
const WATCH = (total: number) => {
  type Handle = {
    board: { elementIds(): string[]; doc: { on(event: 'afterTransaction', f: () => void): void } }
    visibleElementCount(): number
    viewport(): { zoom: number }
    overviewShown?(): boolean
    drawingSettled(): boolean
    boardToScreen(x: number, y: number): { x: number; y: number }
  }
  const marks: Record<string, number> = {}
  // From the key on: each frame's time, and the page's long tasks (LANVAS_BENCH_JOIN_OVERVIEW=none reads them).
  const frames: number[] = []
  const longTasks: [number, number][] = []
  ;(window as unknown as { __fitFrames: number[] }).__fitFrames = frames
  ;(window as unknown as { __longTasks: [number, number][] }).__longTasks = longTasks
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longTasks.push([e.startTime, e.duration])
  }).observe({ type: 'longtask', buffered: true })
  ;(window as unknown as { __joinMarks: Record<string, number> }).__joinMarks = marks
  // Strokes drawn in the view, each time the count changed: when the view at 100 % was complete is read after.
  const inView: [number, number][] = []
  ;(window as unknown as { __inView: [number, number][] }).__inView = inView
  // The steps before the first stroke: the app's first render, the board's socket opened, its first message.
  new MutationObserver(() => {
    if (marks.firstRender === undefined && document.getElementById('root')?.childElementCount)
      marks.firstRender = performance.now()
  }).observe(document, { childList: true, subtree: true })
  const Native = window.WebSocket
  window.WebSocket = class extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols)
      if (!String(url).includes('/sync/') || marks.socketAsked !== undefined) return
      marks.socketAsked = performance.now()
      this.addEventListener('open', () => {
        marks.socketOpen = performance.now()
      })
      this.addEventListener('message', () => {
        marks.firstMessage ??= performance.now()
      })
    }
  }
  let watchedDoc = false
  // Without an overview (or timed to the board drawn): the fitted view once the board is all in and drawn.
  const noOverview = (window as unknown as { __untilDrawn?: boolean }).__untilDrawn === true
  const tick = (now: number) => {
    if (marks.fitPressed !== undefined && marks.fitShows === undefined) frames.push(now)
    const l = (window as unknown as { __lanvas?: Handle }).__lanvas
    if (l) {
      // Transactions of the board (its parts) applied between the key and the first frame of the fitted view.
      if (!watchedDoc) {
        watchedDoc = true
        marks.fitPartsBetween = 0
        l.board.doc.on('afterTransaction', () => {
          if (marks.fitPressed !== undefined && marks.fitShows === undefined)
            marks.fitPartsBetween = (marks.fitPartsBetween ?? 0) + 1
        })
      }
      // Counting the view's strokes searches the whole board when zoomed out: not done after the key without an
      // overview (the bench's own cost each frame would be part of what it measures).
      if (!noOverview || marks.fitPressed === undefined) {
        const visible = l.visibleElementCount()
        if (visible !== inView.at(-1)?.[1]) inView.push([performance.now(), visible])
        if (marks.firstStroke === undefined && visible > 0) marks.firstStroke = performance.now()
      }
      if (marks.overview === undefined && l.overviewShown?.()) marks.overview = performance.now()
      // Zoomed to fit (the 100 % view holds none of a large board's extent): the first frame showing all of it.
      if (marks.fitPressed !== undefined && marks.fitShows === undefined && l.viewport().zoom < 0.5) {
        if (noOverview) {
          if (marks.whole !== undefined && l.drawingSettled()) {
            marks.fitShows = performance.now()
            marks.fitByBoard = 1
            // Whether the fitted view holds the whole board (a fit made while it came fits what had come).
            const extent = (window as unknown as { __boardExtent?: number[] }).__boardExtent ?? []
            const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = extent
            const a = l.boardToScreen(x0, y0)
            const b = l.boardToScreen(x1, y1)
            marks.fitHoldsBoard = Number(
              a.x >= -1 && a.y >= -1 && b.x <= innerWidth + 1 && b.y <= innerHeight + 1,
            )
          }
        } else if (l.overviewShown?.()) marks.fitShows = performance.now()
        else if (marks.whole !== undefined) {
          marks.fitShows = performance.now()
          marks.fitByBoard = 1
        }
      }
      // The bar first: counting 100,000 ids every frame while parts come in would be the bench's own cost.
      if (
        marks.whole === undefined &&
        !document.querySelector('[data-testid="opening-progress"]') &&
        l.board.elementIds().length === total
      )
        marks.whole = performance.now()
    }
    if (marks.whole === undefined || (marks.fitPressed !== undefined && marks.fitShows === undefined))
      requestAnimationFrame(tick)
  }
  requestAnimationFrame(tick)
  window.addEventListener(
    'keydown',
    (e) => {
      if (e.code === 'Digit1' && e.shiftKey) marks.fitPressed = performance.now()
    },
    { capture: true },
  )
}

/**
 * Installed after WATCH with LANVAS_BENCH_JOIN_FIT_KEY=page: Shift+1 dispatched in the page in the frame the first
 * stroke is seen, instead of by the harness (whose round trip, waiting for that frame and sending the key, adds
 * 0.2–0.6 s that no person pressing the key has): the page's own time from navigation to the fitted board.
 */
const FIT_KEY_IN_PAGE_SCRIPT = () => {
  const press = () => {
    const marks = (window as unknown as { __joinMarks?: { firstStroke?: number } }).__joinMarks
    if (marks?.firstStroke === undefined) {
      requestAnimationFrame(press)
      return
    }
    window.dispatchEvent(new KeyboardEvent('keydown', { key: '!', code: 'Digit1', shiftKey: true }))
  }
  requestAnimationFrame(press)
}

/** The host's line about its overview (./src/main/host/room/overview.ts), as figures; undefined before it. */
function overviewFigures(output: string) {
  const m =
    / overview (\d+)×(\d+) px, (\d+) KB, in (\d+) ms \(CPU (\d+) ms, (\d+) slices, longest (\d+) ms; event loop delay p99 (\d+) ms, max (\d+) ms/.exec(
      output,
    )
  if (!m) return undefined
  const n = (i: number) => Number(m[i])
  return {
    overviewPx: `${n(1)}×${n(2)}`,
    overviewKb: n(3),
    overviewWallMs: n(4),
    overviewHostCpuMs: n(5),
    overviewLongestSliceMs: n(7),
    relayDelayP99Ms: n(8),
    relayDelayMaxMs: n(9),
  }
}

/**
 * The host's last overview line (the drawing after the bench's edit), of any build: its wall time, CPU and kind
 * (whole, strokes added, or the regions changes touched drawn again).
 */
function lastOverview(output: string) {
  const lines = [
    ...output.matchAll(
      / overview (?:\((\d+) (added|redrawn around (\d+) changed)\) )?(\d+)×(\d+) px, (\d+) KB, in (\d+) ms \(CPU (\d+) ms[^\n]*/g,
    ),
  ]
  const m = lines.at(-1)
  if (!m) return undefined
  // This build's line also says how long the drawing's own slices took (the CPU above counts the join it served).
  const own = / its slices (\d+) ms in all/.exec(m[0])
  return {
    editOverviewKind: m[2] ? `${m[1]} ${m[2]}` : 'whole',
    editOverviewWallMs: Number(m[7]),
    editOverviewHostCpuMs: Number(m[8]),
    editOverviewOwnMs: own ? Number(own[1]) : Number.NaN,
    overviewsDrawn: lines.length,
  }
}

/**
 * A peer's edit of EDIT_COUNT strokes spread over the board (EDIT), as the app makes it, once it has the board; it
 * leaves a second after its update went (the host has it then).
 */
async function editByPeer(host: HostProcess, edit: NonNullable<typeof EDIT>) {
  const res = await fetch(new URL('/api/boards/default', host.url))
  const { id } = (await res.json()) as { id: string }
  const url = `${host.url.replace('http', 'ws').replace(/\/$/, '')}/sync/${encodeURIComponent(id)}?v=${PROTOCOL_VERSION}`
  const board = new Board(new Y.Doc(), 'bench-peer')
  const connection = connectBoard({ url, board, awareness: new Awareness(board.doc) })
  try {
    await connection.whenSynced()
    const all = board.elementIds()
    const ids = EDIT_NEAR
      ? nearest(board, all, EDIT_COUNT)
      : Array.from(
          { length: EDIT_COUNT },
          (_, i) => all[Math.floor(((i + 0.5) * all.length) / EDIT_COUNT)] as string,
        )
    if (edit === 'move') moveSelection(board, ids, 400, 250)
    else if (edit === 'restyle') {
      board.beginAction()
      board.updateElements(ids.map((i) => [i, { color: '#f08c00' }] as const))
    } else deleteSelection(board, ids)
    await sleep(1000)
  } finally {
    connection.close()
    board.destroy()
    board.doc.destroy()
  }
}

/** The `count` strokes whose middles lie nearest the middle of them all (EDIT_NEAR). */
function nearest(board: Board, ids: string[], count: number): string[] {
  const middles = ids.flatMap((id) => {
    const r = board.elementBounds(id)
    return r ? [{ id, x: (r.minX + r.maxX) / 2, y: (r.minY + r.maxY) / 2 }] : []
  })
  const cx = middles.reduce((a, m) => a + m.x, 0) / middles.length
  const cy = middles.reduce((a, m) => a + m.y, 0) / middles.length
  const d = (m: { x: number; y: number }) => (m.x - cx) ** 2 + (m.y - cy) ** 2
  return middles
    .sort((a, b) => d(a) - d(b))
    .slice(0, count)
    .map((m) => m.id)
}

/** Waits for the host's overview line. */
async function overviewDrawn(host: HostProcess) {
  const end = Date.now() + 600_000
  while (Date.now() < end) {
    const figures = overviewFigures(host.output())
    if (figures) return figures
    await new Promise((ok) => setTimeout(ok, 200))
  }
  throw new Error(`no overview from the host:\n${host.output()}`)
}

/**
 * Without an overview: what the page did from the key to the fitted board drawn (or to the end of the wait): its
 * CPU (main thread, renderer process), its long tasks, its frames (p50, p95, worst), and whether it settled.
 */
async function fitPageFigures(
  page: import('playwright-core').Page,
  marks: Record<string, number>,
  atKey: { thread: number; process: number },
  atFit: { thread: number; process: number },
  settled: boolean,
) {
  const { frames, longTasks } = await page.evaluate(() => {
    const w = window as unknown as { __fitFrames: number[]; __longTasks: [number, number][] }
    return { frames: w.__fitFrames, longTasks: w.__longTasks }
  })
  const key = marks.fitPressed ?? 0
  const gaps = frames.slice(1).map((t, i) => t - (frames[i] as number))
  const sorted = [...gaps].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN
  const after = longTasks.filter(([start]) => start >= key)
  return {
    fitSettled: settled ? 'yes' : `no, after ${SETTLE_WAIT_MS / 1000} s`,
    fitViewHoldsWholeBoard: marks.fitHoldsBoard === 1 ? 'yes' : 'no',
    fitWholeBoardInMs: ms(marks.whole ?? Number.NaN),
    fitPageThreadCpuS: ms(atFit.thread - atKey.thread),
    fitPageProcessCpuS: ms(atFit.process - atKey.process),
    fitFrames: gaps.length,
    fitFrameP50Ms: ms(at(0.5)),
    fitFrameP95Ms: ms(at(0.95)),
    fitFrameWorstMs: ms(sorted.at(-1) ?? Number.NaN),
    fitLongTasks: after.length,
    fitLongTasksMs: ms(after.reduce((n, [, d]) => n + d, 0)),
    fitLongestTaskMs: ms(Math.max(0, ...after.map(([, d]) => d))),
  }
}

/** A build to join through: this worktree's (`cli` undefined) or an older one's `out/main/cli.js`. */
interface Build {
  name: string
  cli?: string
}

const sleep = (msToWait: number) => new Promise((ok) => setTimeout(ok, msToWait))

/**
 * Waits until the host has finished what it does on its own after it listens (converting and saving the board,
 * its stroke-start index, the strokes near the opening view, its overview): its CPU over the last 2 s under 2 %
 * of a core, at least 3 s after it listens and at most 5 minutes. A late joiner meets an idle host; a join during
 * that work measures the host's start, not the page's (and favoured whichever build was joined that way).
 */
async function hostIdle(
  host: HostProcess,
  started: number,
  cpuAtStart: number,
): Promise<{ hostSettleMs: number; hostSettleCpuMs: number }> {
  const { settleMs, settleCpuMs } = await processIdle(host.process.pid ?? 0, started, cpuAtStart)
  return { hostSettleMs: ms(settleMs), hostSettleCpuMs: ms(settleCpuMs) }
}

/**
 * Waits (at most 20 s) until the machine's CPU over the last second is under half a core: what the previous
 * join left running (its browser's exit, its host's save) or the fresh browser's own start is over, before the next
 * host starts. Returns the busy share of all cores in that last second, reported with each run.
 */
async function machineQuiet(): Promise<number> {
  const started = performance.now()
  let share = 1
  do {
    const a = machineTicks()
    await sleep(1000)
    const b = machineTicks()
    share = b.all > a.all ? (b.busy - a.busy) / (b.all - a.all) : 0
  } while (share * cpus().length > 0.5 && performance.now() - started < 20_000)
  return Math.round(share * 100) / 100
}

/** Data folders made for hosts so far (each host gets a new one). */
let dataFolders = 0

/**
 * A host of the build on the board file, ready for a late joiner: idle after its start (HOST_WAIT 'idle', the
 * default), or as soon as it prints its address ('listening': the join then races the host's start, as a page opened
 * with the app would; 'reopened': the same, on a host that opened the file before). A build that draws an overview on
 * a large board logs it once drawn, with its figures.
 */
async function readyHost(build: Build, boardPath: string, large: boolean) {
  // Each host a data folder of its own (checked-board notes, kept overviews): no host finds what an earlier join's
  // left, but the one started before it when HOST_WAIT is 'reopened'.
  const env = {
    ...process.env,
    XDG_DATA_HOME: `${boardPath}.data-${++dataFolders}`,
    ...(NO_OVERVIEW ? { LANVAS_BENCH_HOST_NO_OVERVIEW: '1' } : {}),
  }
  const args = ['--port', '0', '--board', boardPath]
  if (HOST_WAIT === 'reopened') {
    const before = await startHostProcess(args, undefined, build.cli, [], env)
    await processIdle(before.process.pid ?? 0, performance.now(), 0)
    await before.stop()
  }
  const host = await startHostProcess(args, undefined, build.cli, [], env)
  // From the moment it listens: what it did on its own, however long, before it went idle.
  const listening = performance.now()
  const cpuAtListen = processCpuMs(host.process.pid ?? 0) ?? 0
  try {
    // This build draws an overview of a large board after it listens: wait for its line (older builds may not).
    if (HOST_WAIT === 'idle' && large && build.cli === undefined) await overviewDrawn(host)
    const settled = HOST_WAIT === 'idle' ? await hostIdle(host, listening, cpuAtListen) : undefined
    return { host, settled }
  } catch (e) {
    await host.stop()
    throw e
  }
}

/** A browser for one join: launched for it and closed after (the default), or the one `shared` browser of the run. */
async function withBrowser<T>(
  shared: Browser | undefined,
  use: (browser: Browser) => Promise<T>,
): Promise<T> {
  if (shared) return use(shared)
  const browser = await launchBrowser()
  try {
    return await use(browser)
  } finally {
    await browser.close()
  }
}

/** Zoom to fit while opening: Shift+1 at the first stroke drawn, then the first frame showing the whole extent. */
async function fitWhileOpening(
  shared: Browser | undefined,
  build: Build,
  boardPath: string,
  strokes: number,
  large: boolean,
) {
  return withBrowser(shared, async (browser) => {
    await machineQuiet()
    const { host } = await readyHost(build, boardPath, large)
    try {
      if (EDIT) await editByPeer(host, EDIT)
      const page = await browser.newPage({ viewport: SCREEN })
      if (FIT_UNTIL_DRAWN) {
        await page.addInitScript(() => {
          ;(window as unknown as { __untilDrawn: boolean }).__untilDrawn = true
        })
        const board = openBoardFile(new Uint8Array(await readFile(boardPath)))
        const b = board.contentBounds()
        board.destroy()
        board.doc.destroy()
        await page.addInitScript(
          (extent) => {
            ;(window as unknown as { __boardExtent: number[] }).__boardExtent = extent
          },
          [b?.minX ?? 0, b?.minY ?? 0, b?.maxX ?? 0, b?.maxY ?? 0],
        )
      }
      // The board's element count once all in: a delete took some away.
      await page.addInitScript(WATCH, EDIT === 'delete' ? strokes - EDIT_COUNT : strokes)
      if (FIT_KEY_IN_PAGE) await page.addInitScript(FIT_KEY_IN_PAGE_SCRIPT)
      const cdp = FIT_UNTIL_DRAWN ? await page.context().newCDPSession(page) : undefined
      await cdp?.send('Performance.enable')
      const cpu = async () => {
        const { metrics } = (await cdp?.send('Performance.getMetrics')) ?? { metrics: [] }
        const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? Number.NaN
        return { thread: metric('ThreadTime'), process: metric('ProcessTime') }
      }
      await page.goto(host.url)
      await page.waitForFunction(
        () =>
          (window as unknown as { __joinMarks: { firstStroke?: number } }).__joinMarks.firstStroke !==
          undefined,
        undefined,
        { timeout: 600_000, polling: 'raf' },
      )
      if (cdp && PROFILE_DIR) {
        await cdp.send('Profiler.enable')
        await cdp.send('Profiler.setSamplingInterval', { interval: 1000 })
        await cdp.send('Profiler.start')
      }
      if (!FIT_KEY_IN_PAGE) await page.keyboard.press('Shift+Digit1')
      const cpuAtKey = await cpu()
      const settled = await page
        .waitForFunction(
          () =>
            (window as unknown as { __joinMarks: { fitShows?: number } }).__joinMarks.fitShows !== undefined,
          undefined,
          { timeout: FIT_UNTIL_DRAWN ? SETTLE_WAIT_MS : 1_200_000, polling: 200 },
        )
        .then(
          () => true,
          (e) => {
            if (!FIT_UNTIL_DRAWN) throw e
            return false
          },
        )
      const cpuAtFit = await cpu()
      if (cdp && PROFILE_DIR) {
        const { profile } = (await cdp.send('Profiler.stop')) as { profile: unknown }
        const name = `fit-${build.cli ? 'before' : 'this'}-${++profiles}.cpuprofile`
        await writeFile(join(PROFILE_DIR, name), JSON.stringify(profile))
      }
      const marks = await page.evaluate(
        () => (window as unknown as { __joinMarks: Record<string, number> }).__joinMarks,
      )
      const pageFigures = FIT_UNTIL_DRAWN
        ? await fitPageFigures(page, marks, cpuAtKey, cpuAtFit, settled)
        : {}
      await page.close()
      return {
        ...pageFigures,
        fitFirstStrokeMs: ms(marks.firstStroke ?? Number.NaN),
        fitPressedMs: ms(marks.fitPressed ?? Number.NaN),
        fitShowsWholeExtentMs: ms(marks.fitShows ?? Number.NaN),
        fitShowsAfterKeyMs: ms((marks.fitShows ?? Number.NaN) - (marks.fitPressed ?? Number.NaN)),
        fitPartsBetweenKeyAndPicture: marks.fitPartsBetween ?? Number.NaN,
        fitShowsBy: marks.fitByBoard ? 'the whole board' : 'the overview',
        ...(EDIT ? lastOverview(host.output()) : {}),
      }
    } finally {
      await host.stop()
    }
  })
}

const PLAIN_PAGE = (total: number) => `<!doctype html><html><body><script>
const marks = {}; window.__joinMarks = marks; let got = 0
const ws = new WebSocket('ws://' + location.host + '/board'); ws.binaryType = 'arraybuffer'
ws.onmessage = (e) => { if (marks.first === undefined) marks.first = performance.now()
  got += e.data.byteLength; if (got >= ${total}) marks.whole = performance.now() }
</script></body></html>`

async function lanvasJoin(
  shared: Browser | undefined,
  build: Build,
  boardPath: string,
  strokes: number,
  large: boolean,
) {
  return withBrowser(shared, async (browser) => {
    const machineBusyBeforeHost = await machineQuiet()
    const { host, settled } = await readyHost(build, boardPath, large)
    try {
      const overview = overviewFigures(host.output())
      const page = await browser.newPage({ viewport: SCREEN })
      await page.addInitScript(WATCH, strokes)
      // The page's main-thread busy time (Chromium's own counters): what the join cost the page, whatever else
      // runs on the machine, where wall times under load mostly measure the wait for a core.
      const cdp = await page.context().newCDPSession(page)
      await cdp.send('Performance.enable')
      await page.goto(host.url)
      await page.waitForFunction(
        () => (window as unknown as { __joinMarks: { whole?: number } }).__joinMarks.whole !== undefined,
        undefined,
        { timeout: 1_200_000, polling: 500 },
      )
      const marks = await page.evaluate(
        () => (window as unknown as { __joinMarks: Record<string, number> }).__joinMarks,
      )
      // The view at 100 % complete: the first time as many strokes were drawn in it as once the whole board is in.
      const viewComplete = await page.evaluate(async () => {
        await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)))
        const w = window as unknown as {
          __inView: [number, number][]
          __lanvas: { visibleElementCount(): number }
        }
        const final = w.__lanvas.visibleElementCount()
        return { at: w.__inView.find(([, n]) => n >= final)?.[0] ?? Number.NaN, strokes: final }
      })
      const { metrics } = (await cdp.send('Performance.getMetrics')) as {
        metrics: { name: string; value: number }[]
      }
      const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? Number.NaN
      // How often the app (React) rendered from load to the whole board: once per part, or once per step of the join.
      const appRenders = await page.evaluate(() =>
        (window as unknown as { __lanvas: { renders(): number } }).__lanvas.renders(),
      )
      // Zoom to fit: from the key to the end of the first frame after it, timed in the page.
      await page.evaluate(() => {
        const w = window as unknown as { __fit?: Promise<number> }
        w.__fit = new Promise<number>((done) =>
          window.addEventListener(
            'keydown',
            () => {
              const start = performance.now()
              requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - start)))
            },
            { capture: true, once: true },
          ),
        )
      })
      await page.keyboard.press('Shift+Digit1')
      const fitMs = await page.evaluate(() => (window as unknown as { __fit: Promise<number> }).__fit)
      await cdp.send('HeapProfiler.collectGarbage')
      const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }
      await page.close()
      return {
        firstStrokeMs: ms(marks.firstStroke ?? Number.NaN),
        // What came before it: the app's first render, the board's socket asked and open, its first message.
        firstRenderMs: ms(marks.firstRender ?? Number.NaN),
        socketAskedMs: ms(marks.socketAsked ?? Number.NaN),
        socketOpenMs: ms(marks.socketOpen ?? Number.NaN),
        firstMessageMs: ms(marks.firstMessage ?? Number.NaN),
        viewCompleteMs: ms(viewComplete.at),
        strokesInView: viewComplete.strokes,
        wholeBoardMs: ms(marks.whole ?? Number.NaN),
        zoomToFitFrameMs: ms(fitMs),
        pageHeapMb: Math.round(heap.usedSize / 1024 / 1024),
        appRenders,
        // Seconds the page's main thread was busy from load to the whole board (all tasks; of them, script).
        pageBusyS: ms(metric('TaskDuration')),
        pageScriptS: ms(metric('ScriptDuration')),
        // CPU seconds of the page's main thread and of its whole renderer process to the whole board: unlike the
        // busy time above (tasks' wall time), these do not grow while the thread waits for a core on a loaded machine.
        pageMainThreadCpuS: ms(metric('ThreadTime')),
        pageProcessCpuS: ms(metric('ProcessTime')),
        ...overview,
        // What the host did on its own before the page came (HOST_WAIT 'idle'), and how busy the machine was then.
        ...settled,
        machineBusyBeforeHost,
      }
    } finally {
      await host.stop()
    }
  })
}

async function bareJoin(shared: Browser | undefined, file: Uint8Array) {
  const server = createServer((_req, res) => res.end(PLAIN_PAGE(file.byteLength)))
  const wss = new WebSocketServer({ server, path: '/board' })
  wss.on('connection', (ws) => {
    for (let at = 0; at < file.byteLength; at += FRAME_BYTES) ws.send(file.subarray(at, at + FRAME_BYTES))
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  try {
    return await withBrowser(shared, async (browser) => {
      await machineQuiet()
      const page = await browser.newPage({ viewport: SCREEN })
      await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)
      await page.waitForFunction(
        () => (window as unknown as { __joinMarks: { whole?: number } }).__joinMarks.whole !== undefined,
        undefined,
        { timeout: 300_000 },
      )
      const marks = await page.evaluate(
        () => (window as unknown as { __joinMarks: Record<string, number> }).__joinMarks,
      )
      await page.close()
      return { firstFrameMs: ms(marks.first ?? Number.NaN), wholeBoardMs: ms(marks.whole ?? Number.NaN) }
    })
  } finally {
    wss.close()
    server.close()
  }
}

/** The median of an even count too (the mean of the two middle values: both orders weigh the same). */
function middle(samples: number[]): number {
  const s = [...samples].sort((a, b) => a - b)
  const half = s.length / 2
  return Number.isInteger(half) ? ms(((s[half - 1] ?? Number.NaN) + (s[half] ?? Number.NaN)) / 2) : median(s)
}

/** Each figure's median over the runs (a label: the first run's); with the first strokes of every run, in order. */
function medianFigures(runs: Figures[]): Figures {
  const out: Figures = {}
  for (const key of Object.keys(runs[0] ?? {})) {
    const values = runs.map((r) => r[key])
    out[key] = typeof values[0] === 'number' ? middle(values as number[]) : (values[0] ?? '')
  }
  out.runs = runs.length
  const each = (key: string) => runs.map((r) => Math.round(Number(r[key]))).join(' / ')
  if ('firstStrokeMs' in out) out.firstStrokeEachRunMs = each('firstStrokeMs')
  if ('viewCompleteMs' in out) out.viewCompleteEachRunMs = each('viewCompleteMs')
  if ('firstFrameMs' in out) out.firstFrameEachRunMs = each('firstFrameMs')
  if ('fitShowsWholeExtentMs' in out) {
    out.fitShowsEachRunMs = each('fitShowsWholeExtentMs')
    out.fitShowsAfterKeyEachRunMs = each('fitShowsAfterKeyMs')
    out.fitPartsBetweenEachRun = each('fitPartsBetweenKeyAndPicture')
  }
  return out
}

it('a late join in Chromium on a large ink board, beside a bare ws server sending the same bytes', async () => {
  const shared = SHARED_BROWSER ? await launchBrowser() : undefined
  const dir = await mkdtemp(join(tmpdir(), 'lanvas-bench-join-'))
  try {
    const counts =
      process.env.LANVAS_BENCH_JOIN_COUNTS?.split(',').map(Number) ?? benchSize([10_000, 100_000], [2_000])
    const self: Build = { name: 'this build' }
    const before: Build | undefined = BASELINE_OUT
      ? { name: `Lanvas before (${BASELINE_OUT})`, cli: join(BASELINE_OUT, 'main', 'cli.js') }
      : undefined
    for (const strokes of counts) {
      const source = await cachedFile(`ink-${strokes}.lanvas`, async (path) => {
        const board = makeInkBoard(strokes, 'compact')
        await writeFile(path, encodeBoardFile(board.doc))
        board.destroy()
        board.doc.destroy()
      })
      const file = new Uint8Array(await readFile(source))
      // A board of several parts gets an overview from this build's host (a part is under 1 MiB).
      const large = file.byteLength > 2 * 1024 * 1024
      const runs = new Map<Build, Figures[]>([[self, []]])
      if (before) runs.set(before, [])
      const bare: Figures[] = []
      // Each run joins through each build once, the order alternating (before first, then this build first, ...),
      // each join on a fresh host (a copy of the file: each host converts and saves what it opens) and browser.
      for (let run = 0; run < RUNS; run++) {
        const builds = before ? (run % 2 === 0 ? [before, self] : [self, before]) : [self]
        for (const build of builds) {
          const boardPath = join(dir, `ink-${strokes}-${run}-${build === self ? 'this' : 'before'}.lanvas`)
          await copyFile(source, boardPath)
          if (EDIT || FIT_UNTIL_DRAWN) {
            const fit = await fitWhileOpening(shared, build, boardPath, strokes, large)
            runs.get(build)?.push(fit)
            console.log(
              `[join] ${strokes} run ${run} ${build.name}${EDIT ? `, after a ${EDIT}` : ''}${NO_OVERVIEW ? ', no overview' : FIT_UNTIL_DRAWN ? ', fit until drawn' : ''}: ${JSON.stringify(fit)}, load ${loadavg()[0]?.toFixed(2)}`,
            )
            continue
          }
          const joined = await lanvasJoin(shared, build, boardPath, strokes, large)
          await copyFile(source, boardPath)
          const fit = await fitWhileOpening(shared, build, boardPath, strokes, large)
          runs.get(build)?.push({ ...joined, ...fit })
          console.log(
            `[join] ${strokes} run ${run} ${build.name}: first render ${joined.firstRenderMs}, socket asked ${joined.socketAskedMs}, open ${joined.socketOpenMs}, first message ${joined.firstMessageMs}, first stroke ${joined.firstStrokeMs} ms, view complete ${joined.viewCompleteMs} ms, whole ${joined.wholeBoardMs} ms, host settled ${joined.hostSettleMs ?? '-'} ms (${joined.hostSettleCpuMs ?? '-'} ms CPU), machine busy before the host ${joined.machineBusyBeforeHost}, load ${loadavg()[0]?.toFixed(2)}`,
          )
        }
        if (!EDIT && !FIT_UNTIL_DRAWN) bare.push(await bareJoin(shared, file))
      }
      const beforeRuns = before ? runs.get(before) : undefined
      report(
        `join-${EDIT ? `${EDIT}-` : ''}${NO_OVERVIEW ? 'nooverview-' : FIT_UNTIL_DRAWN ? 'fitdrawn-' : ''}${strokes >= 100_000 ? '100k' : strokes >= 10_000 ? '10k' : 'quick'}`,
        { strokes, fileMb: ms(file.byteLength / 1024 / 1024), ...medianFigures(runs.get(self) ?? []) },
        [
          { name: 'bare ws, same bytes in 1 MiB frames, plain page', figures: medianFigures(bare) },
          ...(before && beforeRuns ? [{ name: before.name, figures: medianFigures(beforeRuns) }] : []),
        ],
      )
    }
  } finally {
    await shared?.close()
    await rm(dir, { recursive: true, force: true })
  }
}, 3_600_000)
