// Zoom to fit while a large board streams in and the host's overview shows it whole under the scene (issue 9, items 3
// and 4): the picture stands in for the view's tiles, so the board's parts go first. Parts that wait in the page are
// applied one after another with no tile drawn between them (a 100,000-stroke board's parts came 2-3 s later when
// every frame between two of them drew tiles); the tiles are drawn in the page's idle time and once the board is in.
// And the picture stays under the tiles still to draw after the board came, until they are drawn: the view never
// shows the board with holes where the picture was. The page's socket goes through the test, which holds the parts.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Host } from '../../src/main/host/server'
import type { LanvasTestHandle } from '../../src/renderer/src/testHandle'
import { launchBrowser } from '../support/browser'
import {
  CLUSTERS,
  EMPTY,
  finishedLayer,
  frames,
  HOLD_PARTS_IN_PAGE,
  inkNear,
  type PartsInPage,
  startClusterHost,
} from '../support/clusterBoard'

const PART_BYTES = 48 * 1024
/** Strokes a cluster: the board zoomed to fit holds well over what the scene draws without tiles (1,500). */
const PER_CLUSTER = 1000
const TOTAL = 1 + CLUSTERS.length * PER_CLUSTER
const SCREEN = { width: 1000, height: 700 }

let dir: string
let browser: Browser
const hosts: Host[] = []

/** Ink at every cluster, none between them. */
async function expectWholeBoard(page: Page, when: string): Promise<void> {
  for (const c of CLUSTERS)
    expect(await inkNear(page, c.x, c.y), `${when}: ink at ${c.x},${c.y}`).toBeGreaterThan(20)
  for (const p of EMPTY) expect(await inkNear(page, p.x, p.y), `${when}: nothing at ${p.x},${p.y}`).toBe(0)
}

/**
 * The pixels of the finished elements' layer (the one that draws the theme itself) within 6 screen pixels of a board
 * point: how many are opaque, and of those how many light and how many dark.
 */
async function finishedInkNear(
  page: Page,
  x: number,
  y: number,
): Promise<{ opaque: number; light: number; dark: number }> {
  return page.evaluate(
    ({ x, y }) => {
      const at = (window.__lanvas as LanvasTestHandle).boardToScreen(x, y)
      const canvas = document.querySelector(
        '[data-testid="board-canvas"] canvas.draws-theme',
      ) as HTMLCanvasElement
      const k = canvas.width / canvas.clientWidth || 1
      const size = Math.ceil(12 * k)
      const data = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(
        Math.floor((at.x - 6) * k),
        Math.floor((at.y - 6) * k),
        size,
        size,
      ).data
      let opaque = 0
      let light = 0
      let dark = 0
      for (let i = 0; i < data.length; i += 4) {
        if ((data[i + 3] as number) < 200) continue
        opaque++
        const least = Math.min(data[i] as number, data[i + 1] as number, data[i + 2] as number)
        const most = Math.max(data[i] as number, data[i + 1] as number, data[i + 2] as number)
        if (least > 150) light++
        else if (most < 90) dark++
      }
      return { opaque, light, dark }
    },
    { x, y },
  )
}

/** The board all in and the opening bar gone. */
async function whole(page: Page): Promise<void> {
  await page.waitForFunction(
    (n) =>
      window.__lanvas?.board.elementIds().length === n &&
      !document.querySelector('[data-testid="opening-progress"]'),
    TOTAL,
    { timeout: 90_000, polling: 100 },
  )
}

/** A host of the clusters board (a stroke of each cluster in turn) whose overview is drawn. */
const clusterHost = () =>
  startClusterHost(
    dir,
    hosts,
    { perCluster: PER_CLUSTER, points: 40, seed: 11, inTurn: true },
    { syncPartBytes: PART_BYTES },
  )

/** Opens the board with its parts held in the page, and zooms to fit: the overview shows the whole board. */
async function fitOnOverview(page: Page, host: Host): Promise<void> {
  await page.addInitScript(HOLD_PARTS_IN_PAGE, PART_BYTES * 0.9)
  await page.goto(host.url)
  await page.waitForFunction(
    () =>
      window.__lanvas?.overviewArea() !== undefined &&
      (window as unknown as { __parts: PartsInPage }).__parts.held() > 0,
    undefined,
    { timeout: 60_000 },
  )
  await page.keyboard.press('Shift+Digit1')
  await page.waitForFunction(() => window.__lanvas?.overviewShown() === true)
  await frames(page)
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-e2e-overviewparts-'))
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  for (const host of hosts) await host.close()
  await rm(dir, { recursive: true, force: true })
})

describe('zoom to fit while a large board streams in under its overview', () => {
  it('applies the parts that wait one after another, drawing no tile between them', async () => {
    const host = await clusterHost()
    const page = await browser.newPage({ viewport: SCREEN })
    await fitOnOverview(page, host)
    // Parts one at a time, two frames apart, until the view is drawn from tiles (past 1,500 elements).
    while ((await page.evaluate(() => window.__lanvas?.drawingMode())) !== 'tiles') {
      await page.evaluate(() => (window as unknown as { __parts: PartsInPage }).__parts.releaseOne())
      await frames(page)
    }
    const waiting = await page.evaluate(() => (window as unknown as { __parts: PartsInPage }).__parts.held())
    expect(waiting).toBeGreaterThan(8)
    // From now on: the elements the scene drew when each part was applied, and the frames the page painted.
    await page.evaluate(() => {
      const h = window.__lanvas as LanvasTestHandle
      const seen: { elements: number; drawn: number; frames: number }[] = []
      let painted = 0
      const frame = () => {
        painted++
        requestAnimationFrame(frame)
      }
      requestAnimationFrame(frame)
      h.board.doc.on('afterTransaction', () =>
        seen.push({ elements: h.board.elementIds().length, drawn: h.elementsDrawn(), frames: painted }),
      )
      ;(window as unknown as { __seen: typeof seen }).__seen = seen
      ;(window as unknown as { __parts: PartsInPage }).__parts.releaseAll(40)
    })
    await whole(page)
    const seen = await page.evaluate(
      () => (window as unknown as { __seen: { elements: number; drawn: number; frames: number }[] }).__seen,
    )
    // The parts: the transactions that brought elements.
    const applied = seen.filter((s, i) => s.elements > (seen[i - 1]?.elements ?? 0))
    expect(applied.length).toBe(waiting)
    const first = applied[0] as (typeof applied)[number]
    const last = applied.at(-1) as (typeof applied)[number]
    // The page painted frames while the parts were applied (the tiles had time there, and the overview showed)...
    expect(last.frames).toBeGreaterThan(first.frames)
    // ... but no tile was drawn between the first part and the last: the parts went first.
    expect(last.drawn).toBe(first.drawn)
    // Then the tiles: the whole board drawn at fit.
    await page.waitForFunction(() => window.__lanvas?.drawingSettled(), undefined, { timeout: 60_000 })
    expect(await page.evaluate(() => window.__lanvas?.drawingMode())).toBe('tiles')
    await expectWholeBoard(page, 'drawn')
    await page.close()
  }, 180_000)

  it('keeps the overview under the tiles still to draw once the board is in, until they are drawn', async () => {
    const host = await clusterHost()
    const page = await browser.newPage({ viewport: SCREEN })
    await fitOnOverview(page, host)
    // Tiles not drawn yet when the board is all in (the page applied the parts first): held back here.
    await page.evaluate(() => (window.__lanvas as LanvasTestHandle).pauseRefinement(true))
    await page.evaluate(() => (window as unknown as { __parts: PartsInPage }).__parts.releaseAll())
    await whole(page)
    await frames(page)
    // The overview's layer is gone with the stream; its picture still stands in where no tile is drawn.
    expect(await page.evaluate(() => window.__lanvas?.overviewShown())).toBe(false)
    expect(await page.evaluate(() => window.__lanvas?.drawingMode())).toBe('tiles')
    expect(await page.evaluate(() => window.__lanvas?.drawingSettled())).toBe(false)
    await expectWholeBoard(page, 'the board in, its tiles not drawn')
    // There, on the finished elements' layer (the overview's own layer is hidden): the picture standing in.
    for (const c of CLUSTERS)
      expect((await finishedInkNear(page, c.x, c.y)).opaque, `picture at ${c.x},${c.y}`).toBeGreaterThan(20)
    await page.evaluate(() => (window.__lanvas as LanvasTestHandle).pauseRefinement(false))
    await page.waitForFunction(() => window.__lanvas?.drawingSettled(), undefined, { timeout: 60_000 })
    await frames(page)
    await expectWholeBoard(page, 'drawn')
    // The picture left nothing behind: the same pixels as a page that zoomed to fit once the board was in (the fit
    // made while the opening bar showed left room for it: this page fits again first, to the same level of tiles).
    await page.keyboard.press('Shift+Digit1')
    await frames(page)
    await page.waitForFunction(() => window.__lanvas?.drawingSettled(), undefined, { timeout: 60_000 })
    const fresh = await browser.newPage({ viewport: SCREEN })
    await fresh.goto(host.url)
    await whole(fresh)
    await fresh.keyboard.press('Shift+Digit1')
    await fresh.waitForFunction(() => window.__lanvas?.drawingSettled(), undefined, { timeout: 60_000 })
    await frames(fresh)
    expect(await fresh.evaluate(() => (window.__lanvas as LanvasTestHandle).viewport())).toEqual(
      await page.evaluate(() => (window.__lanvas as LanvasTestHandle).viewport()),
    )
    const a = Buffer.from(await finishedLayer(page), 'base64')
    const b = Buffer.from(await finishedLayer(fresh), 'base64')
    expect(a.length).toBe(b.length)
    let differ = 0
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differ++
    expect(differ).toBe(0)
    await fresh.close()
    await page.close()
  }, 180_000)

  it('shows the kept picture in the dark theme’s colours, as the tiles drawn over it', async () => {
    const host = await clusterHost()
    const page = await browser.newPage({ viewport: SCREEN })
    // The canvas options' dark mode, as this browser keeps it.
    await page.addInitScript(() => localStorage.setItem('lanvas.canvas', JSON.stringify({ dark: true })))
    await fitOnOverview(page, host)
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark')
    await page.evaluate(() => (window.__lanvas as LanvasTestHandle).pauseRefinement(true))
    // Every part waiting in one task (parts that came while the page was busy): the board comes, and the overview
    // ends, before a frame has drawn any of them.
    await page.evaluate(() => (window as unknown as { __parts: PartsInPage }).__parts.release())
    await whole(page)
    await frames(page)
    expect(await page.evaluate(() => window.__lanvas?.drawingSettled())).toBe(false)
    // The black cluster (#1e1e1e): light ink on the dark paper, in the picture standing in for its tiles...
    const black = CLUSTERS.find((c) => c.color === '#1e1e1e') as (typeof CLUSTERS)[number]
    const inPicture = await finishedInkNear(page, black.x, black.y)
    expect(inPicture.light).toBeGreaterThan(20)
    expect(inPicture.dark).toBe(0)
    // ... as in the tiles drawn over it.
    await page.evaluate(() => (window.__lanvas as LanvasTestHandle).pauseRefinement(false))
    await page.waitForFunction(() => window.__lanvas?.drawingSettled(), undefined, { timeout: 60_000 })
    await frames(page)
    const inTiles = await finishedInkNear(page, black.x, black.y)
    expect(inTiles.light).toBeGreaterThan(20)
    expect(inTiles.dark).toBe(0)
    await page.close()
  }, 180_000)
})
