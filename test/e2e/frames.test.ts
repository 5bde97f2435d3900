// Frames in a real Chromium page on a real host: draw one (F), put shapes in it, drag it by its name and see what it
// holds move (on a second page too), rename it, export it from the dialog, and go to it from the frame list.
import { readFile } from 'node:fs/promises'
import { createCanvas, loadImage } from '@napi-rs/canvas'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LanvasTestHandle } from '../../src/renderer/src/testHandle'
import type { BoardElement, FrameElement } from '../../src/shared/board'
import { countPixels, inkPixelsAt, pixelsNear, screenPointOf } from '../support/canvas'
import { drag, elementsOn, type TwoPages, twoPagesOnOneHost } from '../support/twoPages'
import { waitUntil } from '../support/waitUntil'

let pages: TwoPages
let one: Page
let two: Page

const VIEW = { width: 1200, height: 800 }

async function byKind<K extends BoardElement['kind']>(p: Page, kind: K) {
  return (await elementsOn(p)).filter((e) => e.kind === kind) as (BoardElement & { kind: K })[]
}

/** Pixels near a board point within `tol` of a colour: the frame's grey outline and name are not "ink". */
async function greyPixelsAt(p: Page, at: [number, number], radius = 4): Promise<number> {
  // #868e96, anti-aliased towards the paper: a grey, neither paper nor black.
  return countPixels(
    await pixelsNear(p, at, radius),
    (r, g, b, a) => a > 60 && r > 100 && r < 230 && Math.abs(r - g) < 16 && Math.abs(b - r) < 24,
  )
}

async function decode(bytes: Uint8Array) {
  const image = await loadImage(Buffer.from(bytes))
  const canvas = createCanvas(image.width, image.height)
  const ctx = canvas.getContext('2d')
  ctx.drawImage(image, 0, 0)
  return {
    width: image.width,
    height: image.height,
    data: ctx.getImageData(0, 0, image.width, image.height).data,
  }
}

/** Dark ink pixels of an image in a box given as fractions of its width and height. */
function inkIn(
  img: { width: number; height: number; data: ArrayLike<number> },
  box: [number, number, number, number],
) {
  let n = 0
  for (let y = Math.floor(box[1] * img.height); y < Math.ceil(box[3] * img.height); y++)
    for (let x = Math.floor(box[0] * img.width); x < Math.ceil(box[2] * img.width); x++) {
      const i = (y * img.width + x) * 4
      if ((img.data[i + 3] as number) > 200 && [0, 1, 2].every((c) => (img.data[i + c] as number) < 90)) n++
    }
  return n
}

beforeAll(async () => {
  pages = await twoPagesOnOneHost('Frames', VIEW)
  ;({ one, two } = pages)
}, 300_000)

afterAll(() => pages?.close())

describe('frames in the page', () => {
  let frameId = ''

  it('F draws a frame named "Frame 1": outline and name on page two, under the shapes put in it', async () => {
    await one.keyboard.press('f')
    await drag(one, [100, 100], [500, 400])
    const [frame] = await waitUntil('page two has the frame', async () => {
      const frames = await byKind(two, 'frame')
      return frames[0]?.width === 400 && frames[0].height === 300 ? frames : undefined
    })
    frameId = (frame as FrameElement).id
    expect(frame).toMatchObject({ x: 100, y: 100, name: 'Frame 1' })
    await waitUntil('page two draws the outline', async () => (await greyPixelsAt(two, [100, 250])) > 0)
    expect(await greyPixelsAt(two, [300, 250], 10)).toBe(0)
    // The name, just above the top-left corner.
    expect(await greyPixelsAt(two, [120, 90], 8)).toBeGreaterThan(0)

    await one.keyboard.press('r')
    await drag(one, [150, 150], [250, 220])
    // The rectangle tool handed back to Select: picked again for the second one.
    await one.keyboard.press('r')
    await drag(one, [600, 150], [700, 220])
    await waitUntil('page two has both rectangles', async () => (await byKind(two, 'rect')).length === 2)
    if (process.env.FRAMES_SCREENSHOT) await two.screenshot({ path: process.env.FRAMES_SCREENSHOT })
  })

  it('dragging the frame by its name moves the shape in it, not the one outside; one undo puts both back', async () => {
    await one.keyboard.press('v')
    if (process.env.FRAMES_SCREENSHOT) {
      await one.mouse.click(...(Object.values(await screenPointOf(one, 115, 88)) as [number, number]))
      await one.screenshot({ path: `${process.env.FRAMES_SCREENSHOT}.selected.png` })
    }
    await drag(one, [115, 88], [215, 138])
    await waitUntil('page two sees the frame moved', async () => {
      const [frame] = await byKind(two, 'frame')
      return frame?.x === 200 && frame.y === 150
    })
    const rects = await byKind(two, 'rect')
    expect(rects.map((r) => [r.x, r.y]).sort()).toEqual([
      [250, 200],
      [600, 150],
    ])
    expect(await one.evaluate(() => (window.__lanvas as LanvasTestHandle).selected())).toEqual([frameId])
    // Page two draws the shape at its new place, and nothing where it was.
    await waitUntil('page two redraws the shape', async () => (await inkPixelsAt(two, 250, 235, 3)) > 0)
    expect(await inkPixelsAt(two, 150, 185, 3)).toBe(0)

    await one.keyboard.press('Control+z')
    await waitUntil('one undo takes the frame and the shape back', async () => {
      const [frame] = await byKind(two, 'frame')
      const inside = (await byKind(two, 'rect')).find((r) => r.x < 500)
      return frame?.x === 100 && inside?.x === 150 && inside.y === 150
    })
  })

  it('a double-click on the name renames the frame', async () => {
    const at = await screenPointOf(one, 115, 88)
    await one.mouse.dblclick(at.x, at.y)
    const editor = one.getByTestId('frame-name-editor')
    await editor.waitFor()
    expect(await editor.inputValue()).toBe('Frame 1')
    await editor.fill('Intro')
    await editor.press('Enter')
    await editor.waitFor({ state: 'detached' })
    await waitUntil(
      'page two has the new name',
      async () => (await byKind(two, 'frame'))[0]?.name === 'Intro',
    )
  })

  it('the export dialog offers the frame; exporting it gives only what is in it, at its size', async () => {
    await one.keyboard.press('Escape')
    await one.keyboard.press('Control+Shift+E')
    const choice = one.getByTestId(`export-frame-${frameId}`)
    await choice.waitFor()
    expect(await choice.textContent()).toBe('Intro')
    await choice.click()
    expect(await choice.getAttribute('aria-pressed')).toBe('true')
    if (process.env.FRAMES_SCREENSHOT)
      await one.screenshot({ path: `${process.env.FRAMES_SCREENSHOT}.export.png` })
    // 400 × 300 board units at the default 2×, no padding.
    await waitUntil('the size is the frame', async () =>
      (await one.getByTestId('export-size').textContent()) === '800 × 600 px PNG' ? true : undefined,
    )
    await waitUntil('the preview shows the frame', async () => {
      const src = (await one.getByTestId('export-preview').getAttribute('src')) ?? ''
      const img = await decode(Buffer.from(src.replace(/^data:image\/png;base64,/, ''), 'base64'))
      return Math.abs(img.width / img.height - 4 / 3) < 0.02
    })
    const download = one.waitForEvent('download')
    await one.getByTestId('export-save').click()
    const file = await download
    // The dialog stays open after an export: closed here, as a person would.
    await one.keyboard.press('Escape')
    await one.getByTestId('export-dialog').waitFor({ state: 'detached' })
    const img = await decode(new Uint8Array(await readFile(await file.path())))
    expect([img.width, img.height]).toEqual([800, 600])
    // The shape in it spans (50..150, 50..120) of the frame: ink on its edges, none in the right half (the
    // shape outside the frame is not there, nor the frame's own outline).
    expect(inkIn(img, [0.1, 0.15, 0.4, 0.42])).toBeGreaterThan(100)
    expect(inkIn(img, [0.5, 0, 1, 1])).toBe(0)
    expect(inkIn(img, [0, 0, 0.02, 1])).toBe(0)
  })

  it('"Frames" lists the frame; choosing it fits the view to it', async () => {
    // Somewhere else, far out.
    await one.mouse.move(600, 400)
    await one.mouse.wheel(3000, 3000)
    await waitUntil('the view moved away', async () =>
      (await one.evaluate(() => (window.__lanvas as LanvasTestHandle).viewport().x)) > 1000
        ? true
        : undefined,
    )
    await one.keyboard.press('Shift+Digit3')
    await one.getByTestId('frames-menu').waitFor()
    await one.keyboard.press('Escape')
    await one.getByTestId('frames-menu').waitFor({ state: 'detached' })
    await one.getByTestId('frames-open').click()
    const item = one.getByTestId(`go-to-frame-${frameId}`)
    await item.waitFor()
    expect(await item.textContent()).toBe('Intro')
    await item.click()
    await one.getByTestId('frames-menu').waitFor({ state: 'detached' })
    const view = await one.evaluate(() => (window.__lanvas as LanvasTestHandle).viewport())
    const topLeft = await screenPointOf(one, 100, 100)
    const bottomRight = await screenPointOf(one, 500, 400)
    // The frame (with its name above it) fills the window's height but for the margins, and is centred across.
    expect(view.zoom).toBeGreaterThan(2)
    expect(topLeft.y).toBeGreaterThan(64)
    expect(bottomRight.y).toBeLessThanOrEqual(VIEW.height - 63)
    expect(bottomRight.y - topLeft.y).toBeGreaterThan(VIEW.height * 0.75)
    expect(Math.abs((topLeft.x + bottomRight.x) / 2 - VIEW.width / 2)).toBeLessThan(2)
    if (process.env.FRAMES_SCREENSHOT)
      await one.screenshot({ path: `${process.env.FRAMES_SCREENSHOT}.go.png` })
  })
})
