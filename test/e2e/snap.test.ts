// Snapping, align and distribute in a real Chromium page: page one drags and arranges, page two of the same session
// sees the result; the guides are read off the canvas pixels while the mouse is still down.
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LanvasTestHandle } from '../../src/renderer/src/testHandle'
import type { BoardElement } from '../../src/shared/board'
import { screenPointOf } from '../support/canvas'
import { type TwoPages, twoPagesOnOneHost } from '../support/twoPages'
import { waitUntil } from '../support/waitUntil'

/** Where to save screenshots of the UI for a person to look at (unset: none are taken). */
const SHOTS = process.env.LANVAS_SHOTS
const SCREEN = { width: 1200, height: 760 }

let pages: TwoPages
let one: Page
let two: Page

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return
  await mkdir(SHOTS, { recursive: true })
  await page.screenshot({ path: join(SHOTS, `${name}.png`) })
}

/** Runs a function of the page's board in the page, to set a scene up or read the model; never the action tested. */
function onBoard<T>(page: Page, fn: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(`(${fn})(window.__lanvas.board, ...${JSON.stringify(args)})`) as Promise<T>
}

const addRect = (page: Page, x: number, y: number, w = 120, h = 80) =>
  onBoard<string>(
    page,
    '(b, x, y, w, h) => b.addShape("rect", { x, y, width: w, height: h, fillColor: "#a5d8ff" })',
    x,
    y,
    w,
    h,
  )

function read(page: Page, id: string): Promise<BoardElement | undefined> {
  return onBoard(
    page,
    '(b, id) => { const e = b.readElement(id); return e && JSON.parse(JSON.stringify(e)) }',
    id,
  )
}

const clear = (page: Page) => onBoard(page, '(b) => b.deleteElements(b.elementIds())')

function selected(page: Page): Promise<string[]> {
  return page.evaluate(() => [...(window.__lanvas as LanvasTestHandle).selected()])
}

/** Waits until page two's copy of an element satisfies `ok`. */
async function onTwo(what: string, id: string, ok: (el: BoardElement | undefined) => boolean): Promise<void> {
  let last: BoardElement | undefined
  await waitUntil(`page two: ${what}`, async () => {
    last = await read(two, id)
    return ok(last)
  }).catch((err: Error) => {
    throw new Error(`${err.message}; page two has ${JSON.stringify(last)}`)
  })
}

const near = (a: number | undefined, b: number, tol = 1e-6) => a !== undefined && Math.abs(a - b) <= tol

/** Pixels of the guides' red on the page's canvases within `radius` screen pixels of a board point. */
function guidePixelsAt(page: Page, boardX: number, boardY: number, radius = 3): Promise<number> {
  return page.evaluate(
    ({ boardX, boardY, radius }) => {
      const at = (window.__lanvas as LanvasTestHandle).boardToScreen(boardX, boardY)
      let count = 0
      for (const canvas of document.querySelectorAll('[data-testid="board-canvas"] canvas')) {
        const c = canvas as HTMLCanvasElement
        const scale = c.width / c.clientWidth || 1
        const ctx = c.getContext('2d')
        if (!ctx) continue
        const size = Math.ceil(2 * radius * scale)
        const data = ctx.getImageData((at.x - radius) * scale, (at.y - radius) * scale, size, size).data
        for (let i = 0; i < data.length; i += 4) {
          const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]] as number[]
          if ((a as number) > 60 && (r as number) > 170 && (g as number) < 120 && (b as number) < 140) count++
        }
      }
      return count
    },
    { boardX, boardY, radius },
  )
}

/** Presses at board point `from`, drags to `to` with `keys` held, and leaves the mouse down. */
async function dragTo(page: Page, from: [number, number], to: [number, number], keys: string[] = []) {
  const a = await screenPointOf(page, ...from)
  const b = await screenPointOf(page, ...to)
  await page.mouse.move(a.x, a.y)
  for (const k of keys) await page.keyboard.down(k)
  await page.mouse.down()
  await page.mouse.move(b.x, b.y, { steps: 12 })
}

/** Resolves once the page has drawn a frame after now (Konva draws a changed layer at the next frame). */
function drawn(page: Page): Promise<void> {
  return page.evaluate(
    () => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))),
  )
}

async function release(page: Page, keys: string[] = []) {
  await page.mouse.up()
  for (const k of keys) await page.keyboard.up(k)
}

beforeAll(async () => {
  pages = await twoPagesOnOneHost('snap', SCREEN)
  ;({ one, two } = pages)
  await one.keyboard.press('v')
}, 300_000)

afterAll(() => pages?.close())

describe('snapping while moving', () => {
  it('pulls a dragged shape’s left edge onto another’s, with a guide between them, and page two sees it', async () => {
    const still = await addRect(one, 300, 300)
    const moved = await addRect(one, 600, 100)
    // 296 to the left: its left edge would end 4 units right of the other's.
    await dragTo(one, [660, 140], [364, 140])
    // The guide runs down x = 300 from the dragged shape to the other, through the empty paper between them.
    await waitUntil('a guide between the shapes', async () => (await guidePixelsAt(one, 300, 240)) > 0)
    await shot(one, 'snap-guide')
    // Their centres and right edges line up too (both are 120 wide); between those lines, no guide.
    expect(await guidePixelsAt(one, 330, 240)).toBe(0)
    await release(one)
    await onTwo('snapped', moved, (el) => near(el?.x, 300) && near(el?.y, 100))
    expect((await read(two, still))?.x).toBe(300)
    // The guide goes with the gesture.
    await waitUntil('no guide after the drop', async () => (await guidePixelsAt(one, 300, 240)) === 0)
  })

  it('moves freely, with no guide, while Ctrl is held', async () => {
    const moved = (await selected(one))[0] as string
    // From x = 300 to 3 right of it, which would snap back without Ctrl.
    await dragTo(one, [360, 140], [363, 140], ['Control'])
    await drawn(one)
    expect(await guidePixelsAt(one, 300, 240)).toBe(0)
    expect(await guidePixelsAt(one, 303, 240)).toBe(0)
    await release(one, ['Control'])
    await onTwo('moved freely', moved, (el) => near(el?.x, 303, 0.01))
  })

  it('snaps to the grid when the canvas options say so, and not to it otherwise', async () => {
    await clear(one)
    const lone = await addRect(one, 100, 100, 50, 50)
    await one.getByTestId('canvas-options-toggle').click()
    await one.getByTestId('snap-to-grid').check()
    await one.getByTestId('canvas-options-toggle').click()
    await dragTo(one, [125, 125], [162, 131])
    await release(one)
    // 137, 106 → the nearest multiples of 24: 144, 96.
    await onTwo('on the grid', lone, (el) => near(el?.x, 144) && near(el?.y, 96))
    // Remembered with the person's other canvas options.
    await one.reload()
    await one.locator('[data-testid="connection-status"][data-status="connected"]').waitFor()
    await one.waitForFunction(() => window.__lanvas !== undefined)
    await one.keyboard.press('v')
    await one.getByTestId('canvas-options-toggle').click()
    expect(await one.getByTestId('snap-to-grid').isChecked()).toBe(true)
    await one.getByTestId('snap-to-grid').uncheck()
    await one.getByTestId('canvas-options-toggle').click()
    await dragTo(one, [169, 121], [176, 126])
    await release(one)
    await onTwo('off the grid', lone, (el) => near(el?.x, 151, 0.01) && near(el?.y, 101, 0.01))
  })
})

describe('snapping while resizing', () => {
  it('pulls a dragged side handle onto another shape’s edge, with a guide', async () => {
    await clear(one)
    await addRect(one, 300, 300)
    const wide = await addRect(one, 100, 100)
    await one.keyboard.press('Escape')
    const p = await screenPointOf(one, 160, 140)
    await one.mouse.click(p.x, p.y)
    // The box's right side handle is on the shape's right edge; dragged to 3 short of the other's.
    await dragTo(one, [220, 140], [417, 140])
    await waitUntil('a guide down the right edges', async () => (await guidePixelsAt(one, 420, 240)) > 0)
    await shot(one, 'snap-resize')
    await release(one)
    // Its left edge stays, its right goes onto the other's.
    await onTwo(
      'resized onto the edge',
      wide,
      (el) => near((el as { width: number })?.width, 320) && near(el?.x, 100),
    )
  })
})

describe('align and distribute', () => {
  it('aligns left edges with Ctrl+Shift+←, in one undo step that page two sees', async () => {
    await clear(one)
    const ids = [
      await addRect(one, 200, 100),
      await addRect(one, 330, 260, 60, 40),
      await addRect(one, 260, 400),
    ]
    await one.keyboard.press('Control+a')
    expect((await selected(one)).sort()).toEqual([...ids].sort())
    await one.keyboard.press('Control+Shift+ArrowLeft')
    for (const id of ids) await onTwo('aligned left', id, (el) => near(el?.x, 200))
    await shot(one, 'aligned-left')
    await one.keyboard.press('Control+z')
    await onTwo('back in place', ids[1] as string, (el) => near(el?.x, 330))
    await onTwo('back in place', ids[2] as string, (el) => near(el?.x, 260))
  })

  it('distributes from the context menu’s row, and aligns centres there too', async () => {
    const ids = await onBoard<string[]>(one, '(b) => b.elementIds()')
    await one.keyboard.press('Control+a')
    const p = await screenPointOf(one, 240, 140)
    await one.mouse.click(p.x, p.y, { button: 'right' })
    await shot(one, 'arrange-menu')
    await one.getByTestId('menu-distribute-vertically').click()
    // 100..180, 260..300, 400..480: 380 of room, 200 of height, gaps of 90: the middle one goes to 270.
    await onTwo('distributed', ids[1] as string, (el) => near(el?.y, 270))
    await one.mouse.click(p.x, p.y, { button: 'right' })
    await one.getByTestId('menu-align-center').click()
    // Common bounds 200..390 across, centre 295: the 120-wide ones go to 235, the 60-wide one to 265.
    await onTwo('centred', ids[0] as string, (el) => near(el?.x, 235))
    await onTwo('centred', ids[1] as string, (el) => near(el?.x, 265))
    // A single shape has nothing to line up with: the row is not offered.
    await one.keyboard.press('Escape')
    const q = await screenPointOf(one, 295, 140)
    await one.mouse.click(q.x, q.y)
    await one.mouse.click(q.x, q.y, { button: 'right' })
    await one.getByTestId('selection-menu').waitFor()
    expect(await one.getByTestId('menu-align-left').count()).toBe(0)
    await one.keyboard.press('Escape')
  })
})
