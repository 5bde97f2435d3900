import '../../src/main/host/export/nodeCanvas'
import { deflateSync } from 'node:zlib'
import { SceneCanvas } from 'konva/lib/Canvas'
import { describe, expect, it } from 'vitest'
import { Board } from '../../src/shared/board'
import { createElementNode, loadBoardImages, updateElementNode } from '../../src/shared/scene'

/** Draws the given elements of a board on a 200 × 200 canvas at scale 1 and returns its pixels. */
function render(board: Board, ids = board.elementIds()) {
  const canvas = new SceneCanvas({ width: 200, height: 200, pixelRatio: 1 })
  for (const id of ids) createElementNode(board, id)?.drawScene(canvas)
  const data = canvas.getContext()._context.getImageData(0, 0, 200, 200).data
  return (x: number, y: number) => {
    const i = (y * 200 + x) * 4
    return [data[i], data[i + 1], data[i + 2], data[i + 3]] as number[]
  }
}

function redPng(w: number, h: number): Uint8Array {
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    return c >>> 0
  })
  const crc = (b: Uint8Array) => {
    let c = 0xffffffff
    for (const x of b) c = (table[(c ^ x) & 0xff] as number) ^ (c >>> 8)
    return (c ^ 0xffffffff) >>> 0
  }
  const chunk = (type: string, data: Uint8Array) => {
    const out = new Uint8Array(12 + data.length)
    const v = new DataView(out.buffer)
    v.setUint32(0, data.length)
    out.set(new TextEncoder().encode(type), 4)
    out.set(data, 8)
    v.setUint32(8 + data.length, crc(out.subarray(4, 8 + data.length)))
    return out
  }
  const ihdr = new Uint8Array(13)
  new DataView(ihdr.buffer).setUint32(0, w)
  new DataView(ihdr.buffer).setUint32(4, h)
  ihdr.set([8, 2, 0, 0, 0], 8)
  const raw = new Uint8Array((w * 3 + 1) * h)
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) raw.set([220, 20, 20], y * (w * 3 + 1) + 1 + x * 3)
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', new Uint8Array(deflateSync(raw))),
    chunk('IEND', new Uint8Array(0)),
  ]
  return Uint8Array.from(parts.flatMap((p) => Array.from(p)))
}

describe('element nodes', () => {
  it('draws a filled, outlined rectangle where the board says', () => {
    const board = new Board()
    board.addShape('rect', { x: 20, y: 20, width: 100, height: 60, fillColor: '#ff0000', strokeWidth: 4 })
    const px = render(board)
    expect(px(70, 50)).toEqual([255, 0, 0, 255])
    expect(px(20, 50)?.slice(0, 3)).toEqual([30, 30, 30])
    expect(px(150, 50)?.[3]).toBe(0)
  })

  it('draws an ellipse inside its box, not at its corner', () => {
    const board = new Board()
    board.addShape('ellipse', { x: 20, y: 20, width: 100, height: 100, fillColor: '#00ff00' })
    const px = render(board)
    expect(px(70, 70)).toEqual([0, 255, 0, 255])
    expect(px(24, 24)?.[3]).toBe(0)
  })

  it('draws a turned, moved shape and follows updates', () => {
    const board = new Board()
    const id = board.addShape('rect', {
      x: 50,
      y: 90,
      width: 100,
      height: 20,
      fillColor: '#0000ff',
      rotation: 90,
    })
    let px = render(board)
    // Upright about (100, 100): covers x 90..110, y 50..150.
    expect(px(100, 60)?.slice(0, 3)).toEqual([0, 0, 255])
    expect(px(60, 100)?.[3]).toBe(0)
    const node = createElementNode(board, id)
    if (!node) throw new Error('no node')
    board.updateElement(id, { rotation: 0 })
    updateElementNode(node, board.readElement(id) as never)
    const canvas = new SceneCanvas({ width: 200, height: 200, pixelRatio: 1 })
    node.drawScene(canvas)
    const d = canvas.getContext()._context.getImageData(60, 100, 1, 1).data
    expect(Array.from(d)).toEqual([0, 0, 255, 255])
    px = render(board)
    expect(px(100, 60)?.[3]).toBe(0)
  })

  it('draws an arrow with a head and a dashed line with gaps', () => {
    const board = new Board()
    board.addShape('arrow', { x: 20, y: 50, points: [0, 0, 150, 0], strokeWidth: 4 })
    board.addShape('line', { x: 20, y: 150, points: [0, 0, 150, 0], strokeWidth: 4, dashed: true })
    const px = render(board)
    expect(px(100, 50)?.[3]).toBe(255)
    // The head is wider than the shaft.
    expect(px(160, 55)?.[3]).toBeGreaterThan(0)
    expect(px(100, 55)?.[3]).toBe(0)
    const dashes = Array.from({ length: 140 }, (_, i) => px(25 + i, 150)?.[3] as number)
    expect(dashes.some((a) => a === 0)).toBe(true)
    expect(dashes.some((a) => a === 255)).toBe(true)
  })

  it('draws text and a note with its fill', () => {
    const board = new Board()
    board.addText({ x: 10, y: 10, text: 'WWWW', fontSize: 40, color: '#000000' })
    board.addNote({ x: 10, y: 100, width: 90, height: 90, text: '' })
    const px = render(board)
    let ink = 0
    for (let x = 10; x < 100; x++) for (let y = 10; y < 60; y++) if ((px(x, y)?.[3] as number) > 128) ink++
    expect(ink).toBeGreaterThan(200)
    expect(px(50, 150)).toEqual([255, 236, 153, 255])
  })

  it('draws an image once decoded, and a grey box before', async () => {
    const board = new Board()
    board.addImage(redPng(10, 10), 'image/png', 10, 10, { x: 100, y: 100 })
    const before = render(board)
    expect(before(100, 100)).toEqual([233, 236, 239, 255])
    await loadBoardImages(board)
    const after = render(board)
    expect(after(100, 100)).toEqual([220, 20, 20, 255])
  })

  it('draws highlighter ink translucent and multiplied', () => {
    const board = new Board()
    const id = board.beginStroke(
      { color: '#ffd43b', width: 20, highlighter: true },
      [20, 100, 0.5, 180, 100, 0.5],
    )
    board.finishStroke(id)
    const px = render(board)
    const [, , , a] = px(100, 100) as number[]
    expect(a).toBeGreaterThan(60)
    expect(a).toBeLessThan(160)
  })
})
