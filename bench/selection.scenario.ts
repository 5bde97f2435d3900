import { readFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { it } from 'vitest'
import { openBoardFile } from '../src/shared/boardFile'
import { dragBy, frameFigures, onBigBoard, SCREEN, STROKES, type View, zoomToFit } from './bigBoardPage'
import { frameTimes } from './frameTimes'
import { servePlainCanvas } from './plainCanvas'
import { benchSize, type Figures, median, ms, report } from './report'

const CLICKS = benchSize(10, 4)

type Handle = {
  board: { elementIds(): string[] }
  selected(): readonly string[]
  viewport(): { x: number; y: number; zoom: number }
  boardToScreen(x: number, y: number): { x: number; y: number }
}

/** Runs `action` and returns the time until `done` holds in the page and a frame has been drawn after it. */
async function timeUntil(page: Page, action: () => Promise<void>, done: string): Promise<number> {
  const start = await page.evaluate(() => performance.now())
  await action()
  return page.evaluate(
    async ({ start, done }) => {
      const check = new Function('l', `return ${done}`) as (l: unknown) => boolean
      const l = (window as unknown as { __lanvas: unknown }).__lanvas
      while (!check(l)) await new Promise((r) => setTimeout(r, 1))
      await new Promise((r) => requestAnimationFrame(r))
      return performance.now() - start
    },
    { start, done },
  )
}

/** Drags the mouse by (dx, dy) screen px from a point in 30 moves (--quick: 10). */
const drag = (page: Page, x: number, y: number, dx: number, dy: number) =>
  dragBy(page, x, y, dx, dy, benchSize(30, 10))

/**
 * The selection gestures on a page showing the board (Lanvas, or the plain page given Lanvas's fitted view):
 * clicks, a marquee over a quarter of the board, dragging what it holds, Ctrl+A, a nudge of everything, Ctrl+D of
 * the marqueed strokes. Checks that each happened (something selected, all selected, copies made).
 */
async function gestures(page: Page, fitted?: View): Promise<Figures> {
  await page.waitForFunction(
    (n) => (window as unknown as { __lanvas?: Handle }).__lanvas?.board.elementIds().length === n,
    STROKES,
  )
  await zoomToFit(page, fitted, benchSize(1500, 500))
  await page.keyboard.press('v')

  // A click on the densest part of the fitted board: the index narrows 10,000 strokes to a few.
  const clicks: number[] = []
  for (let i = 0; i < CLICKS; i++) {
    const x = 400 + i * 40
    clicks.push(
      await timeUntil(
        page,
        async () => {
          await page.keyboard.press('Escape')
          await page.mouse.click(x, 400)
        },
        'true',
      ),
    )
  }
  // A marquee from the paper beyond the board's top-left corner over about a quarter of it.
  const corner = await page.evaluate(() =>
    (window as unknown as { __lanvas: Handle }).__lanvas.boardToScreen(-60, -60),
  )
  const marquee = { x: corner.x, y: corner.y, dx: 400, dy: 380 }
  const marqueeMs = await timeUntil(
    page,
    async () => {
      await page.keyboard.press('Escape')
      await drag(page, marquee.x, marquee.y, marquee.dx, marquee.dy)
    },
    'l.selected().length > 0',
  )
  const marqueeCount = await page.evaluate(
    () => (window as unknown as { __lanvas: Handle }).__lanvas.selected().length,
  )
  // Dragging the marqueed strokes from inside their box.
  const moveStartMs = await timeUntil(page, () => page.mouse.move(corner.x + 200, corner.y + 200), 'true')
  const marqueeMove = (await frameTimes(page, () => drag(page, corner.x + 200, corner.y + 200, 120, 80), 400))
    .frames
  await page.keyboard.press('Escape')
  const selectAllMs = await timeUntil(
    page,
    () => page.keyboard.press('Control+a'),
    `l.selected().length === ${STROKES}`,
  )
  const nudgeAllMs = await timeUntil(page, () => page.keyboard.press('ArrowRight'), 'true')
  await page.keyboard.press('Escape')
  await drag(page, marquee.x, marquee.y, marquee.dx, marquee.dy)
  const duplicateMs = await timeUntil(
    page,
    () => page.keyboard.press('Control+d'),
    `l.board.elementIds().length > ${STROKES}`,
  )
  return {
    clickSelectMedianMs: ms(median(clicks)),
    clickSelectMaxMs: ms(Math.max(...clicks)),
    marqueeSelected: marqueeCount,
    marqueeMs: ms(marqueeMs),
    moveStartMs: ms(moveStartMs),
    ...frameFigures('moveMarqueed', marqueeMove),
    selectAllMs: ms(selectAllMs),
    nudgeAllMs: ms(nudgeAllMs),
    duplicateMarqueedMs: ms(duplicateMs),
  }
}

it('selection on a 10,000-stroke board in Chromium: click, marquee, select all, move, nudge, duplicate; beside a plain canvas page', () =>
  // The canvas scenario's board.
  onBigBoard('select', async ({ host, browser, cached }) => {
    const page = await browser.newPage({ viewport: SCREEN })
    await page.goto(host.url)
    const ours = await gestures(page)
    const fitted = await page.evaluate(() => (window as unknown as { __lanvas: Handle }).__lanvas.viewport())
    await page.close()

    // The baseline, in the same browser: the plain page on the same strokes, given Lanvas's fitted view.
    const plainServer = await servePlainCanvas(openBoardFile(await readFile(cached)))
    let theirs: Figures
    try {
      const plain = await browser.newPage({ viewport: SCREEN })
      await plain.goto(plainServer.url)
      theirs = await gestures(plain, fitted)
      await plain.close()
    } finally {
      await plainServer.close()
    }

    report(
      'selection-10k',
      { strokes: STROKES, screen: `${SCREEN.width}x${SCREEN.height}`, ...ours },
      { name: 'plain canvas page', figures: theirs },
    )
  }))
