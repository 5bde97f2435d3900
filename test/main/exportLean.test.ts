import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { collectGarbageBetweenBands, releaseMemory } from '../../src/main/host/export/nodeCanvas'
import { encodeBoardFile, openBoardFile } from '../../src/shared/boardFile'
import { elementKey } from '../../src/shared/elements/inkRecord'
import { strokesDecoded } from '../../src/shared/elements/strokePoints'
import { ElementKind } from '../../src/shared/elements/types'
import {
  bandCount,
  bandPlan,
  drawBand,
  ExportPainter,
  exportBoard,
  exportCanvas,
  exportLayout,
  GarbageAfterBands,
  itemElement,
  prepareExport,
  writeExport,
} from '../../src/shared/export'
import { pngChunks } from '../../src/shared/export/png'
import { registerPlatform } from '../../src/shared/platform'
import { strokeOutline } from '../../src/shared/scene'
import { allKindsBoard, KNOWN_STROKES, knownBoard } from '../shared/exportFixtures'

/** V8's full collection (the test process is not started with --expose-gc). */
function fullCollection(): () => void {
  setFlagsFromString('--expose-gc')
  return runInNewContext('gc') as () => void
}

describe('the command line gives memory back before drawing', () => {
  it('releaseMemory collects what nothing holds any more (a board read and let go)', async () => {
    // The command line's and a band worker's setup: V8's gc exposed, which releaseMemory runs.
    collectGarbageBetweenBands()
    let doc: WeakRef<object> | undefined
    ;(() => {
      const board = openBoardFile(encodeBoardFile(knownBoard().doc))
      doc = new WeakRef(board.doc)
      board.doc.destroy()
    })()
    // WeakRefs hold their target until the job that made them ends.
    await new Promise((resolve) => setTimeout(resolve, 0))
    releaseMemory()
    expect(doc?.deref()).toBeUndefined()
  })
})

describe('a PNG export reads strokes lean and writes its rows a band at a time', () => {
  it('its layout keeps each finished stroke as the compact bytes the board stores, decoded to the same points', () => {
    const board = knownBoard()
    const options = { format: 'png' as const, scale: 2, dark: true }
    const lean = exportLayout(board, options, true)
    const full = exportLayout(board, options)
    expect(lean.items.length).toBe(board.strokes().length)
    expect(lean.items.map((i) => i.bounds)).toEqual(full.items.map((i) => i.bounds))
    for (const [i, item] of lean.items.entries()) {
      const stroke = board.getStroke(item.element.id)
      if (item.element.kind !== ElementKind.Stroke || !stroke) throw new Error('not a stroke')
      // What the layout holds: a copy of the stored bytes (a few per point), no decoded points.
      const map = board.elements.get(stroke.id)
      const stored = map && elementKey(map, 'points')
      expect(item.compact).toBeInstanceOf(Uint8Array)
      expect(stored).toBeInstanceOf(Uint8Array)
      expect(item.compact).toEqual(stored)
      expect(item.compact?.buffer).not.toBe((stored as Uint8Array).buffer)
      // In shared memory: band workers (parallelBands) get these very bytes, not a copy each.
      expect(item.compact?.buffer).toBeInstanceOf(SharedArrayBuffer)
      expect(item.element.points.length).toBe(0)
      // What a band draws: the very element the full layout holds (dark colours included), points decoded again.
      expect(itemElement(item)).toEqual(full.items[i]?.element)
      expect(Array.from((itemElement(item) as typeof stroke).points)).toEqual(Array.from(stroke.points))
    }
    // Other formats keep the points (SVG and PDF read them whole).
    expect(full.items.every((i) => i.compact === undefined)).toBe(true)
  })

  it('measures each compact stroke for its layout without decoding its points', () => {
    const board = knownBoard()
    const options = { format: 'png' as const, scale: 2, padding: 8 }
    const before = strokesDecoded()
    const lean = exportLayout(board, options, true)
    // Decoding 100,000 strokes only to measure them was a quarter of the command line's time before its workers drew.
    expect(strokesDecoded()).toBe(before)
    const full = exportLayout(board, options)
    expect(strokesDecoded()).toBe(before + board.strokes().length)
    expect(lean.items.map((i) => i.bounds)).toEqual(full.items.map((i) => i.bounds))
    expect([lean.rect, lean.width, lean.height]).toEqual([full.rect, full.width, full.height])
    // A stroke whose stored points are malformed is left out, as reading it whole leaves it out.
    const first = lean.items[0]?.element.id as string
    // (The board holds finished strokes as flat records: the record is replaced by one with other points.)
    const record = board.elements.get(first) as Record<string, unknown>
    expect(record.points).toBeInstanceOf(Uint8Array)
    board.elements.set(first, { ...record, points: new Uint8Array([1, 0, 4, 0, 200]) })
    expect(exportLayout(board, options, true).items.map((i) => i.element.id)).toEqual(
      exportLayout(board, options).items.map((i) => i.element.id),
    )
    expect(exportLayout(board, options, true).items.some((i) => i.element.id === first)).toBe(false)
  })

  it('writes every row unfiltered, over several bands, with the ink the strokes put there', async () => {
    const board = knownBoard()
    const options = { format: 'png' as const, targetWidth: 9000, padding: 10, background: 'white' as const }
    const plan = bandPlan(exportLayout(board, options))
    expect(bandCount(plan)).toBeGreaterThan(2)
    const png = (await exportBoard(board, options)).bytes as Uint8Array
    const idat = [...pngChunks(png)].filter((c) => c.type === 'IDAT').map((c) => c.data)
    const raw = inflateSync(Buffer.concat(idat))
    const stride = 1 + plan.width * 3
    expect(raw.byteLength).toBe(stride * plan.height)
    let ink = 0
    for (let y = 0; y < plan.height; y++) {
      expect(raw[y * stride]).toBe(0)
      for (let i = y * stride + 1; i < (y + 1) * stride; i += 3) if (raw[i] !== 255) ink++
    }
    // Ink, but mostly white paper: no band was left blank or black.
    expect(ink).toBeGreaterThan(1000)
    expect(ink / (plan.width * plan.height)).toBeLessThan(0.5)
  }, 120_000)

  it('prepares an export that keeps nothing of the board: its doc and its file bytes go before a band is drawn', async () => {
    const gc = fullCollection()
    // A board file with strokes and an image, as the command line reads one.
    const source = allKindsBoard()
    for (const s of KNOWN_STROKES) {
      const id = source.beginStroke({ color: s.color, width: s.width }, s.points.flat())
      source.finishStroke(id)
    }
    const file = encodeBoardFile(source.doc)
    const options = { format: 'png' as const, scale: 2, padding: 10, background: 'white' as const }
    const expected = (await exportBoard(openBoardFile(file), options)).bytes as Uint8Array

    let doc: WeakRef<object> | undefined
    let bytes: WeakRef<object> | undefined
    const prepared = await (async () => {
      const copy = file.slice()
      const board = openBoardFile(copy)
      doc = new WeakRef(board.doc)
      bytes = new WeakRef(copy.buffer)
      return prepareExport(board, options)
    })()
    expect(prepared.layout.items.some((i) => i.compact)).toBe(true)
    expect(prepared.layout.items.some((i) => i.element.kind === ElementKind.Image)).toBe(true)
    // WeakRefs hold their target until the job that made them ends.
    await new Promise((resolve) => setTimeout(resolve, 0))
    gc()
    // Neither the board's doc nor the buffer its strokes' compact bytes and its image were read from is reachable.
    expect(doc?.deref()).toBeUndefined()
    expect(bytes?.deref()).toBeUndefined()
    // And what is left draws the same image, byte for byte.
    const written = await writeExport(prepared)
    expect(Buffer.from(written.bytes as Uint8Array).equals(Buffer.from(expected))).toBe(true)
  }, 60_000)

  it('counts the path points of the strokes its bands pass, and collects garbage once they reach 3 million', () => {
    let collections = 0
    registerPlatform({ collectGarbage: () => collections++ })
    try {
      // What the bands release: every stroke's outline points, once, by the last band.
      const board = knownBoard()
      const options = { format: 'png' as const, targetWidth: 9000, padding: 10, background: 'white' as const }
      const layout = exportLayout(board, options, true)
      const plan = bandPlan(layout)
      expect(bandCount(plan)).toBeGreaterThan(2)
      const painter = new ExportPainter(layout)
      const canvas = exportCanvas(plan.tileWidth, plan.bandHeight)
      let released = 0
      for (let i = 0; i < bandCount(plan); i++) {
        drawBand(painter, canvas, plan, i)
        released += painter.releaseAbove((i + 1) * plan.bandHeight)
      }
      painter.destroy()
      canvas.setSize(0, 0)
      const outlinePoints = board.strokes().reduce((n, stroke) => n + strokeOutline(stroke).length / 2, 0)
      expect(released).toBe(outlinePoints)

      // A collection once 3 million points have been released since the last one, not after every band.
      const garbage = new GarbageAfterBands()
      garbage.released(1_200_000)
      garbage.released(1_200_000)
      expect(collections).toBe(0)
      garbage.released(1_200_000)
      expect(collections).toBe(1)
      garbage.released(2_000_000)
      expect(collections).toBe(1)
      garbage.released(1_000_000)
      expect(collections).toBe(2)
    } finally {
      registerPlatform({ collectGarbage: undefined })
    }
  }, 120_000)
})
