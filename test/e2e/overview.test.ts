// Zoom to fit while a large board opens: the host sends a late joiner a picture of the whole board (the overview)
// before the board's parts, and the page draws it under the scene. The page's socket goes through the test, which
// holds back every part of the board: zoomed to fit (Shift+1) meanwhile, the page fits the board's extent and shows
// ink at every cluster of the board, from the overview alone, the progress bar up. Then the board comes: the
// overview is gone and the board's own strokes show where it showed them. And the page paints before it applies a
// part: zoomed to fit with parts already waiting in the page, the next frame shows the overview before any of them is
// applied (a part of a 100,000-stroke board holds the page a tenth of a second or more).
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Host } from '../../src/main/host/server'
import type { LanvasTestHandle } from '../../src/renderer/src/testHandle'
import { launchBrowser } from '../support/browser'
import {
  CLUSTERS,
  EMPTY,
  HOLD_PARTS_IN_PAGE,
  holdBoardParts,
  inkNear,
  type PartsInPage,
  startClusterHost,
} from '../support/clusterBoard'
import { waitUntil } from '../support/waitUntil'

const PART_BYTES = 256 * 1024
const PER_CLUSTER = 500
let dir: string
let browser: Browser
const hosts: Host[] = []

/** What an animation frame of the page showed: its zoom, the overview or not, and the board's elements it held. */
type Shown = { zoom: number; overview: boolean; elements: number }

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-e2e-overview-'))
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  for (const host of hosts) await host.close()
  await rm(dir, { recursive: true, force: true })
})

/** A host of the clusters board whose overview is drawn (a page joining before it is drawn would get none). */
const clusterHost = () =>
  startClusterHost(
    dir,
    hosts,
    { perCluster: PER_CLUSTER, points: 120, seed: 5 },
    { syncPartBytes: PART_BYTES },
  )

describe('zoom to fit while a large board opens', () => {
  it('shows the whole board from the host overview, then the board itself', async () => {
    const host = await clusterHost()
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } })
    const route = await holdBoardParts(page, PART_BYTES)
    await page.goto(host.url)
    await page.waitForFunction(() => window.__lanvas?.overviewArea() !== undefined, undefined, {
      timeout: 60_000,
    })
    // At 100 % a pixel of the picture is tens of screen pixels: it is held, not shown.
    expect(await page.evaluate(() => (window.__lanvas as LanvasTestHandle).overviewShown())).toBe(false)
    await page.keyboard.press('Shift+Digit1')
    // The view fits the board's extent: every cluster is on screen.
    await waitUntil('zoomed to fit the whole board', () =>
      page.evaluate((clusters) => {
        const handle = window.__lanvas as LanvasTestHandle
        return clusters.every((c) => {
          const at = handle.boardToScreen(c.x, c.y)
          return at.x > 0 && at.y > 0 && at.x < innerWidth && at.y < innerHeight
        })
      }, CLUSTERS),
    )
    await page.waitForFunction(() => window.__lanvas?.overviewShown() === true)
    await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))))
    await page.screenshot({ path: 'test-results/overview-during.png' })
    const during = await page.evaluate(() => ({
      boardElements: (window.__lanvas as LanvasTestHandle).board.elementIds().length,
      progress: document.querySelector('[data-testid="opening-progress"]') !== null,
    }))
    // Nothing of the board has come: what shows is the overview (and the preview's one stroke).
    expect(route.held()).toBeGreaterThan(0)
    expect(route.largestPassed()).toBeLessThan(PART_BYTES)
    expect(during.boardElements).toBe(0)
    expect(during.progress).toBe(true)
    for (const c of CLUSTERS)
      expect(await inkNear(page, c.x, c.y), `ink at ${c.x},${c.y}`).toBeGreaterThan(20)
    for (const p of EMPTY) expect(await inkNear(page, p.x, p.y), `nothing at ${p.x},${p.y}`).toBe(0)

    route.releaseAll()
    await page.waitForFunction(
      (n) =>
        window.__lanvas?.board.elementIds().length === n &&
        !document.querySelector('[data-testid="opening-progress"]'),
      1 + CLUSTERS.length * PER_CLUSTER,
      { timeout: 60_000 },
    )
    expect(await page.evaluate(() => (window.__lanvas as LanvasTestHandle).overviewShown())).toBe(false)
    await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))))
    await page.screenshot({ path: 'test-results/overview-after.png' })
    for (const c of CLUSTERS)
      expect(await inkNear(page, c.x, c.y), `ink at ${c.x},${c.y}`).toBeGreaterThan(20)
    for (const p of EMPTY) expect(await inkNear(page, p.x, p.y), `nothing at ${p.x},${p.y}`).toBe(0)
    await page.close()
  }, 120_000)
  it('paints the view zoomed to fit, the overview in it, before it applies a part that waited', async () => {
    const host = await clusterHost()
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } })
    await page.addInitScript(HOLD_PARTS_IN_PAGE, PART_BYTES)
    await page.goto(host.url)
    await page.waitForFunction(
      () =>
        window.__lanvas?.overviewArea() !== undefined &&
        (window as unknown as { __parts: PartsInPage }).__parts.held() > 1,
      undefined,
      { timeout: 60_000 },
    )
    const total = 1 + CLUSTERS.length * PER_CLUSTER
    // From now on, what every frame shows.
    await page.evaluate(() => {
      const handle = window.__lanvas as LanvasTestHandle
      const frames: Shown[] = []
      ;(window as unknown as { __frames: Shown[] }).__frames = frames
      const frame = () => {
        frames.push({
          zoom: handle.viewport().zoom,
          overview: handle.overviewShown(),
          elements: handle.board.elementIds().length,
        })
        requestAnimationFrame(frame)
      }
      requestAnimationFrame(frame)
    })
    // Zoom to fit (Shift+1), and in the same task the parts reach the app.
    await page.evaluate(() => {
      window.dispatchEvent(new KeyboardEvent('keydown', { key: '!', code: 'Digit1', shiftKey: true }))
      ;(window as unknown as { __parts: PartsInPage }).__parts.release()
    })
    await page.waitForFunction(
      (n) =>
        window.__lanvas?.board.elementIds().length === n &&
        !document.querySelector('[data-testid="opening-progress"]'),
      total,
      { timeout: 60_000 },
    )
    await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))))
    const frames = await page.evaluate(() => (window as unknown as { __frames: Shown[] }).__frames)
    // The first frame of the fitted view shows the whole board from the overview, none of the board applied yet.
    const fitted = frames.find((f) => f.zoom < 0.5)
    expect(fitted).toEqual({ zoom: fitted?.zoom, overview: true, elements: 0 })
    // And the board ended whole, the overview gone.
    expect(frames.at(-1)).toEqual({ zoom: fitted?.zoom, overview: false, elements: total })
    await page.close()
  }, 120_000)
})
