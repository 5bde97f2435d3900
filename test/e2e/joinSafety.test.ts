import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer as createHttpServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import { launchBrowser } from '../support/browser'
import { type HostProcess, startHostProcess } from '../support/hostProcess'
import { freeLoopbackPort, openPageAs } from '../support/pages'
import { answerAsRogue } from '../support/rogueHandshake'
import { waitUntil } from '../support/waitUntil'

// The join token in a page's address, and the Join list, against a network that lies: a real host shares on
// loopback; an impostor (the same board, another token) later answers at the same address; the Join list is
// handed announcements of addresses off the LAN.

let dir: string
let host: HostProcess | undefined
let browser: Browser
let lanPort: number
let joinLink: string
let token: string

const connected = '[data-testid="connection-status"][data-status="connected"]'
const cleanups: (() => Promise<void>)[] = []

/**
 * A rogue host at `port`: answers every handshake with a key of its own and never checks the client's proof (a
 * client with the link then stops with HostNotVerified), and records every HTTP request, a reload included.
 */
async function startImpostor(port: number): Promise<{ requests: string[]; close: () => Promise<void> }> {
  const requests: string[] = []
  const server = createHttpServer((req, res) => {
    requests.push(`${req.method} ${req.url}`)
    res.writeHead(200, { 'Content-Type': 'text/html' }).end('<title>impostor</title>')
  })
  const sockets = new WebSocketServer({ server })
  sockets.on('connection', (ws) => answerAsRogue(ws, randomBytes(18).toString('base64url')))
  await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok))
  return {
    requests,
    close: async () => {
      for (const ws of sockets.clients) ws.terminate()
      await new Promise<void>((ok) => sockets.close(() => ok()))
      server.closeAllConnections()
      await new Promise<void>((ok) => server.close(() => ok()))
    },
  }
}

const hostArgs = (extra: string[]) => [
  '--port',
  '0',
  '--board',
  join(dir, 'board.lanvas'),
  '--lan',
  '--bind',
  '127.0.0.1',
  '--no-mdns',
  '--lan-port',
  String(lanPort),
  ...extra,
]

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-e2e-join-'))
  lanPort = await freeLoopbackPort()
  host = await startHostProcess(hostArgs([]))
  await waitUntil('the host prints its join link', () => /Join link: http/.test(host?.output() ?? ''))
  joinLink = (/Join link: (\S+#join=\S+)/.exec(host.output()) ?? [])[1] as string
  token = new URL(joinLink).hash.replace('#join=', '')
  expect(token.length).toBeGreaterThanOrEqual(16)
  browser = await launchBrowser()
})

afterAll(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
  await browser?.close()
  await host?.stop()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('the Join list in a browser', () => {
  it('opens only addresses on the local network, whatever the list announces', async () => {
    // The host's own page: nothing stands in front of its Join button.
    const ownerLink = (/Host link[^:]*: (\S+#owner=\S+)/.exec(host?.output() ?? '') ?? [])[1] as string
    const page = await openPageAs(browser, ownerLink, 'Bob', { noWebCrypto: true })
    await page.locator(connected).waitFor()
    const requested: string[] = []
    page.on('request', (request) => requested.push(request.url()))
    const announced = (name: string, addresses: string[]) => ({
      sessionId: name,
      name,
      boardName: 'b',
      hostName: 'h',
      approval: true,
      protocol: 1,
      port: 47800,
      addresses,
      from: addresses[0],
    })
    await page.route('**/api/sessions', (route) =>
      route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({
          discovery: true,
          sessions: [
            announced('Public', ['8.8.8.8']),
            announced('Smuggled', ['192.168.1.9:1@evil.example']),
            announced('Mixed', ['203.0.113.7', '192.168.77.10']),
          ],
        }),
      }),
    )
    // Where a LAN address would lead: answered here, so that the test sees the navigation and nothing leaves.
    await page.route('http://192.168.77.10:47800/**', (route) =>
      route.fulfill({ contentType: 'text/html', body: '<title>elsewhere</title>' }),
    )
    await page.getByTestId('join-open').click()
    const item = (name: string) => page.locator(`[data-testid="join-session"][data-name="${name}"]`)

    await item('Public').click()
    await expect
      .poll(() => page.getByTestId('join-error').textContent())
      .toContain('not on your local network')
    await item('Smuggled').click()
    await expect.poll(() => page.getByTestId('join-error').textContent()).toContain('is not an address')
    expect(requested.filter((u) => /8\.8\.8\.8|evil\.example/.test(u))).toEqual([])
    expect(page.url()).toContain(new URL(ownerLink).origin)

    await item('Mixed').click()
    await page.waitForURL('http://192.168.77.10:47800/**')
    expect(page.url()).toBe('http://192.168.77.10:47800/#knock')
    expect(requested.filter((u) => u.includes('203.0.113.7'))).toEqual([])
    await page.context().close()
  })
})

describe('the join token in the address bar', () => {
  let page: Page

  it('is taken out of the address as soon as the page has read it, and the page still joins with it', async () => {
    page = await openPageAs(browser, joinLink, 'Alice', { noWebCrypto: true })
    await page.locator(connected).waitFor()
    expect(await page.evaluate(() => window.__lanvas?.role())).toBe('editor')
    const where = await page.evaluate(() => ({ hash: location.hash, href: location.href }))
    expect(where.hash).not.toContain(token)
    expect(where.href).not.toContain(token)
    expect(page.url()).not.toContain(token)
    // A reload knocks instead: no secret is left for whoever answers at the address then.
    expect(where.hash).toContain('knock')
  })

  it('is never handed to a host that fails verification: "Try again" reconnects, it does not reload', async () => {
    const navigations: string[] = []
    const leaks: string[] = []
    let sockets = 0
    page.on('framenavigated', (frame) => navigations.push(frame.url()))
    page.on('request', (request) => {
      const sent = `${request.url()} ${request.postData() ?? ''} ${JSON.stringify(request.headers())}`
      if (sent.includes(token)) leaks.push(sent)
    })
    page.on('websocket', (ws) => {
      sockets++
      ws.on('framesent', (frame) => {
        if (Buffer.from(frame.payload).includes(token)) leaks.push(`websocket frame to ${ws.url()}`)
      })
    })
    await page.evaluate(() => {
      ;(window as unknown as { marker: string }).marker = 'this page'
    })
    const urlBefore = page.url()

    // The real host goes; an impostor answers at the same address and port, faking the handshake.
    await host?.stop()
    host = undefined
    const impostor = await startImpostor(lanPort)
    cleanups.push(impostor.close)
    const ended = page.locator('[data-testid="session-ended"]')
    await ended.waitFor()
    expect(await ended.getAttribute('data-code')).toBe('4011')

    const socketsBefore = sockets
    await page.getByTestId('session-retry').click()
    await waitUntil('the page opens a new socket', () => sockets > socketsBefore)
    await ended.waitFor()
    expect(await ended.getAttribute('data-code')).toBe('4011')

    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('this page')
    expect(page.url()).toBe(urlBefore)
    expect(navigations).toEqual([])
    expect(await page.evaluate(() => location.href)).not.toContain(token)
    expect(leaks).toEqual([])
    // Nothing came back to the impostor for its page: the sockets only.
    expect(impostor.requests).toEqual([])
    await page.context().close()
  })
})
