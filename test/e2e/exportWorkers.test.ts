import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inflateSync } from 'node:zlib'
import { createCanvas } from '@napi-rs/canvas'
import type { Browser, BrowserContext, Download, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LanvasTestHandle } from '../../src/renderer/src/testHandle'
import { bandCount, bandPlan } from '../../src/shared/export/bands'
import type { ExportLayout } from '../../src/shared/export/layout'
import { pngChunks } from '../../src/shared/export/png'
import { launchBrowser } from '../support/browser'
import { screenPointOf } from '../support/canvas'
import { type HostProcess, startHostProcess } from '../support/hostProcess'
import { waitUntil } from '../support/waitUntil'

// The export dialog's PNG of several bands drawn in Web Workers (src/renderer/src/export/bandWorkers.ts), in a real
// Chromium page served by a real host: the file's pixels are those of the page's own thread (the same page with no
// OffscreenCanvas, the path every browser without workers takes), also for letters (the workers get the page's
// fonts), Cancel ends the workers and writes nothing, and a worker that does not start leaves the export to the page
// without a word.
let dir: string
let host: HostProcess
let browser: Browser
let page: Page
/** The same board in a page without OffscreenCanvas: the export draws on the page's thread, as before workers. */
let onePage: Page
const contexts: BrowserContext[] = []

/** Wide enough that the PNG is several bands (a band is at most 16 MB of RGBA). */
const WIDTH = 3000

const handle = (p: Page) => p.evaluate(() => (window.__lanvas as LanvasTestHandle).exportWorkers())

/** Waits until a page's board holds `count` elements. */
const hasElements = (p: Page, count: number, what: string) =>
  waitUntil(
    what,
    async () =>
      (await p.evaluate(() => (window.__lanvas as LanvasTestHandle).board.elementIds().length)) === count,
  )

/** What a page says of its machine: cores (`navigator.hardwareConcurrency`) and GB (`deviceMemory`; null: none). */
interface Device {
  cores: number
  memory: number | null
}

/** The machine the pages of this file say they run on, unless a test says otherwise: two cores, 8 GB. */
const TWO_CORES: Device = { cores: 2, memory: 8 }

async function openPage(init?: () => void, device: Device = TWO_CORES): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 }, acceptDownloads: true })
  contexts.push(context)
  await context.addInitScript(({ cores, memory }) => {
    Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => cores })
    if (memory === null) delete (Navigator.prototype as { deviceMemory?: number }).deviceMemory
    else Object.defineProperty(Navigator.prototype, 'deviceMemory', { get: () => memory })
  }, device)
  if (init) await context.addInitScript(init)
  const p = await context.newPage()
  await p.goto(host.url)
  await p.locator('[data-testid="connection-status"][data-status="connected"]').waitFor()
  await p.waitForFunction(() => window.__lanvas !== undefined)
  return p
}

/** Draws one stroke with the pen, as a person would with the mouse. */
async function penLine(x1: number, y1: number, x2: number, y2: number) {
  await page.keyboard.press('p')
  const a = await screenPointOf(page, x1, y1)
  const b = await screenPointOf(page, x2, y2)
  await page.mouse.move(a.x, a.y)
  await page.mouse.down()
  await page.mouse.move((a.x + b.x) / 2, b.y - 40, { steps: 8 })
  await page.mouse.move(b.x, b.y, { steps: 8 })
  await page.mouse.up()
}

/** Opens the dialog on a PNG `width` px wide (transparent: RGBA rows). */
async function openPngDialog(p: Page, width: number) {
  await p.keyboard.press('Control+Shift+E')
  await p.getByTestId('export-dialog').waitFor()
  await p.getByTestId('export-format').selectOption('png')
  await p.getByTestId('export-background').selectOption('transparent')
  await p.getByTestId('export-width').fill(String(width))
  await waitUntil('the size follows the width', async () =>
    ((await p.getByTestId('export-size').textContent()) ?? '').startsWith(`${width.toLocaleString()} ×`),
  )
}

async function closeDialog(p: Page) {
  await p.keyboard.press('Escape')
  await p.getByTestId('export-dialog').waitFor({ state: 'detached' })
}

/** Clicks Export and resolves to the downloaded file once the dialog says it is exported. */
async function exportFile(p: Page): Promise<Uint8Array> {
  const download: Promise<Download> = p.waitForEvent('download', { timeout: 120_000 })
  await p.getByTestId('export-save').click()
  const file = await download
  await p
    .getByTestId('export-message')
    .filter({ hasText: `Exported: ${file.suggestedFilename()}` })
    .waitFor({ timeout: 120_000 })
  return new Uint8Array(await readFile(await file.path()))
}

/** A PNG's size and its image data inflated: every row, its filter byte and its pixels. */
function pngRows(bytes: Uint8Array): { width: number; height: number; rows: Buffer } {
  const idat: Uint8Array[] = []
  let width = 0
  let height = 0
  for (const { type, data } of pngChunks(bytes)) {
    if (type === 'IHDR') {
      const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
      width = view.getUint32(0)
      height = view.getUint32(4)
    } else if (type === 'IDAT') idat.push(data)
  }
  return { width, height, rows: inflateSync(Buffer.concat(idat)) }
}

/** How many bands the PNG export of an image of this size draws (transparent: RGBA). */
function bandsOf(image: { width: number; height: number }): number {
  return bandCount(
    bandPlan({ width: image.width, height: image.height, background: undefined } as ExportLayout),
  )
}

/** A small picture with a gradient, so that an image drawn differently would show. */
function gradientPng(): number[] {
  const canvas = createCanvas(64, 48)
  const ctx = canvas.getContext('2d')
  const g = ctx.createLinearGradient(0, 0, 64, 48)
  g.addColorStop(0, '#c03020')
  g.addColorStop(1, '#2040d0')
  ctx.fillStyle = g
  ctx.fillRect(0, 0, 64, 48)
  return [...canvas.toBuffer('image/png')]
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-e2e-export-workers-'))
  host = await startHostProcess(['--port', '0', '--board', join(dir, 'Bands.lanvas')])
  browser = await launchBrowser()
  page = await openPage()
  for (const [x1, y1, x2, y2] of [
    [100, 150, 300, 160],
    [120, 300, 320, 260],
    [90, 420, 310, 440],
  ] as const)
    await penLine(x1, y1, x2, y2)
  await page.evaluate((bytes) => {
    const board = (window.__lanvas as LanvasTestHandle).board
    board.addImage(Uint8Array.from(bytes), 'image/png', 96, 72, { x: 200, y: 340 })
  }, gradientPng())
  await hasElements(page, 4, 'the strokes and the image are on the board')
  onePage = await openPage(() => {
    delete (globalThis as { OffscreenCanvas?: unknown }).OffscreenCanvas
  })
  await hasElements(onePage, 4, 'the second page has the board')
}, 120_000)

afterAll(async () => {
  for (const c of contexts) await c.close()
  await browser?.close()
  await host?.stop()
  await rm(dir, { recursive: true, force: true })
})

describe("the export dialog's PNG bands in Web Workers", () => {
  let reference: ReturnType<typeof pngRows>

  it('draws a PNG of several bands in two workers, with the pixels the page draws on its own thread', async () => {
    const started: string[] = []
    page.on('worker', (w) => started.push(w.url()))
    const before = await handle(page)
    await openPngDialog(page, WIDTH)
    const inWorkers = pngRows(await exportFile(page))
    await closeDialog(page)
    expect((await handle(page)).started - before.started).toBe(2)
    expect(started.filter((url) => /bandWorker/.test(url))).toHaveLength(2)
    // Every band was drawn by a worker, and there are several.
    expect((await handle(page)).bands - before.bands).toBe(bandsOf(inWorkers))
    expect(bandsOf(inWorkers)).toBeGreaterThan(2)
    // Done: the workers are gone.
    expect((await handle(page)).running).toBe(0)
    expect(inWorkers.width).toBe(WIDTH)

    await openPngDialog(onePage, WIDTH)
    reference = pngRows(await exportFile(onePage))
    await closeDialog(onePage)
    expect(await handle(onePage)).toEqual({ started: 0, running: 0, bands: 0 })
    expect(reference.width).toBe(inWorkers.width)
    expect(reference.height).toBe(inWorkers.height)
    // Ink and the image are there (not a blank image that would equal another blank one).
    expect(reference.rows.some((b, i) => i % (WIDTH * 4 + 1) !== 0 && b !== 0)).toBe(true)
    expect(inWorkers.rows.equals(reference.rows)).toBe(true)
  }, 240_000)

  it('starts one worker per core, at most four and at most one per GB of memory the browser tells', async () => {
    for (const [device, workers] of [
      [{ cores: 4, memory: 8 }, 4],
      [{ cores: 8, memory: 8 }, 4],
      [{ cores: 3, memory: null }, 3],
      [{ cores: 8, memory: 2 }, 2],
    ] as const) {
      const p = await openPage(undefined, device)
      await hasElements(p, 4, 'the page has the board')
      await openPngDialog(p, WIDTH)
      const rows = pngRows(await exportFile(p))
      await closeDialog(p)
      const counts = await handle(p)
      expect(counts.started, JSON.stringify(device)).toBe(workers)
      expect(counts.bands).toBe(bandsOf(rows))
      expect(rows.rows.equals(reference.rows)).toBe(true)
      await p.context().close()
    }
  }, 240_000)

  it('Cancel during a worker export ends the workers, writes no file, and the dialog exports again', async () => {
    const downloads: Download[] = []
    const onDownload = (d: Download) => downloads.push(d)
    page.on('download', onDownload)
    // Large enough that the workers are still drawing when Cancel is clicked.
    await openPngDialog(page, 12_000)
    await page.getByTestId('export-save').click()
    await waitUntil('the workers draw', async () => (await handle(page)).running === 2)
    await page.getByTestId('export-cancel').click()
    await page.getByTestId('export-message').filter({ hasText: 'Export cancelled.' }).waitFor()
    expect((await handle(page)).running).toBe(0)
    expect(downloads).toHaveLength(0)
    page.off('download', onDownload)

    // The dialog is usable: the next export writes the same file as before.
    await page.getByTestId('export-width').fill(String(WIDTH))
    const again = pngRows(await exportFile(page))
    await closeDialog(page)
    expect(again.rows.equals(reference.rows)).toBe(true)
  }, 240_000)

  it('a worker that does not start leaves the export to the page, with no error and the same pixels', async () => {
    const broken = await openPage(() => {
      const Real = globalThis.Worker
      // The band workers' script cannot be loaded (as where a server or a policy refuses it).
      globalThis.Worker = class extends Real {
        constructor(url: string | URL, options?: WorkerOptions) {
          super(options?.name === 'lanvas-export-band' ? '/no-such-worker.js' : url, options)
        }
      }
    })
    await hasElements(broken, 4, 'the page has the board')
    await openPngDialog(broken, WIDTH)
    const rows = pngRows(await exportFile(broken))
    expect(await broken.getByTestId('export-message').textContent()).toMatch(/^Exported: /)
    await closeDialog(broken)
    expect(await handle(broken)).toEqual({ started: 2, running: 0, bands: 0 })
    expect(rows.rows.equals(reference.rows)).toBe(true)
  }, 240_000)

  it("draws letters in the workers with the page's fonts: texts, notes, frame names and labels as the page does", async () => {
    await page.evaluate(() => {
      const board = (window.__lanvas as LanvasTestHandle).board
      board.addText({ x: 120, y: 200, text: 'Bands, Λ and Ж', fontSize: 28 })
      board.addNote({ x: 330, y: 120, text: 'A note in a worker' })
      board.addFrame({ x: 60, y: 100, width: 420, height: 420, name: 'The frame' })
      board.addShape('rect', { x: 240, y: 460, width: 120, height: 50, label: 'Label' })
    })
    await hasElements(page, 8, 'the letters are on the board')
    await hasElements(onePage, 8, 'the second page has them')
    const before = await handle(page)
    await openPngDialog(page, WIDTH)
    const inWorkers = pngRows(await exportFile(page))
    await closeDialog(page)
    expect((await handle(page)).started - before.started).toBe(2)
    expect((await handle(page)).bands - before.bands).toBe(bandsOf(inWorkers))
    await openPngDialog(onePage, WIDTH)
    const onThePage = pngRows(await exportFile(onePage))
    await closeDialog(onePage)
    expect(bandsOf(inWorkers)).toBeGreaterThan(2)
    // The letters changed the image (the frame grows it; the texts are ink where there was none).
    expect(onThePage.rows.equals(reference.rows)).toBe(false)
    expect(inWorkers.rows.equals(onThePage.rows)).toBe(true)
  }, 240_000)
})
