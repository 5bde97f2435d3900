// View first: a page joining a large board draws the strokes in its view before the board itself has come. The
// page's socket goes through the test, which holds back every frame from the first part of the board on: the page
// must show the strokes in view from the host's preview alone, none of them selectable, with the progress bar up.
// Then the board comes, with a stroke in view erased meanwhile: the page shows the host's board, nothing twice,
// nothing stale.
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
import { launchBrowser } from '../support/browser'
import { builtFile } from '../support/built'
import { colourAt } from '../support/canvas'
import { connectClient, syncUrl } from '../support/hostFixture'
import { waitUntil } from '../support/waitUntil'

const PART_BYTES = 64 * 1024
const RED = '#e03131'
const BLUE = '#1971c2'
/** Strokes in the first view (board units at 100 %): a red and a blue bar, each well apart. */
const BARS = [
  { x: 200, y: 250, color: RED },
  { x: 500, y: 250, color: BLUE },
  { x: 800, y: 250, color: RED },
]
const FILLER = 1500

let dir: string
let browser: Browser
let host: Host | undefined

/** The bars in view, then filler far from it (most of the board's bytes), then one more bar in view drawn last. */
function boardDoc(): { doc: Y.Doc; bars: string[]; last: string } {
  const board = new Board(new Y.Doc(), 'author')
  const bars = BARS.map((b) => {
    const id = board.beginStroke({ color: b.color, width: 16 }, [b.x, b.y - 60, 0.5, b.x, b.y + 60, 0.5])
    board.finishStroke(id)
    return id
  })
  let seed = 3
  const rand = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0
    return seed / 2 ** 32
  }
  for (let i = 0; i < FILLER; i++) {
    const flat: number[] = []
    let x = 5_000 + rand() * 20_000
    let y = 5_000 + rand() * 20_000
    for (let p = 0; p < 100; p++) {
      x += rand() * 6 - 3
      y += rand() * 6 - 3
      flat.push(x, y, 0.5)
    }
    board.finishStroke(board.beginStroke({ color: '#1e1e1e', width: 4 }, flat))
  }
  const last = board.beginStroke({ color: BLUE, width: 16 }, [300, 450, 0.5, 700, 450, 0.5])
  board.finishStroke(last)
  return { doc: board.doc, bars, last }
}

/**
 * Routes a page's sync socket through the test: frames from the host pass until the first one the size of a part
 * (sealed, the test cannot read their type, but a view preview of a few strokes is far smaller); that one and all
 * after it wait in order until the test lets them through, one at a time or all at once (then later ones pass).
 */
async function holdParts(page: Page) {
  const held: { part: boolean; send: () => void }[] = []
  let holding = false
  let parts = 0
  await page.routeWebSocket(/\/sync\//, (ws) => {
    const server = ws.connectToServer()
    server.onMessage((message) => {
      const part = message.length > PART_BYTES * 0.8
      if (part) {
        holding = true
        parts++
      }
      if (holding) held.push({ part, send: () => ws.send(message) })
      else ws.send(message)
    })
    ws.onMessage((message) => server.send(message))
  })
  return {
    partsSeen: () => parts,
    held: () => held.length,
    heldParts: () => held.filter((h) => h.part).length,
    releaseOne: () => held.shift()?.send(),
    /** Lets through, in order, the frames held up to and including the `n`th part among them. */
    releaseParts: (n: number) => {
      for (let released = 0; released < n && held.length > 0; ) {
        const next = held.shift()
        if (next?.part) released++
        next?.send()
      }
    },
    releaseAll: () => {
      holding = false
      for (const h of held.splice(0)) h.send()
    },
  }
}

/** A host on a board file written from `doc`, sending the board in small parts. */
async function hostOn(name: string, doc: Y.Doc): Promise<Host> {
  await writeFile(join(dir, name), encodeBoardFile(doc))
  return startHost({
    port: 0,
    boardPath: join(dir, name),
    rendererDir: builtFile('renderer'),
    limits: { syncPartBytes: PART_BYTES },
  })
}

/** Waits until the page's board holds `n` elements and the opening bar is gone: the whole board has come. */
function boardComplete(page: Page, n: number) {
  return page.waitForFunction(
    (n) =>
      window.__lanvas?.board.elementIds().length === n &&
      !document.querySelector('[data-testid="opening-progress"]'),
    n,
    { timeout: 60_000 },
  )
}

/** A page opening `on`, its board's parts held (holdParts), once it shows every bar of the view from the preview. */
async function pageShowingBars(on: Host) {
  const page = await browser.newPage({ viewport: { width: 1000, height: 700 } })
  const route = await holdParts(page)
  await page.goto(on.url)
  for (const b of BARS)
    await waitUntil(
      `${b.color} bar at ${b.x} drawn`,
      async () => (await colourAt(page, b.x, b.y)) === b.color,
    )
  return { page, route }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-e2e-viewfirst-'))
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await host?.close()
  await rm(dir, { recursive: true, force: true })
})

describe('a page joining a large board', () => {
  it('draws the strokes in its view before the board came, then exactly the host board', async () => {
    const { doc, bars, last } = boardDoc()
    host = await hostOn('large.lanvas', doc)
    // While the board is held back: the bars in view are drawn, from the preview alone.
    const { page, route } = await pageShowingBars(host)
    await waitUntil('the last stroke drawn', async () => (await colourAt(page, 500, 450)) === BLUE)
    const during = await page.evaluate(() => {
      const handle = window.__lanvas as LanvasTestHandle
      return {
        boardElements: handle.board.elementIds().length,
        preview: handle.previewCount(),
        progress: document.querySelector('[data-testid="opening-progress"]') !== null,
      }
    })
    await page.screenshot({ path: 'test-results/view-first-during.png' })
    expect(route.partsSeen()).toBeGreaterThan(0)
    expect(during.boardElements).toBe(0)
    expect(during.preview).toBe(BARS.length + 1)
    expect(during.progress).toBe(true)
    // Read-only: a click on a previewed stroke selects nothing.
    await page.keyboard.press('v')
    const at = await page.evaluate(() => (window.__lanvas as LanvasTestHandle).boardToScreen(500, 250))
    await page.mouse.click(at.x, at.y)
    expect(await page.evaluate(() => (window.__lanvas as LanvasTestHandle).selected())).toEqual([])

    // Meanwhile the host's own window erases the middle bar; then the board comes.
    const owner = connectClient(syncUrl(host.port, host.defaultBoardId), 'owner', {
      ownerKey: host.ownerKey,
      plain: true,
    })
    await owner.connection.whenSynced()
    owner.board.deleteElements([bars[1] as string])
    await waitUntil('the host erased it', () => owner.board.readElement(bars[1] as string) === undefined)
    route.releaseAll()
    await boardComplete(page, FILLER + BARS.length)
    // The page's board is the host's; the preview is gone, the erased bar with it; the others show as they did.
    const after = await page.evaluate(() => {
      const handle = window.__lanvas as LanvasTestHandle
      return { ids: [...handle.board.elementIds()].sort(), preview: handle.previewCount() }
    })
    expect(after.ids).toEqual([...owner.board.elementIds()].sort())
    expect(after.preview).toBe(0)
    await waitUntil('the erased bar gone', async () => (await colourAt(page, 500, 250)) === '')
    for (const b of [BARS[0], BARS[2]])
      expect(await colourAt(page, b?.x as number, b?.y as number)).toBe(b?.color)
    expect(await colourAt(page, 400, 450)).toBe(BLUE)
    expect(
      await page.evaluate((id) => (window.__lanvas as LanvasTestHandle).board.readElement(id)?.id, last),
    ).toBe(last)
    await page.screenshot({ path: 'test-results/view-first-after.png' })
    owner.destroy()
    await page.close()
  }, 120_000)

  it('does not draw again the strokes the board brings as its preview showed them', async () => {
    const { doc, bars } = boardDoc()
    const second = await hostOn('same.lanvas', doc)
    const { page, route } = await pageShowingBars(second)
    try {
      const settled = () =>
        page.evaluate(
          () =>
            new Promise<number>((done) =>
              requestAnimationFrame(() =>
                requestAnimationFrame(() =>
                  setTimeout(() => done((window.__lanvas as LanvasTestHandle).elementsDrawn()), 300),
                ),
              ),
            ),
        )
      const before = await settled()
      expect(before).toBeGreaterThan(0)
      // The first part brings the bars (the first strokes drawn) as the board's own: the same strokes, the same
      // pixels, so the scene draws nothing again (it drew each bar again, and all ink over it, before).
      await waitUntil('a part held', () => route.held() > 0)
      route.releaseOne()
      await page.waitForFunction(
        (ids) => ids.every((id) => window.__lanvas?.board.readElement(id) !== undefined),
        bars,
        { timeout: 30_000 },
      )
      const after = await settled()
      expect(after - before).toBe(0)
      expect(await page.evaluate(() => (window.__lanvas as LanvasTestHandle).previewCount())).toBe(1)
      for (const b of BARS) expect(await colourAt(page, b.x, b.y)).toBe(b.color)
      // The rest of the board: the same picture, the preview gone.
      route.releaseAll()
      await boardComplete(page, FILLER + BARS.length + 1)
      expect(await page.evaluate(() => (window.__lanvas as LanvasTestHandle).previewCount())).toBe(0)
      for (const b of BARS) expect(await colourAt(page, b.x, b.y)).toBe(b.color)
      expect(await colourAt(page, 400, 450)).toBe(BLUE)
    } finally {
      await page.close()
      await second.close()
    }
  }, 120_000)
  it("draws parts that bring strokes only to the snapshot's margin without drawing the screen again", async () => {
    // The bars in view, then filler: one stroke in ten just right of the view, inside the snapshot's margin (a pan
    // shows it at once) but off screen, the rest far away. The parts after the first change nothing on screen.
    const board = new Board(new Y.Doc(), 'author')
    for (const b of BARS)
      board.finishStroke(
        board.beginStroke({ color: b.color, width: 16 }, [b.x, b.y - 60, 0.5, b.x, b.y + 60, 0.5]),
      )
    const STROKES = 1500
    for (let i = 0; i < STROKES; i++) {
      const margin = i % 10 === 0
      const x = margin ? 1_080 + ((i * 37) % 180) : 5_000 + ((i * 7919) % 20_000)
      const y = margin ? 60 + ((i * 53) % 560) : 5_000 + ((i * 104_729) % 12_000)
      const flat: number[] = []
      for (let p = 0; p < 40; p++) flat.push(x + (p % 7), y + p / 2, 0.5)
      board.finishStroke(board.beginStroke({ color: '#1e1e1e', width: 2 }, flat))
    }
    const marginHost = await hostOn('margin.lanvas', board.doc)
    const { page, route } = await pageShowingBars(marginHost)
    try {
      // Counted once the page's fonts are in (a font that arrives redraws everything, rightly) and two frames on.
      const counts = () =>
        page.evaluate(
          async () =>
            await document.fonts.ready.then(
              () =>
                new Promise<{ layer: number; drawn: number; elements: number }>((done) =>
                  requestAnimationFrame(() =>
                    requestAnimationFrame(() =>
                      setTimeout(() => {
                        const l = window.__lanvas as LanvasTestHandle
                        done({
                          layer: l.layerDraws(),
                          drawn: l.elementsDrawn(),
                          elements: l.board.elementIds().length,
                        })
                      }, 300),
                    ),
                  ),
                ),
            ),
        )
      const PARTS = 3
      await waitUntil('parts held', () => route.heldParts() >= PARTS)
      const before = await counts()
      route.releaseParts(PARTS)
      await waitUntil('the parts applied', async () => (await counts()).elements > STROKES / 2)
      const after = await counts()
      // The margin strokes are drawn into the snapshot (a pan shows them), the screen is not drawn again.
      expect(after.drawn).toBeGreaterThan(before.drawn)
      expect(after.layer - before.layer).toBe(0)
      for (const b of BARS) expect(await colourAt(page, b.x, b.y)).toBe(b.color)
      route.releaseAll()
      await boardComplete(page, STROKES + BARS.length)
      for (const b of BARS) expect(await colourAt(page, b.x, b.y)).toBe(b.color)
    } finally {
      await page.close()
      await marginHost.close()
    }
  }, 120_000)
})
