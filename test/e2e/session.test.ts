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

// A LAN session end to end: a real headless host sharing its board on loopback only (no mDNS on the real
// network), Chromium pages joining through the printed links as people would.

let dir: string
let host: HostProcess
let browser: Browser
let ownerLink: string
let joinLink: string

const connected = '[data-testid="connection-status"][data-status="connected"]'

/** Opens a page as a person; `name` is stored beforehand unless the test types it in the dialog. */
async function openAs(url: string, name?: string, color = '#1c7ed6'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } })
  // As on a LAN address over plain http, where pages have no WebCrypto: the secure channel must not need it.
  await context.addInitScript(() => Object.defineProperty(globalThis.crypto, 'subtle', { value: undefined }))
  if (name)
    await context.addInitScript(
      ([n, c]) => {
        localStorage.setItem('lanvas.name', n as string)
        localStorage.setItem('lanvas.color', c as string)
      },
      [name, color],
    )
  const page = await context.newPage()
  await page.goto(url)
  return page
}

/** Draws with the pen between two board points; leaves the button down unless `release`. */
async function penDrag(page: Page, from: [number, number], to: [number, number], release = true) {
  await page.keyboard.press('p')
  const a = await screenPointOf(page, ...from)
  const b = await screenPointOf(page, ...to)
  await page.mouse.move(a.x, a.y)
  await page.mouse.down()
  await page.mouse.move(b.x, b.y, { steps: 12 })
  if (release) await page.mouse.up()
}

function strokeCount(page: Page): Promise<number> {
  return page.evaluate(() => (window.__lanvas as LanvasTestHandle).board.elementIds().length)
}

/** Names on the participant list of a page (opening the list if it is closed). */
async function listedNames(page: Page): Promise<string[]> {
  const panel = page.locator('[data-testid="participants-panel"]')
  if (!(await panel.isVisible())) await page.click('[data-testid="participants-toggle"]')
  return page
    .locator('[data-testid="participant"]')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name') ?? ''))
}

/** Names on the cursors a page's presence layer shows. */
function cursorNames(page: Page): Promise<string[]> {
  return page
    .locator('[data-testid="presence-cursor"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-name') ?? ''))
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-e2e-session-'))
  host = await startHostProcess([
    '--port',
    '0',
    '--board',
    join(dir, 'session.lanvas'),
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
  expect(ownerLink).toBeTruthy()
  expect(joinLink).toBeTruthy()
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await host?.stop()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('a LAN session in the browser', () => {
  let owner: Page
  let alice: Page
  let bob: Page
  let carol: Page
  const pages = () => [owner, alice, bob, carol]

  it('joins three people through the link, one of them naming herself in the dialog', async () => {
    owner = await openAs(ownerLink, 'Hana', '#2b8a3e')
    alice = await openAs(joinLink)
    await alice.locator('[data-testid="identity-dialog"]').waitFor()
    await alice.fill('[data-testid="identity-name"]', 'Alice')
    await alice.click('[data-testid="identity-color-7048e8"]')
    await alice.click('[data-testid="identity-submit"]')
    bob = await openAs(joinLink, 'Bob', '#e8590c')
    carol = await openAs(joinLink, 'Carol', '#d6336c')
    for (const page of pages()) await page.locator(connected).waitFor()
    // Link joiners are editors; the owner's page is the host.
    expect(await owner.evaluate(() => window.__lanvas?.role())).toBe('host')
    expect(await alice.evaluate(() => window.__lanvas?.role())).toBe('editor')
    // ...over the secure channel, without WebCrypto.
    expect(await alice.evaluate(() => globalThis.crypto.subtle === undefined)).toBe(true)
  }, 180_000) // a bound only: four pages join one after another, slow on a busy machine

  it('lists everyone on every page', async () => {
    for (const page of pages())
      await waitUntil('the participant list shows all four', async () => {
        const names = await listedNames(page)
        return ['Hana', 'Alice', 'Bob', 'Carol'].every((n) => names.includes(n)) && names.length === 4
      })
    const you = await alice.locator('[data-testid="participant"][data-you="true"]').getAttribute('data-name')
    expect(you).toBe('Alice')
  })

  it("shows each page's ink on the others while it is drawn", async () => {
    const drawers: [Page, number][] = [
      [alice, 200],
      [bob, 300],
      [carol, 400],
    ]
    for (const [drawer, y] of drawers) {
      for (const page of pages()) expect(await inkPixelsAt(page, 250, y)).toBe(0)
      await penDrag(drawer, [100, y], [400, y], false)
      // The pen is still down: everyone else must already see the ink.
      for (const page of pages())
        if (page !== drawer)
          await waitUntil(
            'another page shows the stroke in progress',
            async () => (await inkPixelsAt(page, 250, y)) > 0,
          )
      await drawer.mouse.up()
    }
    // Ink is where it was drawn, not anywhere.
    expect(await inkPixelsAt(owner, 250, 250)).toBe(0)
  })

  it("shows the others' cursors with their names", async () => {
    for (const [page, x] of [
      [owner, 520],
      [alice, 560],
      [bob, 600],
      [carol, 640],
    ] as const) {
      const at = await screenPointOf(page, x, 500)
      await page.mouse.move(at.x, at.y, { steps: 3 })
    }
    const names: Record<string, Page> = { Hana: owner, Alice: alice, Bob: bob, Carol: carol }
    for (const [self, page] of Object.entries(names)) {
      const others = Object.keys(names).filter((n) => n !== self)
      await waitUntil(`${self}'s page shows the other three cursors`, async () => {
        const shown = await cursorNames(page)
        return others.every((n) => shown.includes(n)) && !shown.includes(self)
      })
    }
  })

  it("follows another person's view until Esc", async () => {
    await listedNames(alice)
    await alice
      .locator('[data-testid="participant"][data-name="Bob"] [data-testid="participant-follow"]')
      .click()
    await alice.locator('[data-testid="follow-banner"]').waitFor()
    await bob.click('[data-testid="zoom-in"]')
    await bob.click('[data-testid="zoom-in"]')
    const bobZoom = await bob.evaluate(() => window.__lanvas?.viewport().zoom)
    expect(bobZoom).toBeGreaterThan(1.5)
    // Same screen size: the follower sees exactly Bob's view.
    await waitUntil('Alice sees what Bob sees', async () => {
      const v = await alice.evaluate(() => window.__lanvas?.viewport())
      return v?.zoom === bobZoom
    })
    await alice.keyboard.press('Escape')
    await alice.locator('[data-testid="follow-banner"]').waitFor({ state: 'detached' })
    await bob.click('[data-testid="zoom-reset"]')
    await waitUntil(
      'Bob is back at 100%',
      async () => (await bob.evaluate(() => window.__lanvas?.viewport().zoom)) === 1,
    )
    await alice.click('[data-testid="zoom-reset"]')
    expect(await alice.evaluate(() => window.__lanvas?.viewport().zoom)).toBe(1)
  })

  it("shows a laser pointer to the others in the pointer's colour, never on the board", async () => {
    const before = await strokeCount(owner)
    await bob.keyboard.press('k')
    const a = await screenPointOf(bob, 150, 450)
    const b = await screenPointOf(bob, 450, 450)
    await bob.mouse.move(a.x, a.y)
    await bob.mouse.down()
    await bob.mouse.move(b.x, b.y, { steps: 15 })
    // Bob's colour is #e8590c: count orange-ish laser pixels on the owner's laser canvas.
    await waitUntil('the owner sees Bob’s laser', () =>
      owner.evaluate(() => {
        const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="laser-canvas"]')
        const ctx = canvas?.getContext('2d')
        if (!canvas || !ctx) return false
        const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data
        let n = 0
        for (let i = 0; i < data.length; i += 4)
          if ((data[i + 3] as number) > 100 && (data[i] as number) > 180 && (data[i + 2] as number) < 100) n++
        return n > 20
      }),
    )
    await bob.mouse.up()
    await bob.keyboard.press('p')
    expect(await strokeCount(owner)).toBe(before)
    expect(await strokeCount(bob)).toBe(before)
  })

  it('makes a page a viewer that cannot draw', async () => {
    await listedNames(owner)
    await owner
      .locator('[data-testid="participant"][data-name="Carol"] [data-testid="participant-role"]')
      .selectOption('viewer')
    await carol.locator('[data-testid="viewer-badge"]').waitFor()
    expect(await carol.locator('[data-testid="tool-pen"]').isDisabled()).toBe(true)
    await waitUntil('everyone lists Carol as a viewer', async () => {
      for (const page of pages())
        if (
          (await page.locator('[data-testid="participant"][data-name="Carol"]').getAttribute('data-role')) !==
          'viewer'
        )
          return false
      return true
    })

    const before = await Promise.all(pages().map(strokeCount))
    await penDrag(carol, [100, 520], [400, 520])
    // Carol's own replica took nothing: the UI did not write.
    expect(await strokeCount(carol)).toBe(before[3])
    expect(await inkPixelsAt(carol, 250, 520)).toBe(0)
    // An editor's stroke after hers arrives everywhere; by then hers would have too (and clear of the zoom controls).
    await penDrag(alice, [100, 580], [400, 580])
    for (const page of pages())
      await waitUntil(
        'the editor stroke after the viewer drag arrived',
        async () => (await inkPixelsAt(page, 250, 580)) > 0,
      )
    const after = await Promise.all(pages().map(strokeCount))
    expect(after).toEqual(before.map((n) => n + 1))
    for (const page of pages()) expect(await inkPixelsAt(page, 250, 520)).toBe(0)
  })

  it('lets in a knocking page when the owner admits it', async () => {
    const knockUrl = joinLink.replace(/#.*$/, '#knock')
    const dave = await openAs(knockUrl, 'Dave', '#0c8599')
    await dave.locator('[data-testid="knocking"]').waitFor()
    const card = owner.locator('[data-testid="knock"][data-name="Dave"]')
    await card.waitFor()
    // Both screens show the code of Dave's secure channel: equal codes, nobody in the middle.
    const daveCode = await dave
      .locator('[data-testid="knocking"] [data-testid="comparison-code"]')
      .getAttribute('data-code')
    expect(daveCode).toMatch(/^[0-9]{6}$/)
    expect(await card.locator('[data-testid="comparison-code"]').getAttribute('data-code')).toBe(daveCode)
    expect(await dave.locator('[data-testid="knocking"]').textContent()).toContain(
      `${daveCode?.slice(0, 3)}\u00a0${daveCode?.slice(3)}`,
    )
    if (process.env.LANVAS_SCREENSHOTS) {
      await dave.screenshot({ path: `${process.env.LANVAS_SCREENSHOTS}/knocking.png` })
      await owner.screenshot({ path: `${process.env.LANVAS_SCREENSHOTS}/knock-card.png` })
    }
    await card.locator('[data-testid="knock-admit-editor"]').click()
    await dave.locator(connected).waitFor()
    await dave.locator('[data-testid="knocking"]').waitFor({ state: 'detached' })
    await waitUntil('the late joiner sees the board', async () => (await inkPixelsAt(dave, 250, 300)) > 0)
    await waitUntil('the owner lists Dave', async () => (await listedNames(owner)).includes('Dave'))
    await dave.context().close()
  })

  it('tells a refused knocker plainly', async () => {
    const eve = await openAs(joinLink.replace(/#.*$/, '#knock'), 'Eve', '#f59f00')
    const card = owner.locator('[data-testid="knock"][data-name="Eve"]')
    await card.waitFor()
    await card.locator('[data-testid="knock-refuse"]').click()
    const ended = eve.locator('[data-testid="session-ended"]')
    await ended.waitFor()
    expect(await ended.getAttribute('data-code')).toBe('4009')
    expect(await eve.locator('[data-testid="session-ended-message"]').textContent()).toBe(
      'The host did not let you in.',
    )
    await eve.context().close()
  })
})
