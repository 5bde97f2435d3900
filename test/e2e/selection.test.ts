import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Board, BoardElement } from '../../src/shared/board'
import { launchBrowser } from '../support/browser'
import { screenPointOf } from '../support/canvas'
import { type HostProcess, startHostProcess } from '../support/hostProcess'
import { waitUntil } from '../support/waitUntil'

const SHOTS = process.env.LANVAS_SHOTS

let dir: string
let host: HostProcess
let browser: Browser
let one: Page
let two: Page

async function openBoard(url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 720 } })
  const page = await context.newPage()
  await page.goto(url)
  await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor()
  await page.waitForFunction(() => (window as unknown as { __lanvas?: unknown }).__lanvas !== undefined)
  return page
}

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return
  await mkdir(SHOTS, { recursive: true })
  await page.screenshot({ path: join(SHOTS, `${name}.png`) })
}

/** Runs a function on a page's board (setup and reading the model, never the action under test). */
function onBoard<T, A>(page: Page, fn: (board: Board, arg: A) => T, arg?: A): Promise<T> {
  return page.evaluate(
    ({ src, arg }) => {
      const board = (window as unknown as { __lanvas: { board: Board } }).__lanvas.board
      // biome-ignore lint/security/noGlobalEval: the test ships a function's source into the page
      return (0, eval)(src)(board, arg)
    },
    { src: fn.toString(), arg },
  ) as Promise<T>
}

function read(page: Page, id: string): Promise<BoardElement | undefined> {
  return onBoard(page, (b, i: string) => b.readElement(i), id)
}

function selected(page: Page): Promise<readonly string[]> {
  return page.evaluate(() =>
    (window as unknown as { __lanvas: { selected(): readonly string[] } }).__lanvas.selected(),
  )
}

async function clickAt(page: Page, x: number, y: number, modifiers: ('Shift' | 'Control')[] = []) {
  const p = await screenPointOf(page, x, y)
  for (const m of modifiers) await page.keyboard.down(m)
  await page.mouse.click(p.x, p.y)
  for (const m of modifiers) await page.keyboard.up(m)
}

async function dragBoard(page: Page, from: [number, number], to: [number, number], steps = 10) {
  const a = await screenPointOf(page, ...from)
  const b = await screenPointOf(page, ...to)
  await page.mouse.move(a.x, a.y)
  await page.mouse.down()
  await page.mouse.move(b.x, b.y, { steps })
  await page.mouse.up()
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-e2e-select-'))
  host = await startHostProcess(['--port', '0', '--board', join(dir, 'select.lanvas')])
  browser = await launchBrowser()
  one = await openBoard(host.url)
  two = await openBoard(host.url)
})

afterAll(async () => {
  await browser?.close()
  await host?.stop()
  await rm(dir, { recursive: true, force: true })
})

describe('selecting on page one, seen on page two', () => {
  let rect: string
  let note: string

  it('selects by click, Shift-click and marquee', async () => {
    rect = await onBoard(one, (b) =>
      b.addShape('rect', { x: 300, y: 100, width: 120, height: 80, fillColor: '#a5d8ff' }),
    )
    note = await onBoard(one, (b) => b.addNote({ x: 500, y: 100, text: 'Hello' }))
    await one.keyboard.press('v')
    await clickAt(one, 360, 140)
    expect(await selected(one)).toEqual([rect])
    await shot(one, 'select-one')
    await clickAt(one, 600, 200, ['Shift'])
    expect([...(await selected(one))].sort()).toEqual([rect, note].sort())
    await shot(one, 'select-two')
    await clickAt(one, 900, 500)
    expect(await selected(one)).toEqual([])
    await dragBoard(one, [280, 80], [720, 320])
    expect([...(await selected(one))].sort()).toEqual([rect, note].sort())
    await one.keyboard.press('Escape')
    expect(await selected(one)).toEqual([])
  })

  it('moves by drag; page two sees the element moved', async () => {
    await clickAt(one, 360, 140)
    await dragBoard(one, [360, 140], [460, 340])
    await waitUntil('page two sees the move', async () => {
      const el = await read(two, rect)
      return el && Math.abs(el.x - 400) < 1 && Math.abs(el.y - 300) < 1
    })
    await shot(one, 'moved')
  })
})
