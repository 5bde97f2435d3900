// The canvas in a real Chromium page: pen, pan, zoom, culling, backgrounds, save and open; one browser and host for all.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { makeBoard } from '../../bench/boards'
import type { LanvasTestHandle } from '../../src/renderer/src/testHandle'
import { Board } from '../../src/shared/board'
import { encodeBoardFile, openBoardFile } from '../../src/shared/boardFile'
import { launchBrowser } from '../support/browser'
import { inkPixelsAt, screenPointOf } from '../support/canvas'
import { type HostProcess, startHostProcess } from '../support/hostProcess'
import { chooseFileWithKey } from '../support/pages'
import { waitUntil } from '../support/waitUntil'

const SCREEN = { width: 1000, height: 700 }

/** A colour as ranges of its red, green and blue values. */
interface Colour {
  r: [number, number]
  g: [number, number]
  b: [number, number]
}

interface View {
  x: number
  y: number
  zoom: number
}

let dir: string
let browser: Browser
const hosts: HostProcess[] = []

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-e2e-canvas-'))
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  for (const host of hosts) await host.stop()
  await rm(dir, { recursive: true, force: true })
})

/** A host of its own on a board file (empty unless `bytes` are given). */
async function newHost(name: string, bytes?: Uint8Array): Promise<HostProcess> {
  const path = join(dir, `${name}.lanvas`)
  if (bytes) await writeFile(path, bytes)
  const host = await startHostProcess(['--port', '0', '--board', path])
  hosts.push(host)
  return host
}

async function openPage(url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: SCREEN, acceptDownloads: true })
  const page = await context.newPage()
  await page.goto(url)
  await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor()
  await page.waitForFunction(() => window.__lanvas !== undefined)
  return page
}

function viewOf(page: Page): Promise<View> {
  return page.evaluate(() => (window.__lanvas as LanvasTestHandle).viewport())
}

function strokeCount(page: Page): Promise<number> {
  return page.evaluate(() => (window.__lanvas as LanvasTestHandle).board.elementIds().length)
}

/** Board point under a screen point of the canvas, for a view. */
function boardAt(view: View, sx: number, sy: number): { x: number; y: number } {
  return { x: view.x + sx / view.zoom, y: view.y + sy / view.zoom }
}

/** Draws a straight pen stroke between two board points with the current colour and width. */
async function penLine(page: Page, from: [number, number], to: [number, number]) {
  await page.keyboard.press('p')
  const a = await screenPointOf(page, ...from)
  const b = await screenPointOf(page, ...to)
  await page.mouse.move(a.x, a.y)
  await page.mouse.down()
  await page.mouse.move(b.x, b.y, { steps: 12 })
  await page.mouse.up()
}

/**
 * Pixels the canvas layers show in a square around a screen point whose colour matches `match` (any ink when
 * omitted: the layers are transparent where there is none). Reads real pixels, not the model.
 */
function inkAtScreen(page: Page, x: number, y: number, radius = 6, match?: Colour): Promise<number> {
  return page.evaluate(
    ({ x, y, radius, match }) => {
      let count = 0
      for (const canvas of document.querySelectorAll<HTMLCanvasElement>(
        '[data-testid="board-canvas"] canvas',
      )) {
        const ctx = canvas.getContext('2d')
        if (!ctx) continue
        const scale = canvas.width / canvas.clientWidth || 1
        const size = Math.ceil(2 * radius * scale)
        const data = ctx.getImageData(
          Math.floor((x - radius) * scale),
          Math.floor((y - radius) * scale),
          size,
          size,
        ).data
        for (let i = 0; i < data.length; i += 4) {
          const [r, g, b, a] = [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0, data[i + 3] ?? 0]
          if (a < 40) continue
          if (
            !match ||
            (r >= match.r[0] &&
              r <= match.r[1] &&
              g >= match.g[0] &&
              g <= match.g[1] &&
              b >= match.b[0] &&
              b <= match.b[1])
          )
            count++
        }
      }
      return count
    },
    { x, y, radius, match },
  )
}

/** How many pixels of a vertical line through screen point (x, y) ±30 px are ink: a stroke's thickness. */
function inkThickness(page: Page, x: number, y: number): Promise<number> {
  return page.evaluate(
    ({ x, y }) => {
      let count = 0
      for (const canvas of document.querySelectorAll<HTMLCanvasElement>(
        '[data-testid="board-canvas"] canvas',
      )) {
        const ctx = canvas.getContext('2d')
        if (!ctx) continue
        const scale = canvas.width / canvas.clientWidth || 1
        const data = ctx.getImageData(
          Math.floor(x * scale),
          Math.floor((y - 30) * scale),
          1,
          Math.ceil(60 * scale),
        ).data
        for (let i = 3; i < data.length; i += 4) if ((data[i] as number) > 128) count++
      }
      return count
    },
    { x, y },
  )
}

describe('the eraser', () => {
  it('removes the stroke it is dragged across on both pages; one undo brings it back', async () => {
    const host = await newHost('eraser')
    const one = await openPage(host.url)
    const two = await openPage(host.url)
    await penLine(one, [100, 100], [400, 100])
    await penLine(one, [100, 250], [400, 250])
    await waitUntil('page two shows both strokes', async () => {
      return (await inkPixelsAt(two, 250, 100)) > 0 && (await inkPixelsAt(two, 250, 250)) > 0
    })

    await one.keyboard.press('e')
    const a = await screenPointOf(one, 250, 70)
    const b = await screenPointOf(one, 250, 170)
    await one.mouse.move(a.x, a.y)
    await one.mouse.down()
    await one.mouse.move(b.x, b.y, { steps: 10 })
    await one.mouse.up()

    for (const page of [one, two])
      await waitUntil('the erased stroke is gone', async () => (await inkPixelsAt(page, 250, 100, 12)) === 0)
    expect(await inkPixelsAt(one, 250, 250)).toBeGreaterThan(0)
    expect(await inkPixelsAt(two, 250, 250)).toBeGreaterThan(0)
    expect(await strokeCount(two)).toBe(1)

    await one.keyboard.press('Control+z')
    for (const page of [one, two])
      await waitUntil('the erased stroke is back', async () => (await inkPixelsAt(page, 250, 100)) > 0)
    expect(await strokeCount(two)).toBe(2)
    await one.context().close()
    await two.context().close()
  })
})

describe('viewing the board', () => {
  let page: Page

  beforeAll(async () => {
    const host = await newHost('view')
    page = await openPage(host.url)
    await penLine(page, [300, 300], [340, 300])
  })

  afterAll(async () => {
    await page.context().close()
  })

  /** Drags from screen (x, y) by (dx, dy) with a mouse button, and checks the board followed the pointer. */
  async function expectDragPans(drag: (x: number, y: number, dx: number, dy: number) => Promise<void>) {
    const ink = await screenPointOf(page, 320, 300)
    await waitUntil('the ink is on screen', async () => (await inkAtScreen(page, ink.x, ink.y)) > 0)
    const before = await viewOf(page)
    const strokes = await strokeCount(page)
    const [x, y, dx, dy] = [500, 400, 130, -70]
    await drag(x, y, dx, dy)
    const after = await viewOf(page)
    const grabbed = boardAt(before, x, y)
    const under = boardAt(after, x + dx, y + dy)
    expect(under.x).toBeCloseTo(grabbed.x, 6)
    expect(under.y).toBeCloseTo(grabbed.y, 6)
    expect(after.zoom).toBe(before.zoom)
    // The ink itself moved by the drag distance on screen.
    await waitUntil(
      'the ink moved with the drag',
      async () => (await inkAtScreen(page, ink.x + dx, ink.y + dy)) > 0,
    )
    expect(await inkAtScreen(page, ink.x, ink.y)).toBe(0)
    expect(await strokeCount(page)).toBe(strokes)
  }

  it('pans with space + drag', async () => {
    await page.keyboard.press('p')
    await expectDragPans(async (x, y, dx, dy) => {
      await page.keyboard.down('Space')
      await page.mouse.move(x, y)
      await page.mouse.down()
      await page.mouse.move(x + dx, y + dy, { steps: 8 })
      await page.mouse.up()
      await page.keyboard.up('Space')
    })
  })

  it('pans with a middle-mouse drag', async () => {
    await expectDragPans(async (x, y, dx, dy) => {
      await page.mouse.move(x, y)
      await page.mouse.down({ button: 'middle' })
      await page.mouse.move(x + dx, y + dy, { steps: 8 })
      await page.mouse.up({ button: 'middle' })
    })
  })

  it('pans with the hand tool (H)', async () => {
    await page.keyboard.press('h')
    await expect.poll(() => page.getByTestId('tool-hand').getAttribute('aria-pressed')).toBe('true')
    await expectDragPans(async (x, y, dx, dy) => {
      await page.mouse.move(x, y)
      await page.mouse.down()
      await page.mouse.move(x + dx, y + dy, { steps: 8 })
      await page.mouse.up()
    })
    await page.keyboard.press('p')
  })

  it('zooms with ctrl+wheel around the pointer, between 1% and 800%', async () => {
    const [x, y] = [420, 330]
    await page.mouse.move(x, y)
    const before = await viewOf(page)
    const anchor = boardAt(before, x, y)
    await page.keyboard.down('Control')
    for (let i = 0; i < 3; i++) await page.mouse.wheel(0, -100)
    await page.keyboard.up('Control')
    const zoomed = await viewOf(page)
    expect(zoomed.zoom).toBeGreaterThan(before.zoom * 1.5)
    const still = boardAt(zoomed, x, y)
    expect(still.x).toBeCloseTo(anchor.x, 6)
    expect(still.y).toBeCloseTo(anchor.y, 6)

    await page.keyboard.down('Control')
    for (let i = 0; i < 30; i++) await page.mouse.wheel(0, -300)
    await page.keyboard.up('Control')
    expect((await viewOf(page)).zoom).toBe(8)
    await page.keyboard.down('Control')
    for (let i = 0; i < 40; i++) await page.mouse.wheel(0, 300)
    await page.keyboard.up('Control')
    const out = await viewOf(page)
    expect(out.zoom).toBe(0.01)
    const held = boardAt(out, x, y)
    expect(held.x).toBeCloseTo(anchor.x, 6)
    expect(held.y).toBeCloseTo(anchor.y, 6)
  })

  it('zoom to fit (Shift+1) shows every stroke', async () => {
    // Two strokes far apart, put on the board as a peer would.
    await page.evaluate(() => {
      const board = (window.__lanvas as LanvasTestHandle).board
      for (const [x, y] of [
        [-4000, -2500],
        [5000, 3500],
      ] as const) {
        const id = board.beginStroke({ color: '#1e1e1e', width: 8 }, [x, y, 0.5, x + 200, y, 0.5])
        board.finishStroke(id)
      }
    })
    await page.keyboard.press('Shift+Digit1')
    for (const [x, y] of [
      [-3900, -2500],
      [5100, 3500],
      [320, 300],
    ] as const) {
      const at = await screenPointOf(page, x, y)
      expect(at.x).toBeGreaterThan(0)
      expect(at.x).toBeLessThan(SCREEN.width)
      expect(at.y).toBeGreaterThan(0)
      expect(at.y).toBeLessThan(SCREEN.height)
      await waitUntil(
        `ink at ${x}, ${y} is on screen`,
        async () => (await inkAtScreen(page, at.x, at.y, 3)) > 0,
      )
    }
  })
})

describe('pen, colour, width and history', () => {
  let page: Page

  beforeAll(async () => {
    const host = await newHost('pen')
    page = await openPage(host.url)
  })

  afterAll(async () => {
    await page.context().close()
  })

  it('draws in the chosen colour and width', async () => {
    await page.getByTestId('style-color-e03131').click()
    await page.getByTestId('style-width-2').click()
    await penLine(page, [100, 200], [400, 200])
    await page.getByTestId('style-color-1971c2').click()
    await page.getByTestId('style-width-16').click()
    await penLine(page, [100, 400], [400, 400])

    const red: Colour = { r: [200, 255], g: [0, 90], b: [0, 90] }
    const blue: Colour = { r: [0, 60], g: [80, 140], b: [160, 230] }
    const thin = await screenPointOf(page, 250, 200)
    const wide = await screenPointOf(page, 250, 400)
    await waitUntil(
      'red ink on the first line',
      async () => (await inkAtScreen(page, thin.x, thin.y, 4, red)) > 0,
    )
    expect(await inkAtScreen(page, thin.x, thin.y, 4, blue)).toBe(0)
    await waitUntil(
      'blue ink on the second line',
      async () => (await inkAtScreen(page, wide.x, wide.y, 4, blue)) > 0,
    )
    expect(await inkAtScreen(page, wide.x, wide.y, 4, red)).toBe(0)

    // Read while the ink is on screen: the finished-ink bitmap is redrawn once the view settles.
    const thinPx = await waitUntil('the thin line has a thickness', () => inkThickness(page, thin.x, thin.y))
    const widePx = await waitUntil('the wide line has a thickness', () => inkThickness(page, wide.x, wide.y))
    expect(thinPx).toBeGreaterThan(0)
    expect(widePx).toBeGreaterThan(thinPx * 3)
  })

  it('redoes with Ctrl+Y and with Ctrl+Shift+Z', async () => {
    await page.getByTestId('style-color-1e1e1e').click()
    await page.getByTestId('style-width-4').click()
    await penLine(page, [100, 550], [400, 550])
    await waitUntil('the stroke shows', async () => (await inkPixelsAt(page, 250, 550)) > 0)
    for (const redo of ['Control+y', 'Control+Shift+z']) {
      await page.keyboard.press('Control+z')
      await waitUntil('undo removed it', async () => (await inkPixelsAt(page, 250, 550)) === 0)
      await page.keyboard.press(redo)
      await waitUntil(`${redo} brought it back`, async () => (await inkPixelsAt(page, 250, 550)) > 0)
    }
  })

  it('ignores shortcuts while typing in a field', async () => {
    const before = await strokeCount(page)
    await page.evaluate(() => {
      const input = document.createElement('input')
      input.dataset.testid = 'typing-field'
      input.style.position = 'fixed'
      input.style.left = '10px'
      input.style.bottom = '80px'
      document.body.append(input)
      input.focus()
    })
    await page.keyboard.type('he')
    await page.keyboard.press('Control+z')
    await page.keyboard.press('Shift+Digit1')
    // The field got the keys (Ctrl+Z undid its own typing, Shift+1 typed "!"); the canvas got none.
    expect(await page.getByTestId('typing-field').inputValue()).toBe('!')
    expect(await page.getByTestId('tool-pen').getAttribute('aria-pressed')).toBe('true')
    expect(await strokeCount(page)).toBe(before)
    expect((await viewOf(page)).zoom).toBe(1)
    await page.evaluate(() => document.querySelector('[data-testid="typing-field"]')?.remove())
    // The same keys act on the canvas once the field is gone.
    await page.keyboard.press('e')
    await expect.poll(() => page.getByTestId('tool-eraser').getAttribute('aria-pressed')).toBe('true')
    await page.keyboard.press('p')
  })
})

describe('a large board', () => {
  it('draws only the strokes in view, and those are the right ones', async () => {
    const source = makeBoard(2000, 30, 7, 6000)
    const host = await newHost('large', encodeBoardFile(source.doc))
    const page = await openPage(host.url)
    await waitUntil('the board is loaded', async () => (await strokeCount(page)) === 2000)
    await page.keyboard.press('Control+0')

    /** Strokes whose bounds meet the view, computed from the model; and one of them to look at. */
    const expected = () =>
      page.evaluate(({ width, height }) => {
        const l = window.__lanvas as LanvasTestHandle
        const v = l.viewport()
        const view = { minX: v.x, minY: v.y, maxX: v.x + width / v.zoom, maxY: v.y + height / v.zoom }
        let n = 0
        let sample: { x: number; y: number } | null = null
        for (const s of l.board.strokes()) {
          let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity]
          for (let i = 0; i < s.points.length; i += 3) {
            const x = s.points[i] as number
            const y = s.points[i + 1] as number
            ;[minX, minY, maxX, maxY] = [
              Math.min(minX, x),
              Math.min(minY, y),
              Math.max(maxX, x),
              Math.max(maxY, y),
            ]
          }
          const pad = s.width
          if (
            minX - pad <= view.maxX &&
            maxX + pad >= view.minX &&
            minY - pad <= view.maxY &&
            maxY + pad >= view.minY
          ) {
            n++
            const px = s.points[0] as number
            const py = s.points[1] as number
            if (
              !sample &&
              px > view.minX + 20 &&
              px < view.maxX - 20 &&
              py > view.minY + 80 &&
              py < view.maxY - 80
            )
              sample = { x: px, y: py }
          }
        }
        return { n, sample }
      }, SCREEN)
    const visible = () => page.evaluate(() => (window.__lanvas as LanvasTestHandle).visibleElementCount())

    const zoomedIn = await expected()
    expect(zoomedIn.n).toBeGreaterThan(0)
    expect(zoomedIn.n).toBeLessThan(2000 / 4)
    await waitUntil('the scene draws the strokes in view', async () => (await visible()) === zoomedIn.n)
    if (!zoomedIn.sample) throw new Error('no stroke starts well inside the view')
    const at = await screenPointOf(page, zoomedIn.sample.x, zoomedIn.sample.y)
    expect(await inkAtScreen(page, at.x, at.y, 3)).toBeGreaterThan(0)

    // Zoomed to fit, every stroke is in view and drawn.
    await page.keyboard.press('Shift+Digit1')
    await waitUntil('every stroke is drawn when all are in view', async () => (await visible()) === 2000)
    await page.context().close()
  })
})

describe('save and open in a browser', () => {
  let host: HostProcess
  let page: Page

  beforeAll(async () => {
    host = await newHost('files')
    page = await openPage(host.url)
    await penLine(page, [100, 150], [300, 150])
    await penLine(page, [100, 300], [300, 320])
    await waitUntil('two strokes', async () => (await strokeCount(page)) === 2)
  })

  afterAll(async () => {
    await page.context().close()
  })

  it('Ctrl+S downloads a file that opens as the same board', async () => {
    const download = page.waitForEvent('download')
    await page.keyboard.press('Control+s')
    const file = await (await download).path()
    const bytes = new Uint8Array(await readFile(file))
    const saved = openBoardFile(bytes).strokes()
    const shown = await page.evaluate(() =>
      (window.__lanvas as LanvasTestHandle).board
        .strokes()
        .map((s) => ({ id: s.id, color: s.color, width: s.width, points: Array.from(s.points) })),
    )
    expect(
      saved.map((s) => ({ id: s.id, color: s.color, width: s.width, points: Array.from(s.points) })),
    ).toEqual(shown)
    expect(saved).toHaveLength(2)
  })

  it('Ctrl+O with a foreign file shows a clear error and changes nothing', async () => {
    const hash = await page.evaluate(() => location.hash)
    await chooseFileWithKey(page, 'Control+o', {
      name: 'notes.lanvas',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from('these are my notes, not a board'),
    })
    const error = page.getByTestId('message-error')
    await error.waitFor()
    expect((await error.textContent())?.length ?? 0).toBeGreaterThan(10)
    expect(await page.evaluate(() => location.hash)).toBe(hash)
    expect(await strokeCount(page)).toBe(2)
    expect(await inkPixelsAt(page, 200, 150)).toBeGreaterThan(0)
  })

  it('Ctrl+O with a good .lanvas file switches to that board and shows its ink', async () => {
    const other = new Board(new Y.Doc(), 'someone')
    const id = other.beginStroke({ color: '#1e1e1e', width: 8 }, [150, 450, 0.5, 450, 450, 0.5])
    other.finishStroke(id)
    const hash = await page.evaluate(() => location.hash)
    await chooseFileWithKey(page, 'Control+o', {
      name: 'other.lanvas',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from(encodeBoardFile(other.doc)),
    })
    await waitUntil(
      'the page is on another board',
      async () => (await page.evaluate(() => location.hash)) !== hash,
    )
    await waitUntil('the page shows that board', async () => {
      const ids = await page.evaluate(() => window.__lanvas?.board.elementIds())
      return ids?.length === 1 && ids[0] === id
    })
    await waitUntil('its ink is on screen', async () => (await inkPixelsAt(page, 300, 450)) > 0)
    expect(await inkPixelsAt(page, 200, 150)).toBe(0)
  })
})
