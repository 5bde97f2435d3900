// Every element tool in a real Chromium page (shapes, texts, notes, images, laser, highlighter, partial eraser): one browser and host for all.
import { join } from 'node:path'
import { createCanvas, loadImage } from '@napi-rs/canvas'
import type { FileChooser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LanvasTestHandle } from '../../src/renderer/src/testHandle'
import type { BoardElement } from '../../src/shared/board'
import { countPixels, inkPixelsAt, pixelsNear, screenPointOf } from '../support/canvas'
import { solidPng } from '../support/imageBombs'
import { click, drag, elementsOn, type TwoPages, twoPagesOnOneHost } from '../support/twoPages'
import { waitUntil } from '../support/waitUntil'

// Two pages on one host: every element tool, through the keyboard and the mouse on page one, checked by the pixels
// page two shows at the right board place (and by page two's board where pixels cannot say it, e.g. the text).

let pages: TwoPages
let one: Page
let two: Page
const choosers: FileChooser[] = []

/** Pixels within `radius` screen px of a board point whose colour is within `tol` of `rgb` (alpha over 200). */
async function colourPixelsAt(
  p: Page,
  at: [number, number],
  rgb: [number, number, number],
  tol = 30,
  radius = 6,
) {
  return countPixels(
    await pixelsNear(p, at, radius),
    (r, g, b, a) =>
      a > 200 && Math.abs(r - rgb[0]) <= tol && Math.abs(g - rgb[1]) <= tol && Math.abs(b - rgb[2]) <= tol,
  )
}

/** A PNG of a solid colour made in the page, as a File in a DataTransfer (what paste and drop carry). */
function pngTransfer(p: Page, w: number, h: number, color: string, name: string) {
  return p.evaluateHandle(
    async ([w, h, color, name]) => {
      const canvas = document.createElement('canvas')
      canvas.width = Number(w)
      canvas.height = Number(h)
      const ctx = canvas.getContext('2d') as CanvasRenderingContext2D
      ctx.fillStyle = String(color)
      ctx.fillRect(0, 0, canvas.width, canvas.height)
      const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b as Blob), 'image/png'))
      const dt = new DataTransfer()
      dt.items.add(new File([blob], String(name), { type: 'image/png' }))
      return dt
    },
    [w, h, color, name] as const,
  )
}

const RED: [number, number, number] = [224, 49, 49]

/** Colour of the page's visible pixel at a board point (a screenshot: what the person sees, CSS filters included). */
async function seenColour(p: Page, at: [number, number]): Promise<[number, number, number]> {
  const s = await screenPointOf(p, ...at)
  const png = await p.screenshot({ clip: { x: Math.round(s.x), y: Math.round(s.y), width: 1, height: 1 } })
  const ctx = createCanvas(1, 1).getContext('2d')
  ctx.drawImage(await loadImage(png), 0, 0)
  const d = ctx.getImageData(0, 0, 1, 1).data
  return [d[0] as number, d[1] as number, d[2] as number]
}

const within = (a: readonly number[], b: readonly number[], tol: number) =>
  a.every((v, i) => Math.abs(v - (b[i] as number)) <= tol)

beforeAll(async () => {
  pages = await twoPagesOnOneHost('elements', { width: 1400, height: 1000 })
  ;({ one, two } = pages)
  // Listening from the start turns on Playwright's file chooser interception before the image tool opens one.
  one.on('filechooser', (chooser) => choosers.push(chooser))
}, 300_000)

afterAll(() => pages?.close())

describe('element tools on two pages', () => {
  it('R: a dragged rectangle shows on page two, outline at its edges and nothing inside', async () => {
    await one.keyboard.press('r')
    await drag(one, [400, 100], [600, 200])
    await waitUntil('page two has the whole rectangle', async () =>
      (await elementsOn(two)).some((e) => e.kind === 'rect' && e.width === 200),
    )
    await waitUntil('page two shows the left and right edges', async () => {
      return (await inkPixelsAt(two, 400, 150, 3)) > 0 && (await inkPixelsAt(two, 600, 150, 3)) > 0
    })
    expect(await inkPixelsAt(two, 500, 100, 3)).toBeGreaterThan(0)
    expect(await inkPixelsAt(two, 500, 150, 10)).toBe(0)
    expect(await inkPixelsAt(two, 650, 150, 10)).toBe(0)
    const [rect] = await elementsOn(two)
    expect(rect).toMatchObject({ kind: 'rect', x: 400, y: 100, width: 200, height: 100, fillColor: 'none' })
  })

  it('O with Shift: a filled circle, through the toolbar button, the style panel and the mouse', async () => {
    await one.locator('[data-testid="tool-ellipse"]').click()
    await one.getByTestId('style-fill-a5d8ff').click()
    await drag(one, [700, 100], [820, 160], { shift: true })
    // The ellipse tool handed back to Select with the circle selected: the style panel would change the circle now.
    await one.keyboard.press('o')
    await one.getByTestId('style-fill-none').click()
    await waitUntil('page two shows the circle', async () =>
      (await elementsOn(two)).some((e) => e.kind === 'ellipse'),
    )
    const circle = (await elementsOn(two)).find((e) => e.kind === 'ellipse')
    expect(circle).toMatchObject({ x: 700, y: 100, width: 120, height: 120 })
    // Its leftmost point is ink, the corner of its box is not.
    await waitUntil('page two draws the circle', async () => (await inkPixelsAt(two, 700, 160, 3)) > 0)
    expect(await inkPixelsAt(two, 704, 104, 3)).toBe(0)
    // Filled with the colour picked in the style panel.
    await waitUntil(
      'page two fills the circle',
      async () => (await colourPixelsAt(two, [760, 160], [165, 216, 255], 4)) > 20,
    )
    expect(circle).toMatchObject({ fillColor: '#a5d8ff' })
  })

  it('L with Shift: a line snapped to 15°', async () => {
    await one.keyboard.press('l')
    await drag(one, [400, 300], [600, 310], { shift: true })
    await waitUntil('page two shows the line', async () =>
      (await elementsOn(two)).some((e) => e.kind === 'line'),
    )
    const line = (await elementsOn(two)).find((e) => e.kind === 'line') as { points: number[] }
    // 10 units off over 200 is under 3°: it snaps flat.
    expect(line.points[3]).toBeCloseTo(0, 5)
    await waitUntil('page two draws the line', async () => (await inkPixelsAt(two, 500, 300, 3)) > 0)
  })

  it('A: an arrow from a rectangle stays attached when the rectangle moves', async () => {
    const rect = (await elementsOn(one)).find((e) => e.kind === 'rect') as BoardElement
    await one.keyboard.press('a')
    await drag(one, [500, 150], [500, 400])
    await waitUntil('page two has the arrow', async () =>
      (await elementsOn(two)).some((e) => e.kind === 'arrow'),
    )
    const arrow = (await elementsOn(two)).find((e) => e.kind === 'arrow') as {
      id: string
      x: number
      y: number
      startBinding?: string
      endArrow: boolean
    }
    expect(arrow).toMatchObject({ startBinding: rect.id, endArrow: true })
    // It starts just below the rectangle's bottom edge (y = 200), not at the press inside it.
    expect(arrow.y).toBeGreaterThan(200)
    expect(arrow.y).toBeLessThan(210)
    await waitUntil('page two draws the arrow', async () => (await inkPixelsAt(two, 500, 300, 3)) > 0)

    // Page two moves the rectangle (as a selection tool would): the arrow follows on page one.
    await two.evaluate((id) => {
      const b = (window.__lanvas as LanvasTestHandle).board
      b.beginAction()
      b.updateElement(id, { x: 400, y: 500 })
    }, rect.id)
    await waitUntil('page one redraws the arrow toward the moved rectangle', async () => {
      const a = (await elementsOn(one)).find((e) => e.id === arrow.id) as { y: number; points: number[] }
      return a.y + (a.points[3] as number) > 300 && a.y < 500
    })
    // Moved back, so the other tests find it where they expect.
    await two.evaluate(() => (window.__lanvas as LanvasTestHandle).board.undo())
  })

  it('T: click and type; page two shows the text', async () => {
    await one.keyboard.press('t')
    await click(one, [900, 300])
    const editor = one.locator('[data-testid="text-editor"]')
    await editor.waitFor()
    await one.keyboard.type('Hello Lanvas')
    await waitUntil('page two has the text while it is typed', async () =>
      (await elementsOn(two)).some((e) => e.kind === 'text' && e.text === 'Hello Lanvas'),
    )
    await one.keyboard.press('Escape')
    await editor.waitFor({ state: 'detached' })
    await waitUntil('page two draws the text', async () => (await inkPixelsAt(two, 940, 300, 12)) > 0)
    expect(await inkPixelsAt(two, 940, 380, 12)).toBe(0)
  })

  it('double-click a text to edit it in place', async () => {
    await one.keyboard.press('h')
    await click(one, [920, 300], 2)
    const editor = one.locator('[data-testid="text-editor"]')
    await editor.waitFor()
    expect(await editor.inputValue()).toBe('Hello Lanvas')
    await one.keyboard.press('End')
    await one.keyboard.type('!')
    await one.keyboard.press('Escape')
    await waitUntil('page two has the edit', async () =>
      (await elementsOn(two)).some((e) => e.kind === 'text' && e.text === 'Hello Lanvas!'),
    )
  })

  it('N: a sticky note with wrapped text', async () => {
    await one.keyboard.press('n')
    await click(one, [1100, 150])
    await one.locator('[data-testid="text-editor"]').waitFor()
    await one.keyboard.type('a note that is long enough to wrap inside')
    await one.keyboard.press('Escape')
    await waitUntil(
      'page two shows the note',
      async () => (await colourPixelsAt(two, [1020, 240], [255, 236, 153], 4)) > 0,
    )
    // The note's box can arrive before the last typed characters: wait for the whole text.
    await waitUntil('page two has the whole text', async () => {
      const note = (await elementsOn(two)).find((e) => e.kind === 'note') as { text: string } | undefined
      return note?.text === 'a note that is long enough to wrap inside'
    })
    // Wrapped: ink on a second line of the note.
    expect(await inkPixelsAt(two, 1060, 108, 30)).toBeGreaterThan(0)
  })

  it('N: the text colour picked before placing a note is its text colour', async () => {
    await one.keyboard.press('n')
    await one.getByTestId('style-color-e03131').click()
    await click(one, [250, 650])
    await one.locator('[data-testid="text-editor"]').waitFor()
    await one.keyboard.type('red words')
    await one.keyboard.press('Escape')
    // The note tool handed back to Select: the colour is reset with a tool in hand.
    await one.keyboard.press('n')
    await one.getByTestId('style-color-1e1e1e').click()
    await waitUntil('page two has the note in red', async () =>
      (await elementsOn(two)).some(
        (e) => e.kind === 'note' && e.text === 'red words' && e.color === '#e03131',
      ),
    )
    // Its first line, as page two draws it: red letters, no dark ones.
    await waitUntil(
      'page two draws red letters',
      async () => (await colourPixelsAt(two, [200, 580], RED, 50, 30)) > 0,
    )
    expect(await inkPixelsAt(two, 200, 580, 30)).toBe(0)
  })

  it('pastes an image; page two shows it', async () => {
    const at = await screenPointOf(one, 450, 600)
    await one.mouse.move(at.x, at.y)
    const dt = await pngTransfer(one, 60, 40, '#e03131', 'red.png')
    await one.evaluate((clipboardData) => {
      window.dispatchEvent(new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true }))
    }, dt)
    await waitUntil('page two has the image', async () =>
      (await elementsOn(two)).some((e) => e.kind === 'image'),
    )
    await waitUntil(
      'page two draws its pixels',
      async () => (await colourPixelsAt(two, [450, 600], RED, 8)) > 20,
    )
    expect(await colourPixelsAt(two, [450, 650], RED, 8, 4)).toBe(0)
  })

  it('drops an image file on the canvas', async () => {
    const target = await screenPointOf(one, 700, 600)
    const dt = await pngTransfer(one, 30, 30, '#1971c2', 'b.png')
    await one.dispatchEvent('[data-testid="board-canvas"]', 'drop', {
      dataTransfer: dt,
      clientX: target.x,
      clientY: target.y,
    })
    await waitUntil(
      'page two draws the dropped image',
      async () => (await colourPixelsAt(two, [700, 600], [25, 113, 194], 8)) > 20,
    )
  })

  it('keeps an image’s colours in dark mode, where the paper turns dark', async () => {
    // Well inside the two images placed above (their top-left corners at the pointer).
    const blue: [number, number, number] = [25, 113, 194]
    // Page one's cursor and name tag, which page two shows, leave the images.
    const away = await screenPointOf(one, 1300, 700)
    await one.mouse.move(away.x, away.y)
    await waitUntil('page two shows the red image clear of the cursor', async () =>
      within(await seenColour(two, [470, 615]), RED, 3),
    )
    await two.getByTestId('canvas-options-toggle').click()
    await two.getByTestId('dark-mode').check()
    await two.getByTestId('canvas-options-toggle').click()
    // The paper beside them turns dark; the photos keep their exact colours, the saturated red too (through the
    // stage's filter and its inverse it came out (184, 79, 79); the filter alone makes it pink).
    await waitUntil('page two shows the blue image as it is in dark mode', async () =>
      within(await seenColour(two, [712, 612]), blue, 3),
    )
    const red = await seenColour(two, [470, 615])
    expect(within(red, RED, 3), `red seen as ${red}`).toBe(true)
    const paper = await seenColour(two, [450, 700])
    expect(paper[0] + paper[1] + paper[2]).toBeLessThan(120)
    if (process.env.LANVAS_SHOTS)
      await two.screenshot({ path: join(process.env.LANVAS_SHOTS, 'dark-images.png') })
    await two.getByTestId('canvas-options-toggle').click()
    await two.getByTestId('dark-mode').uncheck()
    await two.getByTestId('canvas-options-toggle').click()
    await waitUntil('page two light again', async () => within(await seenColour(two, [470, 615]), RED, 6))
  })

  it('I: inserts an image from the file picker, then gives the tool back', async () => {
    await one.keyboard.press('p')
    await one.keyboard.press('i')
    await waitUntil('the image tool opens the file picker', async () => choosers.length > 0)
    const chooser = choosers.shift() as FileChooser
    const { width, height } = { width: 20, height: 20 }
    const png = await one.evaluate(
      async ([w, h]) => {
        const c = document.createElement('canvas')
        c.width = w as number
        c.height = h as number
        const ctx = c.getContext('2d') as CanvasRenderingContext2D
        ctx.fillStyle = '#2f9e44'
        ctx.fillRect(0, 0, w as number, h as number)
        return c.toDataURL('image/png')
      },
      [width, height],
    )
    await chooser.setFiles({
      name: 'green.png',
      mimeType: 'image/png',
      buffer: Buffer.from(png.split(',')[1] as string, 'base64'),
    })
    await waitUntil(
      'page two has the green image',
      async () => (await elementsOn(two)).filter((e) => e.kind === 'image').length === 3,
    )
    const view = await one.evaluate(() => (window.__lanvas as LanvasTestHandle).viewport())
    // In the middle of the view (1400 × 1000 at zoom 1).
    await waitUntil(
      'page two draws it',
      async () => (await colourPixelsAt(two, [view.x + 700, view.y + 500], [47, 158, 68], 8)) > 20,
    )
    await expect.poll(() => one.locator('[data-testid="tool-pen"]').getAttribute('aria-pressed')).toBe('true')
  })

  it('refuses an image over 5 MB with a message', async () => {
    const before = (await elementsOn(two)).length
    await one.evaluate(() => {
      const big = new Uint8Array(6 * 1024 * 1024)
      big.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
      const dt = new DataTransfer()
      dt.items.add(new File([big], 'huge.png', { type: 'image/png' }))
      window.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }),
      )
    })
    await one.getByText(/huge\.png: This image is 6 MB; images on a board can be at most 5 MB/).waitFor()
    expect((await elementsOn(two)).length).toBe(before)
  })

  it('refuses a pasted image bomb before the browser decodes it, with a message that says its size', async () => {
    const before = (await elementsOn(two)).length
    // 12,000 × 12,000 px in about 20 KB: 576 MB once decoded.
    const bomb = Array.from(solidPng(12_000, 12_000))
    await one.evaluate((bytes) => {
      const dt = new DataTransfer()
      dt.items.add(new File([new Uint8Array(bytes)], 'bomb.png', { type: 'image/png' }))
      window.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }),
      )
    }, bomb)
    await one
      .getByText(
        /bomb\.png: This image is 12,000 × 12,000 px; images on a board can be at most 16,384 px a side and 64 megapixels/,
      )
      .waitFor()
    expect((await elementsOn(two)).length).toBe(before)
  })

  it("undo on page one removes only page one's last element, and page two's stay", async () => {
    await two.keyboard.press('r')
    await drag(two, [1000, 450], [1200, 520])
    await waitUntil('page one has page two’s rectangle', async () =>
      (await elementsOn(one)).some((e) => e.kind === 'rect' && e.x === 1000),
    )
    const before = await elementsOn(two)
    await one.keyboard.press('Control+z')
    await waitUntil(
      'page two lost one element',
      async () => (await elementsOn(two)).length === before.length - 1,
    )
    const after = await elementsOn(two)
    expect(after.some((e) => e.kind === 'rect' && e.x === 1000)).toBe(true)
    expect(await inkPixelsAt(two, 1000, 480, 3)).toBeGreaterThan(0)
  })

  it('Shift+P draws highlighter ink; Shift+E erases part of a stroke and leaves both ends', async () => {
    await one.keyboard.press('Shift+P')
    await drag(one, [400, 800], [600, 800])
    await waitUntil('page two has the highlighter stroke', async () =>
      (await elementsOn(two)).some((e) => e.kind === 'stroke' && e.highlighter),
    )
    await one.keyboard.press('Shift+P')
    await drag(one, [400, 900], [600, 900])
    await waitUntil('page two shows the ink', async () => (await inkPixelsAt(two, 500, 900, 3)) > 0)
    await one.keyboard.press('Shift+E')
    await drag(one, [500, 870], [500, 930])
    await waitUntil(
      'page two shows a gap in the middle',
      async () => (await inkPixelsAt(two, 500, 900, 3)) === 0,
    )
    expect(await inkPixelsAt(two, 420, 900, 3)).toBeGreaterThan(0)
    expect(await inkPixelsAt(two, 580, 900, 3)).toBeGreaterThan(0)
    // One undo brings the whole stroke back.
    await one.keyboard.press('Control+z')
    await waitUntil('page two shows the middle again', async () => (await inkPixelsAt(two, 500, 900, 3)) > 0)
  })

  it('two people type in two texts at once, and each sees both', async () => {
    await one.keyboard.press('t')
    await click(one, [400, 950])
    await two.keyboard.press('n')
    await click(two, [1000, 850])
    const editorOne = one.locator('[data-testid="text-editor"]')
    const editorTwo = two.locator('[data-testid="text-editor"]')
    await editorOne.waitFor()
    await editorTwo.waitFor()
    for (const [a, b] of [
      ['one ', 'two '],
      ['alpha', 'beta'],
    ] as const) {
      await one.keyboard.type(a)
      await two.keyboard.type(b)
    }
    for (const p of [one, two]) {
      await waitUntil('both texts arrive', async () => {
        const texts = (await elementsOn(p)).map((e) => ('text' in e ? e.text : ''))
        return texts.includes('one alpha') && texts.includes('two beta')
      })
    }
    await one.keyboard.press('Escape')
    await two.keyboard.press('Escape')
    await editorOne.waitFor({ state: 'detached' })
    await editorTwo.waitFor({ state: 'detached' })
  })
})
