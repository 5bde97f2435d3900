// Issue 9 item 5 in a real Chromium page: a peer restyles, moves and deletes 2,000 strokes, each in one update,
// and the page's canvas shows each change (the scene applies it in one pass, a restyle without decoding points).
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Board } from '../../src/shared/board'
import { encodeBoardFile } from '../../src/shared/boardFile'
import { deleteSelection, moveSelection } from '../../src/shared/selection'
import { launchBrowser } from '../support/browser'
import { connectClient, syncUrl, type TestClient } from '../support/hostFixture'
import { type HostProcess, startHostProcess } from '../support/hostProcess'
import { waitUntil } from '../support/waitUntil'

const STROKES = 2000
const COLUMNS = 50
/** Where to save screenshots for a person to look at (unset: none are taken). */
const SHOTS = process.env.LANVAS_SHOTS
/** Stroke i is a short thick dash whose middle is at centre(i). */
const centre = (i: number) => ({ x: 100 + (i % COLUMNS) * 40, y: 100 + Math.floor(i / COLUMNS) * 40 })

let dir: string
let host: HostProcess
let browser: Browser
let page: Page
let bea: TestClient

/** Pixels of the board's canvas layers within `radius` px of a board point that `kind` of ink covers. */
function pixelsAt(boardX: number, boardY: number, kind: 'dark' | 'red', radius = 3): Promise<number> {
  return page.evaluate(
    ({ boardX, boardY, kind, radius }) => {
      const lanvas = window.__lanvas
      const container = document.querySelector('[data-testid="board-canvas"]')
      if (!lanvas || !container) return -1
      const at = lanvas.boardToScreen(boardX, boardY)
      let count = 0
      for (const canvas of container.querySelectorAll('canvas')) {
        const scale = canvas.width / canvas.clientWidth || 1
        const ctx = canvas.getContext('2d')
        const x0 = Math.max(0, Math.floor((at.x - radius) * scale))
        const y0 = Math.max(0, Math.floor((at.y - radius) * scale))
        if (!ctx || x0 >= canvas.width || y0 >= canvas.height) continue
        const size = Math.ceil(2 * radius * scale)
        const d = ctx.getImageData(x0, y0, size, size).data
        for (let i = 0; i < d.length; i += 4) {
          const [r, g, b, a] = [d[i] as number, d[i + 1] as number, d[i + 2] as number, d[i + 3] as number]
          if (a < 200) continue
          if (kind === 'dark' ? r < 90 && g < 90 && b < 90 : r > 180 && g < 90 && b < 90) count++
        }
      }
      return count
    },
    { boardX, boardY, kind, radius },
  )
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-e2e-large-'))
  const board = new Board(new Y.Doc(), 'earlier')
  board.transact(() => {
    for (let i = 0; i < STROKES; i++) {
      const { x, y } = centre(i)
      const id = board.beginStroke({ color: '#1e1e1e', width: 14 }, [
        x - 12,
        y,
        0.5,
        x,
        y,
        0.5,
        x + 12,
        y,
        0.5,
      ])
      board.finishStroke(id)
    }
  })
  const path = join(dir, 'large.lanvas')
  await writeFile(path, encodeBoardFile(board.doc))
  host = await startHostProcess(['--port', '0', '--board', path])
  const { id } = (await (await fetch(new URL('/api/boards/default', host.url))).json()) as { id: string }
  bea = connectClient(syncUrl(host.port, id), 'bea')
  await bea.connection.whenSynced()
  browser = await launchBrowser()
  page = await browser.newPage({ viewport: { width: 1000, height: 700 } })
  await page.goto(host.url)
  await page.waitForFunction((n) => window.__lanvas?.board.elementIds().length === n, STROKES)
}, 300_000)

afterAll(async () => {
  bea?.destroy()
  await browser?.close()
  await host?.stop()
  await rm(dir, { recursive: true, force: true })
})

describe("a peer's edit of 2,000 strokes at once, on a page", () => {
  it('shows a restyle, a move and a delete of every stroke', async () => {
    // The whole board in view (zoom to fit), and a stroke near its middle watched.
    await page.keyboard.press('Shift+Digit1')
    const first = centre(20 * COLUMNS + 25)
    await waitUntil('the page draws the strokes', async () => (await pixelsAt(first.x, first.y, 'dark')) > 5)
    const ids = bea.board.elementIds()

    bea.board.beginAction()
    bea.board.updateElements(ids.map((id) => [id, { color: '#e03131' }] as const))
    await waitUntil(
      'the page shows the strokes red',
      async () => (await pixelsAt(first.x, first.y, 'red')) > 5,
    )
    expect(await pixelsAt(first.x, first.y, 'dark')).toBe(0)
    expect(
      await page.evaluate((id) => window.__lanvas?.board.getStroke(id)?.color, ids[STROKES - 1] as string),
    ).toBe('#e03131')

    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'large-restyle.png') })
    // The restyle was one style record: the peer's undo of it shows every stroke dark again, its redo red.
    expect(bea.board.undo()).toBe(true)
    await waitUntil(
      'the page shows them dark again',
      async () => (await pixelsAt(first.x, first.y, 'dark')) > 5,
    )
    expect(await pixelsAt(first.x, first.y, 'red')).toBe(0)
    expect(bea.board.redo()).toBe(true)
    await waitUntil(
      'the page shows them red again',
      async () => (await pixelsAt(first.x, first.y, 'red')) > 5,
    )
    moveSelection(bea.board, ids, 0, 20)
    await waitUntil(
      'the page shows them moved',
      async () => (await pixelsAt(first.x, first.y + 20, 'red')) > 5,
    )
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'large-move.png') })
    expect(await pixelsAt(first.x, first.y, 'red')).toBe(0)
    const last = centre(STROKES - 1)
    expect(
      await page.evaluate((id) => window.__lanvas?.board.getStroke(id)?.y, ids[STROKES - 1] as string),
    ).toBe(20)
    expect(last.y).toBeGreaterThan(first.y)

    // The move was one record: the peer's undo of it puts every stroke back on the page, its redo moves them again.
    expect(bea.board.undo()).toBe(true)
    await waitUntil('the page shows them back', async () => (await pixelsAt(first.x, first.y, 'red')) > 5)
    expect(await pixelsAt(first.x, first.y + 20, 'red')).toBe(0)
    expect(bea.board.redo()).toBe(true)
    await waitUntil(
      'the page shows them moved again',
      async () => (await pixelsAt(first.x, first.y + 20, 'red')) > 5,
    )

    // The page's own move of all of them (select all, Shift+Down: 10 units) reaches the peer, and its undo too.
    await page.keyboard.press('v')
    await page.keyboard.press('Control+a')
    await page.keyboard.press('Shift+ArrowDown')
    await waitUntil('the peer sees the page move them all', () =>
      ids.every((id) => bea.board.getStroke(id)?.y === 30),
    )
    await waitUntil(
      'the page shows them moved',
      async () => (await pixelsAt(first.x, first.y + 30, 'red')) > 5,
    )
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'large-move-page.png') })
    await page.keyboard.press('Escape')
    await page.keyboard.press('Control+z')
    await waitUntil('the peer sees the page undo it', () =>
      ids.every((id) => bea.board.getStroke(id)?.y === 20),
    )
    await waitUntil('the page shows its undo', async () => (await pixelsAt(first.x, first.y + 20, 'red')) > 5)

    // The page's own lock of all of them (Ctrl+Shift+L) is one style record the peer reads: it can move none.
    await page.keyboard.press('Control+a')
    await page.keyboard.press('Control+Shift+l')
    await waitUntil('the peer sees them all locked', () =>
      ids.every((id) => bea.board.readElement(id)?.locked),
    )
    moveSelection(bea.board, ids, 0, 50)
    expect(bea.board.getStroke(ids[0] as string)?.y).toBe(20)
    await page.keyboard.press('Escape')
    await page.keyboard.press('Control+z')
    await waitUntil('the peer sees them unlocked', () =>
      ids.every((id) => !bea.board.readElement(id)?.locked),
    )

    expect(deleteSelection(bea.board, ids)).toBe(STROKES)
    // The page's board first (a page redrawing its view over several frames can show a spot bare for a moment, so
    // the pixels alone do not say the delete came), then what it shows.
    await waitUntil(
      'the page has the delete',
      async () => (await page.evaluate(() => window.__lanvas?.board.elementIds().length)) === 0,
    )
    await waitUntil(
      'the page shows them gone',
      async () => (await pixelsAt(first.x, first.y + 20, 'red')) === 0,
    )
  }, 300_000)
})
