import { writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Host } from '../../src/main/host/server'
import { encodeBoardFile } from '../../src/shared/boardFile'
import { knownBoard } from '../shared/exportFixtures'
import { launchBrowser } from '../support/browser'
import { recordFigures } from '../support/figures'
import { removeDir, startTestHost, tempDir } from '../support/hostFixture'

/** What the other site's page could learn: whether each read succeeded, and the exported image's size. */
interface Reads {
  img: { loaded: boolean; width: number }
  fetchCors: { ok: boolean; status: number }
  fetchNoCors: { opaque: boolean }
  file: { loaded: boolean }
}

// A page on another origin (another loopback port: the same *site* to a browser) reading the host's board.
const attackerPage = (hostUrl: string, boardId: string) => `<!doctype html><html><body><script>
(async () => {
  const exportUrl = '${hostUrl}api/boards/${boardId}/export?format=png&scale=1'
  const img = await new Promise((resolve) => {
    const el = new Image()
    el.onload = () => resolve({ loaded: true, width: el.naturalWidth })
    el.onerror = () => resolve({ loaded: false, width: 0 })
    el.src = exportUrl
  })
  const fetchCors = await fetch(exportUrl).then((r) => ({ ok: r.ok, status: r.status }), () => ({ ok: false, status: 0 }))
  const fetchNoCors = await fetch(exportUrl, { mode: 'no-cors' }).then((r) => ({ opaque: r.type === 'opaque' }), () => ({ opaque: false }))
  const file = await new Promise((resolve) => {
    const s = document.createElement('script')
    s.onload = () => resolve({ loaded: true })
    s.onerror = () => resolve({ loaded: false })
    s.src = '${hostUrl}api/boards/${boardId}/file'
    document.body.appendChild(s)
  })
  window.reads = { img, fetchCors, fetchNoCors, file }
})()
</script></body></html>`

describe('cross-site reads of exports and board files (a real Chromium page on another origin)', () => {
  let browser: Browser
  let dir: string
  let host: Host
  let other: Server
  const log: string[] = []

  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser.close()
  })
  beforeEach(async () => {
    dir = await tempDir()
    await writeFile(join(dir, 'board.lanvas'), encodeBoardFile(knownBoard().doc))
    log.length = 0
    host = await startTestHost(dir, { log: (line) => log.push(line) })
    other = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end(attackerPage(host.url, host.defaultBoardId))
    })
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve))
  })
  afterEach(async () => {
    await new Promise((resolve) => other.close(resolve))
    await host.close()
    await removeDir(dir)
  })

  it('refuses an <img>, fetch() and <script> of the export and file endpoints from a page on another port', async () => {
    const page = await browser.newPage()
    try {
      await page.goto(`http://127.0.0.1:${(other.address() as AddressInfo).port}/`)
      await page.waitForFunction(() => (window as unknown as { reads?: unknown }).reads !== undefined)
      const reads = (await page.evaluate(() => (window as unknown as { reads: Reads }).reads)) as Reads
      // The size of the board's image stays unknown to the other site.
      expect(reads.img).toEqual({ loaded: false, width: 0 })
      expect(reads.fetchCors.ok).toBe(false)
      expect(reads.file.loaded).toBe(false)
      // A no-cors fetch always looks the same to the page; the host refused it before exporting anything.
      const refusals = log.filter((l) => l.startsWith('Refused:'))
      expect(refusals.length).toBeGreaterThanOrEqual(4)
      const test = 'test/e2e/crossSiteExport.test.ts › refuses an <img>, fetch() and <script> …'
      await recordFigures('cross-site-reads', [
        { label: 'cross-site reads tried (img, fetch, no-cors fetch, script)', value: 4, test },
        { label: 'cross-site reads refused by the host', value: refusals.length, test, key: 'cross-site' },
      ])
    } finally {
      await page.close()
    }
  })

  it('still exports to a page of its own origin', async () => {
    const page = await browser.newPage()
    try {
      const exportUrl = `${host.url}api/boards/${host.defaultBoardId}/export?format=png&scale=1`
      // The host's own origin: the export dialog's fetch.
      await page.goto(`${host.url}api/health`)
      const own = await page.evaluate(async (url) => {
        const r = await fetch(url)
        return {
          status: r.status,
          type: r.headers.get('content-type'),
          bytes: (await r.arrayBuffer()).byteLength,
        }
      }, exportUrl)
      expect(own).toMatchObject({ status: 200, type: 'image/png' })
      expect(own.bytes).toBeGreaterThan(100)
      expect(log.filter((l) => l.startsWith('Refused:'))).toEqual([])
    } finally {
      await page.close()
    }
  })
})
