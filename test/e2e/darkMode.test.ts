import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../support/browser'
import { type HostProcess, startHostProcess } from '../support/hostProcess'
import { waitUntil } from '../support/waitUntil'

// Dark mode seen as a person sees it: a real host sharing its board on loopback, the host's page with a guest in
// its people panel, and the colours Chromium computes for what the page shows.

type Rgba = [number, number, number, number]

/** What a page paints for an element: its text colour and the background under it (ancestors composited). */
interface Painted {
  color: Rgba
  background: Rgba
}

/** Sessions the host's page lists in the Join dialog (mDNS stays off in tests; the page asks the host for them). */
const LISTED = {
  discovery: true,
  sessions: [
    {
      name: 'Design review',
      hostName: 'studio',
      boardName: 'Wireframes',
      addresses: ['192.168.1.9'],
      port: 47800,
      approval: true,
      participants: 3,
    },
  ],
}

let dir: string
let host: HostProcess
let browser: Browser
let owner: Page

function parseColour(css: string): Rgba {
  const parts = /rgba?\(([^)]+)\)/
    .exec(css)?.[1]
    ?.split(/[\s,/]+/)
    .filter(Boolean)
    .map(Number)
  if (!parts || parts.length < 3) throw new Error(`not an rgb() colour: ${css}`)
  return [parts[0] as number, parts[1] as number, parts[2] as number, parts[3] ?? 1]
}

/** `top` painted over the opaque colour `under`. */
function over(top: Rgba, under: Rgba): Rgba {
  const a = top[3]
  return [0, 1, 2].map((i) => (top[i] as number) * a + (under[i] as number) * (1 - a)).concat(1) as Rgba
}

/** WCAG relative luminance of an opaque colour, 0 (black) to 1 (white). */
function luminance([r, g, b]: Rgba): number {
  const lin = (c: number) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4)
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/** WCAG contrast ratio of two opaque colours, 1 to 21. */
function contrast(a: Rgba, b: Rgba): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (hi + 0.05) / (lo + 0.05)
}

/** The element's text colour and the background it stands on, from the computed styles of it and its ancestors. */
async function painted(target: Locator): Promise<Painted> {
  const { color, backgrounds } = await target.evaluate((el) => {
    const layers: string[] = []
    for (let e: Element | null = el; e; e = e.parentElement) layers.push(getComputedStyle(e).backgroundColor)
    return { color: getComputedStyle(el).color, backgrounds: layers }
  })
  // The page's canvas colour under everything: white unless some ancestor paints.
  let background: Rgba = [255, 255, 255, 1]
  for (const layer of backgrounds.reverse()) background = over(parseColour(layer), background)
  return { color: over(parseColour(color), background), background }
}

async function openAs(url: string, name: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } })
  await context.addInitScript((n) => {
    localStorage.setItem('lanvas.name', n)
    localStorage.setItem('lanvas.color', '#1c7ed6')
  }, name)
  const page = await context.newPage()
  await page.route('**/api/sessions', (route) => route.fulfill({ json: LISTED }))
  await page.goto(url)
  await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor()
  return page
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-e2e-dark-'))
  host = await startHostProcess([
    '--port',
    '0',
    '--board',
    join(dir, 'dark.lanvas'),
    '--lan',
    '--bind',
    '127.0.0.1',
    '--no-mdns',
    '--lan-port',
    '0',
  ])
  await waitUntil('the host prints its join link', () => /Join link: http/.test(host.output()))
  const ownerLink = (/Host link[^:]*: (\S+#owner=\S+)/.exec(host.output()) ?? [])[1] as string
  const joinLink = (/Join link: (\S+#join=\S+)/.exec(host.output()) ?? [])[1] as string
  browser = await launchBrowser()
  owner = await openAs(ownerLink, 'Hana')
  await openAs(joinLink, 'Guest')
})

afterAll(async () => {
  await browser?.close()
  await host?.stop()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('dark mode', () => {
  const exportButton = () => owner.getByTestId('export-open')

  it('starts light: a hovered icon button turns light grey', async () => {
    await exportButton().hover()
    const { background } = await painted(exportButton())
    expect(luminance(background)).toBeGreaterThan(0.8)
  })

  it('is switched on in the canvas options', async () => {
    await owner.getByTestId('canvas-options-toggle').click()
    await owner.getByTestId('dark-mode').check()
    await owner.getByTestId('canvas-options-toggle').click()
    expect(await owner.evaluate(() => document.documentElement.dataset.theme)).toBe('dark')
  })

  it('darkens a hovered icon button and keeps its icon readable', async () => {
    await exportButton().hover()
    const { color, background } = await painted(exportButton())
    expect(luminance(background)).toBeLessThan(0.1)
    // An icon is a graphical object: WCAG asks 3:1 of it against what it stands on.
    expect(contrast(color, background)).toBeGreaterThan(3)
  })

  it('shows the people panel, its rows and the role select dark, their text readable', async () => {
    await owner.getByTestId('participants-toggle').click()
    const guest = owner.locator('[data-testid="participant"][data-name="Guest"]')
    const role = guest.getByTestId('participant-role')
    await role.waitFor()
    await guest.hover()
    for (const [what, target] of [
      ['the panel', owner.getByTestId('participants-panel')],
      ['a hovered row', guest.locator('.person-name')],
      ['the role select', role],
    ] as const) {
      const { color, background } = await painted(target)
      expect(luminance(background), `${what}'s background`).toBeLessThan(0.1)
      expect(contrast(color, background), `${what}'s text`).toBeGreaterThan(4.5)
    }
    await owner.getByTestId('participants-toggle').click()
  })

  it('shows the session list of the Join dialog dark, hovered or not, its text readable', async () => {
    await owner.getByTestId('join-open').click()
    const item = owner.getByTestId('join-session').first()
    await item.waitFor()
    for (const [what, target] of [
      ['the list', owner.getByTestId('join-sessions')],
      ['a session', item.locator('.session-name')],
    ] as const) {
      const { color, background } = await painted(target)
      expect(luminance(background), `${what}'s background`).toBeLessThan(0.1)
      expect(contrast(color, background), `${what}'s text`).toBeGreaterThan(4.5)
    }
    await item.hover()
    const hovered = await painted(item.locator('.session-name'))
    expect(luminance(hovered.background), 'a hovered session').toBeLessThan(0.1)
    expect(contrast(hovered.color, hovered.background), "a hovered session's text").toBeGreaterThan(4.5)
    await owner.getByTestId('join-close').click()
  })
})
