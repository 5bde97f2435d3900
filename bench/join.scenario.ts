/**
 * A late join in Chromium on a large ink board (issue 9's row "late join: page shows the board at 100 % / at
 * zoom to fit; page heap"): a real host (`node out/main/cli.js`) on a board file of `makeInkBoard` strokes, a
 * page opening the host's address. Timed in the page from the start of navigation: the first stroke drawn, the view
 * at 100 % complete (as many strokes drawn in it as once the board is in: since view first, the host's preview), the
 * whole board there and drawn (progress bar gone: the view at 100 % is complete, as parts come in causal order,
 * not view first), then the first frame after zoom to fit (Shift+1). The page's JS heap after a GC once the
 * board is in, its main thread's busy time (tasks, script) and CPU time (main thread, renderer process) to the whole
 * board, and how often the app rendered.
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
      // The bar first: counting 100,000 ids every frame while parts come in would be the bench's own cost.
      if (
        marks.whole === undefined &&
        !document.querySelector('[data-testid="opening-progress"]') &&
        l.board.elementIds().length === total
      )
        marks.whole = performance.now()
    }
    if (marks.whole === undefined) requestAnimationFrame(tick)
  }
  requestAnimationFrame(tick)
}

const PLAIN_PAGE = (total: number) => `<!doctype html><html><body><script>
const marks = {}; window.__joinMarks = marks; let got = 0
const ws = new WebSocket('ws://' + location.host + '/board'); ws.binaryType = 'arraybuffer'
ws.onmessage = (e) => { if (marks.first === undefined) marks.first = performance.now()
  got += e.data.byteLength; if (got >= ${total}) marks.whole = performance.now() }
</script></body></html>`

async function lanvasJoin(browser: Browser, boardPath: string, strokes: number, cli?: string) {
  let host: HostProcess | undefined
  try {
    host = await startHostProcess(['--port', '0', '--board', boardPath], undefined, cli)
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
        before = await lanvasJoin(browser, beforePath, strokes, join(BASELINE_OUT, 'main', 'cli.js'))
      }
      const lanvas = await lanvasJoin(browser, boardPath, strokes)
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
