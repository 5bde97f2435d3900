// Issue 13 item 4: what one person selects is outlined on the others' screens in that person's colour, with a name.
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LanvasTestHandle } from '../../src/renderer/src/testHandle'
import { launchBrowser } from '../support/browser'
import { screenPointOf } from '../support/canvas'
import { type HostProcess, startHostProcess } from '../support/hostProcess'
import { waitUntil } from '../support/waitUntil'

/** Where to save screenshots for a person to look at (unset: none are taken). */
const SHOTS = process.env.LANVAS_SHOTS
/** Page one's colour: pure enough to tell from the board's own ink and the paper. */
const ORANGE = '#e8590c'

let dir: string
let host: HostProcess
let browser: Browser

async function openAs(name: string, color: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } })
  await context.addInitScript(
    ([n, c]) => {
      localStorage.setItem('lanvas.name', n as string)
      localStorage.setItem('lanvas.color', c as string)
    },
    [name, color],
  )
  const page = await context.newPage()
  await page.goto(host.url)
  await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor()
  await page.waitForFunction(() => window.__lanvas !== undefined)
  return page
}

/**
 * Orange pixels of the peer-selection overlay within `radius` screen px of a board point: what the person sees
 * drawn there, read from the overlay's own canvas.
 */
function orangeAt(page: Page, boardX: number, boardY: number, radius = 8): Promise<number> {
  return page.evaluate(
    ({ boardX, boardY, radius }) => {
      const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="peer-selections"]')
      const ctx = canvas?.getContext('2d')
      const lanvas = window.__lanvas as LanvasTestHandle
      if (!canvas || !ctx) return -1
      const at = lanvas.boardToScreen(boardX, boardY)
      const k = canvas.width / canvas.clientWidth || 1
      const x0 = Math.max(0, Math.floor((at.x - radius) * k))
      const y0 = Math.max(0, Math.floor((at.y - radius) * k))
      const size = Math.ceil(2 * radius * k)
      const data = ctx.getImageData(x0, y0, size, size).data
      let n = 0
      for (let i = 0; i < data.length; i += 4)
        if (
          (data[i + 3] as number) > 150 &&
          (data[i] as number) > 180 &&
          (data[i + 1] as number) < 140 &&
          (data[i + 2] as number) < 80
        )
          n++
      return n
    },
    { boardX, boardY, radius },
  )
}

async function clickAt(page: Page, x: number, y: number): Promise<void> {
  const at = await screenPointOf(page, x, y)
  await page.mouse.click(at.x, at.y)
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-e2e-peer-selection-'))
  host = await startHostProcess(['--port', '0', '--board', join(dir, 'peers.lanvas')])
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await host?.stop()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe("another person's selection", () => {
  it('is outlined in their colour with their name on the other page, and goes when they deselect', async () => {
    const one = await openAs('Omar', ORANGE)
    const two = await openAs('Tess', '#1c7ed6')
    // Set-up through the model: a rectangle from (300, 150) to (500, 270).
    const rect = (await one.evaluate(() =>
      (window.__lanvas as LanvasTestHandle).board.addShape('rect', {
        x: 300,
        y: 150,
        width: 200,
        height: 120,
        fillColor: '#a5d8ff',
      }),
    )) as string
    await waitUntil('page two has the rectangle', () =>
      two.evaluate((id) => (window.__lanvas as LanvasTestHandle).board.elementIds().includes(id), rect),
    )
    expect(await orangeAt(two, 300, 210)).toBe(0)

    await one.keyboard.press('v')
    await clickAt(one, 400, 210)
    expect(await one.evaluate(() => (window.__lanvas as LanvasTestHandle).selected())).toEqual([rect])

    // Orange along every edge of the rectangle on page two, none in its middle.
    await waitUntil('page two outlines the rectangle in Omar’s colour', async () =>
      (
        await Promise.all(
          [
            [300, 210],
            [500, 210],
            [400, 150],
            [400, 270],
          ].map(([x, y]) => orangeAt(two, x as number, y as number)),
        )
      ).every((n) => n > 0),
    )
    expect(await orangeAt(two, 400, 210)).toBe(0)
    expect(await two.getAttribute('[data-testid="peer-selections"]', 'data-outlines')).toBe('1')
    // Page one does not outline its own selection in the peer overlay.
    expect(await orangeAt(one, 300, 210)).toBe(0)
    if (SHOTS) {
      await mkdir(SHOTS, { recursive: true })
      await two.screenshot({ path: join(SHOTS, 'peer-selection.png') })
    }

    // The outline follows the element when it moves (page one nudges it 30 to the right).
    for (let i = 0; i < 3; i++) await one.keyboard.press('Shift+ArrowRight')
    await waitUntil(
      'the outline follows the moved rectangle',
      async () => (await orangeAt(two, 530, 210)) > 0,
    )
    expect(await orangeAt(two, 300, 210)).toBe(0)

    await one.keyboard.press('Escape')
    await waitUntil('the outline goes when Omar deselects', async () => (await orangeAt(two, 530, 210)) === 0)
    expect(await two.getAttribute('[data-testid="peer-selections"]', 'data-outlines')).toBe('0')
  })
})
