import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { extname, join, resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import type { Browser, Page } from 'playwright-core'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../support/browser'
import { waitUntil } from '../support/waitUntil'

// The dialog in Chromium, on a harness page built from test/e2e/exportHarness.tsx (App does not mount the dialog
// yet). Served from localhost, a secure context, so the clipboard works as it does in the app.
let dir: string
let server: Server
let url: string
let browser: Browser

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' }

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-export-harness-'))
  await writeFile(
    join(dir, 'index.html'),
    `<!doctype html><html><head><meta charset="utf-8"></head><body><div id="root"></div><script type="module" src="${resolve('test/e2e/exportHarness.tsx')}"></script></body></html>`,
  )
  await build({
    root: dir,
    logLevel: 'warn',
    configFile: false,
    plugins: [react()],
    build: { outDir: join(dir, 'dist'), emptyOutDir: true, minify: false },
    server: { fs: { allow: [resolve('.')] } },
  })
  server = createServer(async (req, res) => {
    const path = join(dir, 'dist', req.url === '/' ? 'index.html' : ((req.url ?? '').split('?')[0] as string))
    try {
      const body = await readFile(path)
      res.writeHead(200, { 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body)
    } catch {
      res.writeHead(404).end()
    }
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  url = `http://localhost:${(server.address() as AddressInfo).port}/`
  browser = await launchBrowser()
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await new Promise((ok) => server?.close(ok))
  await rm(dir, { recursive: true, force: true })
})

async function openPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 } })
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url })
  const page = await context.newPage()
  await page.goto(url)
  await page.locator('.app').waitFor()
  return page
}

describe('the export dialog in Chromium', () => {
  it('opens with Ctrl+Shift+E, previews, follows the choices and exports through onSave', async () => {
    const page = await openPage()
    await page.keyboard.press('Control+Shift+E')
    const dialog = page.locator('[data-testid="export-dialog"]')
    await dialog.waitFor()
    // The preview is a real rendering: it has ink pixels.
    await page.locator('[data-testid="export-preview"]').waitFor()
    const inked = await page.evaluate(async () => {
      const img = document.querySelector('[data-testid="export-preview"]') as HTMLImageElement
      await img.decode()
      const c = document.createElement('canvas')
      c.width = img.naturalWidth
      c.height = img.naturalHeight
      const ctx = c.getContext('2d') as CanvasRenderingContext2D
      ctx.drawImage(img, 0, 0)
      const d = ctx.getImageData(0, 0, c.width, c.height).data
      let dark = 0
      for (let i = 0; i < d.length; i += 4) if ((d[i] as number) < 100 && (d[i + 3] as number) > 200) dark++
      return dark
    })
    expect(inked).toBeGreaterThan(20)

    if (process.env.EXPORT_SCREENSHOT) await page.screenshot({ path: process.env.EXPORT_SCREENSHOT })
    const size = page.locator('[data-testid="export-size"]')
    const at2 = await size.textContent()
    await page.locator('[data-testid="export-scale-1"]').click()
    await waitUntil('the size follows the scale', async () => (await size.textContent()) !== at2)
    expect(await size.textContent()).toMatch(/^\d[\d,]* × \d[\d,]* px PNG$/)
    await page.locator('[data-testid="export-width"]').fill('500')
    await waitUntil('the size follows the width', async () =>
      /^500 × /.test((await size.textContent()) ?? ''),
    )

    // JPEG cannot be transparent: the dialog says what it will do.
    await page.locator('[data-testid="export-format"]').selectOption('jpeg')
    await expect
      .poll(() => page.locator('[data-testid="export-background"] option[value="transparent"]').isDisabled())
      .toBe(true)

    await page.locator('[data-testid="export-format"]').selectOption('png')
    await page.locator('[data-testid="export-embed"]').check()
    await page.locator('[data-testid="export-save"]').click()
    await dialog.waitFor({ state: 'detached' })
    const saved = await page.evaluate(
      () =>
        (window as unknown as { __exportSaved: { fileName: string; mime: string; bytes: number[] }[] })
          .__exportSaved,
    )
    expect(saved).toHaveLength(1)
    expect(saved[0]?.fileName).toBe('Harness.png')
    expect(saved[0]?.mime).toBe('image/png')
    expect(saved[0]?.bytes.slice(0, 4)).toEqual([0x89, 0x50, 0x4e, 0x47])
  })

  it('copies the board as PNG with Ctrl+Shift+C', async () => {
    const page = await openPage()
    await page.keyboard.press('Control+Shift+C')
    const message = page.locator('[data-testid="harness-message"]')
    await waitUntil('the copy finishes', async () => ((await message.textContent()) ?? '') !== '')
    expect(await message.textContent()).toBe('copied')
    const types = await page.evaluate(async () => (await navigator.clipboard.read()).flatMap((i) => i.types))
    expect(types).toContain('image/png')
  })

  it('Escape closes the dialog', async () => {
    const page = await openPage()
    await page.keyboard.press('Control+Shift+E')
    await page.locator('[data-testid="export-dialog"]').waitFor()
    await page.keyboard.press('Escape')
    await page.locator('[data-testid="export-dialog"]').waitFor({ state: 'detached' })
  })
})
