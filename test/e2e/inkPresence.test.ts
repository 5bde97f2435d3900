// Issue 9 item 8: peers' cursors move without React rendering, and while the pen draws the drawer's cursor rides
// on the ink: page two shows it at the tip of the stroke in the frame the ink arrives.
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LanvasTestHandle } from '../../src/renderer/src/testHandle'
import { screenPointOf } from '../support/canvas'
import { type TwoPages, twoPagesOnOneHost } from '../support/twoPages'
import { waitUntil } from '../support/waitUntil'

/** Where to save screenshots for a person to look at (unset: none are taken). */
const SHOTS = process.env.LANVAS_SHOTS

let pages: TwoPages
let one: Page
let two: Page

/** Where page two shows a person's cursor (screen px within the board), or null when it shows none. */
function cursorOf(page: Page, name: string): Promise<{ x: number; y: number } | null> {
  return page.evaluate((name) => {
    const el = document.querySelector<HTMLElement>(`[data-testid="presence-cursor"][data-name="${name}"]`)
    if (!el || el.style.display === 'none') return null
    const m = /translate\(([-\d.]+)px, ([-\d.]+)px\)/.exec(el.style.transform)
    return m ? { x: Number(m[1]), y: Number(m[2]) } : null
  }, name)
}

function liveDraws(page: Page): Promise<number> {
  return page.evaluate(() => (window.__lanvas as LanvasTestHandle).liveLayerDraws())
}

function renders(page: Page): Promise<number> {
  return page.evaluate(() => (window.__lanvas as LanvasTestHandle).renders())
}

beforeAll(async () => {
  pages = await twoPagesOnOneHost('ink', { width: 1000, height: 700 }, { names: ['Ada', 'Ben'] })
  ;({ one, two } = pages)
}, 300_000)

afterAll(async () => {
  await pages?.close()
})

describe("a peer's pointer", () => {
  it('moves on page two without React rendering page two', async () => {
    const start = await screenPointOf(one, 200, 200)
    await one.mouse.move(start.x, start.y)
    const at200 = await two.evaluate(() => (window.__lanvas as LanvasTestHandle).boardToScreen(200, 200))
    await waitUntil('page two shows Ada’s cursor', async () => {
      const c = await cursorOf(two, 'Ada')
      return c !== null && Math.abs(c.x - at200.x) < 1 && Math.abs(c.y - at200.y) < 1
    })
    const before = await renders(two)

    for (const x of [260, 320, 380]) {
      const p = await screenPointOf(one, x, 240)
      await one.mouse.move(p.x, p.y, { steps: 4 })
    }
    const at = await two.evaluate(() => (window.__lanvas as LanvasTestHandle).boardToScreen(380, 240))
    await waitUntil('page two shows Ada’s cursor where she moved it', async () => {
      const c = await cursorOf(two, 'Ada')
      return c !== null && Math.abs(c.x - at.x) < 1 && Math.abs(c.y - at.y) < 1
    })
    expect(await renders(two)).toBe(before)
  })

  it('rides on the ink while the pen draws: the cursor is at the tip in the frame the ink arrives', async () => {
    await one.keyboard.press('p')
    const a = await screenPointOf(one, 150, 400)
    await one.mouse.move(a.x, a.y)
    const rendersBefore = await renders(two)
    const liveDrawsBefore = await liveDraws(two)
    await one.mouse.down()
    // Page two records, every animation frame, the newest point of Ada's stroke it holds and where it shows her cursor.
    await two.evaluate(() => {
      const w = window as Window & { __frames?: Frame[] }
      type Frame = { tip: number[] | null; cursor: string; easing: number }
      const frames: Frame[] = []
      w.__frames = frames
      const tick = () => {
        const lanvas = window.__lanvas as LanvasTestHandle
        const el = document.querySelector<HTMLElement>('[data-testid="presence-cursor"][data-name="Ada"]')
        let tip: number[] | null = null
        for (const id of lanvas.board.elementIds()) {
          const s = lanvas.board.getStroke(id)
          if (s && !s.done && s.points.length >= 3) {
            const p = lanvas.boardToScreen(
              s.points[s.points.length - 3] ?? 0,
              s.points[s.points.length - 2] ?? 0,
            )
            tip = [p.x, p.y]
          }
        }
        frames.push({
          tip,
          cursor: el?.style.display === 'none' ? '' : (el?.style.transform ?? ''),
          // Transitions running on her cursor: an eased cursor lags the ink, and costs page two frames of its own.
          easing: el?.getAnimations().length ?? 0,
        })
        if (frames.length < 600) requestAnimationFrame(tick)
      }
      requestAnimationFrame(tick)
    })
    for (let i = 1; i <= 6; i++) {
      const p = await screenPointOf(one, 150 + i * 40, 400 + (i % 2) * 30)
      await one.mouse.move(p.x, p.y)
      await one.waitForTimeout(50)
    }
    await waitUntil('page two has the stroke up to the last point', async () =>
      two.evaluate(() => {
        const s = (window.__lanvas as LanvasTestHandle).board
        return s.elementIds().some((id) => {
          const st = s.getStroke(id)
          return !!st && st.points.length >= 3 && Math.round(st.points[st.points.length - 3] ?? 0) === 390
        })
      }),
    )
    if (SHOTS) {
      await mkdir(SHOTS, { recursive: true })
      await two.screenshot({ path: join(SHOTS, 'ink-cursor.png') })
    }
    // Watching someone draw renders nothing: the ink and their cursor are drawn outside React.
    expect(await renders(two)).toBe(rendersBefore)
    // Each point that comes is drawn once, in part, where it arrived: the stroke's start and its 6 points, with room
    // for one redraw of the whole layer (Konva's own redraw after each point made that twice as many).
    expect((await liveDraws(two)) - liveDrawsBefore).toBeLessThanOrEqual(7 + 2)
    await one.mouse.up()
    const frames = await two.evaluate(
      () =>
        (window as Window & { __frames?: { tip: number[] | null; cursor: string; easing: number }[] })
          .__frames ?? [],
    )
    const withInk = frames.filter((f) => f.tip !== null)
    expect(withInk.length).toBeGreaterThan(0)
    // In every frame that shows the stroke in progress, Ada's cursor is at its newest point.
    for (const f of withInk) {
      const m = /translate\(([-\d.]+)px, ([-\d.]+)px\)/.exec(f.cursor)
      expect(m, `a cursor in the frame with the tip at ${f.tip}`).not.toBeNull()
      const [tx, ty] = f.tip as number[]
      expect(Math.abs(Number(m?.[1]) - (tx as number))).toBeLessThan(1)
      expect(Math.abs(Number(m?.[2]) - (ty as number))).toBeLessThan(1)
      // Shown there, not eased towards it: no transition runs on a cursor that rides on the ink.
      expect(f.easing, `transitions on the cursor in the frame with the tip at ${f.tip}`).toBe(0)
    }
    // Her pointer alone moves her cursor again, eased between its moves as before.
    const after = await screenPointOf(one, 420, 300)
    await one.mouse.move(after.x, after.y, { steps: 3 })
    const at = await two.evaluate(() => (window.__lanvas as LanvasTestHandle).boardToScreen(420, 300))
    await waitUntil('page two shows Ada’s cursor where her pointer went', async () => {
      const c = await cursorOf(two, 'Ada')
      return c !== null && Math.abs(c.x - at.x) < 1 && Math.abs(c.y - at.y) < 1
    })
    expect(
      await two.evaluate(() => {
        const el = document.querySelector<HTMLElement>('[data-testid="presence-cursor"][data-name="Ada"]')
        return el ? getComputedStyle(el).transitionDuration : ''
      }),
    ).not.toBe('0s')
  })
})
