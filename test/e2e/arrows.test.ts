// Arrows that bend, in a real Chromium page: a drawn arrow bent by its midpoint handle, an elbow arrow between two
// shapes that re-routes when one moves, and the curve in an SVG export. Page two checks what a peer sees.
import { readFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BoardElement, LineShape } from '../../src/shared/board'
import { inkPixelsAt } from '../support/canvas'
import { click, drag, elementsOn, type TwoPages, twoPagesOnOneHost } from '../support/twoPages'
import { waitUntil } from '../support/waitUntil'

let pages: TwoPages
let one: Page
let two: Page

type Point = { x: number; y: number }

async function arrowOn(p: Page, id: string): Promise<LineShape> {
  return (await elementsOn(p)).find((e) => e.id === id) as LineShape
}

/** An unrotated line's points on the board. */
function boardPoints(line: LineShape): Point[] {
  const out: Point[] = []
  for (let i = 0; i < line.points.length; i += 2)
    out.push({ x: line.x + (line.points[i] as number), y: line.y + (line.points[i + 1] as number) })
  return out
}

const orthogonal = (pts: Point[]) =>
  pts.every((p, i) => i === 0 || p.x === (pts[i - 1] as Point).x || p.y === (pts[i - 1] as Point).y)

beforeAll(async () => {
  pages = await twoPagesOnOneHost('arrows', { width: 1400, height: 1000 })
  ;({ one, two } = pages)
}, 300_000)

afterAll(() => pages?.close())

describe('arrows that bend', () => {
  let curvedId = ''

  it('dragging a selected arrow’s midpoint handle bends it: page two draws it off the straight line', {
    timeout: 120_000,
  }, async () => {
    await one.keyboard.press('a')
    await drag(one, [300, 600], [700, 600])
    await waitUntil(
      'page two draws the straight arrow',
      async () => (await inkPixelsAt(two, 500, 600, 3)) > 0,
    )
    const [arrow] = (await elementsOn(one)).filter((e) => e.kind === 'arrow')
    curvedId = (arrow as BoardElement).id
    expect(arrow).toMatchObject({ route: 'straight', bend: 0 })

    // Select it, then drag the handle halfway along it 100 units up.
    await one.keyboard.press('v')
    await click(one, [400, 600])
    await drag(one, [500, 600], [500, 500])
    await waitUntil('page two has the bent arrow', async () => {
      const a = await arrowOn(two, curvedId)
      return a.route === 'curved' && Math.abs(a.bend - 100) < 1
    })
    // The curve runs through the dragged point; the straight line between its ends is bare paper now.
    await waitUntil('page two draws the curve', async () => (await inkPixelsAt(two, 500, 500, 3)) > 0)
    expect(await inkPixelsAt(two, 500, 600, 10)).toBe(0)
    expect(await inkPixelsAt(two, 400, 600, 10)).toBe(0)
    // A quarter of the way along, the quadratic stands 75 above the chord.
    expect(await inkPixelsAt(two, 400, 525, 4)).toBeGreaterThan(0)
    // One undo step puts it back straight.
    await one.keyboard.press('Control+z')
    await waitUntil('page two has it straight again', async () => (await arrowOn(two, curvedId)).bend === 0)
    await waitUntil('page two draws it straight', async () => (await inkPixelsAt(two, 500, 600, 3)) > 0)
    await one.keyboard.press('Control+Shift+z')
    await waitUntil('page two has it bent again', async () => (await arrowOn(two, curvedId)).bend > 99)
  })

  it('elbow, picked in the style panel, routes square around two shapes and re-routes when one moves', {
    timeout: 120_000,
  }, async () => {
    await one.keyboard.press('r')
    await drag(one, [800, 200], [900, 300])
    // The rectangle tool handed back to Select: picked again for the second one.
    await one.keyboard.press('r')
    await drag(one, [1100, 450], [1200, 550])
    await one.keyboard.press('a')
    await drag(one, [850, 250], [1150, 500])
    const arrow = (await elementsOn(one)).filter((e) => e.kind === 'arrow').at(-1) as LineShape
    const [a, b] = (await elementsOn(one)).filter((e) => e.kind === 'rect')
    expect(arrow).toMatchObject({ startBinding: a?.id, endBinding: b?.id })

    // Selected, it gets the elbow route from the panel.
    await one.keyboard.press('v')
    await click(one, [1000, 375])
    await one.getByTestId('style-route-elbow').waitFor()
    await one.getByTestId('style-route-elbow').click()
    await waitUntil(
      'page two has the elbow route',
      async () => (await arrowOn(two, arrow.id)).route === 'elbow',
    )
    const pts = boardPoints(await arrowOn(two, arrow.id))
    expect(orthogonal(pts)).toBe(true)
    // Out of the right side of the first square, down the middle between them, into the left side of the second.
    expect(pts).toEqual([
      { x: 906, y: 250 },
      { x: 1000, y: 250 },
      { x: 1000, y: 500 },
      { x: 1094, y: 500 },
    ])
    // The middle of the elbow is also where the straight arrow crossed: the page has drawn the elbow when its
    // horizontal legs show (the drawing may come a frame after the document has the route).
    await waitUntil(
      'page two draws the elbow',
      async () =>
        (await inkPixelsAt(two, 950, 250, 3)) > 0 &&
        (await inkPixelsAt(two, 1050, 500, 3)) > 0 &&
        (await inkPixelsAt(two, 1000, 375, 3)) > 0,
    )
    // Where the straight arrow ran, nothing.
    expect(await inkPixelsAt(two, 953, 312, 6)).toBe(0)
    expect(await inkPixelsAt(two, 1047, 437, 6)).toBe(0)

    // The second square is dragged up by its bottom edge: the arrow goes round again, into its new left side.
    await click(one, [600, 900])
    await drag(one, [1150, 550], [1150, 250])
    await waitUntil('page two has the re-routed arrow', async () => {
      const now = boardPoints(await arrowOn(two, arrow.id))
      return (now.at(-1)?.y ?? 500) < 300
    })
    const moved = boardPoints(await arrowOn(two, arrow.id))
    expect(orthogonal(moved)).toBe(true)
    // Where the square is now (the move may have snapped it a few units onto a neighbour's line).
    const square = (await elementsOn(two)).find((e) => e.id === b?.id) as { x: number; y: number }
    expect(square.y).toBeLessThan(200)
    const middle = (900 + square.x) / 2
    expect(moved).toEqual([
      { x: 906, y: 250 },
      { x: middle, y: 250 },
      { x: middle, y: square.y + 50 },
      { x: square.x - 6, y: square.y + 50 },
    ])
    await waitUntil('page two draws the new route', async () => (await inkPixelsAt(two, middle, 225, 3)) > 0)
    expect(await inkPixelsAt(two, 1000, 375, 6)).toBe(0)
  })

  it('an SVG export draws the curved arrow as a curve through its bend point', async () => {
    await one.keyboard.press('Escape')
    await one.keyboard.press('Control+Shift+E')
    await one.getByTestId('export-preview').waitFor()
    await one.getByTestId('export-format').selectOption('svg')
    const download = one.waitForEvent('download')
    await one.getByTestId('export-save').click()
    const svg = new TextDecoder().decode(new Uint8Array(await readFile(await (await download).path())))
    // The dialog stays open after an export: closed here, as a person would.
    await one.keyboard.press('Escape')
    await one.getByTestId('export-dialog').waitFor({ state: 'detached' })
    // Shown in the page, the browser measures the path: halfway along it is the point the handle was dragged to.
    const mid = await one.evaluate((text) => {
      const holder = document.createElement('div')
      holder.innerHTML = text
      document.body.append(holder)
      const root = holder.querySelector('svg') as SVGSVGElement
      const curve = [...root.querySelectorAll('path')].find((p) => /C/.test(p.getAttribute('d') ?? ''))
      if (!curve) return null
      const at = curve.getPointAtLength(curve.getTotalLength() / 2)
      const toRoot = (root.getScreenCTM() as DOMMatrix).inverse().multiply(curve.getScreenCTM() as DOMMatrix)
      const p = new DOMPoint(at.x, at.y).matrixTransform(toRoot)
      holder.remove()
      // The root's user units are board units (its viewBox).
      return { x: p.x, y: p.y }
    }, svg)
    expect(mid).not.toBeNull()
    expect(mid?.x).toBeCloseTo(500, 0)
    expect(mid?.y).toBeCloseTo(500, 0)
  })
})
