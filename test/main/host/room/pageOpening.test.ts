/**
 * While a page opens on the host (its files asked, its socket opened, up to its preview sent), the host's overview
 * drawing gives way (src/main/host/room/pageOpening.ts): the picture is drawn once the page's first strokes went
 * out, and pages that keep opening cannot keep it from being drawn. The drawing runs for real (@napi-rs/canvas).
 */
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { drawOverview } from '../../../../src/main/host/room/overviewDraw'
import { pageIsOpening, pageOpening, previewSent } from '../../../../src/main/host/room/pageOpening'
import { Board } from '../../../../src/shared/board'
import { seededRandom } from '../../../../src/shared/sync/memorySocket'

/** Strokes zigzagging over 4000 × 1000: a drawing of many slices. */
function board(): Board {
  const b = new Board(new Y.Doc(), 'writer')
  const random = seededRandom(3)
  for (let y = 0; y < 1000; y += 10) {
    const flat: number[] = []
    for (let x = 0; x <= 4000; x += 10) flat.push(x + random(), y + ((x / 40) % 2) * 20, 0.5)
    b.finishStroke(b.beginStroke({ color: '#1e1e1e', width: 8 }, flat))
  }
  return b
}

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve))
}

describe('a page opening on the host', () => {
  afterEach(() => previewSent())

  it('holds the overview drawing back until its preview went out, then the picture is drawn', async () => {
    const b = board()
    // Without a page opening: drawn.
    const alone = await drawOverview(b.doc, () => false)
    expect(alone?.slices).toBeGreaterThan(2)

    pageOpening()
    expect(pageIsOpening()).toBe(true)
    let done = false
    const drawing = drawOverview(b.doc, () => false).then((d) => {
      done = true
      return d
    })
    // Its first slice, then nothing while the page opens (the host's other work goes on: timers, sockets).
    await turns(50)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(done).toBe(false)
    // The page's preview went out: the drawing goes on a moment later and ends with the same picture.
    previewSent()
    const held = await drawing
    expect(done).toBe(true)
    expect(held?.width).toBe(alone?.width)
    expect(Buffer.from(held?.image.png ?? []).equals(Buffer.from(alone?.image.png ?? []))).toBe(true)
    b.destroy()
  })
})
