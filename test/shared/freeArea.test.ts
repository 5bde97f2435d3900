import { describe, expect, it } from 'vitest'
import { fitInFreeArea, freeArea } from '../../src/shared/freeArea'
import { type Rect, screenToBoard } from '../../src/shared/geometry'

// The floating UI of a 1000 × 700 page as the app lays it out: title, toolbar and actions on top, the style panel
// on the right, zoom controls bottom left, the canvas options bottom right.
const UI: Rect[] = [
  { minX: 12, minY: 12, maxX: 164, maxY: 54 },
  { minX: 250, minY: 12, maxX: 750, maxY: 54 },
  { minX: 792, minY: 12, maxX: 988, maxY: 54 },
  { minX: 758, minY: 64, maxX: 986, maxY: 289 },
  { minX: 12, minY: 646, maxX: 182, maxY: 688 },
  { minX: 948, minY: 648, maxX: 988, maxY: 688 },
]
const overlaps = (a: Rect, b: Rect) =>
  a.minX < b.maxX && a.maxX > b.minX && a.minY < b.maxY && a.maxY > b.minY

describe('the free area of the screen', () => {
  it('is the whole screen when nothing floats over it', () => {
    expect(freeArea({ minX: 0, minY: 0, maxX: 10, maxY: 10 }, 1000, 700, [], 24)).toEqual({
      minX: 0,
      minY: 0,
      maxX: 1000,
      maxY: 700,
    })
  })

  it('is clear of every panel, and takes the shape that shows the content largest', () => {
    const tall = freeArea({ minX: 0, minY: 0, maxX: 100, maxY: 1000 }, 1000, 700, UI, 24)
    const wide = freeArea({ minX: 0, minY: 0, maxX: 1000, maxY: 100 }, 1000, 700, UI, 24)
    for (const area of [tall, wide]) for (const ui of UI) expect(overlaps(area, ui)).toBe(false)
    // Tall content gets the full height between the top bar and the zoom controls; wide content the full width
    // below the style panel.
    expect(tall.maxY - tall.minY).toBeGreaterThan(580)
    expect(wide.maxX - wide.minX).toBeGreaterThan(760)
  })

  it('fits content whole inside it, corners included', () => {
    const content = { minX: -5000, minY: -3000, maxX: 15_000, maxY: 11_000 }
    const view = fitInFreeArea(content, 1000, 700, UI)
    const area = freeArea(content, 1000, 700, UI, 24)
    for (const [x, y] of [
      [content.minX, content.minY],
      [content.maxX, content.maxY],
    ] as const) {
      const sx = (x - view.x) * view.zoom
      const sy = (y - view.y) * view.zoom
      expect(sx).toBeGreaterThanOrEqual(area.minX)
      expect(sx).toBeLessThanOrEqual(area.maxX)
      expect(sy).toBeGreaterThanOrEqual(area.minY)
      expect(sy).toBeLessThanOrEqual(area.maxY)
    }
    expect(screenToBoard(view, 0, 0).x).toBeLessThan(content.minX)
  })

  it('goes below the 1 % floor for a board of the largest coordinates', () => {
    const view = fitInFreeArea({ minX: -1e7, minY: -1e7, maxX: 1e7, maxY: 1e7 }, 1000, 700, UI)
    expect(view.zoom).toBeLessThan(0.01)
    expect(view.zoom * 2e7).toBeLessThanOrEqual(700)
  })
})
