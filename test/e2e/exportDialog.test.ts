import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createCanvas, loadImage } from '@napi-rs/canvas'
import type { Browser, Download, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { LanvasTestHandle } from '../../src/renderer/src/testHandle'
import { launchBrowser } from '../support/browser'
import { screenPointOf } from '../support/canvas'
import { type HostProcess, startHostProcess } from '../support/hostProcess'
import { chooseFileWithKey } from '../support/pages'
import { waitUntil } from '../support/waitUntil'

// The export dialog of the real page, served by a real host process. The page is at http://127.0.0.1:PORT/, a
// secure context, so the clipboard works there as it does in the app.
let dir: string
let host: HostProcess
let browser: Browser
let page: Page

/** Two straight black strokes, one above the other: the export must show ink in two bands and none between. */
const STROKES: [number, number, number, number][] = [
  [100, 150, 300, 150],
  [100, 300, 300, 300],
]

const dialog = () => page.getByTestId('export-dialog')
const sizeLine = async () => (await page.getByTestId('export-size').textContent()) ?? ''

interface StrokeData {
  id: string
  color: string
  width: number
  points: number[]
}

function strokesOnPage(): Promise<StrokeData[]> {
  return page.evaluate(() =>
    (window.__lanvas as LanvasTestHandle).board
      .strokes()
      .map((s) => ({ id: s.id, color: s.color, width: s.width, points: Array.from(s.points) })),
  )
}

/** Draws one stroke with the pen, as a person would with the mouse. */
async function penLine(x1: number, y1: number, x2: number, y2: number) {
  await page.keyboard.press('p')
  const a = await screenPointOf(page, x1, y1)
  const b = await screenPointOf(page, x2, y2)
  await page.mouse.move(a.x, a.y)
  await page.mouse.down()
  await page.mouse.move(b.x, b.y, { steps: 12 })
  await page.mouse.up()
}

async function openDialog(how: 'keys' | 'button') {
  if (how === 'keys') await page.keyboard.press('Control+Shift+E')
  else await page.getByTestId('export-open').click()
  await dialog().waitFor()
  await page.getByTestId('export-preview').waitFor()
}

/** Pixels of an image file (PNG, JPEG), decoded in Node by @napi-rs/canvas. */
interface Pixels {
  width: number
  height: number
  data: Uint8ClampedArray
}

async function decode(bytes: Uint8Array): Promise<Pixels> {
  const image = await loadImage(Buffer.from(bytes))
  const canvas = createCanvas(image.width, image.height)
  const ctx = canvas.getContext('2d')
  ctx.drawImage(image, 0, 0)
  return {
    width: image.width,
    height: image.height,
    data: ctx.getImageData(0, 0, image.width, image.height).data,
  }
}

const isInk = (p: Pixels, x: number, y: number) => {
  const i = (y * p.width + x) * 4
  const d = p.data
  return (
    (d[i + 3] as number) > 200 &&
    (d[i] as number) < 90 &&
    (d[i + 1] as number) < 90 &&
    (d[i + 2] as number) < 90
  )
}

/** Ink pixels in rows [from, to) × columns [left, right), as fractions of the image. */
function inkIn(p: Pixels, rows: [number, number], columns: [number, number] = [0, 1]): number {
  let n = 0
  for (let y = Math.floor(rows[0] * p.height); y < Math.ceil(rows[1] * p.height); y++)
    for (let x = Math.floor(columns[0] * p.width); x < Math.ceil(columns[1] * p.width); x++)
      if (isInk(p, x, y)) n++
  return n
}

/**
 * Checks that an image shows the two strokes: ink across the top and the bottom band (left, middle and right),
 * nothing between them, nothing in the corners.
 */
function expectTheTwoStrokes(p: Pixels) {
  for (const band of [
    [0, 0.3],
    [0.7, 1],
  ] as [number, number][]) {
    for (const column of [
      [0.05, 0.2],
      [0.45, 0.55],
      [0.8, 0.95],
    ] as [number, number][])
      expect(inkIn(p, band, column), `ink at rows ${band} columns ${column}`).toBeGreaterThan(0)
  }
  expect(inkIn(p, [0.4, 0.6])).toBe(0)
  expect(inkIn(p, [0, 0.02], [0, 0.02])).toBe(0)
}

async function downloaded(download: Download): Promise<Uint8Array> {
  return new Uint8Array(await readFile(await download.path()))
}

/** Clicks Export and resolves to the file the browser downloads; the dialog stays open and says so. */
async function exportFile(): Promise<{ name: string; bytes: Uint8Array }> {
  const download = page.waitForEvent('download')
  await page.getByTestId('export-save').click()
  const file = await download
  const name = file.suggestedFilename()
  await page
    .getByTestId('export-message')
    .filter({ hasText: `Exported: ${name}` })
    .waitFor()
  expect(await dialog().isVisible()).toBe(true)
  return { name, bytes: await downloaded(file) }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-e2e-export-'))
  host = await startHostProcess(['--port', '0', '--board', join(dir, 'Sketch.lanvas')])
  browser = await launchBrowser()
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 }, acceptDownloads: true })
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(host.url).origin })
  page = await context.newPage()
  await page.goto(host.url)
  await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor()
  await page.waitForFunction(() => window.__lanvas !== undefined)
  for (const s of STROKES) await penLine(...s)
  await waitUntil('both strokes are on the board', async () => (await strokesOnPage()).length === 2)
})

afterAll(async () => {
  await browser?.close()
  await host?.stop()
  await rm(dir, { recursive: true, force: true })
})

describe('the export dialog of the page', () => {
  // A test that fails with the dialog open leaves the next one a closed dialog, as it expects.
  afterEach(async () => {
    if ((await dialog().count()) === 0) return
    await page.keyboard.press('Escape')
    await dialog().waitFor({ state: 'detached' })
  })

  it('opens with Ctrl+Shift+E and previews the ink', async () => {
    await openDialog('keys')
    const src = await page.getByTestId('export-preview').getAttribute('src')
    const png = Buffer.from(src?.replace(/^data:image\/png;base64,/, '') ?? '', 'base64')
    expectTheTwoStrokes(await decode(png))
    if (process.env.EXPORT_SCREENSHOT) await page.screenshot({ path: process.env.EXPORT_SCREENSHOT })
  })

  it('opens from the top bar button and says the size the choices give', async () => {
    await openDialog('button')
    await page.getByTestId('export-padding').fill('0')
    await page.getByTestId('export-scale-1').click()
    await waitUntil('the size follows', async () => (await sizeLine()).endsWith('px PNG'))
    const [w1, h1] = (await sizeLine()).match(/\d[\d,]*/g)?.map((n) => Number(n.replace(/,/g, ''))) ?? []
    expect(await sizeLine()).toBe(`${w1} × ${h1} px PNG`)

    await page.getByTestId('export-scale-2').click()
    const at2 = await waitUntil('the size follows the scale', async () => {
      const line = await sizeLine()
      return line.startsWith(`${w1} ×`) ? undefined : line
    })
    // ceil(2x) is 2·ceil(x) or one less.
    const [w2, h2] = at2.match(/\d[\d,]*/g)?.map((n) => Number(n.replace(/,/g, ''))) ?? []
    expect([2 * (w1 as number) - 1, 2 * (w1 as number)]).toContain(w2)
    expect([2 * (h1 as number) - 1, 2 * (h1 as number)]).toContain(h2)

    // Padding is in board units: 10 of them are 20 px at 2×.
    await page.getByTestId('export-padding').fill('10')
    const padded = await waitUntil('the size follows the padding', async () => {
      const line = await sizeLine()
      return line.startsWith(`${w2} ×`) ? undefined : line
    })
    const [w3, h3] = padded.match(/\d[\d,]*/g)?.map((n) => Number(n.replace(/,/g, ''))) ?? []
    expect([(w2 as number) + 39, (w2 as number) + 40]).toContain(w3)
    expect([(h2 as number) + 39, (h2 as number) + 40]).toContain(h3)

    // A width scales the padding too, so the image keeps its shape.
    await page.getByTestId('export-width').fill(String(2 * (w3 as number)))
    const wide = await waitUntil('the size follows the width', async () => {
      const line = await sizeLine()
      return line.startsWith(`${2 * (w3 as number)} × `) ? line : undefined
    })
    const h4 = Number(wide.match(/\d[\d,]*/g)?.[1]?.replace(/,/g, ''))
    expect(Math.abs(h4 - 2 * (h3 as number))).toBeLessThanOrEqual(2)
    await page.getByTestId('export-scale-2').click()
    await waitUntil('back to 2×', async () => (await sizeLine()).startsWith(`${w3} × `))
  })

  it('turns transparency off for JPEG, says so, and exports on the board colour', async () => {
    await openDialog('keys')
    await page.getByTestId('export-background').selectOption('transparent')
    expect(await page.getByTestId('export-note').count()).toBe(0)
    await page.getByTestId('export-format').selectOption('jpeg')
    expect(
      await page.locator('[data-testid="export-background"] option[value="transparent"]').isDisabled(),
    ).toBe(true)
    await page.getByTestId('export-note').waitFor()
    expect(await page.getByTestId('export-note').textContent()).toMatch(/^JPEG has no transparency/)
    expect(await sizeLine()).toMatch(/ px JPEG$/)
    expect(await page.getByTestId('export-embed').isDisabled()).toBe(true)

    const { name, bytes } = await exportFile()
    expect(name).toBe('Sketch.jpg')
    expect([...bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff])
    const image = await decode(bytes)
    expectTheTwoStrokes(image)
    // Transparent pixels in a JPEG would come out black; the board colour is white.
    expect([...image.data.subarray(0, 3)].every((c) => c > 240)).toBe(true)
  })

  it('Export downloads a PNG of the ink that opens again as the same board', async () => {
    await openDialog('keys')
    // The dialog remembers the JPEG of the test before (exportChoices.test.ts tests that).
    expect(await page.getByTestId('export-format').inputValue()).toBe('jpeg')
    await page.getByTestId('export-format').selectOption('png')
    await page.getByTestId('export-embed').check()
    const size = await sizeLine()
    const { name, bytes } = await exportFile()
    expect(name).toBe('Sketch.png')
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    const image = await decode(bytes)
    expect(`${image.width.toLocaleString()} × ${image.height.toLocaleString()} px PNG`).toBe(size)
    expectTheTwoStrokes(image)

    // Opening the image (Ctrl+O, as a person picks a file) makes a new board with the same strokes. The dialog stays
    // open after an export and keeps keys from the board, so the person closes it first.
    await page.keyboard.press('Escape')
    await dialog().waitFor({ state: 'hidden' })
    const before = await strokesOnPage()
    const hash = await page.evaluate(() => location.hash)
    await chooseFileWithKey(page, 'Control+o', {
      name: 'Sketch.png',
      mimeType: 'image/png',
      buffer: Buffer.from(bytes),
    })
    // The page either moves to the new board or says why it cannot; the message makes a failure readable.
    const outcome = await waitUntil('the page opens the image or says why not', async () => {
      if ((await page.evaluate(() => location.hash)) !== hash) return 'opened'
      const errors = page.getByTestId('message-error')
      return (await errors.count()) > 0 ? await errors.first().textContent() : undefined
    })
    expect(outcome).toBe('opened')
    await waitUntil(
      'that board has the strokes',
      async () => (await strokesOnPage()).length === before.length,
    )
    expect(await strokesOnPage()).toEqual(before)
  })

  it('Ctrl+Shift+C puts a PNG of the board on the clipboard', async () => {
    await page.keyboard.press('Control+Shift+C')
    await page.getByTestId('message-info').filter({ hasText: 'Copied the board as an image.' }).waitFor()
    const copied = await page.evaluate(async () => {
      const items = await navigator.clipboard.read()
      const item = items.find((i) => i.types.includes('image/png'))
      if (!item) return { types: items.flatMap((i) => i.types), bytes: [] }
      const blob = await item.getType('image/png')
      return { types: item.types, bytes: Array.from(new Uint8Array(await blob.arrayBuffer())) }
    })
    expect(copied.types).toContain('image/png')
    expectTheTwoStrokes(await decode(new Uint8Array(copied.bytes)))
  })

  it('SVG downloads with one <path> per stroke', async () => {
    await openDialog('keys')
    await page.getByTestId('export-format').selectOption('svg')
    await waitUntil('the size says SVG', async () => (await sizeLine()).endsWith(' px SVG'))
    const { name, bytes } = await exportFile()
    // The reopened board is named after the image, made unique beside the first: "Sketch (2)".
    expect(name).toMatch(/^Sketch( \(\d+\))?\.svg$/)
    const svg = new TextDecoder().decode(bytes)
    // Parsed by the browser's XML parser: a malformed file would give a parsererror document.
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml')
      return {
        root: doc.documentElement.nodeName,
        errors: doc.getElementsByTagName('parsererror').length,
        paths: doc.getElementsByTagName('path').length,
      }
    }, svg)
    expect(parsed).toEqual({ root: 'svg', errors: 0, paths: STROKES.length })
  })

  it('offers the selection when something is selected, exports only it, and Ctrl+Shift+C copies only it', async () => {
    await page.keyboard.press('v')
    const top = await screenPointOf(page, 200, 150)
    await page.mouse.click(top.x, top.y)
    await waitUntil(
      'the top stroke is selected',
      async () => (await page.evaluate(() => (window.__lanvas as LanvasTestHandle).selected().length)) === 1,
    )
    await openDialog('keys')
    await page.getByTestId('export-format').selectOption('png')
    const choice = page.getByTestId('export-area-selection')
    expect(await choice.isDisabled()).toBe(false)
    expect(await choice.getAttribute('aria-pressed')).toBe('true')
    // One straight stroke: a wide, low image with ink along its middle (the board's two strokes would be tall).
    const oneStroke = (p: Pixels) => {
      expect(p.width / p.height, `${p.width} × ${p.height}`).toBeGreaterThan(4)
      expect(inkIn(p, [0.3, 0.7], [0.1, 0.9])).toBeGreaterThan(0)
    }
    oneStroke(await decode((await exportFile()).bytes))
    // The dialog stays open after an export; closed, the keys are the board's again.
    await page.keyboard.press('Escape')
    await dialog().waitFor({ state: 'detached' })
    expect(await page.evaluate(() => (window.__lanvas as LanvasTestHandle).selected().length)).toBe(1)

    await page.keyboard.press('Control+Shift+C')
    await page.getByTestId('message-info').filter({ hasText: 'Copied the selection as an image.' }).waitFor()
    const copied = await page.evaluate(async () => {
      const item = (await navigator.clipboard.read()).find((i) => i.types.includes('image/png'))
      const blob = await item?.getType('image/png')
      return blob ? Array.from(new Uint8Array(await blob.arrayBuffer())) : []
    })
    oneStroke(await decode(new Uint8Array(copied)))
    await page.keyboard.press('Escape')
    await waitUntil(
      'nothing is selected',
      async () => (await page.evaluate(() => (window.__lanvas as LanvasTestHandle).selected().length)) === 0,
    )
  })

  it('Escape closes the dialog', async () => {
    await openDialog('keys')
    await page.keyboard.press('Escape')
    await dialog().waitFor({ state: 'detached' })
  })
})
