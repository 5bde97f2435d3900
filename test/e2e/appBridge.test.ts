import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../support/browser'
import { type HostProcess, startHostProcess } from '../support/hostProcess'

// The app's own window runs this same page with the preload's `window.lanvas`. Electron cannot run here, so a
// stand-in with the preload's shape records what the page asks of the app; the page itself is the real one.
let dir: string
let host: HostProcess
let browser: Browser

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-app-'))
  host = await startHostProcess(['--port', '0', '--board', join(dir, 'app.lanvas')])
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await host?.stop()
  await rm(dir, { recursive: true, force: true })
})

async function appPage(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 700 } })
  await page.addInitScript(() => {
    const calls: unknown[][] = []
    ;(window as unknown as { appCalls: unknown[][] }).appCalls = calls
    ;(window as unknown as { lanvas: unknown }).lanvas = {
      openBoard: async () => null,
      saveBoardBytes: async () => null,
      saveExport: async () => null,
      hostBoard: async () => ({ error: 'not here' }),
      joinSession: async (url: string) => {
        calls.push(['joinSession', url])
        return null
      },
      networkAddresses: async () => ['192.168.1.5', '10.0.0.7', 'fd00::5'],
      shareSession: async (address?: string) => {
        calls.push(['shareSession', address])
        return { joinLinks: [`http://${address ?? '192.168.1.5'}:47800/#join=abcdefghijklmnopqrstuv`] }
      },
      discoverSessions: async () => [
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
  })
  const owner = /Host link \(keep private\): (\S+)/.exec(host.output())?.[1]
  await page.goto(owner ?? host.url)
  await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor()
  return page
}

const appCalls = (page: Page) =>
  page.evaluate(() => (window as unknown as { appCalls: unknown[][] }).appCalls)

describe('the app-only panels', () => {
  it('shares on the one network the person picks, and shows its link and QR code', async () => {
    const page = await appPage()
    await page.getByTestId('share-open').click()
    const networks = page.getByTestId('share-network')
    expect(await networks.locator('option').allTextContents()).toEqual([
      'All networks',
      '192.168.1.5',
      '10.0.0.7',
      'fd00::5',
    ])
    await networks.selectOption('10.0.0.7')
    await page.getByTestId('share-start').click()
    await expect
      .poll(() => page.getByTestId('share-link').first().inputValue())
      .toContain('http://10.0.0.7:47800/')
    await page.getByTestId('share-qr').waitFor()
    expect(await appCalls(page)).toEqual([['shareSession', '10.0.0.7']])
    await page.close()
  })

  it('lists sessions with how many are in, and joins the one picked', async () => {
    const page = await appPage()
    await page.getByTestId('join-open').click()
    const listed = page.getByTestId('join-session')
    await expect.poll(() => listed.first().textContent()).toContain('3 in')
    expect(await listed.first().textContent()).toContain('Design review')
    await listed.first().click()
    await expect.poll(() => appCalls(page)).toEqual([['joinSession', 'http://192.168.1.9:47800/#knock']])
    await page.close()
  })
})
