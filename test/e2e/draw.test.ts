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
let host: HostProcess
let browser: Browser

async function openBoard(url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } })
  const page = await context.newPage()
  await page.goto(url)
  await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor()
  return page
}

/** Draws with the pen from board point `from` to `to` in `steps`; leaves the button down unless `release`. */
async function penDrag(
  page: Page,
  from: [number, number],
  to: [number, number],
  steps: number,
  release = true,
) {
  await page.keyboard.press('p')
  const a = await screenPointOf(page, ...from)
  const b = await screenPointOf(page, ...to)
  await page.mouse.move(a.x, a.y)
  await page.mouse.down()
  await page.mouse.move(b.x, b.y, { steps })
  if (release) await page.mouse.up()
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-e2e-'))
  host = await startHostProcess(['--port', '0', '--board', join(dir, 'e2e.lanvas')])
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await host?.stop()
  await rm(dir, { recursive: true, force: true })
})

describe('two pages on one host', () => {
  let one: Page
  let two: Page

  it('shows ink drawn on page one on page two while it is being drawn', async () => {
    one = await openBoard(host.url)
    two = await openBoard(host.url)
    expect(await inkPixelsAt(two, 150, 150)).toBe(0)

    // The pen is still down: page two must already show the ink.
    await penDrag(one, [100, 150], [300, 150], 20, false)
    await waitUntil(
      'page two shows the stroke in progress',
      async () => (await inkPixelsAt(two, 200, 150)) > 0,
    )
    await one.mouse.up()
    await waitUntil('page two shows the whole stroke', async () => (await inkPixelsAt(two, 290, 150)) > 0)
    // Same board position, not just somewhere: off the stroke there is no ink.
    expect(await inkPixelsAt(two, 200, 260)).toBe(0)
  })

  it("undo on page one removes only page one's stroke", async () => {
    await penDrag(two, [100, 300], [300, 300], 10)
    await waitUntil('page one shows page two’s stroke', async () => (await inkPixelsAt(one, 200, 300)) > 0)

    await one.keyboard.press('Control+z')
    await waitUntil(
      'page two no longer shows page one’s stroke',
      async () => (await inkPixelsAt(two, 200, 150)) === 0,
    )
    expect(await inkPixelsAt(two, 200, 300)).toBeGreaterThan(0)
    expect(await inkPixelsAt(one, 200, 150)).toBe(0)
    expect(await inkPixelsAt(one, 200, 300)).toBeGreaterThan(0)

    await one.keyboard.press('Control+Shift+z')
    await waitUntil(
      'page two shows page one’s stroke again',
      async () => (await inkPixelsAt(two, 200, 150)) > 0,
    )
  })

  it('shows the board as it was after the host restarts', async () => {
    const port = String(host.port)
    await host.stop()
    host = await startHostProcess(['--port', port, '--board', join(dir, 'e2e.lanvas')])
    await two.reload()
    await two.locator('[data-testid="connection-status"][data-status="connected"]').waitFor()
    await waitUntil('the reloaded page shows both strokes', async () => {
      return (await inkPixelsAt(two, 200, 150)) > 0 && (await inkPixelsAt(two, 200, 300)) > 0
    })
    expect(await inkPixelsAt(two, 200, 225)).toBe(0)
  })
})
