import { readdirSync, readFileSync } from 'node:fs'
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { inflateSync } from 'node:zlib'
import type { Browser, Page } from 'playwright-core'
import { expect, it } from 'vitest'
import { pngChunks } from '../src/shared/export/png'
import { launchBrowser } from '../test/support/browser'
import { builtFile } from '../test/support/built'
import { startHostProcess } from '../test/support/hostProcess'
import { cachedFile, makeInkBoard } from './boards'
import { writeBoardFile } from './export/largeExport'
import { benchSize, ms, report } from './report'

/**
 * The export dialog's PNG in Chromium (the web client the host serves; the app's dialog is the same page): a dense
 * board exported at 2× through the dialog, its bands drawn in Web Workers (the default where the browser has them),
 * against the same page with no OffscreenCanvas (the one-thread path, as every export was before), and with
 * `LANVAS_BENCH_BASELINE_OUT=DIR` also against an older build. Measured: click to download, and how busy the page's
 * main thread was meanwhile (its longest task, all long tasks, the longest gap between animation frames).
 *
 * Also measured: the page's renderer processes' resident memory, before the click and at its peak during the export
 * (sampled every 50 ms from /proc; the workers run in the page's process).
 *
 * Knobs: LANVAS_BENCH_DIALOG_STROKES (default 20,000; 500 quick), LANVAS_BENCH_DIALOG_SCALE (2; 1 quick),
 * LANVAS_BENCH_DIALOG_REPEATS (1): each repeat runs every variant once, in turn; LANVAS_BENCH_DIALOG_CORES=N adds a
 * variant whose page says it has N cores (`navigator.hardwareConcurrency`): as many workers as a machine of N cores
 * would start, measured on this one.
 */
const STROKES = Number(process.env.LANVAS_BENCH_DIALOG_STROKES ?? benchSize(20_000, 500))
const SCALE = Number(process.env.LANVAS_BENCH_DIALOG_SCALE ?? benchSize(2, 1))
const REPEATS = Number(process.env.LANVAS_BENCH_DIALOG_REPEATS ?? 1)
const BASELINE_OUT = process.env.LANVAS_BENCH_BASELINE_OUT
const CORES = process.env.LANVAS_BENCH_DIALOG_CORES
  ? Number(process.env.LANVAS_BENCH_DIALOG_CORES)
  : undefined
/** Where strokes start (each wanders up to ~1,800 units): dense as the 100,000-stroke board of export.scenario.ts. */
const SPAN = STROKES >= 100_000 ? 3_800 : 500

/** What this scenario reads of the page's test handle (src/renderer/src/testHandle.ts; an older build has no exportWorkers). */
interface Handle {
  board: { elementIds(): string[] }
  exportWorkers?: () => { started: number }
}
declare const window: { __lanvas?: Handle }

interface Variant {
  name: string
  cli: string
  /** Runs before the page's scripts (the one-thread variant takes OffscreenCanvas away), with `arg`. */
  init?: (arg: number) => void
  arg?: number
}

interface Run {
  ms: number
  longestTaskMs: number
  longTasksMs: number
  worstFrameGapMs: number
  workers: number
  pngMb: number
  /** The page's renderer processes' resident memory before the click, and at the peak during the export. */
  rendererMb: number
  rendererPeakMb: number
  rows: Buffer
}

/** The resident memory of Chromium's renderer processes now, in MB (this bench opens one page at a time). */
function rendererMb(): number {
  let kb = 0
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes('--type=renderer')) continue
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))?.[1] ?? 0)
    } catch {
      // Gone between the listing and the read.
    }
  }
  return kb / 1024
}

/** Watches the page's main thread from now: long tasks (over 50 ms) and the gaps between animation frames. */
async function watchMainThread(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __watch: { tasks: number[]; gap: number; stop: boolean } }
    const watch = { tasks: [] as number[], gap: 0, stop: false }
    const since = performance.now()
    w.__watch = watch
    new PerformanceObserver((list) => {
      // Only the export's: the dialog's own preview, redrawn as the choices were made, ends before.
      for (const e of list.getEntries()) if (e.startTime >= since) watch.tasks.push(e.duration)
    }).observe({ type: 'longtask' })
    let last = performance.now()
    const frame = (t: number) => {
      watch.gap = Math.max(watch.gap, t - last)
      last = t
      if (!watch.stop) requestAnimationFrame(frame)
    }
    requestAnimationFrame(frame)
  })
}

async function mainThreadSeen(page: Page) {
  return page.evaluate(() => {
    const watch = (window as unknown as { __watch: { tasks: number[]; gap: number; stop: boolean } }).__watch
    watch.stop = true
    return {
      longestTaskMs: Math.max(0, ...watch.tasks),
      longTasksMs: watch.tasks.reduce((a, b) => a + b, 0),
      worstFrameGapMs: watch.gap,
    }
  })
}

/** The inflated image data of a PNG (every row, filter byte and pixels). */
function pngRows(bytes: Uint8Array): Buffer {
  const idat: Uint8Array[] = []
  for (const { type, data } of pngChunks(bytes)) if (type === 'IDAT') idat.push(data)
  return inflateSync(Buffer.concat(idat))
}

async function exportOnce(browser: Browser, variant: Variant, board: string, dir: string): Promise<Run> {
  const path = join(dir, `${variant.name.replace(/\W/g, '-')}.lanvas`)
  await copyFile(board, path)
  const host = await startHostProcess(['--port', '0', '--board', path], undefined, variant.cli)
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true })
  try {
    if (variant.init) await context.addInitScript(variant.init, variant.arg ?? 0)
    const page = await context.newPage()
    await page.goto(host.url)
    await page.waitForFunction(() => window.__lanvas !== undefined, undefined, { timeout: 600_000 })
    await page.waitForFunction((n) => (window.__lanvas as Handle).board.elementIds().length >= n, STROKES, {
      timeout: 600_000,
      polling: 500,
    })
    await page.keyboard.press('Control+Shift+E')
    await page.getByTestId('export-dialog').waitFor()
    await page.getByTestId('export-format').selectOption('png')
    await page.getByTestId('export-background').selectOption('white')
    await page.getByTestId('export-padding').fill('16')
    await page.getByTestId(`export-scale-${SCALE}`).click()
    await page.getByTestId('export-preview').waitFor()
    // The preview redraws as the choices change: let it settle, so that its work is not the export's.
    await page.waitForTimeout(3000)
    const workersBefore = await page.evaluate(
      () => (window.__lanvas as Handle).exportWorkers?.().started ?? 0,
    )
    await watchMainThread(page)
    const before = rendererMb()
    let peak = before
    const sampler = setInterval(() => {
      peak = Math.max(peak, rendererMb())
    }, 50)
    const download = page.waitForEvent('download', { timeout: 1_800_000 })
    const t = performance.now()
    await page.getByTestId('export-save').click()
    const file = await download
    const took = performance.now() - t
    clearInterval(sampler)
    const seen = await mainThreadSeen(page)
    const workers =
      (await page.evaluate(() => (window.__lanvas as Handle).exportWorkers?.().started ?? 0)) - workersBefore
    const bytes = new Uint8Array(await readFile(await file.path()))
    return {
      ms: took,
      ...seen,
      workers,
      pngMb: bytes.byteLength / 2 ** 20,
      rendererMb: before,
      rendererPeakMb: peak,
      rows: pngRows(bytes),
    }
  } finally {
    await context.close()
    await host.stop()
  }
}

it('export dialog: a dense board as PNG in Chromium, bands in Web Workers against the page alone', async () => {
  const startLoad = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')
  const board = await cachedFile(`ink-${STROKES}-span${SPAN}-seed7.lanvas`, (p) =>
    writeBoardFile(makeInkBoard(STROKES, 'compact', 7, 16, SPAN), p),
  )
  const cli = builtFile('main/cli.js')
  const variants: Variant[] = [
    { name: 'workers', cli },
    {
      name: 'one thread',
      cli,
      init: () => {
        delete (globalThis as { OffscreenCanvas?: unknown }).OffscreenCanvas
      },
    },
  ]
  if (CORES)
    variants.push({
      name: `workers, ${CORES} cores`,
      cli,
      arg: CORES,
      init: (cores) => {
        Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => cores })
      },
    })
  if (BASELINE_OUT) variants.push({ name: 'before', cli: join(BASELINE_OUT, 'main', 'cli.js') })
  const dir = await mkdtemp(join(tmpdir(), 'lanvas-bench-dialog-'))
  const browser = await launchBrowser()
  const runs = new Map<string, Run[]>(variants.map((v) => [v.name, []]))
  try {
    for (let r = 0; r < REPEATS; r++)
      for (const v of r % 2 === 0 ? variants : [...variants].reverse()) {
        const run = await exportOnce(browser, v, board, dir)
        console.log(
          `[bench] dialog export ${v.name}: ${ms(run.ms)} ms, longest task ${ms(run.longestTaskMs)} ms, ` +
            `long tasks ${ms(run.longTasksMs)} ms, worst frame gap ${ms(run.worstFrameGapMs)} ms, ` +
            `${run.workers} workers, ${ms(run.pngMb)} MB, renderers ${ms(run.rendererMb)} MB → peak ` +
            `${ms(run.rendererPeakMb)} MB (load ${loadavg()[0]?.toFixed(2)})`,
        )
        runs.get(v.name)?.push(run)
      }
  } finally {
    await browser.close()
    await rm(dir, { recursive: true, force: true })
  }
  // What was measured happened: workers drew the first, not the second, and the pixels are the same.
  const first = (name: string) => runs.get(name)?.[0] as Run
  expect(first('workers').workers).toBeGreaterThanOrEqual(2)
  if (CORES) {
    expect(first(`workers, ${CORES} cores`).workers).toBe(Math.min(4, CORES))
    expect(first(`workers, ${CORES} cores`).rows.equals(first('one thread').rows)).toBe(true)
  }
  expect(first('one thread').workers).toBe(0)
  expect(first('workers').rows.equals(first('one thread').rows)).toBe(true)
  if (BASELINE_OUT) expect(first('workers').rows.equals(first('before').rows)).toBe(true)
  const figuresOf = (name: string) => {
    const list = runs.get(name) ?? []
    const best = (key: keyof Run) => ms(Math.min(...list.map((r) => r[key] as number)))
    return {
      strokes: STROKES,
      scale: SCALE,
      exportMs: best('ms'),
      longestTaskMs: best('longestTaskMs'),
      longTasksMs: best('longTasksMs'),
      worstFrameGapMs: best('worstFrameGapMs'),
      pngMb: best('pngMb'),
      rendererMb: best('rendererMb'),
      rendererPeakMb: best('rendererPeakMb'),
      runs: list.length,
      loadAverageAtStart: startLoad,
      loadAverage: loadavg()
        .map((l) => l.toFixed(2))
        .join(' '),
    }
  }
  report(
    'export-dialog',
    figuresOf('workers'),
    variants.slice(1).map((v) => ({ name: v.name, figures: figuresOf(v.name) })),
  )
}, 3_600_000)
