// How a page starts on a host (issue 9, the first stroke within a second): it asks the host which board to show
// once (the session and the default board at once, asked by its HTML beside its scripts, not again when React has
// chosen the board), its texts are drawn with the shipped font from the first frame (also asked by its HTML), and
// the export code it does not need to show a board comes only when Export is opened, never while the person draws.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Host } from '../../src/main/host/server'
import { startHost } from '../../src/main/host/server'
import { Board } from '../../src/shared/board'
import { encodeBoardFile } from '../../src/shared/boardFile'
import { launchBrowser } from '../support/browser'
import { builtFile } from '../support/built'
import { penDrag } from '../support/pages'

let dir: string
let browser: Browser
let host: Host | undefined

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-e2e-start-'))
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await host?.close()
  await rm(dir, { recursive: true, force: true })
})

/** A host (the one before it closed) on a new board file `name` of one text and one stroke. */
async function hostOn(name: string, text: string): Promise<Host> {
  const board = new Board(new Y.Doc(), 'author')
  board.addText({ x: 100, y: 120, text, fontSize: 32 })
  board.finishStroke(board.beginStroke({ color: '#1971c2', width: 4 }, [50, 50, 0.5, 300, 80, 0.5]))
  await writeFile(join(dir, `${name}.lanvas`), encodeBoardFile(board.doc))
  await host?.close()
  return startHost({ port: 0, boardPath: join(dir, `${name}.lanvas`), rendererDir: builtFile('renderer') })
}

/** Waits until the page shows the board's text and stroke. */
async function bothShown(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      (
        window as unknown as { __lanvas?: { visibleElementCount(): number } }
      ).__lanvas?.visibleElementCount() === 2,
  )
}

describe('a page starting on a host', () => {
  it('asks which board to show once, draws its text in the shipped font, and loads the export code only for Export', async () => {
    host = await hostOn('start', 'Résumé ✓')
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } })
    const asked: string[] = []
    page.on('request', (request) => asked.push(new URL(request.url()).pathname))
    await page.goto(host.url)
    await bothShown(page)
    // Asked once each (before, the session and the default board were asked again once React chose the board).
    expect(asked.filter((p) => p === '/api/session')).toHaveLength(1)
    expect(asked.filter((p) => p === '/api/boards/default')).toHaveLength(1)
    // The shipped font was there for the first frame: loaded, and what the page measures its texts with.
    const font = await page.evaluate(() => {
      const faces = [...document.fonts].filter((f) => f.family.replace(/"/g, '') === 'Lanvas Sans')
      return faces.map((f) => f.status)
    })
    expect(font).toContain('loaded')
    // Left open while the person draws, the export code does not load by itself: evaluating it (half the page's
    // script) stalled the ink being drawn and watched for 150-300 ms when it loaded in the page's idle time.
    for (let i = 0; i < 6; i++) {
      await penDrag(page, [400, 300 + i * 20], [700, 320 + i * 20], 20)
      await page.waitForTimeout(1000)
    }
    expect(asked.some((p) => /\/assets\/export-[^/]*\.js$/.test(p))).toBe(false)
    // Export opens (its code loads on demand) and draws the board.
    await page.keyboard.press('Control+Shift+E')
    await page.getByRole('dialog').waitFor()
    expect(asked.some((p) => /\/assets\/export-[^/]*\.js$/.test(p))).toBe(true)
    await page.close()
  })

  it('asks for the board choice and the main font from its HTML, once each, not from its script', async () => {
    host = await hostOn('early', 'Early')
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } })
    const asked: string[] = []
    page.on('request', (request) =>
      asked.push(new URL(request.url()).pathname.replace(/-[^/]*\.ttf$/, '.ttf')),
    )
    await page.goto(host.url)
    await bothShown(page)
    // Who asked for each: the HTML's preloads ('link'), where before the script asked ('fetch', and the font 'css').
    const askedBy = await page.evaluate(() =>
      Object.fromEntries(
        performance
          .getEntriesByType('resource')
          .map((e) => [
            new URL(e.name).pathname.replace(/-[^/]*\.ttf$/, '.ttf'),
            (e as PerformanceResourceTiming).initiatorType,
          ]),
      ),
    )
    expect(askedBy['/api/session']).toBe('link')
    expect(askedBy['/api/boards/default']).toBe('link')
    expect(askedBy['/assets/DejaVuSans.ttf']).toBe('link')
    // The script took the preloaded answers and font: nothing asked twice.
    for (const path of ['/api/session', '/api/boards/default', '/assets/DejaVuSans.ttf'])
      expect(asked.filter((p) => p === path)).toHaveLength(1)
    await page.close()
  })

  it('asks which board to show once when the answer comes after its first render', async () => {
    host = await hostOn('later', 'Later')
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } })
    const asked: string[] = []
    page.on('request', (request) => asked.push(new URL(request.url()).pathname))
    // The host's answer about its session waits until the page rendered without it.
    let release = () => {}
    const released = new Promise<void>((resolve) => {
      release = resolve
    })
    await page.route('**/api/session', async (route) => {
      await released
      await route.continue()
    })
    await page.goto(host.url)
    await page.waitForFunction(() => (document.getElementById('root')?.childElementCount ?? 0) > 0)
    release()
    await bothShown(page)
    expect(asked.filter((p) => p === '/api/session')).toHaveLength(1)
    expect(asked.filter((p) => p === '/api/boards/default')).toHaveLength(1)
    await page.close()
  })
})
