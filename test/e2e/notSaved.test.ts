/**
 * Issue 10.13: a host that cannot write the board (its disk is full) says so. The board lives on a small
 * tmpfs of its own (mounted here as root, like the network namespaces of the LAN tests); a filler file
 * fills it while a person draws. Every page shows "Not saved" with its count of waiting edits, closing the
 * page asks first, and once there is room again the board is saved and the warning goes.
 */

import { execFileSync } from 'node:child_process'
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { recoverBoard } from '../../src/main/host/journal'
import { Board } from '../../src/shared/board'
import { launchBrowser } from '../support/browser'
import { screenPointOf } from '../support/canvas'
import { type HostProcess, startHostProcess } from '../support/hostProcess'
import { waitUntil } from '../support/waitUntil'

let dir: string
let host: HostProcess
let browser: Browser

async function openBoard(url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } })
  const page = await context.newPage()
  await page.goto(url)
  await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor()
  return page
}

async function stroke(page: Page, y: number): Promise<void> {
  await page.keyboard.press('p')
  const a = await screenPointOf(page, 100, y)
  const b = await screenPointOf(page, 400, y + 30)
  await page.mouse.move(a.x, a.y)
  await page.mouse.down()
  await page.mouse.move(b.x, b.y, { steps: 40 })
  await page.mouse.up()
}

/**
 * The strokes a restarted host would find: the board file and its journal, copied out and read as the host
 * reads them on start (the running host's own files are left alone).
 */
async function strokesOnDisk(): Promise<number> {
  const copy = await mkdtemp(join(tmpdir(), 'lanvas-ondisk-'))
  try {
    for (const name of ['full.lanvas', 'full.lanvas.journal'])
      await copyFile(join(dir, name), join(copy, name)).catch(() => {})
    const recovered = await recoverBoard(join(copy, 'full.lanvas'), () => {})
    return new Board(recovered.doc ?? new Y.Doc()).strokes().length
  } catch {
    return -1
  } finally {
    await rm(copy, { recursive: true, force: true })
  }
}

/** Writes zeros until the disk is full (ENOSPC), in one file; returns its path. */
async function fillDisk(): Promise<string> {
  const filler = join(dir, 'filler')
  execFileSync('sh', ['-c', `dd if=/dev/zero of='${filler}' bs=4k 2>/dev/null || true`])
  return filler
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-full-'))
  // 2 MB: room for the board and its journal until the filler takes the rest.
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir])
  host = await startHostProcess(['--port', '0', '--board', join(dir, 'full.lanvas')])
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await host?.stop()
  execFileSync('umount', ['-l', dir])
  await rm(dir, { recursive: true, force: true })
})

describe('a host whose disk is full', () => {
  it('shows every page that its edits are not saved, asks before closing, and saves once there is room', async () => {
    const drawer = await openBoard(host.url)
    const watcher = await openBoard(host.url)
    await stroke(drawer, 100)
    await waitUntil('the first stroke is on disk', async () => (await strokesOnDisk()) === 1)
    const filler = await fillDisk()
    // Enough ink that the journal must grow past the slack of its last page on the full disk.
    for (let i = 0; i < 6; i++) await stroke(drawer, 160 + i * 40)
    for (const page of [drawer, watcher])
      await page.locator('[data-testid="not-saved-banner"]').waitFor({ timeout: 15_000 })
    expect(await drawer.locator('[data-testid="not-saved-banner"]').textContent()).toMatch(/ENOSPC|no space/i)
    await waitUntil(
      'the drawer counts its waiting edits',
      async () => Number(await drawer.locator('[data-testid="not-saved-count"]').textContent()) > 0,
    )
    expect(host.output()).toMatch(/NOT SAVED/)
    // The window's title carries the mark too (the desktop window takes the page's title).
    expect(await drawer.title()).toMatch(/^• .+ — Lanvas$/)

    // Closing the drawer's page now asks first.
    const asked = new Promise<string>((resolve) =>
      drawer.once('dialog', (dialog) => {
        resolve(dialog.type())
        void dialog.dismiss()
      }),
    )
    await drawer.close({ runBeforeUnload: true })
    expect(await asked).toBe('beforeunload')
    expect(drawer.isClosed()).toBe(false)

    // Room again: the edits reach the disk, and the warning goes.
    await rm(filler)
    await writeFile(join(dir, 'probe'), 'x').then(() => rm(join(dir, 'probe')))
    for (const page of [drawer, watcher])
      await page.locator('[data-testid="not-saved-banner"]').waitFor({ state: 'detached', timeout: 20_000 })
    expect(await drawer.title()).toMatch(/^[^•].* — Lanvas$/)
    // The journal may hold them before the board file is rewritten: read both, as a restarted host would. A bound
    // of a minute (a busy machine); on failure the host's own lines say what it did with the disk.
    let found = 0
    await waitUntil(
      'all seven strokes are on disk',
      async () => {
        found = await strokesOnDisk()
        return found === 7
      },
      60_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}: ${found} found; the host said:\n${host.output().slice(-3000)}`)
    })
  })
})
