import { Group } from 'konva/lib/Group'
import { describe, expect, it } from 'vitest'
import '../../src/main/host/export/nodeCanvas'
import type { Board } from '../../src/shared/board'
import { ElementKind } from '../../src/shared/elements/types'
import {
  bandCount,
  bandPlan,
  drawBand,
  type ExportLayout,
  ExportPainter,
  exportCanvas,
  exportLayout,
  itemElement,
  renderExportCanvas,
} from '../../src/shared/export'
import { itemBlend } from '../../src/shared/export/blend'
import { elementNode, loadBoardImages } from '../../src/shared/scene'
import { allKindsBoard, KNOWN_STROKES, knownBoard } from '../shared/exportFixtures'

/**
 * The export as the painter drew it before strokes went without nodes: every element's scene node (elementNode, the
 * screen's), blended as the export blends it, in one group under the export's transform on one canvas.
 */
async function nodePixels(board: Board, layout: ExportLayout): Promise<Uint8Array> {
  await loadBoardImages(
    board,
    layout.items.map((i) => i.element),
  )
  const canvas = exportCanvas(layout.width, layout.height)
  const raw = canvas.getContext()._context
  raw.setTransform(1, 0, 0, 1, 0, 0)
  if (layout.background) {
    raw.fillStyle = layout.background
    raw.fillRect(0, 0, layout.width, layout.height)
  }
  const s = layout.scale
  const group = new Group({ x: -layout.rect.minX * s, y: -layout.rect.minY * s, scaleX: s, scaleY: s })
  for (const item of layout.items) {
    const node = elementNode(itemElement(item), layout.asset)
    node.globalCompositeOperation(itemBlend(item, layout.options.dark))
    group.add(node)
  }
  group.drawScene(canvas)
  group.destroy()
  const data = raw.getImageData(0, 0, layout.width, layout.height).data
  canvas.setSize(0, 0)
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}

/** Every kind of element, with strokes moved, turned, scaled, faded and highlighted between them. */
function inkBoard(): Board {
  const board = allKindsBoard()
  const ids: string[] = []
  for (const [i, s] of KNOWN_STROKES.entries()) {
    const id = board.beginStroke(
      { color: s.color, width: s.width, highlighter: i === 2, opacity: i === 1 ? 0.5 : undefined },
      s.points.flat(),
    )
    board.finishStroke(id)
    ids.push(id)
  }
  board.updateElement(ids[0] as string, { x: 30, y: 300, rotation: 33, scaleX: 1.7, scaleY: 0.6 })
  board.updateElement(ids[3] as string, { x: -40, y: 20, scaleX: -1 })
  board.addShape('rect', { x: 0, y: 100, width: 300, height: 60, fillColor: '#ffec99', strokeWidth: 2 })
  // Right after the rectangle's node (which set its own fill style), ink of the colour the last stroke before it had.
  const last = KNOWN_STROKES[3] as (typeof KNOWN_STROKES)[number]
  const again = board.beginStroke({ color: last.color, width: 6 }, last.points.flat())
  board.finishStroke(again)
  const over = board.beginStroke({ color: '#7048e8', width: 10 }, KNOWN_STROKES[1]?.points.flat() ?? [])
  board.finishStroke(over)
  // The same points again in a colour of its own: drawn with the stroke before it's transform, then moved from it.
  for (const [color, at] of [
    ['#f08c00', undefined],
    ['#0c8599', { x: 25, y: -15 }],
  ] as const) {
    const twin = board.beginStroke({ color, width: 10 }, KNOWN_STROKES[1]?.points.flat() ?? [])
    board.finishStroke(twin)
    if (at) board.updateElement(twin, at)
  }
  return board
}

/** The known board laid out as a 9,000 px wide PNG on white (a lean layout), its band plan and its bands. */
function knownBands() {
  const layout = exportLayout(
    knownBoard(),
    { format: 'png', targetWidth: 9000, padding: 10, background: 'white' },
    true,
  )
  const plan = bandPlan(layout)
  return { layout, plan, bands: bandCount(plan) }
}
describe('a raster export draws strokes straight from their paths, without scene nodes', () => {
  for (const dark of [false, true])
    it(`gives the pixels the scene's nodes give, byte for byte (${dark ? 'dark' : 'light'}, PNG's lean layout)`, async () => {
      const board = inkBoard()
      const layout = exportLayout(
        board,
        { format: 'png', scale: 1.5, padding: 12, dark, background: 'white' },
        true,
      )
      expect(layout.items.filter((i) => i.element.kind === ElementKind.Stroke).length).toBeGreaterThan(6)
      const expected = await nodePixels(board, layout)
      const canvas = renderExportCanvas(layout)
      const data = canvas.getContext()._context.getImageData(0, 0, layout.width, layout.height).data
      canvas.setSize(0, 0)
      const drawn = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      // Some ink, not a blank page.
      expect(drawn.some((b) => b < 200)).toBe(true)
      expect(Buffer.from(drawn).equals(Buffer.from(expected))).toBe(true)
    }, 60_000)

  it('holds the paths of the strokes still to be drawn in later bands only, and none at the end', () => {
    const { layout, plan, bands } = knownBands()
    expect(bands).toBeGreaterThan(2)
    const painter = new ExportPainter(layout)
    const canvas = exportCanvas(plan.tileWidth, plan.bandHeight)
    const { rect, scale } = layout
    let mostHeld = 0
    for (let i = 0; i < bands; i++) {
      drawBand(painter, canvas, plan, i)
      // The strokes drawn so far (their bounds reach band i or above) that reach below it: the only paths kept.
      const bandBottom = rect.minY + ((i + 1) * plan.bandHeight) / scale
      const pad = 1 / scale
      const crossing = layout.items.filter(
        (item) => item.bounds.minY - pad < bandBottom && item.bounds.maxY >= bandBottom - pad * 2,
      ).length
      painter.releaseAbove((i + 1) * plan.bandHeight)
      expect(painter.heldInk()).toBeLessThanOrEqual(crossing)
      mostHeld = Math.max(mostHeld, painter.heldInk())
    }
    // The tall stroke crosses bands: it was held between them, and let go after the last.
    expect(mostHeld).toBeGreaterThan(0)
    expect(painter.heldInk()).toBe(0)
    painter.destroy()
    canvas.setSize(0, 0)
  }, 60_000)
})

describe('a painter drawing bands from the bottom up (a worker at the bottom end of a run)', () => {
  it('holds only the paths of strokes still to be drawn above, none at the end, and draws the same bands', () => {
    const { layout, plan, bands } = knownBands()
    expect(bands).toBeGreaterThan(2)
    const down = new ExportPainter(layout)
    const up = new ExportPainter(layout)
    const canvas = exportCanvas(plan.tileWidth, plan.bandHeight)
    const topDown: Buffer[] = []
    for (let i = 0; i < bands; i++) {
      topDown.push(Buffer.from(drawBand(down, canvas, plan, i).rows))
      down.releaseAbove((i + 1) * plan.bandHeight)
    }
    const { rect, scale } = layout
    const pad = 1 / scale
    let mostHeld = 0
    for (let i = bands - 1; i >= 0; i--) {
      const { rows } = drawBand(up, canvas, plan, i)
      expect(Buffer.from(rows).equals(topDown[i] as Buffer)).toBe(true)
      up.releaseBelow(i * plan.bandHeight)
      // The strokes drawn so far that reach above band i: the only paths kept.
      const bandTop = rect.minY + (i * plan.bandHeight) / scale
      const crossing = layout.items.filter(
        (item) => item.bounds.maxY + pad > bandTop && item.bounds.minY <= bandTop + pad * 2,
      ).length
      expect(up.heldInk()).toBeLessThanOrEqual(crossing)
      mostHeld = Math.max(mostHeld, up.heldInk())
    }
    expect(mostHeld).toBeGreaterThan(0)
    expect(up.heldInk()).toBe(0)
    down.destroy()
    up.destroy()
    canvas.setSize(0, 0)
  }, 60_000)
})
