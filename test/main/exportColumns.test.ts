import { Path2D } from '@napi-rs/canvas'
import { describe, expect, it } from 'vitest'
import '../../src/main/host/export/nodeCanvas'
import { DEFAULT_WORKERS, defaultWorkers, MEMORY_PER_WORKER } from '../../src/main/host/export/parallelBands'
import type { Board } from '../../src/shared/board'
import { shownLabel } from '../../src/shared/elements/label'
import { ElementKind } from '../../src/shared/elements/types'
import {
  bandCount,
  bandPlan,
  drawBand,
  type ExportLayout,
  ExportPainter,
  exportCanvas,
  exportLayout,
} from '../../src/shared/export'
import { layoutInWorker, workerLayout } from '../../src/shared/export/workerLayout'
import { platform } from '../../src/shared/platform'
import { loadBoardImages } from '../../src/shared/scene'
import { allKindsBoard, KNOWN_STROKES } from '../shared/exportFixtures'

/** Every kind of element, and strokes moved, turned, faded, highlighted and by two authors' styles between them. */
function mixedBoard(): Board {
  const board = allKindsBoard()
  const ids: string[] = []
  for (let round = 0; round < 3; round++)
    for (const [i, s] of KNOWN_STROKES.entries()) {
      const id = board.beginStroke(
        { color: s.color, width: s.width, highlighter: i === 2, opacity: i === 1 ? 0.5 : undefined },
        s.points.flatMap(([x, y, p]) => [
          (x as number) + round * 40,
          (y as number) + round * 90,
          p as number,
        ]),
      )
      board.finishStroke(id)
      ids.push(id)
    }
  board.updateElement(ids[0] as string, { x: 30, y: 300, rotation: 33, scaleX: 1.7, scaleY: 0.6 })
  board.updateElement(ids[5] as string, { x: -40, y: 20, scaleX: -1 })
  board.addShape('rect', { x: 0, y: 100, width: 300, height: 60, fillColor: '#ffec99', strokeWidth: 2 })
  return board
}

/** Every band of a layout drawn by one painter, their rows. */
function bandsOf(layout: ExportLayout): Buffer[] {
  const plan = bandPlan(layout)
  const painter = new ExportPainter(layout)
  const canvas = exportCanvas(plan.tileWidth, plan.bandHeight)
  const out: Buffer[] = []
  for (let i = 0; i < bandCount(plan); i++) {
    out.push(Buffer.from(drawBand(painter, canvas, plan, i).rows))
    painter.releaseAbove((i + 1) * plan.bandHeight)
  }
  painter.destroy()
  canvas.setSize(0, 0)
  return out
}

describe("a band worker's layout", () => {
  for (const dark of [false, true])
    it(`holds its lean strokes drawn as ink in columns, and draws the same bands from them (${dark ? 'dark' : 'light'})`, async () => {
      const board = mixedBoard()
      const layout = exportLayout(
        board,
        { format: 'png', targetWidth: 6000, padding: 10, dark, background: dark ? undefined : 'white' },
        true,
      )
      // An element that comes twice is drawn once, at its last place: the worker's columns leave the first out.
      const twice = layout.items.find(
        (i) => i.element.kind === ElementKind.Stroke,
      ) as (typeof layout.items)[number]
      layout.items.push(twice)
      await loadBoardImages(
        board,
        layout.items.map((i) => i.element),
      )
      const plan = bandPlan(layout)
      expect(bandCount(plan)).toBeGreaterThan(2)
      const data = workerLayout(layout, plan, { from: 0, to: bandCount(plan) - 1 })
      const ink = layout.items.filter(
        (i) => i.compact && i.element.kind === ElementKind.Stroke && shownLabel(i.element) === undefined,
      )
      // Every such stroke but the duplicate's first place is a row of the columns; the other items stay objects.
      expect(data.packed.bounds.length / 4).toBe(ink.length - 1)
      expect(data.items.length).toBe(layout.items.length - ink.length)
      expect(data.items.some((i) => i.compact && shownLabel(i.element) === undefined)).toBe(false)
      // Fewer element objects than strokes: strokes of one style share one.
      expect(data.packed.styles.length).toBeLessThan(ink.length - 1)
      // As a worker receives it (a message), drawn by its painter: the same bytes as the layout's own painter.
      const inWorker = await layoutInWorker(structuredClone(data))
      const expected = bandsOf(layout)
      const drawn = bandsOf(inWorker)
      expect(drawn.length).toBe(expected.length)
      for (const [i, rows] of drawn.entries()) expect(rows.equals(expected[i] as Buffer)).toBe(true)
      // Some ink, not blank bands.
      expect(drawn.some((rows) => rows.some((b) => b < 200))).toBe(true)
    }, 60_000)
})

describe('a stroke path filled again and again (a band worker holds it for later bands)', () => {
  it('is settled after each fill (its fill copy dropped) and fills the same pixels as one never settled', () => {
    const settle = platform().settleFilledPath
    expect(settle).toBeDefined()
    const outline = 'M 10 10 L 190 30 L 180 90 L 20 70 Z'
    const draw = (settled: boolean) => {
      const path = new Path2D(outline)
      const canvas = exportCanvas(200, 100)
      const ctx = canvas.getContext()._context
      for (let i = 0; i < 3; i++) {
        ctx.setTransform(1, 0, 0, 1, i * 3, i * 2)
        ctx.fillStyle = ['#e03131', '#1971c2', '#2f9e44'][i] as string
        ctx.fill(path as unknown as Parameters<typeof ctx.fill>[0])
        if (settled) settle?.(path)
      }
      const data = ctx.getImageData(0, 0, 200, 100).data
      canvas.setSize(0, 0)
      return Buffer.from(data.buffer, data.byteOffset, data.byteLength)
    }
    const plain = draw(false)
    expect(plain.some((b) => b !== 0)).toBe(true)
    expect(draw(true).equals(plain)).toBe(true)
  })
})

describe('the command line’s workers by default', () => {
  it('one per core, at most DEFAULT_WORKERS (4) and one per MEMORY_PER_WORKER of memory; 1 draws on the main thread', () => {
    const gb = MEMORY_PER_WORKER
    expect(DEFAULT_WORKERS).toBe(4)
    // This machine: 2 cores, plenty of memory.
    expect(defaultWorkers(2, 24 * gb)).toBe(2)
    expect(defaultWorkers(4, 16 * gb)).toBe(4)
    expect(defaultWorkers(16, 64 * gb)).toBe(4)
    expect(defaultWorkers(1, 64 * gb)).toBe(1)
    // Little memory: fewer workers, down to the main thread.
    expect(defaultWorkers(8, 2 * gb)).toBe(2)
    expect(defaultWorkers(8, 3.5 * gb)).toBe(3)
    expect(defaultWorkers(8, gb / 2)).toBe(1)
  })
})
