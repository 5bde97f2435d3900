// Zoom to fit while a large board streams in and the host sends no overview (as a host with none fresh at hand: after
// a large move or restyle, on a board it never drew, or while its first drawing runs; HostLimits.sendOverviews). The
// page's socket goes through the test, which lets the board's parts through one at a time, a frame or two apart, as a
// large board's come. Zoomed to fit after the first part (one cluster of the board), the page follows the board as
// its parts reach past what was fitted, draws the dense view from tiles (not a whole snapshot again for each part),
// and ends on the whole board: ink at every cluster, none between, the same pixels as a page that zoomed to fit once
// the board was all in.
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
  holdBoardParts,
  inkNear,
  startClusterHost,
} from '../support/clusterBoard'
import { waitUntil } from '../support/waitUntil'

const PART_BYTES = 48 * 1024
/** Strokes a cluster: the whole board, zoomed to fit, holds well over what the scene draws without tiles (1,500). */
const PER_CLUSTER = 1000
const TOTAL = 1 + CLUSTERS.length * PER_CLUSTER
const SCREEN = { width: 1000, height: 700 }

let dir: string
let browser: Browser
const hosts: Host[] = []

const handle = (page: Page) => page.evaluate(() => window.__lanvas !== undefined)

/** The board all in, the opening bar gone, and the view drawn at its final detail. */
async function wholeAndSettled(page: Page): Promise<void> {
  await page.waitForFunction(
    (n) =>
      window.__lanvas?.board.elementIds().length === n &&
      !document.querySelector('[data-testid="opening-progress"]') &&
      window.__lanvas.drawingSettled(),
    TOTAL,
    { timeout: 90_000, polling: 100 },
  )
}

/** A host of the clusters board that sends joiners no overview. */
const clusterHost = (inTurn: boolean) =>
  startClusterHost(
    dir,
    hosts,
    { perCluster: PER_CLUSTER, points: 40, seed: 11, inTurn },
    { syncPartBytes: PART_BYTES, sendOverviews: false },
  )

/**
 * Opens the board with its parts let through by hand: the first, then zoom to fit, then the rest one at a time, a
 * frame or two apart; waits for the board all in and drawn. Returns the zoom fitted after the first part, the
 * elements the scene drew from the key on, and the parts.
 */
async function fitWhileStreaming(page: Page, host: Host) {
  const stream = await holdBoardParts(page, PART_BYTES * 0.9)
  await page.goto(host.url)
  await waitUntil('the first part waits', async () => stream.held() > 0 && (await handle(page)), 60_000)
  stream.releaseOne()
  await page.waitForFunction(() => (window.__lanvas?.board.elementIds().length ?? 0) > 0)
  await frames(page)
  const drawnBefore = await page.evaluate(() => (window.__lanvas as LanvasTestHandle).elementsDrawn())
  await page.keyboard.press('Shift+Digit1')
  await frames(page)
  const zoom = await page.evaluate(() => (window.__lanvas as LanvasTestHandle).viewport().zoom)
  // The host sent no overview: the page knows of the board only what came.
  expect(await page.evaluate(() => (window.__lanvas as LanvasTestHandle).overviewArea())).toBeUndefined()
  let parts = 1
  while (stream.held() > 0) {
    stream.releaseOne()
    parts++
    await frames(page)
  }
  stream.releaseAll()
  await wholeAndSettled(page)
  const drawn =
    (await page.evaluate(() => (window.__lanvas as LanvasTestHandle).elementsDrawn())) - drawnBefore
  return { zoom, drawn, parts }
}

/** Where the page's view is, how it draws, and whether every cluster is on screen. */
function viewNow(page: Page) {
  return page.evaluate((clusters) => {
    const h = window.__lanvas as LanvasTestHandle
    return {
      zoom: h.viewport().zoom,
      mode: h.drawingMode(),
      onScreen: clusters.every((c) => {
        const at = h.boardToScreen(c.x, c.y)
        return at.x > 0 && at.y > 0 && at.x < innerWidth && at.y < innerHeight
      }),
    }
  }, CLUSTERS)
}

/** Ink at every cluster, none between them. */
async function expectWholeBoard(page: Page): Promise<void> {
  for (const c of CLUSTERS) expect(await inkNear(page, c.x, c.y), `ink at ${c.x},${c.y}`).toBeGreaterThan(20)
  for (const p of EMPTY) expect(await inkNear(page, p.x, p.y), `nothing at ${p.x},${p.y}`).toBe(0)
}

/**
 * A page that zooms to fit once the board is all in shows the same pixels as `page`: tiles drawn over as the parts
 * came hold what tiles drawn at once hold. (A fit made while the opening bar showed left room for it: `page` fits
 * again first, to the same level of tiles.)
 */
async function expectAsFreshFit(page: Page, host: Host): Promise<void> {
  await page.keyboard.press('Shift+Digit1')
  await frames(page)
  await wholeAndSettled(page)
  const fresh = await browser.newPage({ viewport: SCREEN })
  await fresh.goto(host.url)
  await fresh.waitForFunction(
    (n) =>
      window.__lanvas?.board.elementIds().length === n &&
      !document.querySelector('[data-testid="opening-progress"]'),
    TOTAL,
    { timeout: 60_000 },
  )
  await fresh.keyboard.press('Shift+Digit1')
  await wholeAndSettled(fresh)
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
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-e2e-fitstream-'))
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  for (const host of hosts) await host.close()
  await rm(dir, { recursive: true, force: true })
})

describe('zoom to fit while a large board streams in without an overview', () => {
  it('draws the view from tiles once the parts fill it, not a snapshot again for each part, and ends on the whole board', async () => {
    const host = await clusterHost(true)
    const page = await browser.newPage({ viewport: SCREEN })
    const { zoom, drawn, parts } = await fitWhileStreaming(page, host)
    expect(parts).toBeGreaterThan(6)
    const end = await viewNow(page)
    // The first part reached about the whole extent: the view stayed at the level of tiles it was fitted to (the
    // parts after it only nudge the fit), and holds every cluster.
    expect(Math.round(Math.log2(end.zoom))).toBe(Math.round(Math.log2(zoom)))
    expect(end.onScreen).toBe(true)
    // Past 1,500 elements the view is drawn from tiles, which draw each part's elements over what they hold,
    // rather than a snapshot of all that came drawn again for each part (about parts × half the board: 12 × here).
    expect(end.mode).toBe('tiles')
    expect(drawn).toBeLessThan(5 * TOTAL)
    await expectWholeBoard(page)
    await expectAsFreshFit(page, host)
    await page.close()
  }, 180_000)

  it('follows the board as its parts reach past what was fitted, and ends on the whole board', async () => {
    const host = await clusterHost(false)
    const page = await browser.newPage({ viewport: SCREEN })
    const { zoom, parts } = await fitWhileStreaming(page, host)
    expect(parts).toBeGreaterThan(6)
    const end = await viewNow(page)
    // Fitted to the first cluster, the view followed the board out to all four.
    expect(end.zoom).toBeLessThan(zoom)
    expect(end.onScreen).toBe(true)
    expect(end.mode).toBe('tiles')
    await page.screenshot({ path: 'test-results/fit-while-streaming.png' })
    await expectWholeBoard(page)
    await expectAsFreshFit(page, host)
    await page.close()
  }, 180_000)
})
