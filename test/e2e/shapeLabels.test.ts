// Labels in shapes and on arrows (issue 13) in a real Chromium page: double-click, type, see the words centred on
// page two (its canvas pixels), move the shape and see them follow; an emptied label goes, the shape stays.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LanvasTestHandle } from '../../src/renderer/src/testHandle'
import type { BoardElement } from '../../src/shared/board'
import { inkPixelsAt, screenPointOf } from '../support/canvas'
import { doubleClick, drag, elementsOn, type TwoPages, twoPagesOnOneHost } from '../support/twoPages'
import { waitUntil } from '../support/waitUntil'

let pages: TwoPages
let one: Page
let two: Page

/**
 * The board box of the dark ink a page's canvases show inside a board rectangle (its own outline left out by the
 * caller's choice of rectangle), or null when there is none: where the words are drawn.
 */
function inkBox(p: Page, r: { minX: number; minY: number; maxX: number; maxY: number }) {
  return p.evaluate((r) => {
    const lanvas = window.__lanvas as LanvasTestHandle
    const a = lanvas.boardToScreen(r.minX, r.minY)
    const b = lanvas.boardToScreen(r.maxX, r.maxY)
    let box: { minX: number; minY: number; maxX: number; maxY: number } | null = null
    for (const canvas of document.querySelectorAll('[data-testid="board-canvas"] canvas')) {
      const c = canvas as HTMLCanvasElement
      const k = c.width / c.clientWidth || 1
      const ctx = c.getContext('2d')
      if (!ctx) continue
      const x0 = Math.floor(a.x * k)
      const y0 = Math.floor(a.y * k)
      const w = Math.ceil((b.x - a.x) * k)
      const h = Math.ceil((b.y - a.y) * k)
      const data = ctx.getImageData(x0, y0, w, h).data
      for (let i = 0; i < data.length; i += 4) {
        const dark = (data[i + 3] as number) > 200 && (data[i] as number) < 90 && (data[i + 1] as number) < 90
        if (!dark || (data[i + 2] as number) >= 90) continue
        const px = (i / 4) % w
        const py = Math.floor(i / 4 / w)
        const x = r.minX + ((px / k) * (r.maxX - r.minX)) / (b.x - a.x)
        const y = r.minY + ((py / k) * (r.maxY - r.minY)) / (b.y - a.y)
        box = box
          ? {
              minX: Math.min(box.minX, x),
              minY: Math.min(box.minY, y),
              maxX: Math.max(box.maxX, x),
              maxY: Math.max(box.maxY, y),
            }
          : { minX: x, minY: y, maxX: x, maxY: y }
      }
    }
    return box
  }, r)
}

/** The middle of a box. */
const middle = (b: { minX: number; minY: number; maxX: number; maxY: number }) => ({
  x: (b.minX + b.maxX) / 2,
  y: (b.minY + b.maxY) / 2,
})

beforeAll(async () => {
  pages = await twoPagesOnOneHost('labels', { width: 1400, height: 1000 })
  ;({ one, two } = pages)
}, 300_000)

afterAll(() => pages?.close())

describe('labels on two pages', () => {
  let rectId = ''

  it('double-click a rectangle and type: page two shows the words centred in it', async () => {
    await one.keyboard.press('r')
    await drag(one, [300, 200], [600, 400])
    await waitUntil('page one has the rectangle', async () =>
      (await elementsOn(one)).some((e) => e.kind === 'rect' && e.width === 300),
    )
    rectId = ((await elementsOn(one)).find((e) => e.kind === 'rect') as BoardElement).id
    await one.keyboard.press('v')
    await doubleClick(one, [450, 300])
    const editor = one.locator('[data-testid="text-editor"]')
    await editor.waitFor()
    expect(await editor.evaluate((e) => getComputedStyle(e).textAlign)).toBe('center')
    await one.keyboard.type('Hello label')
    await waitUntil('page two has the label while it is typed', async () =>
      (await elementsOn(two)).some((e) => e.id === rectId && 'label' in e && e.label === 'Hello label'),
    )
    await one.keyboard.press('Escape')
    await editor.waitFor({ state: 'detached' })
    // The rectangle's inside, its outline left out: only the words are ink there.
    const inside = { minX: 310, minY: 210, maxX: 590, maxY: 390 }
    await waitUntil('page two draws the words', async () => (await inkBox(two, inside)) !== null)
    const words = (await inkBox(two, inside)) as NonNullable<Awaited<ReturnType<typeof inkBox>>>
    expect(Math.abs(middle(words).x - 450)).toBeLessThan(6)
    expect(Math.abs(middle(words).y - 300)).toBeLessThan(8)
    // One line of 24 px text, some 100 board units wide.
    expect(words.maxX - words.minX).toBeGreaterThan(60)
    expect(words.maxY - words.minY).toBeLessThan(30)
    // Page one shows them too, once the editor is gone.
    await waitUntil('page one draws the words', async () => (await inkPixelsAt(one, 450, 300, 30)) > 0)
  })

  it('the words move with the rectangle (dragged by them) on both pages', async () => {
    await drag(one, [450, 300], [550, 450])
    await waitUntil('page two has the moved rectangle', async () =>
      (await elementsOn(two)).some((e) => e.id === rectId && e.x === 400 && e.y === 350),
    )
    const inside = { minX: 410, minY: 360, maxX: 690, maxY: 540 }
    await waitUntil('page two draws the words at the new place', async () => {
      const box = await inkBox(two, inside)
      return box !== null && Math.abs(middle(box).x - 550) < 6 && Math.abs(middle(box).y - 450) < 8
    })
    expect(await inkPixelsAt(two, 450, 300, 30)).toBe(0)
  })

  it("the style panel's font size sets the selected shape's label size", async () => {
    const inside = { minX: 410, minY: 360, maxX: 690, maxY: 540 }
    const before = (await inkBox(two, inside)) as NonNullable<Awaited<ReturnType<typeof inkBox>>>
    await one.getByTestId('style-font-36').click()
    await waitUntil('page two has the larger label', async () =>
      (await elementsOn(two)).some((e) => e.id === rectId && 'labelFontSize' in e && e.labelFontSize === 36),
    )
    await waitUntil('page two draws the words half as wide again, still centred', async () => {
      const box = await inkBox(two, inside)
      return (
        box !== null &&
        box.maxX - box.minX > 1.4 * (before.maxX - before.minX) &&
        Math.abs(middle(box).x - 550) < 6
      )
    })
  })

  it('double-click an arrow: its label is drawn at its midpoint; emptying a label removes it, not the shape', async () => {
    await one.keyboard.press('a')
    await drag(one, [800, 200], [1100, 200])
    await waitUntil('page one has the arrow', async () =>
      (await elementsOn(one)).some((e) => e.kind === 'arrow'),
    )
    const arrowId = ((await elementsOn(one)).find((e) => e.kind === 'arrow') as BoardElement).id
    await one.keyboard.press('v')
    await doubleClick(one, [950, 200])
    const editor = one.locator('[data-testid="text-editor"]')
    await editor.waitFor()
    await one.keyboard.type('next')
    await one.keyboard.press('Escape')
    await waitUntil('page two has the arrow label', async () =>
      (await elementsOn(two)).some((e) => e.id === arrowId && 'label' in e && e.label === 'next'),
    )
    // Words above and below the shaft, centred on its midpoint.
    await waitUntil('page two draws the words on the arrow', async () => {
      const box = await inkBox(two, { minX: 880, minY: 180, maxX: 1020, maxY: 220 })
      return box !== null && Math.abs(middle(box).x - 950) < 6 && box.minY < 196 && box.maxY > 204
    })

    // Empty the rectangle's label: the words go on page two, the rectangle stays.
    await doubleClick(one, [550, 450])
    await editor.waitFor()
    expect(await editor.inputValue()).toBe('Hello label')
    await one.keyboard.press('Control+A')
    await one.keyboard.press('Delete')
    await one.keyboard.press('Escape')
    await waitUntil('page two has the rectangle without a label', async () =>
      (await elementsOn(two)).some((e) => e.id === rectId && !('label' in e)),
    )
    await waitUntil(
      'page two draws no words in it',
      async () => (await inkBox(two, { minX: 410, minY: 360, maxX: 690, maxY: 540 })) === null,
    )
  })

  it('Enter on a selected rectangle edits its label; one undo takes the typing back', async () => {
    await one.keyboard.press('Escape')
    // A click on its outline selects it (its inside is empty paper now: it has no words and no fill).
    const edge = await screenPointOf(one, 400, 450)
    await one.mouse.click(edge.x, edge.y)
    await waitUntil('page one selects the rectangle', async () =>
      one.evaluate((id) => (window.__lanvas as LanvasTestHandle).selected().includes(id), rectId),
    )
    await one.keyboard.press('Enter')
    const editor = one.locator('[data-testid="text-editor"]')
    await editor.waitFor()
    await one.keyboard.type('Again')
    await one.keyboard.press('Escape')
    await editor.waitFor({ state: 'detached' })
    await waitUntil('page two has the new label', async () =>
      (await elementsOn(two)).some((e) => e.id === rectId && 'label' in e && e.label === 'Again'),
    )
    await one.keyboard.press('Control+z')
    await waitUntil('page two has the rectangle without a label again', async () =>
      (await elementsOn(two)).some((e) => e.id === rectId && !('label' in e)),
    )
  })
})
