// A large edit on a page leaves at the rate its host allows: the undo of deleting every stroke of a 10 MB board,
// on a host that allows 1 MiB/s after a 4 MiB burst, shows "Sending your edit… N %" until its last part has
// gone, and a peer then has every stroke back. Before pacing, the parts all left at once and the host closed the
// page's socket as a flood.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Host } from '../../src/main/host/server'
import { startHost } from '../../src/main/host/server'
import { launchBrowser } from '../support/browser'
import { builtFile } from '../support/built'
import { copiedStrokes } from '../support/copiedStrokes'
import { connectClient, syncUrl, type TestClient } from '../support/hostFixture'
import { waitUntil } from '../support/waitUntil'

const STROKES = 700
const MiB = 1024 * 1024

let dir: string
let browser: Browser
let host: Host | undefined
let bea: TestClient | undefined

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-e2e-sending-'))
  browser = await launchBrowser()
})

afterAll(async () => {
  bea?.destroy()
  await browser?.close()
  await host?.close()
  await rm(dir, { recursive: true, force: true })
})

describe('a large edit on a page', () => {
  it('shows "Sending your edit… N %" while it leaves at the allowed rate, and reaches the peer whole', async () => {
    await writeFile(
      join(dir, 'board.lanvas'),
      copiedStrokes(STROKES, { color: '#1971c2', width: 2 }, 200_000),
    )
    host = await startHost({
      port: 0,
      boardPath: join(dir, 'board.lanvas'),
      rendererDir: builtFile('renderer'),
      limits: { bytes: { perSecond: 1 * MiB, burst: 4 * MiB } },
    })
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } })
    await page.goto(host.url)
    await page.waitForFunction((n) => window.__lanvas?.board.elementIds().length === n, STROKES, {
      timeout: 120_000,
    })
    bea = connectClient(syncUrl(host.port, host.defaultBoardId), 'bea')
    await bea.connection.whenSynced()

    // Select everything, delete it, and undo: the undo writes every stroke again, ~10 MB in one edit.
    await page.keyboard.press('v')
    await page.keyboard.press('Control+a')
    await page.keyboard.press('Delete')
    await waitUntil('the peer sees every stroke deleted', () => bea?.board.elementIds().length === 0, 60_000)
    await page.keyboard.press('Control+z')
    const bar = page.getByTestId('sending-progress')
    await bar.waitFor({ state: 'visible', timeout: 60_000 })
    const label = (await bar.textContent()) ?? ''
    expect(label).toMatch(/^Sending your edit… \d+ %$/)
    await page.screenshot({ path: 'test-results/sending-progress-during.png' })
    // Then it has all gone: the bar is gone, and the peer has every stroke back.
    await bar.waitFor({ state: 'detached', timeout: 120_000 })
    await waitUntil(
      'the peer has every stroke back',
      () => bea?.board.elementIds().length === STROKES,
      120_000,
    )
    await page.screenshot({ path: 'test-results/sending-progress-after.png' })
    await page.close()
  }, 300_000)
})
