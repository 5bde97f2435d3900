import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readThumbnail, saveThumbnail } from '../../src/main/thumbnails'
import { encodeBoardFile } from '../../src/shared/boardFile'
import { knownBoard } from '../shared/exportFixtures'
import { launchBrowser } from '../support/browser'
import { type HostProcess, startHostProcess } from '../support/hostProcess'
import { waitUntil } from '../support/waitUntil'

// The desktop app's screens (issue 12): the start screen's recent boards with thumbnails, what the page tells the
// app about knocks, keyboard use and an automated accessibility check of every dialog. Electron cannot run here:
// a stand-in with the preload's shape answers for the app (as in appBridge.test.ts); the page and host are real.

let dir: string
let host: HostProcess
let browser: Browser
let ownerLink: string
let joinLink: string
let thumbnail: string
const PLAN = '/home/ada/Boards/Plan.lanvas'
const EMPTY = '/home/ada/Boards/Empty.lanvas'

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-e2e-desktop-'))
  // A thumbnail as the app draws it when a board is saved or closed (src/main/thumbnails.ts).
  await saveThumbnail(dir, PLAN, encodeBoardFile(knownBoard().doc))
  thumbnail = (await readThumbnail(dir, PLAN)) as string
  host = await startHostProcess([
    '--port',
    '0',
    '--board',
    join(dir, 'desktop.lanvas'),
    '--lan',
    '--bind',
    '127.0.0.1',
    '--no-mdns',
    '--lan-port',
    '0',
  ])
  await waitUntil('the host prints its join link', () => /Join link: http/.test(host.output()))
  ownerLink = (/Host link[^:]*: (\S+#owner=\S+)/.exec(host.output()) ?? [])[1] as string
  joinLink = (/Join link: (\S+#join=\S+)/.exec(host.output()) ?? [])[1] as string
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await host?.stop()
  if (dir) await rm(dir, { recursive: true, force: true })
})

/** The app's own window: the owner's page with the preload stand-in, recording what the page tells the app. */
async function appPage(connected = false): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 }, bypassCSP: true })
  await context.addInitScript(
    ([thumb, plan, empty]) => {
      const calls: unknown[][] = []
      const settings = {
        identity: null,
        theme: 'system',
        sharePort: 47800,
        shareNetwork: null,
        autosaveDir: null,
      }
      const w = window as unknown as { appCalls: unknown[][]; lanvas: unknown }
      w.appCalls = calls
      w.lanvas = {
        openBoard: async () => null,
        saveBoardBytes: async () => null,
        saveExport: async () => null,
        onMenuCommand: () => () => {},
        hostBoard: async () => ({ error: 'not here' }),
        joinSession: async () => null,
        networkAddresses: async () => ['192.168.1.5'],
        shareSession: async () => ({ joinLinks: ['http://192.168.1.5:47800/#join=abcdefghijklmnopqrstuv'] }),
        discoverSessions: async () => [
          {
            name: 'Design review',
            hostName: 'studio',
            boardName: 'Wireframes',
            addresses: ['192.168.1.9'],
            port: 47800,
            approval: true,
          },
        ],
        identity: async () => ({ identity: { name: 'Hana', color: '#2b8a3e' } }),
        setIdentity: async (identity: unknown) => ({ identity }),
        settings: async () => ({ settings }),
        setSettings: async () => ({ settings }),
        chooseBoardsFolder: async () => null,
        recentBoards: async () => [plan, empty],
        boardThumbnail: async (path: string) => (path === plan ? thumb : null),
        openRecentBoard: async () => null,
        newBoard: async () => null,
        knocks: async (knocks: unknown) => {
          calls.push(['knocks', knocks])
          return null
        },
      }
    },
    [thumbnail, PLAN, EMPTY],
  )
  const page = await context.newPage()
  await page.goto(ownerLink)
  // The dialogs need no connection to the host; the host's knock cards do.
  if (connected) await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor()
  else await page.getByTestId('start-screen-open').waitFor()
  return page
}

const appCalls = (page: Page) =>
  page.evaluate(() => (window as unknown as { appCalls: unknown[][] }).appCalls)

/** axe-core's check of what `selector` holds; the violations, one line each, for the failure message. */
async function axeViolations(page: Page, selector: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window)))
    await page.addScriptTag({ path: join(process.cwd(), 'node_modules/axe-core/axe.min.js') })
  return page.evaluate(async (sel) => {
    const axe = (
      window as unknown as { axe: { run: (c: unknown) => Promise<{ violations: AxeViolation[] }> } }
    ).axe
    type AxeViolation = { id: string; help: string; nodes: { target: unknown[]; failureSummary?: string }[] }
    const result = await axe.run({ include: [sel] })
    return result.violations.flatMap((v) =>
      v.nodes.map((n) => `${v.id}: ${v.help} at ${JSON.stringify(n.target)} (${n.failureSummary ?? ''})`),
    )
  }, selector)
}

describe('the start screen', () => {
  it('shows the thumbnail the app drew for a recent board, and an empty frame for one without', async () => {
    const page = await appPage()
    await page.getByTestId('start-screen-open').click()
    const plan = page.locator(`[data-testid="start-recent"][data-path="${PLAN}"]`)
    const image = plan.getByTestId('start-recent-thumbnail')
    await image.waitFor()
    expect(await image.getAttribute('src')).toBe(thumbnail)
    // The picture decoded: a real PNG, drawn at most 320 px wide.
    await expect
      .poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBeGreaterThan(0)
    expect(await image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeLessThanOrEqual(320)
    const empty = page.locator(`[data-testid="start-recent"][data-path="${EMPTY}"]`)
    await expect.poll(() => empty.textContent()).toContain('Empty')
    expect(await empty.getByTestId('start-recent-thumbnail').count()).toBe(0)
    if (process.env.LANVAS_SCREENSHOTS)
      await page.screenshot({ path: `${process.env.LANVAS_SCREENSHOTS}/start-screen-thumbnails.png` })
    await page.context().close()
  })
})

describe('knocks the page tells the app about (for a notification when the window is not in front)', () => {
  it('reports who knocks on the session this window hosts, and when nobody is left knocking', async () => {
    const page = await appPage(true)
    const context = await browser.newContext()
    await context.addInitScript(() => {
      localStorage.setItem('lanvas.name', 'Dave')
      localStorage.setItem('lanvas.color', '#0c8599')
    })
    const dave = await context.newPage()
    await dave.goto(joinLink.replace(/#.*$/, '#knock'))
    await dave.locator('[data-testid="knocking"]').waitFor()
    const reported = () =>
      appCalls(page).then((calls) => calls.filter(([what]) => what === 'knocks').map(([, knocks]) => knocks))
    await expect
      .poll(async () => (await reported()).at(-1))
      .toEqual([{ id: expect.any(String), name: 'Dave' }])
    await page.locator('[data-testid="knock"][data-name="Dave"] [data-testid="knock-refuse"]').click()
    await expect.poll(async () => (await reported()).at(-1)).toEqual([])
    await context.close()
    await page.context().close()
  })
})

describe('accessibility (axe-core in Chromium, and the keyboard)', () => {
  it.each([
    ['the start screen', 'start-screen-open', '[data-testid="start-screen"]'],
    ['the settings', 'start-screen-open', '[data-testid="start-screen"]'],
    ['the Join dialog', 'join-open', '[data-testid="join-panel"]'],
    ['the Share panel', 'share-open', '[data-testid="share-panel"]'],
    ['the Export dialog', 'export-open', '[data-testid="export-dialog"]'],
    ['the name dialog', 'participants-toggle', '[data-testid="identity-dialog"]'],
  ])('%s has no violations', async (what, opener, selector) => {
    const page = await appPage()
    await page.getByTestId(opener).click()
    if (what === 'the settings') {
      await page.getByTestId('start-settings').click()
      await page.getByTestId('settings-panel').waitFor()
    }
    if (what === 'the name dialog') await page.getByTestId('identity-edit').click()
    await page.locator(selector).waitFor()
    // Lists that load (recent boards, sessions) are in before the check.
    if (what === 'the start screen') await page.getByTestId('start-recent-thumbnail').waitFor()
    // In both themes: the dark one has colours of its own.
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme })
      await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(colorScheme)
      const violations = await axeViolations(page, selector)
      expect(violations, `${colorScheme}:\n${violations.join('\n')}`).toEqual([])
    }
    await page.context().close()
  })

  /**
   * Presses Tab until the focus comes back to where it started, noting each stop: its accessible name, whether a
   * focus ring shows, and whether it is inside `dialog`. Then says which visible controls of `dialog` Tab never
   * reached (a radio group is one stop: its checked radio).
   */
  async function tabAround(page: Page, dialog: string) {
    const stops: { name: string; ring: boolean; inside: boolean }[] = []
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab')
      const stop = await page.evaluate((sel) => {
        const el = document.activeElement as HTMLElement & { labels?: NodeListOf<HTMLLabelElement> }
        if (el.dataset.tabStop) return undefined
        el.dataset.tabStop = 'yes'
        const style = getComputedStyle(el)
        const name =
          el.getAttribute('aria-label') ||
          (el.getAttribute('aria-labelledby') &&
            document.getElementById(el.getAttribute('aria-labelledby') as string)?.textContent) ||
          el.labels?.[0]?.textContent ||
          el.textContent ||
          el.getAttribute('title') ||
          ''
        const ring =
          (style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) > 0) ||
          style.boxShadow !== 'none'
        return { name: name.trim(), ring, inside: !!el.closest(sel) }
      }, dialog)
      if (!stop) break
      stops.push(stop)
    }
    const missed = await page.locator(dialog).evaluate((box) =>
      [...box.querySelectorAll<HTMLElement>('button, input, select, textarea, [href]')]
        .filter((el) => el.offsetParent !== null && !(el as HTMLInputElement).disabled)
        .filter((el) => !(el instanceof HTMLInputElement && el.type === 'radio' && !el.checked))
        .filter((el) => !el.dataset.tabStop)
        .map((el) => el.outerHTML.slice(0, 80)),
    )
    return { stops, missed }
  }

  it.each([
    ['the start screen', '[data-testid="start-screen"]'],
    ['the settings', '[data-testid="start-screen"]'],
    ['the Join dialog', '[data-testid="join-panel"]'],
  ])(
    'reaches every control of %s with Tab, each with a name and a visible focus ring, and stays in it',
    async (what, dialog) => {
      const page = await appPage()
      await page.getByTestId(what === 'the Join dialog' ? 'join-open' : 'start-screen-open').click()
      if (what === 'the start screen') await page.getByTestId('start-recent-thumbnail').waitFor()
      if (what === 'the settings') {
        await page.getByTestId('start-settings').click()
        await page.getByTestId('settings-panel').waitFor()
      } else await page.getByTestId('join-session').first().waitFor()
      const { stops, missed } = await tabAround(page, dialog)
      expect(missed, missed.join('\n')).toEqual([])
      expect(stops.length).toBeGreaterThan(2)
      // Tab goes round the dialog and stays in it.
      expect(
        stops.every((s) => s.inside),
        JSON.stringify(stops),
      ).toBe(true)
      expect(
        stops.every((s) => s.name.length > 0),
        JSON.stringify(stops),
      ).toBe(true)
      expect(
        stops.every((s) => s.ring),
        JSON.stringify(stops),
      ).toBe(true)
      // Escape closes it and gives the focus back to the button that opened it.
      await page.keyboard.press('Escape')
      await page.locator(dialog).waitFor({ state: 'detached' })
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
        what === 'the Join dialog' ? 'join-open' : 'start-screen-open',
      )
      await page.context().close()
    },
  )
})
