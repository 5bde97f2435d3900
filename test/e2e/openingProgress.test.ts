// A page joining a large board sees it arrive: a progress bar ("Opening board… 37 %") while the host streams
// the board in parts, strokes drawn before the last part came, and the whole board once it is all there.
// The page's socket goes through the test, which holds the second half of the board back until it has looked.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Host } from '../../src/main/host/server'
import { startHost } from '../../src/main/host/server'
import type { LanvasTestHandle } from '../../src/renderer/src/testHandle'
import { Board } from '../../src/shared/board'
import { encodeBoardFile } from '../../src/shared/boardFile'
import { syncParts } from '../../src/shared/sync/syncParts'
import { launchBrowser } from '../support/browser'
import { builtFile } from '../support/built'

const PART_BYTES = 32 * 1024
// How long each frame from the host is held back on its way to the page.
const FRAME_DELAY_MS = 20

let dir: string
let browser: Browser
let host: Host | undefined

/** `count` pen strokes of 120 points across a 2400 × 1600 area. */
function inkBoardDoc(count: number): Y.Doc {
  const board = new Board(new Y.Doc(), 'author')
  let seed = 11
  const rand = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0
    return seed / 2 ** 32
  }
  for (let i = 0; i < count; i++) {
    const flat: number[] = []
    let x = rand() * 2400
    let y = rand() * 1600
    for (let p = 0; p < 120; p++) {
      x += rand() * 8 - 4
      y += rand() * 8 - 4
      flat.push(x, y, 0.5)
    }
    board.finishStroke(board.beginStroke({ color: '#1971c2', width: 4 }, flat))
  }
  return board.doc
}

/** Pixels of ink on the page's canvas in the part of the view below the top bar. */
function inkPixelsInView(page: Page): Promise<number> {
  return page.evaluate(() => {
    let ink = 0
    for (const canvas of document.querySelectorAll('canvas')) {
      const context = canvas.getContext('2d')
      if (!context || canvas.width === 0) continue
      const data = context.getImageData(0, 0, canvas.width, canvas.height).data
      // The strokes' blue (#1971c2), nothing of the grid or the UI.
      for (let i = 0; i < data.length; i += 4)
        if ((data[i + 2] as number) > 150 && (data[i] as number) < 60 && (data[i + 3] as number) > 200) ink++
    }
    return ink
  })
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-e2e-opening-'))
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await host?.close()
  await rm(dir, { recursive: true, force: true })
})

describe('opening a large board', () => {
  it('shows a progress bar and the strokes that came, then the whole board', async () => {
    const boardDoc = inkBoardDoc(1200)
    await writeFile(join(dir, 'large.lanvas'), encodeBoardFile(boardDoc))
    host = await startHost({
      port: 0,
      boardPath: join(dir, 'large.lanvas'),
      rendererDir: builtFile('renderer'),
      limits: { syncPartBytes: PART_BYTES },
    })
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } })
    // The page's socket through the test: frames from the host pass one by one, a little apart, and once half
    // the board's parts (the frames of about PART_BYTES) went through, the rest wait until the test lets them.
    // The parts of the board as the host holds it (its file read back: deleted chunks collected).
    const asHosted = new Y.Doc()
    Y.applyUpdate(asHosted, Y.encodeStateAsUpdate(boardDoc))
    const parts = syncParts(asHosted, Y.encodeStateVector(new Y.Doc()), PART_BYTES).parts.length
    let partsThrough = 0
    let release: () => void = () => {}
    const released = new Promise<void>((ok) => {
      release = ok
    })
    await page.routeWebSocket(/\/sync\//, (ws) => {
      const server = ws.connectToServer()
      let chain = Promise.resolve()
      server.onMessage((message) => {
        chain = chain.then(async () => {
          await new Promise((ok) => setTimeout(ok, FRAME_DELAY_MS))
          if (message.length > PART_BYTES * 0.8 && ++partsThrough > parts / 2) await released
          ws.send(message)
        })
      })
      ws.onMessage((message) => server.send(message))
    })
    await page.goto(host.url)
    const bar = page.getByTestId('opening-progress')
    // Half the board is there and drawn, the rest on its way: the bar says how much.
    await page.waitForFunction(() => {
      const label = document.querySelector('[data-testid="opening-progress"]')?.textContent ?? ''
      return Number(/(\d+) %/.exec(label)?.[1] ?? 0) >= 30
    })
    await new Promise((ok) => setTimeout(ok, 1000))
    const during = await page.evaluate(() => {
      const handle = window.__lanvas as LanvasTestHandle
      const bar = document.querySelector('[role="progressbar"]')
      return {
        elements: handle.board.readElements().length,
        label: document.querySelector('[data-testid="opening-progress"]')?.textContent ?? '',
        valueNow: Number(bar?.getAttribute('aria-valuenow')),
      }
    })
    await page.screenshot({ path: 'test-results/opening-progress-during.png' })
    expect(during.label).toMatch(/^Opening board… \d+ %$/)
    expect(during.valueNow).toBeGreaterThanOrEqual(30)
    expect(during.valueNow).toBeLessThan(100)
    expect(during.elements).toBeGreaterThan(0)
    expect(during.elements).toBeLessThan(1200)
    // Strokes that came are drawn while the rest is on its way.
    expect(await inkPixelsInView(page)).toBeGreaterThan(0)
    release()
    // Then everything came: the bar is gone and the page holds every stroke.
    await bar.waitFor({ state: 'detached', timeout: 60_000 })
    await page.waitForFunction(
      () => (window.__lanvas as LanvasTestHandle).board.readElements().length === 1200,
    )
    await page.screenshot({ path: 'test-results/opening-progress-after.png' })
    await page.close()
  }, 120_000)
})
