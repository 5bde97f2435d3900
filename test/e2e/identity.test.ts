// Names in a session, in real Chromium pages: someone who types the host's address is asked a name before knocking
// (the host sees it on the knock card), the host's own page is asked too, and nobody is "Guest" by default.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PRESENCE_COLORS } from '../../src/renderer/src/session/identity'
import { launchBrowser } from '../support/browser'
import { type HostProcess, startHostProcess } from '../support/hostProcess'
import { waitUntil } from '../support/waitUntil'

let dir: string
let host: HostProcess
let browser: Browser
let ownerLink: string
/** What a person types: the host's address, no link. */
let typedAddress: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-e2e-identity-'))
  host = await startHostProcess([
    '--port',
    '0',
    '--board',
    join(dir, 'names.lanvas'),
    '--lan',
    '--bind',
    '127.0.0.1',
    '--lan-port',
    '0',
    '--no-mdns',
  ])
  await waitUntil('the host prints its join link', () => /Join link: http/.test(host.output()))
  ownerLink = (/Host link \(keep private\): (\S+)/.exec(host.output()) ?? [])[1] as string
  const joinLink = (/Join link: (\S+)/.exec(host.output()) ?? [])[1] as string
  typedAddress = joinLink.replace(/#.*$/, '')
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await host?.stop()
  await rm(dir, { recursive: true, force: true })
})

/** A page in a fresh browser profile: nobody has given a name there yet. */
async function freshPage(url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } })
  // As on a LAN address over plain http, where pages have no WebCrypto.
  await context.addInitScript(() => Object.defineProperty(globalThis.crypto, 'subtle', { value: undefined }))
  const page = await context.newPage()
  await page.goto(url)
  return page
}

describe('names in a session', () => {
  let owner: Page

  it("asks the host's own page for a name without stopping it, offering a name that is not Guest", async () => {
    owner = await freshPage(ownerLink)
    await owner.locator('[data-testid="connection-status"][data-status="connected"]').waitFor()
    const prompt = owner.getByTestId('name-prompt')
    await prompt.waitFor()
    const offered = (await owner.getByTestId('name-prompt-default').textContent()) ?? ''
    expect(offered).not.toBe('Guest')
    expect(offered).toMatch(/^[A-Z][a-z]+ [a-z]+$/)
    // The board stays usable meanwhile: the pen draws.
    expect(await owner.getByTestId('identity-dialog').count()).toBe(0)
    await owner.getByTestId('name-prompt-name').fill('Hana')
    await owner.getByTestId('name-prompt-save').click()
    await prompt.waitFor({ state: 'detached' })
    await owner.getByTestId('participants-toggle').click()
    await owner.locator('[data-testid="participant"][data-name="Hana"]').waitFor()
    // Asked once: a reload on this device does not ask again.
    await owner.reload()
    await owner.locator('[data-testid="connection-status"][data-status="connected"]').waitFor()
    expect(await owner.getByTestId('name-prompt').count()).toBe(0)
  })

  it('asks someone who typed the address for a name before knocking, and the host sees that name', async () => {
    const guest = await freshPage(typedAddress)
    const dialog = guest.getByTestId('identity-dialog')
    await dialog.waitFor()
    // Offered a name of its own, not "Guest", in one of the presence colours.
    const offered = await guest.getByTestId('identity-name').inputValue()
    expect(offered).not.toBe('Guest')
    expect(offered).toMatch(/^[A-Z][a-z]+ [a-z]+$/)
    const picked = await guest
      .locator('[data-testid^="identity-color-"][aria-pressed="true"]')
      .getAttribute('data-testid')
    expect(PRESENCE_COLORS.map((c) => `identity-color-${c.slice(1)}`)).toContain(picked)
    // Nothing reached the host before the name: no knock yet.
    expect(await owner.getByTestId('knock').count()).toBe(0)
    await guest.getByTestId('identity-name').fill('Kim')
    await guest.getByTestId('identity-submit').click()
    await guest.getByTestId('knocking').waitFor()
    await owner.locator('[data-testid="knock"][data-name="Kim"]').waitFor()
    await owner.locator('[data-testid="knock"][data-name="Kim"] [data-testid="knock-admit-editor"]').click()
    await guest.locator('[data-testid="connection-status"][data-status="connected"]').waitFor()
    // The people panel (closed since the reload) lists the guest by the name given.
    await owner.getByTestId('participants-toggle').click()
    await owner.locator('[data-testid="participant"][data-name="Kim"]').waitFor()
    await guest.context().close()
  })
})
