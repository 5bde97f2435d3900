import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { LanvasTestHandle } from '../../src/renderer/src/testHandle'
import { Board } from '../../src/shared/board'
import { encodeBoardFile } from '../../src/shared/boardFile'
import { launchBrowser } from '../support/browser'
import { type HostProcess, startHostProcess } from '../support/hostProcess'
import { chooseFileWithKey } from '../support/pages'
import { waitUntil } from '../support/waitUntil'

// The export dialog remembers, follows the theme, stays open and says everything (issue 13, item 14); and the SVG
// it exports shows its text in the embedded fonts, at the screen's widths, in a page that has none of them (item 9).
let dir: string
let host: HostProcess
let browser: Browser
let context: BrowserContext
let page: Page

const dialog = () => page.getByTestId('export-dialog')
const pressed = async (testId: string) =>
  (await page.getByTestId(testId).getAttribute('aria-pressed')) === 'true'

async function openDialog() {
  await page.keyboard.press('Control+Shift+E')
  await dialog().waitFor()
}

async function closeDialog() {
  await page.keyboard.press('Escape')
  await dialog().waitFor({ state: 'detached' })
}

/** Adds a text to the open board as the text tool would, through the page's own board. */
async function addText(text: string, x: number, y: number): Promise<void> {
  await page.evaluate(
    ([t, px, py]) => {
      ;(window.__lanvas as LanvasTestHandle).board.addText({ x: px, y: py, text: t, fontSize: 24 })
    },
    [text, x, y] as const,
  )
}

/** Opens a .lanvas file as a person does (Ctrl+O): the page moves to a new board. */
async function openOtherBoard(): Promise<void> {
  const other = new Board(undefined, 'test')
  other.addText({ x: 0, y: 0, text: 'Another board' })
  const hash = await page.evaluate(() => location.hash)
  await chooseFileWithKey(page, 'Control+o', {
    name: 'Other.lanvas',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from(encodeBoardFile(other.doc)),
  })
  await waitUntil(
    'the page opens the other board',
    async () => (await page.evaluate(() => location.hash)) !== hash,
  )
  // Two cores shared with other tests: the new board's first sync may take a while.
  await waitUntil(
    'its text is there',
    async () => page.evaluate(() => (window.__lanvas as LanvasTestHandle).board.readElements().length === 1),
    45_000,
  )
}

async function setDarkMode(on: boolean): Promise<void> {
  await page.getByTestId('canvas-options-toggle').click()
  await page.getByTestId('dark-mode').setChecked(on)
  await page.getByTestId('canvas-options-toggle').click()
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-e2e-export-choices-'))
  host = await startHostProcess(['--port', '0', '--board', join(dir, 'Plan.lanvas')])
  browser = await launchBrowser()
  context = await browser.newContext({ viewport: { width: 1000, height: 700 }, acceptDownloads: true })
  page = await context.newPage()
  await page.goto(host.url)
  await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor()
  await page.waitForFunction(() => window.__lanvas !== undefined)
  await addText('✓ 你好 Résumé', 100, 100)
})

afterAll(async () => {
  await browser?.close()
  await host?.stop()
  await rm(dir, { recursive: true, force: true })
})

describe('the export dialog', () => {
  afterEach(async () => {
    if ((await dialog().count()) > 0) await closeDialog()
  })

  it('stays open after an export and says which file it made', async () => {
    await openDialog()
    const download = page.waitForEvent('download')
    await page.getByTestId('export-save').click()
    const file = await download
    expect(file.suggestedFilename()).toBe('Plan.png')
    await page.getByTestId('export-message').filter({ hasText: 'Exported: Plan.png' }).waitFor()
    expect(await dialog().isVisible()).toBe(true)
    // Another export is one click away.
    expect(await page.getByTestId('export-save').isEnabled()).toBe(true)
  })

  it('shows every note: characters no shipped font has, before the export and after it', async () => {
    await addText('party 🎉', 100, 200)
    await openDialog()
    await page.getByTestId('export-format').selectOption('pdf')
    const note = page.getByTestId('export-note').filter({ hasText: 'no glyph for 🎉' })
    await note.waitFor()
    expect(await note.textContent()).toContain('the PDF shows "?" there')
    const download = page.waitForEvent('download')
    await page.getByTestId('export-save').click()
    await download
    await page.getByTestId('export-message').filter({ hasText: 'Exported: Plan.pdf' }).waitFor()
    // The export said it too: shown once, still there.
    expect(await note.count()).toBe(1)
    await page.getByTestId('export-format').selectOption('svg')
    await page.getByTestId('export-note').filter({ hasText: 'the SVG leaves them to the fonts' }).waitFor()
    await page.getByTestId('export-format').selectOption('png')
    await waitUntil(
      'PNG has nothing to say about glyphs',
      async () => (await page.getByTestId('export-note').count()) === 0,
    )
  })

  it('remembers the last choices of each board, and starts another board afresh', async () => {
    await openDialog()
    await page.getByTestId('export-format').selectOption('svg')
    await page.getByTestId('export-scale-3').click()
    await page.getByTestId('export-padding').fill('5')
    await page.getByTestId('export-background').selectOption('white')
    await page.getByTestId('export-theme-dark').click()
    await page.getByTestId('export-embed').check()
    await closeDialog()

    await openDialog()
    expect(await page.getByTestId('export-format').inputValue()).toBe('svg')
    expect(await pressed('export-scale-3')).toBe(true)
    expect(await page.getByTestId('export-padding').inputValue()).toBe('5')
    expect(await page.getByTestId('export-background').inputValue()).toBe('white')
    expect(await pressed('export-theme-dark')).toBe(true)
    expect(await page.getByTestId('export-embed').isChecked()).toBe(true)
    await closeDialog()

    // After a reload too: the choices are kept in the browser.
    await page.reload()
    await page.waitForFunction(() => window.__lanvas !== undefined)
    await openDialog()
    expect(await page.getByTestId('export-format').inputValue()).toBe('svg')
    expect(await pressed('export-scale-3')).toBe(true)
    await closeDialog()

    await openOtherBoard()
    await openDialog()
    expect(await page.getByTestId('export-format').inputValue()).toBe('png')
    expect(await pressed('export-scale-2')).toBe(true)
    expect(await page.getByTestId('export-padding').inputValue()).toBe('16')
    expect(await page.getByTestId('export-background').inputValue()).toBe('board')
    expect(await pressed('export-theme-light')).toBe(true)
    expect(await page.getByTestId('export-embed').isChecked()).toBe(false)
  })

  it('follows the page’s theme until a theme is picked', async () => {
    // The other board of the test before: no theme picked for it.
    await setDarkMode(true)
    await openDialog()
    expect(await pressed('export-theme-dark')).toBe(true)
    await closeDialog()
    await setDarkMode(false)
    await openDialog()
    expect(await pressed('export-theme-light')).toBe(true)
    // Picked: kept whatever the page's theme.
    await page.getByTestId('export-theme-dark').click()
    await closeDialog()
    await openDialog()
    expect(await pressed('export-theme-dark')).toBe(true)
  })
})

describe('an exported SVG in a page without the shipped fonts', () => {
  it('shows its text in the embedded fonts, as wide as the screen draws it', async () => {
    await page.goBack()
    await waitUntil('back on the first board', async () =>
      page.evaluate(() =>
        (window.__lanvas as LanvasTestHandle).board
          .readElements()
          .some((e) => 'text' in e && e.text === '✓ 你好 Résumé'),
      ),
    )
    // The screen's width of the line, measured as the canvas draws it (the fonts loaded).
    const screenWidth = await page.evaluate(async () => {
      await document.fonts.load('24px "Lanvas Sans SC"', '你好')
      await document.fonts.load('24px "Lanvas Sans"', '✓ Résumé')
      const ctx = document.createElement('canvas').getContext('2d') as CanvasRenderingContext2D
      ctx.font = '24px "Lanvas Sans", "Lanvas Sans SC", sans-serif'
      return ctx.measureText('✓ 你好 Résumé').width
    })
    await openDialog()
    await page.getByTestId('export-format').selectOption('svg')
    await page.getByTestId('export-area-board').click()
    const download = page.waitForEvent('download')
    await page.getByTestId('export-save').click()
    const svg = await readFile(await (await download).path(), 'utf8')
    await closeDialog()

    // A blank page of its own: no app, no fonts but the machine's (which has no CJK font).
    const blank = await context.newPage()
    await blank.setContent(`<!doctype html><html><body>${svg.replace(/^<\?xml[^>]*>/, '')}</body></html>`)
    const seen = await blank.evaluate(async () => {
      await document.fonts.ready
      const loaded = await Promise.all(
        [...document.fonts].map((f) => f.load().then(() => `${f.family} ${f.status}`)),
      )
      const text = [...document.querySelectorAll('text')].find(
        (t) => t.textContent === '✓ 你好 Résumé',
      ) as SVGTextElement
      const withFit = text.getBBox().width
      // Without the textLength safety net: the glyphs' own widths.
      for (const span of text.querySelectorAll('tspan')) span.removeAttribute('textLength')
      const own = text.getBBox().width
      return { loaded, withFit, own }
    })
    await blank.close()
    expect(seen.loaded.map((f) => f.replaceAll('"', '')).sort()).toEqual([
      'Lanvas Sans SC loaded',
      'Lanvas Sans loaded',
    ])
    expect(Math.abs(seen.withFit - screenWidth)).toBeLessThan(0.5)
    // The subsets carry no kerning: within 2% of the screen's kerned line.
    expect(Math.abs(seen.own - screenWidth) / screenWidth).toBeLessThan(0.02)
  })
})
