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
 * draws the overview after it listens; both joins wait for its log line (a page joining before gets none), which
 * also gives the host's CPU and wall time to draw it and how late its timers fired meanwhile (what a relay waited).
 * Baseline in the same run: a bare `ws` server sending the same file's bytes in 1 MiB frames to a plain page that
 * only counts them (the floor for moving the bytes).
 * `LANVAS_BENCH_BASELINE_OUT=/path/to/an/older/out` (main built in another worktree) joins through that build's host
 * and page too, in the same run, as a second baseline (before/after). `LANVAS_BENCH_JOIN_COUNTS=100000` runs only
 * the sizes named.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { it } from 'vitest'
import { WebSocketServer } from 'ws'
import { encodeBoardFile } from '../src/shared/boardFile'
import { launchBrowser } from '../test/support/browser'
import { type HostProcess, startHostProcess } from '../test/support/hostProcess'
import { cachedFile, makeInkBoard } from './boards'
import { benchSize, ms, report } from './report'

const BASELINE_OUT = process.env.LANVAS_BENCH_BASELINE_OUT
const SCREEN = { width: 1280, height: 800 }
const FRAME_BYTES = 1024 * 1024

/** Installed before the app's scripts: one timestamp per milestone, read by requestAnimationFrame. */
const WATCH = (total: number) => {
  type Handle = {
    board: { elementIds(): string[] }
    visibleElementCount(): number
    viewport(): { zoom: number }
    overviewShown?(): boolean
  }
  const marks: Record<string, number> = {}
  ;(window as unknown as { __joinMarks: Record<string, number> }).__joinMarks = marks
  // Strokes drawn in the view, each time the count changed: when the view at 100 % was complete is read after.
  const inView: [number, number][] = []
  ;(window as unknown as { __inView: [number, number][] }).__inView = inView
  const tick = () => {
    const l = (window as unknown as { __lanvas?: Handle }).__lanvas
    if (l) {
      const visible = l.visibleElementCount()
      if (visible !== inView.at(-1)?.[1]) inView.push([performance.now(), visible])
      if (marks.firstStroke === undefined && visible > 0) marks.firstStroke = performance.now()
      if (marks.overview === undefined && l.overviewShown?.()) marks.overview = performance.now()
      // Zoomed to fit (the 100 % view holds none of a large board's extent): the first frame showing all of it.
      if (marks.fitPressed !== undefined && marks.fitShows === undefined && l.viewport().zoom < 0.5) {
        if (l.overviewShown?.()) marks.fitShows = performance.now()
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

/** Waits for the host's overview line (a build without overviews: none comes, and none is waited for). */
async function overviewDrawn(host: HostProcess, expected: boolean) {
  if (!expected) return undefined
  const end = Date.now() + 600_000
  while (Date.now() < end) {
    const figures = overviewFigures(host.output())
    if (figures) return figures
    await new Promise((ok) => setTimeout(ok, 200))
  }
  throw new Error(`no overview from the host:\n${host.output()}`)
}

/** Zoom to fit while opening: Shift+1 at the first stroke drawn, then the first frame showing the whole extent. */
async function fitWhileOpening(
  browser: Browser,
  boardPath: string,
  strokes: number,
  cli?: string,
  sendsOverview = false,
) {
  let host: HostProcess | undefined
  try {
    host = await startHostProcess(['--port', '0', '--board', boardPath], undefined, cli)
    await overviewDrawn(host, sendsOverview)
    const page = await browser.newPage({ viewport: SCREEN })
    await page.addInitScript(WATCH, strokes)
    await page.goto(host.url)
    await page.waitForFunction(
      () =>
        (window as unknown as { __joinMarks: { firstStroke?: number } }).__joinMarks.firstStroke !==
        undefined,
      undefined,
      { timeout: 600_000, polling: 'raf' },
    )
    await page.keyboard.press('Shift+Digit1')
    await page.waitForFunction(
      () => (window as unknown as { __joinMarks: { fitShows?: number } }).__joinMarks.fitShows !== undefined,
      undefined,
      { timeout: 1_200_000, polling: 200 },
    )
    const marks = await page.evaluate(
      () => (window as unknown as { __joinMarks: Record<string, number> }).__joinMarks,
    )
    await page.close()
    return {
      fitFirstStrokeMs: ms(marks.firstStroke ?? Number.NaN),
      fitPressedMs: ms(marks.fitPressed ?? Number.NaN),
      fitShowsWholeExtentMs: ms(marks.fitShows ?? Number.NaN),
      fitShowsBy: marks.fitByBoard ? 'the whole board' : 'the overview',
    }
  } finally {
    await host?.stop()
  }
}

const PLAIN_PAGE = (total: number) => `<!doctype html><html><body><script>
const marks = {}; window.__joinMarks = marks; let got = 0
const ws = new WebSocket('ws://' + location.host + '/board'); ws.binaryType = 'arraybuffer'
ws.onmessage = (e) => { if (marks.first === undefined) marks.first = performance.now()
  got += e.data.byteLength; if (got >= ${total}) marks.whole = performance.now() }
</script></body></html>`

async function lanvasJoin(
  browser: Browser,
  boardPath: string,
  strokes: number,
  cli?: string,
  sendsOverview = false,
) {
  let host: HostProcess | undefined
  try {
    host = await startHostProcess(['--port', '0', '--board', boardPath], undefined, cli)
    const overview = await overviewDrawn(host, sendsOverview)
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
    }
  } finally {
    await host?.stop()
  }
}

async function bareJoin(browser: Browser, file: Uint8Array) {
  const server = createServer((_req, res) => res.end(PLAIN_PAGE(file.byteLength)))
  const wss = new WebSocketServer({ server, path: '/board' })
  wss.on('connection', (ws) => {
    for (let at = 0; at < file.byteLength; at += FRAME_BYTES) ws.send(file.subarray(at, at + FRAME_BYTES))
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  try {
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
  } finally {
    wss.close()
    server.close()
  }
}

it('a late join in Chromium on a large ink board, beside a bare ws server sending the same bytes', async () => {
  const browser = await launchBrowser()
  const dir = await mkdtemp(join(tmpdir(), 'lanvas-bench-join-'))
  try {
    const counts =
      process.env.LANVAS_BENCH_JOIN_COUNTS?.split(',').map(Number) ?? benchSize([10_000, 100_000], [2_000])
    for (const strokes of counts) {
      const source = await cachedFile(`ink-${strokes}.lanvas`, async (path) => {
        const board = makeInkBoard(strokes, 'compact')
        await writeFile(path, encodeBoardFile(board.doc))
        board.destroy()
        board.doc.destroy()
      })
      // The host converts and saves the board it opens: a copy, so the cached file stays as generated.
      const boardPath = join(dir, `ink-${strokes}.lanvas`)
      await copyFile(source, boardPath)
      const file = new Uint8Array(await readFile(boardPath))
      // The older build first, on its own copy of the same file (each host converts and saves what it opens).
      let before: Awaited<ReturnType<typeof lanvasJoin>> | undefined
      if (BASELINE_OUT) {
        const beforePath = join(dir, `ink-${strokes}-before.lanvas`)
        await copyFile(source, beforePath)
        const beforeCli = join(BASELINE_OUT, 'main', 'cli.js')
        before = await lanvasJoin(browser, beforePath, strokes, beforeCli)
        await copyFile(source, beforePath)
        before = { ...before, ...(await fitWhileOpening(browser, beforePath, strokes, beforeCli)) }
      }
      // A board of several parts gets an overview from this build's host (a part is under 1 MiB).
      const large = file.byteLength > 2 * 1024 * 1024
      const lanvas = {
        ...(await lanvasJoin(browser, boardPath, strokes, undefined, large)),
        ...(await (async () => {
          await copyFile(source, boardPath)
          return fitWhileOpening(browser, boardPath, strokes, undefined, large)
        })()),
      }
      const bare = await bareJoin(browser, file)
      report(
        `join-${strokes >= 100_000 ? '100k' : strokes >= 10_000 ? '10k' : 'quick'}`,
        { strokes, fileMb: ms(file.byteLength / 1024 / 1024), ...lanvas },
        [
          { name: 'bare ws, same bytes in 1 MiB frames, plain page', figures: bare },
          ...(before ? [{ name: `Lanvas before (${BASELINE_OUT})`, figures: before }] : []),
        ],
      )
    }
  } finally {
    await browser.close()
    await rm(dir, { recursive: true, force: true })
  }
}, 3_600_000)
