// The command line's layout with its strokes' boxes walked by its band workers (exportLayoutWalked, parallelExport's
// walker) while the main thread reads the board: the same layout as the one-thread walk, for every kind of element
// and board layout a file can hold, and the workers still draw their shares after walking.

import { readFileSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import '../../src/main/host/export/nodeCanvas'
import { liveExportWorkers, parallelBands, parallelExport } from '../../src/main/host/export/parallelBands'
import type { Board } from '../../src/shared/board'
import { decodeBoardFile, encodeBoardFile, openBoardFile } from '../../src/shared/boardFile'
import { encodeCompactPoints } from '../../src/shared/compactPoints'
import { MOVE_RECORD_MIN } from '../../src/shared/elements/moves'
import { STYLE_RECORD_MIN } from '../../src/shared/elements/styles'
import { ElementKind } from '../../src/shared/elements/types'
import {
  type BoxWalker,
  bandCount,
  bandPlan,
  type ExportItem,
  type ExportLayout,
  type ExportOptions,
  exportLayout,
  exportLayoutWalked,
  prepareExport,
  walkBoxes,
  writeExport,
} from '../../src/shared/export'
import { workerPlans } from '../../src/shared/export/bandClaims'
import { layoutInWorker, type WorkerLayout, workerLayout } from '../../src/shared/export/workerLayout'
import { seededRandom } from '../../src/shared/sync/memorySocket'
import { allKindsBoard, KNOWN_STROKES } from '../shared/exportFixtures'
import { builtFile } from '../support/built'

const WORKER = builtFile('main/exportWorker.js')
const LEGACY = new URL('../fixtures/legacy-strokes.lanvas', import.meta.url)

/** A pen stroke wandering from (x, y): `n` points of varying pressure (several KB compact). */
function wander(random: () => number, x: number, y: number, n: number): number[] {
  const flat: number[] = []
  for (let i = 0; i < n; i++) {
    x += random() * 6 - 3
    y += random() * 6 - 3
    flat.push(x, y, 0.2 + random() * 0.7)
  }
  return flat
}

/**
 * A board with every kind of element and every way a file stores strokes: allKindsBoard (shapes, text, note, image,
 * frame, a turned stroke, a highlighter), the known strokes, hundreds of long strokes as flat records (over 4 MB of
 * compact bytes: several arena blocks and walker batches), stretched ones, style and move records over hundreds, a
 * stroke of the older map layout with compact points, the chunked strokes of a file written before compact strokes
 * existed, an id twice in the order, deleted elements, and a stroke whose compact points are malformed.
 */
function everyKindBoard(): { board: Board; malformed: string; deleted: string[] } {
  const board = allKindsBoard()
  for (const s of KNOWN_STROKES)
    board.finishStroke(board.beginStroke({ color: s.color, width: s.width }, s.points.flat()))
  const random = seededRandom(9)
  const long: string[] = []
  for (let i = 0; i < 12; i++) {
    const id = board.beginStroke(
      { color: i % 2 ? '#1971c2' : '#2f9e44', width: 2 + i },
      wander(random, i * 90, 600, 3000),
    )
    board.finishStroke(id)
    long.push(id)
  }
  // Copies of their flat records under other ids, placed apart: many strokes' bytes without drawing each by hand.
  const copies: string[] = []
  board.transact(() => {
    for (const [n, id] of long.entries()) {
      const record = board.elements.get(id) as unknown as Record<string, unknown>
      for (let c = 0; c < 40; c++) {
        const copy = `${id}-copy-${c}`
        board.elements.set(copy, { ...record, x: c * 37 - n * 11, y: c * 23 } as never)
        board.order.push([copy])
        copies.push(copy)
      }
    }
  })
  // Twins: flat records of one stroke's very values under other ids (the walked layout reads such records once), some
  // of them restyled or moved by records, which their records do not show.
  const twins: string[] = []
  board.transact(() => {
    const record = board.elements.get(long[0] as string) as unknown as Record<string, unknown>
    for (let t = 0; t < 3 * (STYLE_RECORD_MIN + MOVE_RECORD_MIN); t++) {
      const twin = `twin-${t}`
      board.elements.set(twin, { ...record } as never)
      board.order.push([twin])
      twins.push(twin)
    }
  })
  const third = twins.length / 3
  board.updateElements(twins.slice(third, third + STYLE_RECORD_MIN).map((id) => [id, { color: '#7048e8' }]))
  board.moveElements(twins.slice(2 * third, 2 * third + MOVE_RECORD_MIN), [], -60, 45)
  // Stretched and turned strokes (scale, rotation), restyled and moved by records (over a hundred at once).
  board.updateElements(
    copies.slice(0, 5).map((id, i) => [id, { scaleX: 1.5 + i, scaleY: 0.5, rotation: 20 * i }]),
  )
  board.updateElements(
    copies.slice(10, 10 + STYLE_RECORD_MIN + 20).map((id) => [id, { color: '#e03131', width: 9 }]),
  )
  board.moveElements(copies.slice(60, 60 + MOVE_RECORD_MIN + 30), [], 250, -140)
  // A finished stroke in the older map layout (its keys on a Y.Map, its points compact).
  const older = new Y.Map<unknown>()
  board.transact(() => {
    board.elements.set('older-map-stroke', older as never)
    older.set('kind', ElementKind.Stroke)
    older.set('color', '#f08c00')
    older.set('width', 7)
    older.set('author', 'old')
    older.set('done', true)
    older.set('x', 15)
    older.set('points', encodeCompactPoints(wander(random, 300, 300, 400)))
    board.order.push(['older-map-stroke'])
  })
  // The chunked strokes of a board file written before compact strokes existed, merged in.
  Y.applyUpdate(board.doc, decodeBoardFile(new Uint8Array(readFileSync(LEGACY))))
  // An id twice in the order (as concurrent edits can leave it), elements deleted, malformed compact points.
  board.order.push([copies[3] as string])
  const deleted = [copies[7] as string, copies[200] as string]
  board.deleteElements(deleted)
  const malformed = copies[300] as string
  const record = board.elements.get(malformed) as unknown as Record<string, unknown>
  board.elements.set(malformed, { ...record, points: new Uint8Array([1, 0, 4, 0, 200]) } as never)
  return { board, malformed, deleted }
}

/** Every item of a layout, bottom to top: its strokes packed into columns (a walked layout's) made into items. */
function allItems(layout: ExportLayout): ExportItem[] {
  const { table } = layout
  return table ? Array.from({ length: table.count }, (_, z) => table.item(z)) : layout.items
}

/** A layout as plain data (its images' bytes read out), its items' compact bytes apart. */
function plain(layout: ExportLayout) {
  const { asset, table: _table, packed: _packed, ...rest } = layout
  const items = allItems(layout)
  const images = items.flatMap((i) =>
    i.element.kind === ElementKind.Image ? [asset(i.element.assetId)] : [],
  )
  return {
    ...rest,
    images,
    items: items.map((i) => ({ element: i.element, bounds: i.bounds, lean: i.compact !== undefined })),
  }
}

/** Expects two layouts to be the same, their strokes' compact bytes included. */
function expectSameLayout(walked: ExportLayout, lean: ExportLayout): void {
  expect(plain(walked)).toEqual(plain(lean))
  const leanItems = allItems(lean)
  allItems(walked).forEach((item, i) => {
    const other = leanItems[i]?.compact
    if (!item.compact || !other) return
    expect(Buffer.from(item.compact).equals(Buffer.from(other))).toBe(true)
  })
}

describe('a layout whose strokes’ boxes are walked elsewhere', () => {
  const { board, malformed, deleted } = everyKindBoard()
  const ids = board.elementIds()
  const views: [string, Partial<ExportOptions>][] = [
    ['the whole board at 2×', { format: 'png', scale: 2, padding: 16, background: 'white' }],
    ['in dark mode, transparent', { format: 'png', scale: 1, dark: true, background: 'transparent' }],
    ['a frame', { format: 'png', scale: 3, area: 'frame', frame: frameId(board) }],
    [
      'a selection',
      { format: 'png', scale: 1, area: 'selection', selection: ids.filter((_, i) => i % 3 === 0) },
    ],
    [
      'the visible area',
      { format: 'png', area: 'visible', viewport: { x: 100, y: 300, width: 800, height: 500, zoom: 1.5 } },
    ],
  ]

  for (const [what, options] of views)
    it(`is the lean layout of this thread, element for element: ${what}`, async () => {
      const blocks = new Set<ArrayBufferLike>()
      let batches = 0
      const walker: BoxWalker = async (block, offsets, lengths) => {
        blocks.add(block)
        batches++
        return walkBoxes(block, offsets, lengths)
      }
      const lean = exportLayout(board, options, true)
      const walked = await exportLayoutWalked(board, options, walker)
      expectSameLayout(walked, lean)
      expect(allItems(walked).length).toBeGreaterThan(0)
      // Its strokes' boxes were walked by the walker: the whole board's in batches, from more than one block of bytes.
      if (lean.items.some((i) => i.compact)) expect(batches).toBeGreaterThan(0)
      if (what.startsWith('the whole')) {
        expect(batches).toBeGreaterThan(8)
        expect(blocks.size).toBeGreaterThan(1)
      }
    })

  it('holds every kind, leaves out what this thread leaves out (malformed, deleted, an id twice once)', async () => {
    const options = { format: 'png' as const, scale: 1 }
    const walked = allItems(await exportLayoutWalked(board, options, async (b, o, l) => walkBoxes(b, o, l)))
    const kinds = new Set(walked.map((i) => i.element.kind))
    expect([...kinds].sort()).toEqual(Object.values(ElementKind).sort())
    const drawn = walked.map((i) => i.element.id)
    expect(drawn).not.toContain(malformed)
    for (const id of deleted) expect(drawn).not.toContain(id)
    expect(new Set(drawn).size).toBe(drawn.length)
    // The older map stroke and the legacy file's chunked strokes are there: the first lean, the others whole.
    expect(walked.find((i) => i.element.id === 'older-map-stroke')?.compact).toBeInstanceOf(Uint8Array)
    const legacy = walked.filter(
      (i) => i.element.kind === ElementKind.Stroke && i.compact === undefined && i.element.points.length > 0,
    )
    expect(legacy.length).toBeGreaterThan(0)
  })

  it('gives every band worker’s share the same columns of its strokes, in shared memory, and each the items its share of this thread’s layout holds', async () => {
    const options = { format: 'png' as const, scale: 4, padding: 16, background: 'white' as const }
    const walked = await exportLayoutWalked(board, options, async (b, o, l) => walkBoxes(b, o, l))
    const lean = exportLayout(board, options, true)
    const plan = bandPlan(walked)
    expect(plan).toEqual(bandPlan(lean))
    expect(bandCount(plan)).toBeGreaterThan(4)
    // The runs are cut by the same estimate of the work, read from the columns.
    const plans = workerPlans(walked, plan, 4)
    expect(plans).toEqual(workerPlans(lean, plan, 4))
    const shares = plans.map((work) => workerLayout(walked, plan, work.reach))
    const drawn = async (share: WorkerLayout) => {
      // What a worker reads of its message (a copy, as postMessage makes), item by item, as text (thousands of
      // items: a deep comparison of their objects took a minute).
      const layout = await layoutInWorker(structuredClone(share))
      return allItems(layout).map((i) =>
        JSON.stringify([i.element, i.bounds, i.compact && Buffer.from(i.compact).toString('base64')]),
      )
    }
    for (const [i, work] of plans.entries()) {
      const { packed } = shares[i] as WorkerLayout
      const { bounds, block, offset, length, style, idEnds } = packed
      for (const column of [bounds, block, offset, length, style, idEnds])
        expect(column.buffer).toBeInstanceOf(SharedArrayBuffer)
      expect(bounds.buffer).toBe(shares[0]?.packed.bounds.buffer)
      expect(await drawn(shares[i] as WorkerLayout)).toEqual(
        await drawn(workerLayout(lean, plan, work.reach)),
      )
    }
  })

  it('of a board file of the older format read alone is the same layout', async () => {
    const old = openBoardFile(new Uint8Array(readFileSync(LEGACY)))
    const options = { format: 'png' as const, scale: 2, padding: 8 }
    expectSameLayout(
      await exportLayoutWalked(old, options, async (b, o, l) => walkBoxes(b, o, l)),
      exportLayout(old, options, true),
    )
  })
})

describe('the command line’s warm band workers', () => {
  afterAll(() => expect(liveExportWorkers()).toBe(0))

  it('walk the layout’s boxes, then draw their shares: the same PNG as workers given the layout of this thread', async () => {
    const { board } = everyKindBoard()
    const file = encodeBoardFile(board.doc)
    const options = { format: 'png' as const, targetWidth: 1600, padding: 12, background: 'white' as const }
    const parallel = parallelExport({ workerFile: WORKER, workers: 2, warm: true })
    if (!parallel?.walker) throw new Error('no walker for warm workers')
    const walked = await prepareExport(openBoardFile(file), options, undefined, parallel.walker)
    expectSameLayout(walked.layout, exportLayout(openBoardFile(file), options, true))
    const png = await writeExport(walked, { bands: parallel.bands })
    const reference = await writeExport(await prepareExport(openBoardFile(file), options), {
      bands: parallelBands({ workerFile: WORKER, workers: 2 }),
    })
    expect(Buffer.from(png.bytes as Uint8Array).equals(Buffer.from(reference.bytes as Uint8Array))).toBe(true)
  }, 120_000)
})

/** The id of allKindsBoard's frame. */
function frameId(board: Board): string {
  const frame = board.readElements().find((e) => e.kind === ElementKind.Frame)
  if (!frame) throw new Error('no frame')
  return frame.id
}
