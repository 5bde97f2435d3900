// Which tool is in hand after one use, in a real Chromium page (as Excalidraw does it): a shape, text or note hands
// back to Select, with what it made selected; the pen and eraser stay; the tool lock (Q, or its toolbar button)
// keeps any tool, and the toolbar shows whether it is on.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LanvasTestHandle } from '../../src/renderer/src/testHandle'
import { launchBrowser } from '../support/browser'
import { screenPointOf } from '../support/canvas'
import { type HostProcess, startHostProcess } from '../support/hostProcess'
import { waitUntil } from '../support/waitUntil'

let dir: string
let host: HostProcess
let browser: Browser
let page: Page

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-e2e-lock-'))
  host = await startHostProcess(['--port', '0', '--board', join(dir, 'lock.lanvas')])
  browser = await launchBrowser()
  page = await browser.newPage({ viewport: { width: 1000, height: 700 } })
  await page.goto(host.url)
  await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor()
  await page.waitForFunction(() => window.__lanvas !== undefined)
})

afterAll(async () => {
  await browser?.close()
  await host?.stop()
  await rm(dir, { recursive: true, force: true })
})

/** The tool the toolbar shows pressed. */
async function toolInHand(): Promise<string | null> {
  const pressed = page.locator('[role="toolbar"] button[data-command^="tool-"][aria-pressed="true"]')
  const ids = await pressed.evaluateAll((els) => els.map((el) => el.getAttribute('data-command')))
  return ids.filter((id) => id !== 'tool-lock').join(',') || null
}

async function drag(from: [number, number], to: [number, number]): Promise<void> {
  const a = await screenPointOf(page, ...from)
  const b = await screenPointOf(page, ...to)
  await page.mouse.move(a.x, a.y)
  await page.mouse.down()
  await page.mouse.move(b.x, b.y, { steps: 6 })
  await page.mouse.up()
}

async function click(at: [number, number]): Promise<void> {
  const a = await screenPointOf(page, ...at)
  await page.mouse.click(a.x, a.y)
}

const count = () => page.evaluate(() => (window.__lanvas as LanvasTestHandle).board.elementIds().length)
const selected = () => page.evaluate(() => [...(window.__lanvas as LanvasTestHandle).selected()])

describe('the tool after one use', () => {
  it('goes back to Select after a rectangle, with the rectangle selected', async () => {
    await page.keyboard.press('r')
    expect(await toolInHand()).toBe('tool-rectangle')
    await drag([200, 200], [300, 260])
    await waitUntil('the rectangle is drawn', async () => (await count()) === 1)
    expect(await toolInHand()).toBe('tool-select')
    const ids = await page.evaluate(() => (window.__lanvas as LanvasTestHandle).board.elementIds())
    expect(await selected()).toEqual(ids)
    // The next drag selects, as the Select tool's does: it draws nothing.
    await drag([500, 400], [520, 420])
    expect(await count()).toBe(1)
  })

  it('goes back to Select after a text and a note', async () => {
    for (const [key, at] of [
      ['t', [200, 350]],
      ['n', [400, 350]],
    ] as const) {
      await page.keyboard.press(key)
      const before = await count()
      await click([...at])
      const editor = page.getByTestId('text-editor')
      await editor.waitFor()
      await page.keyboard.type('once')
      await page.keyboard.press('Escape')
      await editor.waitFor({ state: 'detached' })
      expect(await count()).toBe(before + 1)
      expect(await toolInHand(), key).toBe('tool-select')
    }
  })

  it('keeps the pen and the eraser after each stroke', async () => {
    await page.keyboard.press('p')
    await drag([100, 500], [200, 500])
    await drag([100, 550], [200, 550])
    expect(await toolInHand()).toBe('tool-pen')
    await page.keyboard.press('e')
    await drag([150, 480], [150, 520])
    expect(await toolInHand()).toBe('tool-eraser')
  })
})

describe('the tool lock', () => {
  it('is a toolbar button that says what it does, its key, and whether it is on', async () => {
    const lock = page.locator('[role="toolbar"] [data-command="tool-lock"]')
    expect(await lock.getAttribute('title')).toBe('Keep tool after drawing (Q)')
    expect(await lock.getAttribute('aria-pressed')).toBe('false')
    await page.keyboard.press('q')
    expect(await lock.getAttribute('aria-pressed')).toBe('true')
    await lock.click()
    expect(await lock.getAttribute('aria-pressed')).toBe('false')
  })

  it('keeps the rectangle tool for one rectangle after another while on (Q)', async () => {
    await page.keyboard.press('q')
    await page.keyboard.press('r')
    const before = await count()
    await drag([600, 100], [700, 160])
    await drag([600, 200], [700, 260])
    await waitUntil('both rectangles are drawn', async () => (await count()) === before + 2)
    expect(await toolInHand()).toBe('tool-rectangle')
    // Off again: the next rectangle hands back to Select.
    await page.keyboard.press('q')
    await drag([600, 300], [700, 360])
    await waitUntil('the third rectangle is drawn', async () => (await count()) === before + 3)
    expect(await toolInHand()).toBe('tool-select')
  })
})
