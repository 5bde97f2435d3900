import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LanvasTestHandle } from '../../src/renderer/src/testHandle'
import { launchBrowser } from '../support/browser'
import { type HostProcess, startHostProcess } from '../support/hostProcess'
import { freeLoopbackPort, openPageAs, penDrag } from '../support/pages'
import { waitUntil } from '../support/waitUntil'

// Issue 11, item 1, as people meet it: `npm run host -- --lan --name Review` shared, three pages in (the host's
// own page, a link guest, an admitted knocker), the host stopped and started again with the same command.
// Nobody clicks anything after the restart.

let dir: string
let host: HostProcess
let browser: Browser
let args: string[]

const openAs = (url: string, name: string) => openPageAs(browser, url, name)

const connected = '[data-testid="connection-status"][data-status="connected"]'

const ids = (page: Page): Promise<string[]> =>
  page.evaluate(() => (window.__lanvas as LanvasTestHandle).board.elementIds())
const roleOf = (page: Page) => page.evaluate(() => window.__lanvas?.role())

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-e2e-durable-'))
  // The loopback port is given, as `npm run host` gives 47800: the host page's address must be the same again.
  args = [
    '--port',
    String(await freeLoopbackPort()),
    '--board',
    join(dir, 'review.lanvas'),
    '--lan',
    '--bind',
  ]
  args.push('127.0.0.1', '--no-mdns', '--name', 'Review')
  host = await startHostProcess(args)
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await host?.stop()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('a session across a restart of its host', () => {
  it('brings the host page, a link guest and an admitted knocker back by themselves, with their roles and every stroke', async () => {
    await waitUntil('the host prints its links', () => /Session: new/.test(host.output()))
    const ownerLink = (/Host link[^:]*: (\S+#owner=\S+)/.exec(host.output()) ?? [])[1] as string
    const joinLink = (/Join link: (\S+#join=\S+)/.exec(host.output()) ?? [])[1] as string
    const owner = await openAs(ownerLink, 'Hana')
    const guest = await openAs(joinLink, 'Gus')
    const knocker = await openAs(joinLink.replace(/#.*$/, '#knock'), 'Kim')
    await knocker.locator('[data-testid="knocking"]').waitFor()
    await owner.locator('[data-testid="knock"][data-name="Kim"] [data-testid="knock-admit-viewer"]').click()
    for (const page of [owner, guest, knocker]) await page.locator(connected).waitFor()
    await penDrag(guest, [100, 100], [200, 150])
    await waitUntil('everyone has the stroke', async () =>
      (await Promise.all([owner, knocker].map(ids))).every((l) => l.length === 1),
    )

    expect(await host.stop()).toBe(0)
    for (const page of [owner, guest, knocker])
      await page.locator('[data-testid="connection-status"][data-status="offline"]').waitFor()
    // Drawn while the host is down, by the host's page and the link guest (below the "not reachable" banner).
    await penDrag(owner, [300, 300], [400, 400])
    await penDrag(guest, [100, 300], [200, 450])
    expect((await Promise.all([owner, guest].map(ids))).map((l) => l.length)).toEqual([2, 2])

    host = await startHostProcess(args)
    await waitUntil('the host restores its session', () => /Session: restored/.test(host.output()))
    expect((/Host link[^:]*: (\S+)/.exec(host.output()) ?? [])[1]).toBe(ownerLink)
    expect((/Join link: (\S+)/.exec(host.output()) ?? [])[1]).toBe(joinLink)
    for (const page of [owner, guest, knocker]) await page.locator(connected).waitFor({ timeout: 20_000 })
    expect(await roleOf(owner)).toBe('host')
    expect(await roleOf(guest)).toBe('editor')
    expect(await roleOf(knocker)).toBe('viewer')
    await waitUntil('every page holds all three strokes', async () =>
      (await Promise.all([owner, guest, knocker].map(ids))).every((l) => l.length === 3),
    )

    // The knocker's browser keeps its way back in: a reload does not knock again.
    await knocker.reload()
    await knocker.locator(connected).waitFor()
    expect(await roleOf(knocker)).toBe('viewer')
    expect(await knocker.locator('[data-testid="knocking"]').count()).toBe(0)
  }, 90_000)

  it('makes a new link from the share panel: the CLI prints it, old links are refused, the guest is told', async () => {
    const ownerLink = (/Host link[^:]*: (\S+#owner=\S+)/.exec(host.output()) ?? [])[1] as string
    const joinLink = (/Join link: (\S+#join=\S+)/.exec(host.output()) ?? [])[1] as string
    const owner = await openAs(ownerLink, 'Hana')
    const guest = await openAs(joinLink, 'Gus')
    for (const page of [owner, guest]) await page.locator(connected).waitFor()
    await owner.click('[data-testid="share-open"]')
    await owner.click('[data-testid="share-new-link"]')
    const printed = await waitUntil('the CLI prints the new link', () =>
      /old links no longer work\.\nJoin link: (\S+)/.exec(host.output()),
    )
    const newLink = printed[1] as string
    expect(newLink).not.toBe(joinLink)
    await waitUntil(
      'the host page shows it',
      async () => (await owner.locator('[data-testid="share-link"]').first().inputValue()) === newLink,
    )
    await guest.locator('text=The host made a new link').waitFor()
    expect(await guest.locator(connected).count()).toBe(1)

    const late = await openAs(joinLink, 'Late')
    await late.locator('text=not valid').first().waitFor()
    const fresh = await openAs(newLink, 'Fresh')
    await fresh.locator(connected).waitFor()
    expect(await roleOf(fresh)).toBe('editor')
  }, 60_000)
})
