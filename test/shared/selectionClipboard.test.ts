import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Board, type ImageElement } from '../../src/shared/board'
import {
  ClipboardError,
  copyPayload,
  encodeClipboard,
  parseClipboard,
  pasteElements,
  selectionBounds,
} from '../../src/shared/selection'

/** Bytes a board takes as a PNG (the signature is what it checks), made distinct by `seed`. */
function pngBytes(seed: number): Uint8Array {
  const out = new Uint8Array(64)
  out.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  out.fill(seed, 8)
  return out
}

function source(): { board: Board; ids: string[]; image: string } {
  const board = new Board(new Y.Doc(), 'alice')
  const stroke = board.beginStroke({ color: '#1971c2', width: 6 }, [0, 0, 0.5, 40, 30, 0.6, 80, 0, 0.5])
  board.finishStroke(stroke)
  const rect = board.addShape('rect', { x: 100, y: 0, width: 60, height: 40, fillColor: '#ffec99' })
  const text = board.addText({ x: 0, y: 100, text: 'Copied text', fontSize: 20 })
  const image = board.addImage(pngBytes(7), 'image/png', 20, 10, { x: 200, y: 200 })
  return { board, ids: [stroke, rect, text, image], image }
}

describe('copy and paste', () => {
  it('pastes copies with new ids into another board, images carried along, as one undo step', () => {
    const { board, ids, image } = source()
    const text = encodeClipboard(copyPayload(board, ids))
    expect(text).toContain('"lanvas/elements"')
    const target = new Board(new Y.Doc(), 'bob')
    const payload = parseClipboard(text)
    expect(payload).toBeDefined()
    const pasted = pasteElements(target, payload as NonNullable<typeof payload>, { at: { x: 1000, y: 1000 } })
    expect(pasted).toHaveLength(4)
    for (const id of pasted) expect(ids).not.toContain(id)
    expect(target.undoManager.undoStack.length).toBe(1)
    const els = target.readElements()
    expect(els.map((e) => e.kind)).toEqual(['stroke', 'rect', 'text', 'image'])
    expect(els.every((e) => e.author === 'bob')).toBe(true)
    // Centred on the pointer.
    const b = selectionBounds(els)
    expect(((b?.minX ?? 0) + (b?.maxX ?? 0)) / 2).toBeCloseTo(1000, 3)
    expect(((b?.minY ?? 0) + (b?.maxY ?? 0)) / 2).toBeCloseTo(1000, 3)
    // Same shapes relative to each other.
    const src = board.readElements()
    expect((els[1]?.x ?? 0) - (els[0]?.x ?? 0)).toBeCloseTo((src[1]?.x ?? 0) - (src[0]?.x ?? 0), 3)
    expect(els[2]).toMatchObject({ text: 'Copied text', fontSize: 20 })
    const img = els[3] as ImageElement
    expect(img.assetId).toBe((board.readElement(image) as ImageElement).assetId)
    expect(target.asset(img.assetId)?.bytes).toEqual(pngBytes(7))
    target.undo()
    expect(target.readElements()).toEqual([])
  })

  it('pastes within the same board at an offset, without storing an image twice', () => {
    const { board, ids } = source()
    const payload = parseClipboard(encodeClipboard(copyPayload(board, ids)))
    const assetsBefore = board.assets.size
    const pasted = pasteElements(board, payload as NonNullable<typeof payload>, {
      offset: { dx: 20, dy: 20 },
    })
    expect(board.assets.size).toBe(assetsBefore)
    expect(board.readElement(pasted[1] as string)).toMatchObject({ x: 120, y: 20 })
  })

  it('leaves other text to other paste handlers', () => {
    expect(parseClipboard('hello')).toBeUndefined()
    expect(parseClipboard('{"type":"something"} lanvas/elements')).toBeUndefined()
    expect(parseClipboard('lanvas/elements is not json')).toBeUndefined()
  })

  it('refuses damaged or foreign payloads with a message, changing nothing', () => {
    const { board, ids } = source()
    const good = copyPayload(board, ids)
    const bad = (edit: (p: Record<string, unknown>) => void) => {
      const p = JSON.parse(encodeClipboard(good)) as Record<string, unknown>
      edit(p)
      return JSON.stringify(p)
    }
    const elements = (p: Record<string, unknown>) => p.elements as Record<string, unknown>[]
    expect(() => parseClipboard(bad((p) => (p.version = 99)))).toThrow(/newer Lanvas/)
    expect(() => parseClipboard(bad((p) => (elements(p)[1] = { kind: 'blob', attrs: {} })))).toThrow(
      /element 2 is not an element/,
    )
    expect(() =>
      parseClipboard(bad((p) => ((elements(p)[1] as { attrs: Record<string, unknown> }).attrs.width = -5))),
    ).toThrow(ClipboardError)
    expect(() =>
      parseClipboard(
        bad((p) => ((elements(p)[1] as { attrs: Record<string, unknown> }).attrs.fillColor = 'red')),
      ),
    ).toThrow(/fillColor/)
    expect(() =>
      parseClipboard(bad((p) => ((elements(p)[0] as { points: unknown }).points = [1, 2]))),
    ).toThrow(/points are damaged/)
    expect(() =>
      parseClipboard(bad((p) => (((p.assets as { data: string }[])[0] as { data: string }).data = 'AAAA'))),
    ).toThrow(ClipboardError)
    // An image whose bytes are neither carried nor on the target board is refused before anything changes.
    const target = new Board(new Y.Doc(), 'bob')
    const noAssets = parseClipboard(bad((p) => (p.assets = [])))
    expect(() =>
      pasteElements(target, noAssets as NonNullable<typeof noAssets>, { at: { x: 0, y: 0 } }),
    ).toThrow(/without its picture/)
    expect(target.elementIds()).toEqual([])
    // A carried image is checked against its id.
    const other = Buffer.from(pngBytes(9)).toString('base64')
    expect(() =>
      parseClipboard(bad((p) => (((p.assets as { data: string }[])[0] as { data: string }).data = other))),
    ).toThrow(/do not match/)
  })

  it('pastes copies that are never locked', () => {
    const board = new Board(new Y.Doc(), 'alice')
    const r = board.addShape('rect', { x: 0, y: 0, width: 10, height: 10, locked: true })
    const payload = parseClipboard(encodeClipboard(copyPayload(board, [r])))
    const [copy] = pasteElements(board, payload as NonNullable<typeof payload>, { offset: { dx: 5, dy: 5 } })
    expect(board.readElement(copy as string)?.locked).toBe(false)
  })
})
