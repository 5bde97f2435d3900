// A late joiner's page on a board streamed in many parts draws what a person expects: crossing strokes in the
// order they were drawn, the board's far corners inside zoom to fit, and later edits in their place. The page
// builds its view of a joined board incrementally (z-order appends placed without rereading the order, content
// bounds from its spatial index, edits off the view costing no redraw): these check that nothing shows otherwise.
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
import { colourAt } from '../support/canvas'
import { waitUntil } from '../support/waitUntil'

const PART_BYTES = 8 * 1024
const RED = '#e03131'
const BLUE = '#1971c2'
const GREEN = '#2f9e44'
/** Where the crossings are (board units, in the first view at 100 %), and which colour is drawn last at each. */
const CROSSINGS = [0, 1, 2, 3, 4, 5].map((i) => ({
  x: 150 + i * 120,
  y: 300,
  top: i % 2 === 0 ? BLUE : RED,
}))
/** Filler far from the first view, so that most parts bring strokes off screen; the farthest corner last. */
const FAR = { x: 30_000, y: 20_000 }
const FILLER = 600

let dir: string
let browser: Browser
let host: Host | undefined

function line(board: Board, color: string, flat: number[]): string {
  const id = board.beginStroke({ color, width: 10 }, flat)
  board.finishStroke(id)
  return id
}

/** Crossing pairs in view (a horizontal and a vertical stroke each, alternating which is on top), then filler. */
function boardDoc(): Y.Doc {
  const board = new Board(new Y.Doc(), 'author')
  for (const c of CROSSINGS) {
    const under = c.top === BLUE ? RED : BLUE
    line(board, under, [c.x - 40, c.y, 0.5, c.x + 40, c.y, 0.5])
    line(board, c.top, [c.x, c.y - 40, 0.5, c.x, c.y + 40, 0.5])
  }
  for (let i = 0; i < FILLER; i++) {
    const x = 5_000 + ((i * 7919) % 20_000)
    const y = 5_000 + ((i * 104_729) % 12_000)
    const flat: number[] = []
    for (let p = 0; p < 40; p++) flat.push(x + p * 3, y + Math.sin(p / 3) * 20, 0.5)
    line(board, '#1e1e1e', flat)
  }
  line(board, '#1e1e1e', [FAR.x - 100, FAR.y, 0.5, FAR.x, FAR.y, 0.5])
  return board.doc
}

/** Whether a board point lies on the page's screen. */
function onScreen(page: Page, x: number, y: number): Promise<boolean> {
  return page.evaluate(
    ({ x, y }) => {
      const at = (window.__lanvas as LanvasTestHandle).boardToScreen(x, y)
      return at.x >= 0 && at.y >= 0 && at.x <= innerWidth && at.y <= innerHeight
    },
    { x, y },
  )
}

function zoom(page: Page): Promise<number> {
  return page.evaluate(() => (window.__lanvas as LanvasTestHandle).viewport().zoom)
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-e2e-latejoin-'))
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await host?.close()
  await rm(dir, { recursive: true, force: true })
})

describe('a late joiner on a board streamed in many parts', () => {
  it('draws crossings in order, fits the whole board, and places later edits', async () => {
    const doc = boardDoc()
    const total = CROSSINGS.length * 2 + FILLER + 1
    // The board really comes in many parts (as the host will cut it for this page).
    const parts = syncParts(doc, Y.encodeStateVector(new Y.Doc()), PART_BYTES).parts.length
    expect(parts).toBeGreaterThan(10)
    await writeFile(join(dir, 'crossings.lanvas'), encodeBoardFile(doc))
    host = await startHost({
      port: 0,
      boardPath: join(dir, 'crossings.lanvas'),
      rendererDir: builtFile('renderer'),
      limits: { syncPartBytes: PART_BYTES },
    })
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } })
    await page.goto(host.url)
    await page.waitForFunction(
      (n) =>
        window.__lanvas?.board.elementIds().length === n &&
        !document.querySelector('[data-testid="opening-progress"]'),
      total,
    )
    // The first view is where the crossings are, at 100 %: each shows the colour drawn last.
    expect(await zoom(page)).toBe(1)
    for (const c of CROSSINGS)
      await waitUntil(`${c.top} on top at ${c.x}`, async () => (await colourAt(page, c.x, c.y)) === c.top)
    await page.screenshot({ path: 'test-results/late-join-crossings.png' })

    // A stroke sent to the back of the z-order shows under the other one...
    const first = CROSSINGS[0] as (typeof CROSSINGS)[number]
    const second = CROSSINGS[1] as (typeof CROSSINGS)[number]
    await page.evaluate(() => {
      const board = (window.__lanvas as LanvasTestHandle).board
      board.doc.transact(() => {
        // The first crossing's top stroke (the second element drawn) moves to the very bottom.
        const id = board.order.get(1)
        board.order.delete(1, 1)
        board.order.insert(0, [id])
      })
    })
    await waitUntil('the first crossing shows its other stroke', async () => {
      return (await colourAt(page, first.x, first.y)) === RED
    })
    // ...and a stroke drawn now goes on top of everything.
    await page.evaluate(
      ({ x, y, color }) => {
        const board = (window.__lanvas as LanvasTestHandle).board
        board.finishStroke(
          board.beginStroke({ color, width: 10 }, [x - 30, y - 30, 0.5, x + 30, y + 30, 0.5]),
        )
      },
      { x: second.x, y: second.y, color: GREEN },
    )
    await waitUntil('the new stroke on top', async () => (await colourAt(page, second.x, second.y)) === GREEN)

    // Zoom to fit takes in the farthest stroke.
    await page.keyboard.press('Shift+Digit1')
    await waitUntil('the far corner on screen', () => onScreen(page, FAR.x - 50, FAR.y))
    const fitted = await zoom(page)
    // Gone from the board, the far corner no longer counts: fitting again zooms in on what is left.
    await page.evaluate(({ x, y }) => {
      const board = (window.__lanvas as LanvasTestHandle).board
      const far = board.elementIds().filter((id) => {
        const b = board.elementBounds(id)
        return b !== undefined && b.maxX >= x - 1 && b.maxY >= y - 20
      })
      board.deleteElements(far)
    }, FAR)
    await page.keyboard.press('Shift+Digit1')
    // The board's width falls from 30,000 to about 25,000 units: the fit zooms in by about a fifth.
    await waitUntil(
      'the fit zooms in once the far corner is gone',
      async () => (await zoom(page)) > fitted * 1.1,
    )
    // What is left is still all on screen: the crossings and the filler's far end.
    expect(await onScreen(page, first.x, first.y)).toBe(true)
    expect(await onScreen(page, 24_000, 16_000)).toBe(true)
    await page.close()
  }, 120_000)
})
