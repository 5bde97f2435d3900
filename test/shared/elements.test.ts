// Every element kind on the board document: made, edited, read back, checked; one file because the kinds share their fixtures.

import { deflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  attrsFromTransform,
  Board,
  ElementError,
  elementRect,
  ImageTooLargeError,
  type LineShape,
  nodeTransform,
} from '../../src/shared/board'
import { edgePoint } from '../../src/shared/elements/arrow'
import type { ElementEntry } from '../../src/shared/elements/entry'
import { assetIdOf } from '../../src/shared/elements/image'
import { PLACEMENT_KEYS, withPlacement } from '../../src/shared/elements/read'
import { eraseRuns } from '../../src/shared/elements/stroke'

/** Two replicas wired directly together, as a host would relay them. */
function pair(): [Board, Board] {
  const a = new Board(new Y.Doc(), 'alice')
  const b = new Board(new Y.Doc(), 'bob')
  a.doc.on('update', (u: Uint8Array, o: unknown) => o !== 'remote' && Y.applyUpdate(b.doc, u, 'remote'))
  b.doc.on('update', (u: Uint8Array, o: unknown) => o !== 'remote' && Y.applyUpdate(a.doc, u, 'remote'))
  return [a, b]
}

/** A real PNG of w × h pixels (one grey channel), padded with `extra` bytes of an ignored ancillary chunk. */
function png(w: number, h: number, extra = 0): Uint8Array {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    return c >>> 0
  })
  const crc = (bytes: Uint8Array) => {
    let c = 0xffffffff
    for (const b of bytes) c = (crcTable[(c ^ b) & 0xff] as number) ^ (c >>> 8)
    return (c ^ 0xffffffff) >>> 0
  }
  const chunk = (type: string, data: Uint8Array) => {
    const out = new Uint8Array(12 + data.length)
    const view = new DataView(out.buffer)
    view.setUint32(0, data.length)
    out.set(new TextEncoder().encode(type), 4)
    out.set(data, 8)
    view.setUint32(8 + data.length, crc(out.subarray(4, 8 + data.length)))
    return out
  }
  const ihdr = new Uint8Array(13)
  new DataView(ihdr.buffer).setUint32(0, w)
  new DataView(ihdr.buffer).setUint32(4, h)
  ihdr.set([8, 0, 0, 0, 0], 8)
  const raw = new Uint8Array((w + 1) * h).fill(128)
  for (let y = 0; y < h; y++) raw[y * (w + 1)] = 0
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    ...(extra > 0 ? [chunk('zzZz', new Uint8Array(extra))] : []),
    chunk('IDAT', new Uint8Array(deflateSync(raw))),
    chunk('IEND', new Uint8Array(0)),
  ]
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

describe('rectangles and ellipses', () => {
  it('stores a rectangle with its style and reads it back on a peer', () => {
    const [a, b] = pair()
    const id = a.addShape('rect', {
      x: 10,
      y: 20,
      width: 100,
      height: 50,
      fillColor: '#ffc9c9',
      dashed: true,
    })
    expect(b.readElement(id)).toMatchObject({
      kind: 'rect',
      author: 'alice',
      x: 10,
      y: 20,
      width: 100,
      height: 50,
      strokeColor: '#1e1e1e',
      fillColor: '#ffc9c9',
      strokeWidth: 2,
      dashed: true,
      rotation: 0,
      opacity: 1,
      locked: false,
    })
    expect(b.elementIds()).toEqual([id])
  })

  it('has bounds that include half its outline and its rotation', () => {
    const board = new Board()
    const id = board.addShape('ellipse', { x: 0, y: 0, width: 100, height: 50, strokeWidth: 4 })
    expect(board.elementBounds(id)).toEqual({ minX: -2, minY: -2, maxX: 102, maxY: 52 })
    board.updateElement(id, { rotation: 90 })
    const r = board.elementBounds(id)
    // Turned a quarter about its centre (50, 25): 54 wide, 104 tall.
    expect(r?.minX).toBeCloseTo(23)
    expect(r?.maxX).toBeCloseTo(77)
    expect(r?.minY).toBeCloseTo(-27)
    expect(r?.maxY).toBeCloseTo(77)
  })

  it('refuses bad attributes with a message naming the key, and changes nothing', () => {
    const board = new Board()
    expect(() => board.addShape('rect', { width: 10, height: 10, strokeColor: 'red' })).toThrow(ElementError)
    expect(() => board.addShape('rect', { width: 10, height: 10, strokeColor: 'red' })).toThrow(/strokeColor/)
    expect(() => board.addShape('rect', { width: Number.NaN, height: 10 })).toThrow(/width/)
    expect(() => board.addShape('rect', { width: 10, height: 10, opacity: 2 })).toThrow(/opacity/)
    expect(() => board.addShape('rect', { width: 10, height: 10, strokeWidth: 1e9 })).toThrow(/stroke width/)
    expect(() => board.addShape('rect', { width: 10, height: 10, fontSize: 12 })).toThrow(/has no "fontSize"/)
    expect(board.elementIds()).toEqual([])
    const id = board.addShape('rect', { width: 10, height: 10 })
    expect(() =>
      board.updateElements([
        [id, { x: 5 }],
        [id, { fillColor: '#12345' }],
      ]),
    ).toThrow(/fill/)
    expect(board.readElement(id)?.x).toBe(0)
  })

  it('reads a malformed element from a peer as nothing, and bad optional keys as defaults', () => {
    const board = new Board()
    board.doc.transact(() => {
      const bad = new Y.Map<unknown>()
      bad.set('kind', 'line')
      bad.set('points', 'nope')
      board.elements.set('bad', bad)
      const odd = new Y.Map<unknown>()
      odd.set('kind', 'rect')
      odd.set('width', 10)
      odd.set('height', 10)
      odd.set('strokeColor', 'url(javascript:1)')
      odd.set('opacity', 7)
      board.elements.set('odd', odd)
      board.order.push(['bad', 'odd'])
    })
    expect(board.readElement('bad')).toBeUndefined()
    expect(board.readElement('odd')).toMatchObject({ strokeColor: '#1e1e1e', opacity: 1 })
    expect(board.readElements().map((e) => e.id)).toEqual(['odd'])
  })

  it('makes one undo step of a shape drawn by a drag, and undoes only its own', () => {
    const [a, b] = pair()
    const theirs = b.addShape('rect', { width: 5, height: 5 })
    const id = a.addShape('rect', { x: 0, y: 0, width: 1, height: 1 })
    for (let i = 2; i < 20; i++) a.updateElement(id, { width: i * 10, height: i * 5 })
    expect(a.undo()).toBe(true)
    expect(a.elementIds()).toEqual([theirs])
    expect(b.elementIds()).toEqual([theirs])
    expect(a.redo()).toBe(true)
    expect(b.readElement(id)).toMatchObject({ width: 190, height: 95 })
  })
})

describe('lines and arrows', () => {
  it('stores an arrow with an end head by default', () => {
    const board = new Board()
    const id = board.addShape('arrow', { x: 5, y: 5, points: [0, 0, 100, 0] })
    expect(board.readElement(id)).toMatchObject({ kind: 'arrow', points: [0, 0, 100, 0], endArrow: true })
    expect(() => board.addShape('line', { points: [0, 0, 1] })).toThrow(/points/)
  })

  it('keeps a bound arrow on the edge of a shape when the shape moves, in the mover’s undo step', () => {
    const [a, b] = pair()
    const box = b.addShape('rect', { x: 200, y: -50, width: 100, height: 100 })
    const arrow = a.addShape('arrow', { x: 0, y: 0, points: [0, 0, 150, 0], endBinding: box })
    let line = a.readElement(arrow) as LineShape
    // Ends 6 units before the left edge (x = 200), on the horizontal through the box's centre.
    expect(line.x + (line.points[2] as number)).toBeCloseTo(194)
    expect(line.y + (line.points[3] as number)).toBeCloseTo(0)

    b.beginAction()
    b.updateElement(box, { x: 200, y: 150 })
    // Bob moved the box: the arrow he did not draw follows, on both replicas.
    for (const board of [a, b]) {
      line = board.readElement(arrow) as LineShape
      const end = { x: line.x + (line.points[2] as number), y: line.y + (line.points[3] as number) }
      const centre = { x: 250, y: 200 }
      // The end lies on the ray from the box centre toward the start, 6 units outside the box.
      expect(Math.abs(end.x - centre.x) <= 56 && Math.abs(end.y - centre.y) <= 56).toBe(true)
      expect(Math.max(Math.abs(end.x - centre.x), Math.abs(end.y - centre.y))).toBeGreaterThan(50)
      expect(line.endBinding).toBe(box)
    }
    // Bob's undo puts the box and the arrow back; Alice has the arrow itself to undo.
    expect(b.undo()).toBe(true)
    line = a.readElement(arrow) as LineShape
    expect(line.x + (line.points[2] as number)).toBeCloseTo(194)
    expect(line.y + (line.points[3] as number)).toBeCloseTo(0)
  })

  it('lets go of a binding when the arrow moves alone or its shape is deleted', () => {
    const board = new Board()
    const box = board.addShape('ellipse', { x: 100, y: -50, width: 100, height: 100 })
    const arrow = board.addShape('arrow', { points: [0, 0, 50, 0], endBinding: box })
    const end = board.readElement(arrow) as LineShape
    // On the circle: 50 from the centre (150, 0), plus the gap.
    expect(end.x + (end.points[2] as number)).toBeCloseTo(94)
    board.updateElements([
      [box, { x: 300 }],
      [arrow, { x: 10 }],
    ])
    expect((board.readElement(arrow) as LineShape).endBinding).toBe(box)
    board.updateElement(arrow, { x: 20 })
    expect((board.readElement(arrow) as LineShape).endBinding).toBeUndefined()
    const again = board.addShape('arrow', { points: [0, 0, 50, 0], startBinding: box })
    board.deleteElements([box])
    expect((board.readElement(again) as LineShape).startBinding).toBeUndefined()
  })

  it('puts edge points on a turned rectangle', () => {
    const board = new Board()
    const id = board.addShape('rect', { x: -50, y: -10, width: 100, height: 20, rotation: 90 })
    const el = board.readElement(id)
    if (!el) throw new Error('no rect')
    // Turned upright: 20 wide, 100 tall about (0, 0); aiming right leaves at x = 10.
    const p = edgePoint(el, { x: 500, y: 0 }, 0)
    expect(p.x).toBeCloseTo(10)
    expect(p.y).toBeCloseTo(0)
  })
})

describe('text and notes', () => {
  it('stores text as a Y.Text that two people edit at once', () => {
    const [a, b] = pair()
    const t = a.addText({ x: 0, y: 0, text: 'hello' })
    const n = b.addNote({ x: 300, y: 0, text: 'note' })
    expect(a.textOf(t)).toBeInstanceOf(Y.Text)
    a.replaceText(t, 'hello world')
    b.replaceText(n, 'sticky note')
    b.textOf(t)?.insert(0, '>> ')
    expect(a.readElement(t)).toMatchObject({ kind: 'text', text: '>> hello world', fontSize: 24 })
    expect(a.readElement(n)).toMatchObject({ kind: 'note', text: 'sticky note', width: 200, height: 200 })
  })

  it('grows an auto-width text with its longest line and wraps a fixed width', () => {
    const board = new Board()
    const id = board.addText({ x: 0, y: 0, text: 'one\ntwo two two', fontSize: 20 })
    const r = board.elementBounds(id)
    expect(r?.maxY).toBeCloseTo(2 * 20 * 1.25)
    const wide = r?.maxX ?? 0
    board.updateElement(id, { width: 40 })
    const narrow = board.elementBounds(id)
    expect(narrow?.maxX).toBe(40)
    expect(narrow?.maxY ?? 0).toBeGreaterThan(2 * 20 * 1.25)
    expect(wide).toBeGreaterThan(40)
  })

  it('undoes one editing session as one step', () => {
    const board = new Board()
    const id = board.addText({ x: 0, y: 0 })
    for (const s of ['h', 'hi', 'hi!']) board.replaceText(id, s)
    board.beginAction()
    board.replaceText(id, 'hi! again')
    board.undo()
    expect(board.readElement(id)).toMatchObject({ text: 'hi!' })
    board.undo()
    expect(board.elementIds()).toEqual([])
  })
})

describe('images', () => {
  it('stores the bytes once under their sha-256, however many times the image is added', () => {
    const [a, b] = pair()
    const bytes = png(40, 20)
    const one = a.addImage(bytes, 'image/png', 40, 20, { x: 100, y: 100 })
    const two = a.addImage(bytes, 'image/png', 40, 20, { x: 300, y: 100 })
    const assetId = assetIdOf(bytes)
    expect(assetId).toMatch(/^[0-9a-f]{64}$/)
    expect(b.readElement(one)).toMatchObject({ kind: 'image', assetId, x: 80, y: 90, width: 40, height: 20 })
    expect(b.readElement(two)).toMatchObject({ assetId })
    expect(b.assets.size).toBe(1)
    expect(b.asset(assetId)?.bytes).toEqual(bytes)
  })

  it('moves an image without sending its bytes again', () => {
    const [a, b] = pair()
    const id = a.addImage(png(8, 8, 200_000), 'image/png', 8, 8, { x: 0, y: 0 })
    let sent = 0
    a.doc.on('update', (u: Uint8Array) => {
      sent += u.byteLength
    })
    a.beginAction()
    a.updateElement(id, { x: 500, y: 500 })
    expect(sent).toBeLessThan(200)
    expect(b.readElement(id)).toMatchObject({ x: 500, y: 500 })
  })

  it('refuses an image over 5 MB with a message giving both sizes, and bytes that are no image', () => {
    const board = new Board()
    const big = png(8, 8, 6 * 1024 * 1024)
    expect(() => board.addImage(big, 'image/png', 8, 8, { x: 0, y: 0 })).toThrow(ImageTooLargeError)
    expect(() => board.addImage(big, 'image/png', 8, 8, { x: 0, y: 0 })).toThrow(/6 MB.*at most 5 MB/)
    expect(() =>
      board.addImage(new TextEncoder().encode('<svg/>'), 'image/svg+xml', 8, 8, { x: 0, y: 0 }),
    ).toThrow(/not an image/)
    expect(board.elementIds()).toEqual([])
    expect(board.assets.size).toBe(0)
  })

  it('undoes an added image as one step and keeps its bytes for redo', () => {
    const board = new Board()
    const id = board.addImage(png(4, 4), 'image/png', 4, 4, { x: 0, y: 0 })
    board.undo()
    expect(board.elementIds()).toEqual([])
    board.redo()
    expect(board.readElement(id)?.kind).toBe('image')
    expect(board.asset((board.readElement(id) as { assetId: string }).assetId)).toBeDefined()
  })
})

describe('strokes', () => {
  const pen = { color: '#1e1e1e', width: 4 }

  it('moves, turns and scales a stroke without touching its points', () => {
    const board = new Board()
    const id = board.beginStroke(pen, [0, 0, 0.5, 100, 0, 0.5])
    board.finishStroke(id)
    board.beginAction()
    board.updateElement(id, { x: 10, y: 20, rotation: 90, scaleX: 2 })
    const s = board.getStroke(id)
    expect(Array.from(s?.points ?? [])).toEqual([0, 0, 0.5, 100, 0, 0.5])
    const t = nodeTransform(s as NonNullable<typeof s>)
    // Centre of its box (50, 0) moved by (10, 20) and scaled: (10 + 2·50, 20).
    expect(t).toMatchObject({ x: 110, y: 20, offsetX: 50, offsetY: 0, rotation: 90, scaleX: 2 })
    const r = elementRect(s as NonNullable<typeof s>)
    expect(r.minY).toBeCloseTo(20 - 2 * (50 + 4))
    expect(r.maxY).toBeCloseTo(20 + 2 * (50 + 4))
  })

  it('stores a highlighter stroke', () => {
    const board = new Board()
    const id = board.beginStroke({ ...pen, highlighter: true }, [0, 0, 0.5])
    expect(board.getStroke(id)?.highlighter).toBe(true)
  })

  it('splits a straight stroke where the eraser passes, even between two far points', () => {
    const runs = eraseRuns(Float32Array.from([0, 0, 0.5, 100, 0, 0.5]), 50, 0, 5)
    expect(runs?.length).toBe(2)
    const [left, right] = runs as Float32Array[]
    expect(left?.[0]).toBe(0)
    expect(Math.max(...Array.from(left ?? []).filter((_, i) => i % 3 === 0))).toBeLessThan(45.01)
    expect(right?.[right.length - 3]).toBe(100)
    expect(eraseRuns(Float32Array.from([0, 0, 0.5, 100, 0, 0.5]), 50, 30, 5)).toBeUndefined()
  })

  it('replaces an erased stroke by its pieces in its place, as one undo step, keeping style and author', () => {
    const [a, b] = pair()
    const below = b.beginStroke(pen, [0, 50, 0.5, 10, 50, 0.5])
    const id = a.beginStroke({ color: '#e03131', width: 6 }, [0, 0, 0.5, 100, 0, 0.5])
    a.finishStroke(id)
    const above = b.beginStroke(pen, [0, 90, 0.5, 10, 90, 0.5])
    b.beginAction()
    expect(b.eraseInk(id, 50, 0, 5)).toBe(true)
    expect(b.eraseInk(id, 50, 0, 5)).toBe(false)
    const ids = b.elementIds()
    expect(ids.length).toBe(4)
    expect(ids[0]).toBe(below)
    expect(ids[3]).toBe(above)
    const pieces = ids.slice(1, 3).map((p) => b.getStroke(p))
    for (const p of pieces)
      expect(p).toMatchObject({ color: '#e03131', width: 6, author: 'alice', done: true })
    // Another stroke crossed in the same drag joins the same step.
    b.eraseInk(pieces[0]?.id as string, 20, 0, 5)
    expect(a.elementIds().length).toBe(5)
    b.undo()
    expect(a.elementIds()).toEqual([below, id, above])
    expect(b.elementIds()).toEqual([below, id, above])
  })

  it('erases a moved and turned stroke where it shows, not where its points are', () => {
    const board = new Board()
    const id = board.beginStroke(pen, [0, 0, 0.5, 100, 0, 0.5])
    board.updateElement(id, { rotation: 90 })
    // Upright about (50, 0): it now runs from (50, -50) to (50, 50).
    expect(board.eraseInk(id, 25, 0, 5)).toBe(false)
    expect(board.eraseInk(id, 50, 20, 5)).toBe(true)
    const pieces = board.strokes()
    expect(pieces.length).toBe(2)
    for (const p of pieces) {
      const r = elementRect(p)
      expect(r.minX).toBeGreaterThan(40)
      expect(r.maxX).toBeLessThan(60)
    }
  })
})

describe('transforms', () => {
  it('turns a Transformer change into the attributes each kind stores', () => {
    const board = new Board()
    const rect = board.addShape('rect', { x: 0, y: 0, width: 100, height: 50 })
    const el = board.readElement(rect)
    if (!el) throw new Error('no rect')
    expect(attrsFromTransform(el, { x: 100, y: 50, rotation: 30, scaleX: 2, scaleY: 3 })).toEqual({
      x: 0,
      y: -25,
      width: 200,
      height: 150,
      rotation: 30,
    })
    const line = board.addShape('line', { x: 10, y: 10, points: [0, 0, 100, 0] })
    const l = board.readElement(line)
    if (!l) throw new Error('no line')
    expect(attrsFromTransform(l, { x: 60, y: 10, rotation: 0, scaleX: 2, scaleY: 1 })).toMatchObject({
      x: -40,
      points: [0, 0, 200, 0],
    })
  })
})

describe('placement re-reads', () => {
  it('reads a moved, turned or stretched element as a full read would, points and all, and bad values as defaults', () => {
    const board = new Board(new Y.Doc(), 'alice')
    const stroke = board.beginStroke({ color: '#1e1e1e', width: 4 }, [0, 0, 0.5, 50, 20, 0.5, 100, 0, 0.5])
    board.finishStroke(stroke)
    const rect = board.addShape('rect', { x: 10, y: 10, width: 40, height: 30 })
    for (const id of [stroke, rect]) {
      const before = board.readElement(id)
      if (!before) throw new Error('no element')
      board.updateElement(id, {
        x: 25,
        y: -5,
        rotation: 30,
        ...(id === stroke ? { scaleX: 2, scaleY: 0.5 } : {}),
      })
      const entry = board.elements.get(id) as ElementEntry
      expect(withPlacement(before, entry, board.doc)).toEqual(board.readElement(id))
      // A peer's malformed placement reads as a full read reads it (a finished stroke is a flat record, written anew).
      if (entry instanceof Y.Map) {
        entry.set('x', 'far')
        entry.set('rotation', Number.NaN)
      } else board.elements.set(id, { ...entry, x: 'far', rotation: Number.NaN })
      const now = board.elements.get(id) as ElementEntry
      expect(withPlacement(before, now, board.doc)).toEqual(board.readElement(id))
    }
    expect(PLACEMENT_KEYS.has('points')).toBe(false)
  })
})
