import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { it } from 'vitest'
import { encodeBoardFile, openBoardFile } from '../src/shared/boardFile'
import { launchBrowser } from '../test/support/browser'
import { type HostProcess, startHostProcess } from '../test/support/hostProcess'
import { cachedFile, makeBoard } from './boards'
import { frameTimes } from './frameTimes'
import { servePlainCanvas } from './plainCanvas'
import { benchSize, type Figures, median, ms, percentile, report } from './report'

const STROKES = benchSize(10_000, 1_000)
const CLICKS = benchSize(10, 4)
/** The canvas scenario's board: 6,000 units square, all on a 1280 × 800 screen at about 12% when fitted. */
const SPAN = 6_000
const SCREEN = { width: 1280, height: 800 }

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

function frames(prefix: string, f: number[]): Record<string, number> {
  return {
    [`${prefix}FrameMedianMs`]: ms(median(f)),
    [`${prefix}FrameP95Ms`]: ms(percentile(f, 95)),
    [`${prefix}FrameMaxMs`]: ms(Math.max(...f)),
  }
}

/** Drags the mouse by (dx, dy) screen px from a point in 30 moves (--quick: 10; each is a round trip to the page). */
async function drag(page: Page, x: number, y: number, dx: number, dy: number): Promise<void> {
  await page.mouse.move(x, y)
  await page.mouse.down()
  const moves = benchSize(30, 10)
  for (let i = 1; i <= moves; i++) await page.mouse.move(x + (i * dx) / moves, y + (i * dy) / moves)
  await page.mouse.up()
}

/**
 * The selection gestures on a page showing the board (Lanvas, or the plain page given Lanvas's fitted view):
 * clicks, a marquee over a quarter of the board, dragging what it holds, Ctrl+A, a nudge of everything, Ctrl+D of
 * the marqueed strokes. Checks that each happened (something selected, all selected, copies made).
 */
async function gestures(page: Page, fitted?: { x: number; y: number; zoom: number }): Promise<Figures> {
  await page.waitForFunction(
    (n) => (window as unknown as { __lanvas?: Handle }).__lanvas?.board.elementIds().length === n,
    STROKES,
  )
  await page.keyboard.press('Shift+Digit1')
  if (fitted)
    await page.evaluate((v) => (window as unknown as { setView(v: unknown): void }).setView(v), fitted)
  await page.waitForTimeout(benchSize(1500, 500))
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
    ...frames('moveMarqueed', marqueeMove),
    selectAllMs: ms(selectAllMs),
    nudgeAllMs: ms(nudgeAllMs),
    duplicateMarqueedMs: ms(duplicateMs),
  }
}

it('selection on a 10,000-stroke board in Chromium: click, marquee, select all, move, nudge, duplicate; beside a plain canvas page', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lanvas-bench-select-'))
  let host: HostProcess | undefined
  let browser: Browser | undefined
  try {
    // The canvas scenario's board: built once, kept in bench/results/cache/, copied (the host saves to it).
    const cached = await cachedFile(`board-${STROKES}x60-seed1-span${SPAN}.lanvas`, (p) =>
      writeFile(p, encodeBoardFile(makeBoard(STROKES, 60, 1, SPAN).doc)),
    )
    const boardPath = join(dir, 'big.lanvas')
    await copyFile(cached, boardPath)
    const [started, launched] = await Promise.all([
      startHostProcess(['--port', '0', '--board', boardPath]),
      launchBrowser(),
    ])
    host = started
    browser = launched
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
  } finally {
    await browser?.close()
    await host?.stop()
    await rm(dir, { recursive: true, force: true })
  }
})
