import { createServer } from 'node:net'
import type { Browser, Page } from 'playwright-core'
import { screenPointOf } from './canvas'

/** How a test page is opened: the name and colour it joins with, and whether it lacks WebCrypto. */
export interface OpenAs {
  color?: string
  /** As on a LAN address over plain http, where pages have no WebCrypto: the secure channel must not need it. */
  noWebCrypto?: boolean
  /** Playwright's default wait on this page (a bound only: tests never measure it). */
  timeoutMs?: number
}

/** A page in its own browser context (its own storage), joined as `name`, at 1000 × 700. */
export async function openPageAs(
  browser: Browser,
  url: string,
  name: string,
  options: OpenAs = {},
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } })
  if (options.noWebCrypto)
    await context.addInitScript(() =>
      Object.defineProperty(globalThis.crypto, 'subtle', { value: undefined }),
    )
  await context.addInitScript(
    ([n, c]) => {
      localStorage.setItem('lanvas.name', n as string)
      localStorage.setItem('lanvas.color', c as string)
    },
    [name, options.color ?? '#1c7ed6'],
  )
  const page = await context.newPage()
  if (options.timeoutMs) page.setDefaultTimeout(options.timeoutMs)
  await page.goto(url)
  return page
}

/** Draws one pen stroke from one board point to another, as a person drags the mouse. */
export async function penDrag(page: Page, from: [number, number], to: [number, number], steps = 8) {
  await page.keyboard.press('p')
  const a = await screenPointOf(page, ...from)
  const b = await screenPointOf(page, ...to)
  await page.mouse.move(a.x, a.y)
  await page.mouse.down()
  await page.mouse.move(b.x, b.y, { steps })
  await page.mouse.up()
}

/** A loopback port free right now, so that a restarted host can listen where the first one did. */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  const { port } = server.address() as { port: number }
  await new Promise<void>((ok) => server.close(() => ok()))
  return port
}

/**
 * Presses `key` (Ctrl+O, say) and hands `file` to the file chooser it opens, as a person picks a file. On a
 * loaded machine the chooser has twice failed to come within 30 s of one press (full runs at load 12–14; the
 * cause is not known: the key's command was enabled and the same press works at once otherwise), so the key is
 * pressed again, up to three times, 10 s apart; a chooser that never comes still fails the test.
 */
export async function chooseFileWithKey(
  page: Page,
  key: string,
  file: { name: string; mimeType: string; buffer: Buffer },
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const chooser = page.waitForEvent('filechooser', { timeout: 10_000 })
    await page.keyboard.press(key)
    try {
      await (await chooser).setFiles(file)
      return
    } catch (err) {
      if (attempt >= 3) throw err
      console.warn(`${key} opened no file chooser within 10 s (attempt ${attempt}); pressing it again`)
    }
  }
}
