import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { it } from 'vitest'
import { encodeBoardFile } from '../src/shared/boardFile'
import { launchBrowser } from '../test/support/browser'
import { startHostProcess } from '../test/support/hostProcess'
import { makeInkBoard } from './boards'
import { frameTimes } from './frameTimes'
import { centreLines } from './plainCanvas'
import { benchSize, median, ms, percentile, report } from './report'

const SCREEN = { width: 1280, height: 800 }
/** Wheel notches each way: from zoom to fit (~5 %) past 100 % and back (each notch is ×1.083). */
const NOTCHES = 42

/**
 * How long one sweep may send input (ms): a page that takes seconds a frame (the plain page on 100,000 strokes)
 * gets fewer inputs, not hours of them; its frames are measured all the same. A quick run's sweep goes most of the
 * way in and out (its three sweeps were a sixth of the quick run).
 */
const SWEEP_MS = benchSize(120_000, 2_500)

/** Ctrl+wheel in whole notches, one a frame as a wheel or trackpad sends them. */
async function wheel(page: Page, notches: number, dy: number, until: number): Promise<void> {
  await page.mouse.move(SCREEN.width / 2, SCREEN.height / 2)
  await page.keyboard.down('Control')
  for (let i = 0; i < notches && Date.now() < until; i++) {
    await page.mouse.wheel(0, dy)
    await page.waitForTimeout(16)
  }
  await page.keyboard.up('Control')
}

/** A middle-button drag by (dx, dy) screen pixels in 30 moves (a pan with any tool). */
async function pan(page: Page, dx: number, dy: number, until: number): Promise<void> {
  await page.mouse.move(400, 300)
  await page.mouse.down({ button: 'middle' })
  for (let i = 1; i <= 30 && Date.now() < until; i++) {
    await page.mouse.move(400 + (i * dx) / 30, 300 + (i * dy) / 30)
    await page.waitForTimeout(16)
  }
  await page.mouse.up({ button: 'middle' })
}

/** The full range and back: in from the fitted view, a pan at 100 %+, out to the fitted view, a pan there. */
async function sweep(page: Page): Promise<void> {
  const until = Date.now() + SWEEP_MS
  await wheel(page, NOTCHES, -40, until)
  await pan(page, 300, 200, until)
  await wheel(page, NOTCHES, 40, until + SWEEP_MS / 2)
  await pan(page, -300, -200, until + SWEEP_MS / 2)
}

function figures(prefix: string, r: { frames: number[]; longTasks: number[] }): Record<string, number> {
  return {
    [`${prefix}FrameP50Ms`]: ms(median(r.frames)),
    [`${prefix}FrameP95Ms`]: ms(percentile(r.frames, 95)),
    [`${prefix}FrameWorstMs`]: ms(Math.max(...r.frames)),
    [`${prefix}Frames`]: r.frames.length,
    [`${prefix}LongTasks`]: r.longTasks.length,
  }
}

/** A page with one canvas and no framework: wheel zoom, middle-drag pan, every stroke's centre line each frame. */
const BASELINE_PAGE = `<!doctype html><html><body style="margin:0;overflow:hidden"><canvas id="c"></canvas><script>
const c = document.getElementById('c'); c.width = innerWidth; c.height = innerHeight
const ctx = c.getContext('2d'); let view = { x: 0, y: 0, zoom: 1 }; let dirty = true; let S = null
window.setView = (v) => { view = v; dirty = true }
Promise.all([fetch('/meta.json').then((r) => r.json()), fetch('/points.bin').then((r) => r.arrayBuffer())]).then(([m, b]) => {
  const xy = new Float32Array(b); const n = m.widths.length; const boxes = new Float32Array(n * 4)
  for (let i = 0; i < n; i++) { let a = Infinity, bb = Infinity, cc = -Infinity, d = -Infinity
    for (let k = m.offsets[i]; k < m.offsets[i + 1]; k++) { const x = xy[2 * k], y = xy[2 * k + 1]
      if (x < a) a = x; if (y < bb) bb = y; if (x > cc) cc = x; if (y > d) d = y }
    const w = m.widths[i]; boxes.set([a - w, bb - w, cc + w, d + w], i * 4) }
  S = { xy, m, n, boxes }; dirty = true; window.ready = true })
const frame = () => { requestAnimationFrame(frame); if (!dirty || !S) return; dirty = false
  ctx.setTransform(1, 0, 0, 1, 0, 0); ctx.clearRect(0, 0, c.width, c.height)
  ctx.setTransform(view.zoom, 0, 0, view.zoom, -view.x * view.zoom, -view.y * view.zoom)
  ctx.lineCap = 'round'; ctx.lineJoin = 'round'
  const x0 = view.x, y0 = view.y, x1 = view.x + c.width / view.zoom, y1 = view.y + c.height / view.zoom
  for (let i = 0; i < S.n; i++) { const o = i * 4
    if (S.boxes[o] > x1 || S.boxes[o + 2] < x0 || S.boxes[o + 1] > y1 || S.boxes[o + 3] < y0) continue
    ctx.beginPath(); let k = S.m.offsets[i]; ctx.moveTo(S.xy[2 * k], S.xy[2 * k + 1])
    for (k++; k < S.m.offsets[i + 1]; k++) ctx.lineTo(S.xy[2 * k], S.xy[2 * k + 1])
    ctx.strokeStyle = S.m.colors[i]; ctx.lineWidth = S.m.widths[i]; ctx.stroke() } }
requestAnimationFrame(frame)
let dragging = null
c.addEventListener('wheel', (e) => { e.preventDefault(); if (!e.ctrlKey) return
  const z = Math.min(8, Math.max(0.001, view.zoom * Math.exp(-e.deltaY * 0.002)))
  const bx = view.x + e.offsetX / view.zoom, by = view.y + e.offsetY / view.zoom
  view = { zoom: z, x: bx - e.offsetX / z, y: by - e.offsetY / z }; dirty = true }, { passive: false })
c.addEventListener('pointerdown', (e) => { dragging = { x: e.clientX, y: e.clientY } })
c.addEventListener('pointermove', (e) => { if (!dragging) return
  view = { ...view, x: view.x - (e.clientX - dragging.x) / view.zoom, y: view.y - (e.clientY - dragging.y) / view.zoom }
  dragging = { x: e.clientX, y: e.clientY }; dirty = true })
c.addEventListener('pointerup', () => { dragging = null })
</script></body></html>`

/**
 * Another build of the app to measure in the same run, as "before" (`LANVAS_BENCH_BEFORE_OUT=/path/to/out`: a worktree
 * of the old commit built with `npx electron-vite build`).
 */
const BEFORE_OUT = process.env.LANVAS_BENCH_BEFORE_OUT

/**
 * Where to write a CPU profile of each sweep (`LANVAS_BENCH_ZOOM_PROFILE=/some/dir`: Chromium's sampling profiler
 * through CDP, 1 ms samples; open the .cpuprofile files in Chromium's DevTools, or read them with
 * bench/profileFrames.ts). Unset: no profiler runs, so the frames measured are the page's own.
 */
const PROFILE_DIR = process.env.LANVAS_BENCH_ZOOM_PROFILE

/**
 * Starts the CPU profiler on a page when PROFILE_DIR is set; the function returned stops it and saves the profile as
 * `<name>.cpuprofile`, with `<name>.frames.json`: the end of every frame since the start (performance.now(), ms) and
 * the profiler's clock at one of them, so that a long frame can be found in the profile (bench/profileFrames.mjs).
 */
async function startProfile(page: Page): Promise<(name: string) => Promise<void>> {
  if (!PROFILE_DIR) return async () => {}
  const dir = PROFILE_DIR
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.setSamplingInterval', { interval: 1000 })
  await cdp.send('Profiler.start')
  await page.addInitScript(() => {
    const w = window as unknown as { __frameEnds: number[] }
    w.__frameEnds = []
    const tick = (t: number) => {
      w.__frameEnds.push(t)
      requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
  })
  return async (name) => {
    // A marker the profile shows by name: 30 ms of busy JS whose start is known on the page's clock.
    const mark = await page.evaluate(() => {
      const lanvasProfileMark = () => {
        const t = performance.now()
        while (performance.now() - t < 30) {}
        return t
      }
      return lanvasProfileMark()
    })
    const frameEnds = await page.evaluate(
      () => (window as unknown as { __frameEnds?: number[] }).__frameEnds ?? [],
    )
    const { profile } = await cdp.send('Profiler.stop')
    await mkdir(dir, { recursive: true })
    await writeFile(join(dir, `${name}.cpuprofile`), JSON.stringify(profile))
    await writeFile(join(dir, `${name}.frames.json`), JSON.stringify({ mark, frameEnds }))
    await page.evaluate(() => {
      ;(window as unknown as { __frameEnds?: number[] }).__frameEnds = []
    })
    await cdp.send('Profiler.start')
  }
}

/** What a trace records: the frame pipeline on every thread, tasks, V8's garbage collector. */
const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
  'toplevel',
  'cc',
  'viz',
  'gpu',
  'benchmark',
  'v8',
  'disabled-by-default-v8.gc',
  'blink.user_timing',
]

/** Opens the board in the app served by a host of `cli`, zooms it to fit and records two sweeps. */
async function sweepApp(
  browser: Browser,
  boardPath: string,
  strokes: number,
  cli?: string,
): Promise<{
  first: { frames: number[]; longTasks: number[] }
  second: { frames: number[]; longTasks: number[] }
  fitted: { x: number; y: number; zoom: number }
}> {
  const host = await startHostProcess(['--port', '0', '--board', boardPath], undefined, cli)
  try {
    const page = await browser.newPage({ viewport: SCREEN })
    const saveProfile = await startProfile(page)
    await page.goto(host.url)
    for (const started = Date.now(); ; await page.waitForTimeout(500)) {
      const shown = await page.evaluate((total) => {
        const l = (
          window as unknown as {
            __lanvas?: { board: { elementIds(): string[] }; visibleElementCount(): number }
          }
        ).__lanvas
        return l !== undefined && l.board.elementIds().length === total && l.visibleElementCount() > 0
      }, strokes)
      if (shown) break
      if (Date.now() - started > 1_200_000) throw new Error(`the ${strokes}-stroke board never showed`)
    }
    await page.keyboard.press('Shift+Digit1')
    await page.waitForTimeout(1500)
    const fitted = await page.evaluate(() =>
      (
        window as unknown as { __lanvas: { viewport(): { x: number; y: number; zoom: number } } }
      ).__lanvas.viewport(),
    )
    // A first sweep draws what the view shows for the first time (outlines, caches); the second is measured as well.
    const label = cli ? 'before' : 'after'
    const first = await frameTimes(page, () => sweep(page))
    await saveProfile(`${label}-${strokes}-load-and-first-sweep`)
    // LANVAS_BENCH_ZOOM_TRACE=/some/dir: a Chromium performance trace of the second sweep (every thread: where a
    // long frame waited when the page's own thread was idle), to open in DevTools' Performance panel.
    const trace = process.env.LANVAS_BENCH_ZOOM_TRACE
    if (trace) {
      await mkdir(trace, { recursive: true })
      await browser.startTracing(page, {
        path: join(trace, `${label}-${strokes}-second-sweep.json`),
        categories: TRACE_CATEGORIES,
      })
    }
    const second = await frameTimes(page, () => sweep(page))
    if (trace) await browser.stopTracing()
    await saveProfile(`${label}-${strokes}-second-sweep`)
    await page.close()
    return { first, second, fitted }
  } finally {
    await host.stop()
  }
}

async function zoomBoard(browser: Browser, strokes: number): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'lanvas-bench-zoom-'))
  try {
    const board = makeInkBoard(strokes, 'compact')
    const boardPath = join(dir, 'big.lanvas')
    await writeFile(boardPath, encodeBoardFile(board.doc))
    const lines = centreLines(board)

    const { first, second, fitted } = await sweepApp(browser, boardPath, strokes)
    const before = BEFORE_OUT
      ? await sweepApp(browser, boardPath, strokes, join(BEFORE_OUT, 'main/cli.js'))
      : undefined

    // The plain page and its strokes from a loopback server (140 MB of points at 100k: too much for a route).
    // LANVAS_BENCH_ZOOM_PLAIN=0 leaves it out (a profiling run that needs only the app's sweeps).
    let base = { frames: [Number.NaN], longTasks: [] as number[] }
    let server: Server | undefined
    if (process.env.LANVAS_BENCH_ZOOM_PLAIN !== '0')
      try {
        server = createServer((req, res) => {
          if (req.url === '/points.bin') res.end(lines.points)
          else if (req.url === '/meta.json') res.end(lines.meta)
          else res.end(BASELINE_PAGE)
        })
        await new Promise<void>((ok) => server?.listen(0, '127.0.0.1', ok))
        const plain = await browser.newPage({ viewport: SCREEN })
        await plain.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)
        await plain.waitForFunction(
          () => (window as unknown as { ready?: boolean }).ready === true,
          undefined,
          {
            timeout: 300_000,
          },
        )
        await plain.evaluate((v) => (window as unknown as { setView(v: unknown): void }).setView(v), fitted)
        await plain.waitForTimeout(500)
        base = await frameTimes(plain, () => sweep(plain))
        await plain.close()
      } catch (e) {
        console.log(`[bench] zoom: the plain page failed at ${strokes} strokes: ${e}`)
      } finally {
        server?.close()
      }

    const firstP95 = percentile(first.frames, 95)
    // Baselines under the sweeps' names, so the report divides each figure by theirs.
    const baselines = [{ name: 'plain canvas page', figures: figures('lanvasFirstSweep', base) }]
    if (before)
      baselines.push({
        name: `before: the build in ${BEFORE_OUT}`,
        figures: {
          ...figures('lanvasFirstSweep', before.first),
          ...figures('lanvasSecondSweep', before.second),
        },
      })
    report(
      `zoom-${strokes >= 100_000 ? '100k' : strokes >= 10_000 ? '10k' : 'quick'}`,
      {
        strokes,
        screen: `${SCREEN.width}x${SCREEN.height}`,
        fitZoom: ms(fitted.zoom * 1000) / 1000,
        ...figures('lanvasFirstSweep', first),
        ...figures('lanvasSecondSweep', second),
        ...figures('plainCanvas', base),
        p95RatioToPlain: ms(firstP95 / percentile(base.frames, 95)),
        worstRatioToPlain: ms(Math.max(...first.frames) / Math.max(...base.frames)),
      },
      baselines,
    )
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

it('zooming and panning 10k and 100k-stroke boards in Chromium, beside a plain canvas page', async () => {
  const browser = await launchBrowser()
  try {
    // LANVAS_BENCH_ZOOM_STROKES=100000 runs one size only (the 100k run takes most of an hour on a loaded machine).
    const only = process.env.LANVAS_BENCH_ZOOM_STROKES?.split(',').map(Number)
    for (const strokes of only ?? benchSize([10_000, 100_000], [2_000])) await zoomBoard(browser, strokes)
  } finally {
    await browser.close()
  }
}, 3_600_000)
