// What the compositor has to redraw while the board moves, in a real Chromium page: a zoom repaints the board, and
// every layer over it that is shown or filters what is under it costs a pass per frame (issue 9's zoom sweep: frames
// waited on the compositor, not on the page's script). Empty layers are hidden and shown again when they have ink.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../support/browser'
import { inkPixelsAt, screenPointOf } from '../support/canvas'
import { type HostProcess, startHostProcess } from '../support/hostProcess'
import { waitUntil } from '../support/waitUntil'

let dir: string
let browser: Browser
let host: HostProcess
let page: Page

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-e2e-compositing-'))
  browser = await launchBrowser()
  host = await startHostProcess(['--port', '0', '--board', join(dir, 'board.lanvas')])
  page = await browser.newPage({ viewport: { width: 1000, height: 700 } })
  await page.goto(host.url)
  await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor()
  await page.waitForFunction(() => window.__lanvas !== undefined)
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await host?.stop()
  await rm(dir, { recursive: true, force: true })
})

/** The canvases the page shows (neither display: none nor visibility: hidden), by class name or test id. */
function shownCanvases(): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('canvas')]
      .filter((c) => c.getClientRects().length > 0 && getComputedStyle(c).visibility !== 'hidden')
      .map((c) => c.dataset.testid || c.className || 'layer'),
  )
}

/** Ctrl+wheel at the middle of the page, one notch a frame. */
async function zoom(notches: number, dy: number): Promise<void> {
  await page.mouse.move(500, 350)
  await page.keyboard.down('Control')
  for (let i = 0; i < notches; i++) {
    await page.mouse.wheel(0, dy)
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)))
  }
  await page.keyboard.up('Control')
}

describe('layers over the board while it moves', () => {
  it('has no panel that blurs the board under it', async () => {
    await page.keyboard.press('p')
    await page.getByTestId('style-panel').waitFor()
    const blurring = await page.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((el) => {
          const f = getComputedStyle(el).backdropFilter
          return f !== '' && f !== 'none'
        })
        .map((el) => el.className || el.tagName),
    )
    expect(blurring).toEqual([])
    // The panels are there all the same, over the board.
    expect(await page.locator('.panel').count()).toBeGreaterThan(3)
  })

  it('shows the live ink and laser canvases only while they have something to show', async () => {
    await page.keyboard.press('Escape')
    await page.keyboard.press('p')
    await zoom(3, -40)
    await zoom(3, 40)
    const idle = await shownCanvases()
    // The board's finished ink and the selection's layer; not the empty live layer, the laser's or peers' outlines.
    expect(idle).not.toContain('laser-canvas')
    expect(idle).not.toContain('peer-selections')
    expect(idle.length).toBe(2)
    expect(idle).toContain('draws-theme')

    // A stroke being drawn shows on the live layer, shown for it.
    const a = await screenPointOf(page, 100, 100)
    const b = await screenPointOf(page, 300, 100)
    await page.mouse.move(a.x, a.y)
    await page.mouse.down()
    await page.mouse.move(b.x, b.y, { steps: 10 })
    expect((await shownCanvases()).length).toBe(3)
    await waitUntil('the stroke shows while drawn', async () => (await inkPixelsAt(page, 200, 100)) > 0)
    await page.mouse.up()
    // Finished: it is on the board's layer, and the live layer is hidden again.
    await waitUntil('the live layer is hidden again', async () => (await shownCanvases()).length === 2)
    expect(await inkPixelsAt(page, 200, 100)).toBeGreaterThan(0)

    // The laser's canvas is shown while a trail fades, and hidden once it has.
    await page.keyboard.press('k')
    await page.mouse.move(a.x, a.y + 200)
    await page.mouse.down()
    await page.mouse.move(b.x, b.y + 200, { steps: 10 })
    expect(await shownCanvases()).toContain('laser-canvas')
    await page.mouse.up()
    await waitUntil('the laser canvas is hidden once the trail faded', async () =>
      (await shownCanvases()).every((c) => c !== 'laser-canvas'),
    )
  }, 120_000)
})
