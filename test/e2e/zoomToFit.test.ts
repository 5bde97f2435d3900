// Zoom to fit (Shift+1) in a real Chromium page: the board is shown whole where a person can see it, clear of the
// floating toolbar, title, actions and style panel, however large it is.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LanvasTestHandle } from '../../src/renderer/src/testHandle'
import { launchBrowser } from '../support/browser'
import { inkPixelsAt, screenPointOf } from '../support/canvas'
import { type HostProcess, startHostProcess } from '../support/hostProcess'
import { waitUntil } from '../support/waitUntil'

let dir: string
let browser: Browser
const hosts: HostProcess[] = []

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-e2e-fit-'))
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  for (const host of hosts) await host.stop()
  await rm(dir, { recursive: true, force: true })
})

/** A page on a fresh board of its own, with the pen picked (its style panel open, as while drawing). */
async function openBoard(name: string): Promise<Page> {
  const host = await startHostProcess(['--port', '0', '--board', join(dir, `${name}.lanvas`)])
  hosts.push(host)
  const page = await browser.newPage({ viewport: { width: 1000, height: 700 } })
  await page.goto(host.url)
  await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor()
  await page.waitForFunction(() => window.__lanvas !== undefined)
  await page.keyboard.press('p')
  await page.getByTestId('style-panel').waitFor()
  return page
}

/** Short dark strokes (400 units long) starting at these board points, put on the board as a peer would. */
async function strokesAt(page: Page, points: [number, number][], width = 200): Promise<void> {
  await page.evaluate(
    ({ points, width }) => {
      const board = (window.__lanvas as LanvasTestHandle).board
      for (const [x, y] of points) {
        const id = board.beginStroke({ color: '#1e1e1e', width }, [x, y, 0.5, x + 400, y, 0.5])
        board.finishStroke(id)
      }
    },
    { points, width },
  )
}

/** What a person sees at the screen point of a board point: the canvas, or the UI element over it. */
async function seenAt(page: Page, x: number, y: number): Promise<string> {
  const at = await screenPointOf(page, x, y)
  return page.evaluate(({ x, y }) => {
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) return 'off screen'
    const el = document.elementFromPoint(x, y)
    if (el?.closest('[data-testid="board-canvas"]')) return 'canvas'
    return `${el?.tagName.toLowerCase()}.${el?.closest('[class]')?.className}`
  }, at)
}

async function expectAllSeen(page: Page, points: [number, number][]): Promise<void> {
  for (const [x, y] of points) {
    // The middle of each stroke: on the canvas, under no toolbar or panel, and its ink drawn there.
    expect(await seenAt(page, x + 200, y), `${x}, ${y}`).toBe('canvas')
    await waitUntil(`ink at ${x}, ${y} shows`, async () => (await inkPixelsAt(page, x + 200, y, 4)) > 0)
  }
}

describe('zoom to fit (Shift+1)', () => {
  it('shows a 20,000-unit board whole, clear of the floating UI', async () => {
    const page = await openBoard('large')
    const corners: [number, number][] = [
      [0, 0],
      [19_600, 0],
      [0, 14_000],
      [19_600, 14_000],
      [9_800, 7_000],
    ]
    await strokesAt(page, corners)
    await page.keyboard.press('Shift+Digit1')
    await expectAllSeen(page, corners)
    // Below the old 10 % floor, yet not so far out that the board is a speck: it fills the free area's width.
    const zoom = (await page.evaluate(() => (window.__lanvas as LanvasTestHandle).viewport())).zoom
    expect(zoom).toBeLessThan(0.1)
    expect(zoom * 20_000).toBeGreaterThan(600)
    await page.close()
  })

  it('keeps content from under the toolbar and title when the board is tall', async () => {
    const page = await openBoard('tall')
    // Its top stroke lands in the middle of the top edge, where the toolbar floats.
    const column: [number, number][] = [
      [-200, 0],
      [-200, 1_500],
      [-200, 3_000],
    ]
    await strokesAt(page, column, 20)
    await page.keyboard.press('Shift+Digit1')
    await expectAllSeen(page, column)
    await page.close()
  })

  it('keeps content from under the style panel when the board is wide', async () => {
    const page = await openBoard('wide')
    // Its top right stroke lands at the top right, where the style panel floats.
    const row: [number, number][] = [
      [0, 0],
      [4_000, 0],
      [0, 2_000],
      [4_000, 2_000],
    ]
    await strokesAt(page, row)
    await page.keyboard.press('Shift+Digit1')
    await expectAllSeen(page, row)
    await page.close()
  })
})
