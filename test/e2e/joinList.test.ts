// The browser's Join list and a plain host's page, as a person sees them in Chromium: how many are in each listed
// session (as `npm run discover` says), and no error in the console of a host that shares nothing.
import type { Browser, ConsoleMessage } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { browseSessions, DiscoveredSession } from '../../src/main/host/discovery'
import type { Host, SessionShare } from '../../src/main/host/server'
import { launchBrowser } from '../support/browser'
import { builtFile } from '../support/built'
import {
  connectClient,
  removeDir,
  shareOnLoopback,
  startTestHost,
  syncUrl,
  type TestClient,
  tempDir,
} from '../support/hostFixture'

let dir: string
let browser: Browser
let plain: Host
let other: Host
let share: SessionShare
const clients: TestClient[] = []

/** A network where one session is seen: the other host's, announced from loopback (mDNS itself is tested in test/lan). */
const seesOther: typeof browseSessions = () => ({
  sessions: (): DiscoveredSession[] => [
    {
      sessionId: share.sessionId,
      name: 'Design review',
      boardName: 'Plans',
      hostName: 'other-box',
      approval: true,
      protocol: 1,
      port: share.port,
      addresses: ['127.0.0.1'],
      from: '127.0.0.1',
    },
  ],
  stop: () => {},
})

beforeAll(async () => {
  dir = await tempDir()
  other = await startTestHost(`${dir}`, { boardPath: `${dir}/other.lanvas` })
  share = await shareOnLoopback(other, { name: 'Design review' })
  plain = await startTestHost(dir, {
    boardPath: `${dir}/plain.lanvas`,
    rendererDir: builtFile('renderer'),
    browse: true,
    browseWith: seesOther,
  })
  browser = await launchBrowser()
})

afterAll(async () => {
  for (const c of clients) c.destroy()
  await browser?.close()
  await plain?.close()
  await other?.close()
  await removeDir(dir)
})

describe('the Join list in a browser', () => {
  it('shows how many people are in each session, as the other host counts them', async () => {
    // Two guests with the link, and the host's own window: three in.
    clients.push(
      connectClient(syncUrl(other.port, other.defaultBoardId), 'Owner', { ownerKey: other.ownerKey }),
      connectClient(syncUrl(share.port, other.defaultBoardId), 'Ann', { token: share.token }),
      connectClient(syncUrl(share.port, other.defaultBoardId), 'Bo', { token: share.token }),
    )
    await Promise.all(clients.map((c) => c.connection.whenSynced()))
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } })
    await page.goto(plain.url)
    await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor()
    await page.getByTestId('join-open').click()
    const item = page.locator('[data-testid="join-session"][data-name="Design review"]')
    await expect.poll(() => item.textContent()).toContain('3 in')
    expect(await item.textContent()).toContain('“Plans” · hosted by other-box')
    await page.close()
  })
})

describe('a host that shares nothing', () => {
  it('loads its page with nothing in the console but what the app means to say', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } })
    const problems: string[] = []
    const note = (m: ConsoleMessage) => {
      if (m.type() === 'error' || m.type() === 'warning')
        problems.push(`${m.type()}: ${m.text()} ${m.location().url}`)
    }
    page.on('console', note)
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`)
    })
    await page.goto(plain.url)
    await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor()
    // A reload asks again, as every page load does.
    await page.reload()
    await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor()
    await page.getByTestId('board-name').waitFor()
    expect(problems).toEqual([])
    await page.close()
  })
})
