import { Image, Canvas as NapiCanvas } from '@napi-rs/canvas'
import { expect } from 'vitest'
import type * as Y from 'yjs'
import { drawOverview } from '../../src/main/host/room/overviewDraw'
import type { Board } from '../../src/shared/board'
import type { Rect } from '../../src/shared/geometry'
import { seededRandom } from '../../src/shared/sync/memorySocket'
import type { OverviewImage } from '../../src/shared/sync/overview'

/**
 * The overview tests' board (src/main/host/room/overview.ts and the overviews a host keeps) and how they read its
 * pictures.
 */

/**
 * Dense strokes zigzagging over `area` (a hand's jitter: bytes enough for several parts), covering it: ink an
 * overview shows as solid, so that a stroke missing from it or drawn where it should not be changes many pixels.
 */
export function fillDense(board: Board, area: Rect, color = '#1e1e1e'): void {
  const random = seededRandom(area.minX + area.minY)
  for (let y = area.minY; y < area.maxY; y += 20) {
    const flat: number[] = []
    for (let x = area.minX; x <= area.maxX; x += 10)
      flat.push(x + random(), y + ((x / 40) % 2) * 20 + random() * 3, 0.3 + random() * 0.4)
    board.finishStroke(board.beginStroke({ color, width: 24 }, flat))
  }
}

/** A wide red stroke 400 units long through `p`; its id. */
export function redAcross(board: Board, p: { x: number; y: number }): string {
  const id = board.beginStroke({ color: '#e03131', width: 40 }, [p.x - 200, p.y, 0.5, p.x + 200, p.y, 0.5])
  board.finishStroke(id)
  return id
}

/** Where the overview tests' board has its ink: a band of strokes across the top and a block at the bottom right. */
export const TOP_BAND = { minX: 0, minY: 0, maxX: 6000, maxY: 400 }
export const BLOCK = { minX: 4000, minY: 3000, maxX: 6000, maxY: 4000 }
/** Where that board has no ink (inside its extent). */
export const EMPTY_PLACES = [
  { x: 1000, y: 2500 },
  { x: 500, y: 3600 },
  { x: 3000, y: 1500 },
]

/** An overview picture decoded: its RGBA pixels and size. */
export function overviewPixels(image: OverviewImage): {
  data: Uint8ClampedArray
  width: number
  height: number
} {
  const img = new Image()
  img.src = Buffer.from(image.png)
  const ctx = new NapiCanvas(img.width, img.height).getContext('2d')
  ctx.drawImage(img, 0, 0)
  return ctx.getImageData(0, 0, img.width, img.height)
}

/** Expects `image` to be, pixel for pixel, what a fresh drawing of the whole of `doc` gives. */
export async function expectAsFreshDrawing(image: OverviewImage, doc: Y.Doc): Promise<void> {
  const fresh = await drawOverview(doc, () => false)
  expect(fresh?.image.rect).toEqual(image.rect)
  const mine = overviewPixels(image).data
  const theirs = overviewPixels(fresh?.image as OverviewImage).data
  expect(mine.length).toBe(theirs.length)
  let differ = 0
  for (let i = 0; i < mine.length; i++) if (mine[i] !== theirs[i]) differ++
  expect(differ).toBe(0)
}
