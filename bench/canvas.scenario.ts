import { readFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { it } from 'vitest'
import { openBoardFile } from '../src/shared/boardFile'
import { connectClient, syncUrl } from '../test/support/hostFixture'
import { dragBy, frameFigures, onBigBoard, SCREEN, STROKES, type View, zoomToFit } from './bigBoardPage'
import { frameTimes } from './frameTimes'
import { servePlainCanvas } from './plainCanvas'
import { benchSize, type Figures, median, ms, report } from './report'

/** Peer strokes timed from their send to their pixels on the page. */
const PEER_STROKES = benchSize(8, 3)
/** A colour no generated stroke has, so the peer's ink can be told apart from the board's. */
const PEER_COLOR = '#00ff00'
/** Pointer moves a gesture sends (--quick: fewer moves over the same path; each is a round trip to the page). */
const MOVES = benchSize(60, 20)

/** A wavy pen stroke across the middle of the screen, one pointer move per step. */
async function drawStroke(page: Page, y: number): Promise<void> {
  await page.keyboard.press('p')
  await page.mouse.move(300, y)
  await page.mouse.down()
  for (let i = 1; i <= MOVES; i++) {
    const t = (i * 60) / MOVES
    await page.mouse.move(300 + t * 10, y + Math.sin(t / 5) * 40)
  }
  await page.mouse.up()
}

/** Drags the board with the hand tool by (dx, dy) screen pixels in 40 pointer moves (--quick: 13). */
async function panWithHand(page: Page, dx: number, dy: number): Promise<void> {
  await page.keyboard.press('h')
  await dragBy(page, 400, 300, dx, dy, Math.round((MOVES * 2) / 3))
  await page.keyboard.press('p')
}

/** Ctrl+wheel: zooms in by 15 notches and out by 8 (--quick: 6 and 3), so it ends at another zoom than it started. */
async function wheelZoom(page: Page): Promise<void> {
  await page.mouse.move(640, 400)
  await page.keyboard.down('Control')
  for (let i = 0; i < benchSize(15, 6); i++) await page.mouse.wheel(0, -40)
  for (let i = 0; i < benchSize(8, 3); i++) await page.mouse.wheel(0, 40)
  await page.keyboard.up('Control')
}

/** Counts pixels of the peer colour the canvas shows around a screen point. */
function peerInkAt(page: Page, x: number, y: number): Promise<number> {
  return page.evaluate(
    ({ x, y }) => {
      let count = 0
      for (const canvas of document.querySelectorAll('[data-testid="board-canvas"] canvas')) {
        const ctx = (canvas as HTMLCanvasElement).getContext('2d')
        if (!ctx) continue
        const data = ctx.getImageData(x - 20, y - 20, 40, 40).data
        for (let i = 0; i < data.length; i += 4)
          if ((data[i + 1] as number) > 200 && (data[i] as number) < 80 && (data[i + 2] as number) < 80)
            count++
      }
      return count
    },
    { x, y },
  )
}

type Handle = {
  board: { elementIds(): string[] }
  visibleElementCount(): number
  viewport(): { x: number; y: number; zoom: number }
}

/** Waits for the first frame that shows `total` strokes loaded and some in view: ms since the page's navigation. */
function firstRender(page: Page, total: number): Promise<number> {
  return page.evaluate(async (total) => {
    for (;;) {
      await new Promise((r) => requestAnimationFrame(r))
      const l = (window as unknown as { __lanvas?: Handle }).__lanvas
      if (l && l.board.elementIds().length === total && l.visibleElementCount() > 0) break
    }
    await new Promise((r) => requestAnimationFrame(r))
    return performance.now()
  }, total)
}

function view(page: Page): Promise<{ x: number; y: number; zoom: number; visible: number }> {
  return page.evaluate(() => {
    const l = (window as unknown as { __lanvas: Handle }).__lanvas
    return { ...l.viewport(), visible: l.visibleElementCount() }
  })
}

/**
 * The gestures both pages get, from the view they are in: draw at 100 %, zoom to fit (the plain page is given
 * Lanvas's fitted view), draw, pan with the hand and back, ctrl+wheel zoom. `fitted` is that view, for the plain
 * page; Lanvas's own is returned.
 */
async function gestures(page: Page, fitted?: View) {
  const drawZoomedIn = (await frameTimes(page, () => drawStroke(page, 300), 400)).frames
  await zoomToFit(page, fitted, benchSize(500, 250))
  const fit = await view(page)
  const drawFit = (await frameTimes(page, () => drawStroke(page, 500), 400)).frames
  const pan = [
    ...(await frameTimes(page, () => panWithHand(page, 500, 250), 400)).frames,
    ...(await frameTimes(page, () => panWithHand(page, -500, -250), 400)).frames,
  ]
  const zoom = (await frameTimes(page, () => wheelZoom(page), 400)).frames
  const figures: Figures = {
    fitZoom: ms(fit.zoom),
    visibleAtFit: fit.visible,
    ...frameFigures('drawZoomedIn', drawZoomedIn),
    ...frameFigures('drawFit', drawFit),
    ...frameFigures('panFit', pan),
    ...frameFigures('wheelZoom', zoom),
  }
  return { figures, fit }
}

it('a 10,000-stroke board in Chromium: first render, frame times, peer ink, beside a plain canvas page', () =>
  // The selection scenario's board too.
  onBigBoard('canvas', async ({ host, browser, cached }) => {
    const page = await browser.newPage({ viewport: SCREEN })

    // Page load to the first frame with every visible stroke drawn.
    await page.goto(host.url)
    const firstRenderMs = await firstRender(page, STROKES)
    const atLoad = await view(page)
    const ours = await gestures(page)

    // A peer draws on the fitted board: time until its ink is on screen here.
    const boardId = await page.evaluate(async () => {
      const res = await fetch('/api/boards/default')
      return ((await res.json()) as { id: string }).id
    })
    const peer = connectClient(syncUrl(host.port, boardId), 'peer')
    await peer.connection.whenSynced()
    const peerLatencies: number[] = []
    for (let i = 0; i < PEER_STROKES; i++) {
      await page.keyboard.press('Shift+Digit1')
      await page.waitForTimeout(300)
      const bx = 1000 + i * 500
      const by = 3000
      const at = await page.evaluate(
        ({ bx, by }) =>
          (
            window as unknown as {
              __lanvas: { boardToScreen(x: number, y: number): { x: number; y: number } }
            }
          ).__lanvas.boardToScreen(bx, by),
        { bx, by },
      )
      const start = Date.now()
      const flat: number[] = []
      for (let k = -5; k <= 5; k++) flat.push(bx + k * 20, by, 0.5)
      peer.board.beginStroke({ color: PEER_COLOR, width: 40 }, flat)
      for (;;) {
        if ((await peerInkAt(page, at.x, at.y)) > 0) break
        if (Date.now() - start > 10_000) throw new Error('the peer stroke never appeared')
      }
      peerLatencies.push(Date.now() - start)
    }
    peer.destroy()
    // What was measured happened: both strokes the pen drew are on the board, beside the generated ones.
    const drawn = await page.evaluate(
      () => (window as unknown as { __lanvas: Handle }).__lanvas.board.elementIds().length,
    )
    if (drawn < STROKES + 2) throw new Error(`the pen's strokes are missing: ${drawn} elements`)
    await page.close()

    // The baseline, in the same browser: the plain page on the same strokes, from the view Lanvas opened in.
    const plainServer = await servePlainCanvas(openBoardFile(await readFile(cached)))
    let plainFigures: Figures
    try {
      const plain = await browser.newPage({ viewport: SCREEN })
      await plain.goto(plainServer.url)
      await plain.evaluate((v) => (window as unknown as { setView(v: unknown): void }).setView(v), atLoad)
      const plainFirst = await firstRender(plain, STROKES)
      const plainAtLoad = await view(plain)
      const theirs = await gestures(plain, ours.fit)
      const plainDrawn = await plain.evaluate(
        () => (window as unknown as { __lanvas: Handle }).__lanvas.board.elementIds().length,
      )
      if (plainDrawn !== STROKES + 2) throw new Error(`the plain page has ${plainDrawn} strokes`)
      plainFigures = { firstRenderMs: ms(plainFirst), visibleAtLoad: plainAtLoad.visible, ...theirs.figures }
      await plain.close()
    } finally {
      await plainServer.close()
    }

    report(
      'canvas-10k',
      {
        strokes: STROKES,
        screen: `${SCREEN.width}x${SCREEN.height}`,
        firstRenderMs: ms(firstRenderMs),
        visibleAtLoad: atLoad.visible,
        ...ours.figures,
        peerInkMedianMs: ms(median(peerLatencies)),
        peerInkMaxMs: ms(Math.max(...peerLatencies)),
      },
      { name: 'plain canvas page', figures: plainFigures },
    )
  }))
