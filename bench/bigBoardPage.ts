import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { encodeBoardFile } from '../src/shared/boardFile'
import { launchBrowser } from '../test/support/browser'
import { type HostProcess, startHostProcess } from '../test/support/hostProcess'
import { cachedFile, makeBoard } from './boards'
import { benchSize, median, ms, percentile } from './report'

// What the canvas and selection scenarios share: one big board in Chromium, the gestures' timing, and the plain
// canvas page shown the view Lanvas fitted.

/** The board's strokes (60 points each). */
export const STROKES = benchSize(10_000, 1_000)
/** 6,000 board units square: zoomed to fit in a 1280x800 window the whole board is on screen at ~12%. */
export const SPAN = 6_000
export const SCREEN = { width: 1280, height: 800 }

/** A view of the board (the plain page's `setView` takes Lanvas's). */
export type View = { x: number; y: number; zoom: number }

/**
 * Runs `scenario` with a host process on a copy of the big board in a temporary folder (the board is built once and
 * kept in bench/results/cache/; the host saves to the copy) and a browser; `cached` is the cached file, for the
 * plain page. Closes both and removes the folder after.
 */
export async function onBigBoard<T>(
  name: string,
  scenario: (setup: { host: HostProcess; browser: Browser; cached: string }) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), `lanvas-bench-${name}-`))
  let host: HostProcess | undefined
  let browser: Browser | undefined
  try {
    const cached = await cachedFile(`board-${STROKES}x60-seed1-span${SPAN}.lanvas`, (p) =>
      writeFile(p, encodeBoardFile(makeBoard(STROKES, 60, 1, SPAN).doc)),
    )
    const boardPath = join(dir, 'big.lanvas')
    await copyFile(cached, boardPath)
    ;[host, browser] = await Promise.all([
      startHostProcess(['--port', '0', '--board', boardPath]),
      launchBrowser(),
    ])
    return await scenario({ host, browser, cached })
  } finally {
    await browser?.close()
    await host?.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

/** Zooms the page to fit (Shift+1); the plain page is given `fitted`, Lanvas's fitted view. Waits `settleMs`. */
export async function zoomToFit(page: Page, fitted: View | undefined, settleMs: number): Promise<void> {
  await page.keyboard.press('Shift+Digit1')
  if (fitted) await page.evaluate((v) => (window as unknown as { setView(v: View): void }).setView(v), fitted)
  await page.waitForTimeout(settleMs)
}

/** Drags the mouse by (dx, dy) screen px from a point in `moves` pointer moves (each is a round trip to the page). */
export async function dragBy(page: Page, x: number, y: number, dx: number, dy: number, moves: number) {
  await page.mouse.move(x, y)
  await page.mouse.down()
  for (let i = 1; i <= moves; i++) await page.mouse.move(x + (i * dx) / moves, y + (i * dy) / moves)
  await page.mouse.up()
}

/** A gesture's frame times (see frameTimes.ts) as figures: median, 95th percentile, longest and how many. */
export function frameFigures(prefix: string, frames: number[]): Record<string, number> {
  return {
    [`${prefix}FrameMedianMs`]: ms(median(frames)),
    [`${prefix}FrameP95Ms`]: ms(percentile(frames, 95)),
    [`${prefix}FrameMaxMs`]: ms(Math.max(...frames)),
    [`${prefix}Frames`]: frames.length,
  }
}
