import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import type { LanvasTestHandle } from '../../src/renderer/src/testHandle'
import type { BoardElement } from '../../src/shared/board'
import { launchBrowser } from './browser'
import { screenPointOf } from './canvas'
import { type HostProcess, startHostProcess } from './hostProcess'

/** A page's size: the browser tests that compare pixels choose theirs. */
export interface View {
  width: number
  height: number
}

/** Two pages on one board of one host process, in one browser: what most editing tests in Chromium start from. */
export interface TwoPages {
  /** The temporary folder the board file is in (gone after close). */
  dir: string
  host: HostProcess
  browser: Browser
  /** The page the person edits on. */
  one: Page
  /** The peer's page: what a person on another computer sees. */
  two: Page
  close(): Promise<void>
}

/** How the pages are opened: the names they join with, and a script each runs before the app's (see wire.ts). */
export interface PageSetup {
  /** Stored as `lanvas.name` before the page loads (unset: the app's default). */
  name?: string
  init?: () => void
}

/**
 * Opens `url` in a page of its own browser context (its own storage; downloads accepted) and resolves once the page
 * is connected and its test handle is there.
 */
export async function openBoardPage(
  browser: Browser,
  url: string,
  view: View,
  setup: PageSetup = {},
): Promise<Page> {
  const context = await browser.newContext({ viewport: view, acceptDownloads: true })
  if (setup.name !== undefined)
    await context.addInitScript((n) => localStorage.setItem('lanvas.name', n), setup.name)
  if (setup.init) await context.addInitScript(setup.init)
  const page = await context.newPage()
  await page.goto(url)
  // Bounds only (a busy machine connects slowly): nothing here measures time.
  await page
    .locator('[data-testid="connection-status"][data-status="connected"]')
    .waitFor({ timeout: 120_000 })
  await page.waitForFunction(() => window.__lanvas !== undefined, undefined, { timeout: 60_000 })
  return page
}

/**
 * Starts a host process on a new board `NAME.lanvas` in a temporary folder and opens two pages on it (joined as
 * `names`, when given). On a busy machine this takes a while: callers give their beforeAll a bound of minutes, not
 * the default minute.
 */
export async function twoPagesOnOneHost(
  name: string,
  view: View,
  { names, init }: { names?: [string, string]; init?: () => void } = {},
): Promise<TwoPages> {
  const dir = await mkdtemp(join(tmpdir(), `lanvas-e2e-${name}-`))
  let host: HostProcess | undefined
  let browser: Browser | undefined
  const close = async () => {
    await browser?.close()
    await host?.stop()
    await rm(dir, { recursive: true, force: true })
  }
  try {
    host = await startHostProcess(['--port', '0', '--board', join(dir, `${name}.lanvas`)])
    browser = await launchBrowser()
    const one = await openBoardPage(browser, host.url, view, { name: names?.[0], init })
    const two = await openBoardPage(browser, host.url, view, { name: names?.[1], init })
    return { dir, host, browser, one, two, close }
  } catch (error) {
    await close()
    throw error
  }
}

/** The elements page `p` holds, bottom to top, as plain values. */
export function elementsOn(p: Page): Promise<BoardElement[]> {
  return p.evaluate(() =>
    JSON.parse(JSON.stringify((window.__lanvas as LanvasTestHandle).board.readElements())),
  )
}

/** Drags the mouse between board points on a page (with Shift held when asked), as a person does. */
export async function drag(
  p: Page,
  from: [number, number],
  to: [number, number],
  { shift = false, steps = 8 } = {},
): Promise<void> {
  const a = await screenPointOf(p, ...from)
  const b = await screenPointOf(p, ...to)
  await p.mouse.move(a.x, a.y)
  if (shift) await p.keyboard.down('Shift')
  await p.mouse.down()
  await p.mouse.move(b.x, b.y, { steps })
  await p.mouse.up()
  if (shift) await p.keyboard.up('Shift')
}

/** Clicks a board point on a page (`count` 2 is a double-click). */
export async function click(p: Page, at: [number, number], count = 1): Promise<void> {
  const a = await screenPointOf(p, ...at)
  await p.mouse.click(a.x, a.y, { clickCount: count })
}

/** Double-clicks a board point on a page, as a person does (the browser's dblclick). */
export async function doubleClick(p: Page, at: [number, number]): Promise<void> {
  const a = await screenPointOf(p, ...at)
  await p.mouse.dblclick(a.x, a.y)
}
