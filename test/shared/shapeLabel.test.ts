// Labels of shapes and arrows (issue 13): the attributes and their checks, the board guard, where a label is laid
// out in its shape, what the scene draws, bounds and hits, all on real boards and real Konva nodes.
import { elementMap } from '../support/elementMap'
import '../../src/main/host/export/nodeCanvas'
import type { Group } from 'konva/lib/Group'
import type { Text } from 'konva/lib/shapes/Text'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  ArrowRoute,
  Board,
  type BoxShape,
  ELEMENT_DEFAULTS,
  ElementKind,
  elementRect,
  type LineShape,
} from '../../src/shared/board'
import { checkAttrs, ElementError } from '../../src/shared/elements/attrs'
import {
  LABEL_PADDING,
  labelBox,
  labelFrame,
  labelLines,
  polylineMidpoint,
  polylineOutside,
} from '../../src/shared/elements/label'
import { LINE_HEIGHT, textWidth } from '../../src/shared/elements/text'
import { exportBoard } from '../../src/shared/export'
import { createElementNode } from '../../src/shared/scene'
import {
  type ClipboardPayload,
  copyPayload,
  duplicateSelection,
  encodeClipboard,
  hitsElement,
  parseClipboard,
  pasteElements,
} from '../../src/shared/selection'
import { BoardGuard, DEFAULT_GUARD_LIMITS, type Verdict } from '../../src/shared/validate/boardGuard'

const SIZE = ELEMENT_DEFAULTS.labelFontSize

function rectBoard(attrs: { width?: number; height?: number; rotation?: number } = {}) {
  const board = new Board(undefined, 'ann')
  const id = board.addShape(ElementKind.Rect, { x: 100, y: 50, width: 200, height: 100, ...attrs })
  return { board, id, read: () => board.readElement(id) as BoxShape }
}

/** The label's text node of an element's scene node, and its centre on the board. */
function drawnLabel(board: Board, id: string) {
  const node = createElementNode(board, id) as Group
  const children = node.getChildren?.() ?? []
  const text = children[1] as Text | undefined
  if (!text) {
    node.destroy()
    return undefined
  }
  const centre = text.getAbsoluteTransform().point({ x: text.width() / 2, y: text.height() / 2 })
  const out = {
    lines: text.textArr.map((l) => l.text),
    lineWidths: text.textArr.map((l) => l.width),
    width: text.width(),
    fill: text.fill(),
    fontSize: text.fontSize(),
    centre,
  }
  node.destroy()
  return out
}

describe('label attributes', () => {
  it('rectangles, ellipses, lines and arrows take a label, its colour and its size', () => {
    for (const kind of [ElementKind.Rect, ElementKind.Ellipse, ElementKind.Line, ElementKind.Arrow]) {
      expect(checkAttrs(kind, { label: 'Start', labelColor: '#e03131', labelFontSize: 30 })).toEqual({
        label: 'Start',
        labelColor: '#e03131',
        labelFontSize: 30,
      })
    }
  })

  it('refuses labels on other kinds and bad values, naming the key', () => {
    expect(() => checkAttrs(ElementKind.Text, { label: 'x' })).toThrow('a text has no "label"')
    expect(() => checkAttrs(ElementKind.Note, { label: 'x' })).toThrow('a note has no "label"')
    expect(() => checkAttrs(ElementKind.Rect, { label: 5 as never })).toThrow(
      /rect label: label must be text/,
    )
    expect(() => checkAttrs(ElementKind.Rect, { label: 'x'.repeat(100_001) })).toThrow(
      /at most 100000 characters/,
    )
    expect(() => checkAttrs(ElementKind.Arrow, { labelColor: 'red' })).toThrow(
      'arrow labelColor: red is not a colour (#rrggbb)',
    )
    expect(() => checkAttrs(ElementKind.Ellipse, { labelFontSize: 2 })).toThrow(
      'ellipse labelFontSize: label font size must be a number from 4 to 512',
    )
    expect(() => checkAttrs(ElementKind.Rect, { label: 'x' })).not.toThrow(ElementError)
  })

  it('stores a label on the shape; an empty label removes the key; undo brings it back', () => {
    const { board, id, read } = rectBoard()
    board.beginAction()
    board.updateElement(id, { label: 'Hello' })
    expect(read().label).toBe('Hello')
    expect(elementMap(board, id)?.get('label')).toBe('Hello')
    board.beginAction()
    board.updateElement(id, { label: '' })
    expect(elementMap(board, id)?.has('label')).toBe(false)
    expect(read().label).toBeUndefined()
    board.undo()
    expect(read().label).toBe('Hello')
    board.undo()
    expect(read().label).toBeUndefined()
  })

  it('a label reaches another replica, and malformed label keys read as no label / the defaults', () => {
    const { board, id } = rectBoard()
    board.updateElement(id, { label: 'Shared', labelColor: '#2f9e44', labelFontSize: 28 })
    const other = new Board(new Y.Doc(), 'bob')
    Y.applyUpdate(other.doc, Y.encodeStateAsUpdate(board.doc))
    expect(other.readElement(id)).toMatchObject({
      label: 'Shared',
      labelColor: '#2f9e44',
      labelFontSize: 28,
    })
    const map = other.elements.get(id) as Y.Map<unknown>
    other.doc.transact(() => {
      map.set('label', 42)
      map.set('labelColor', 'green')
      map.set('labelFontSize', Number.NaN)
    })
    const el = other.readElement(id) as BoxShape
    expect([el.label, el.labelColor, el.labelFontSize]).toEqual([undefined, undefined, undefined])
  })
})

describe('copies of labelled shapes', () => {
  it('duplicate and copy-paste keep the label, its colour and its size', () => {
    const { board, id } = rectBoard()
    board.updateElement(id, { label: 'Keep me', labelColor: '#2f9e44', labelFontSize: 36 })
    const [copy] = duplicateSelection(board, [id])
    expect(board.readElement(copy as string)).toMatchObject({
      label: 'Keep me',
      labelColor: '#2f9e44',
      labelFontSize: 36,
    })
    const other = new Board(undefined, 'bob')
    const payload = parseClipboard(encodeClipboard(copyPayload(board, [id])))
    const [pasted] = pasteElements(other, payload as ClipboardPayload, { at: { x: 0, y: 0 } })
    expect(other.readElement(pasted as string)).toMatchObject({ label: 'Keep me', labelFontSize: 36 })
  })
})

describe('the board guard and labels', () => {
  function guarded() {
    const host = new Y.Doc()
    const guard = new BoardGuard(host, DEFAULT_GUARD_LIMITS)
    const board = new Board(new Y.Doc(), 'ann')
    const verdicts: Verdict[] = []
    board.doc.on('update', (u: Uint8Array) => {
      const v = guard.check(u)
      if (v.ok) {
        Y.applyUpdate(host, u)
        v.commit()
      }
      verdicts.push(v)
    })
    return { host, board, last: () => verdicts.at(-1) as Verdict }
  }

  it('accepts labels the board writes, and a peer sees them', () => {
    const g = guarded()
    const id = g.board.addShape(ElementKind.Arrow, { points: [0, 0, 100, 0] })
    g.board.updateElement(id, { label: 'yes', labelColor: '#1971c2', labelFontSize: 16 })
    expect(g.last().ok).toBe(true)
    g.board.updateElement(id, { label: null })
    expect(g.last().ok).toBe(true)
    expect(new Board(g.host).readElement(id)).not.toHaveProperty('label')
  })

  it('refuses a label that is no text, a bad label colour, and a label on a text', () => {
    const cases: [string, (b: Board) => string, unknown, RegExp][] = [
      ['label', (b) => b.addShape(ElementKind.Rect, { width: 10, height: 10 }), 12, /label must be text/],
      [
        'labelColor',
        (b) => b.addShape(ElementKind.Arrow, { points: [0, 0, 5, 5] }),
        'javascript:alert(1)',
        /is not a colour/,
      ],
      ['labelFontSize', (b) => b.addShape(ElementKind.Ellipse, {}), 1e9, /from 4 to 512/],
      ['label', (b) => b.addText({ x: 0, y: 0 }), 'x', /a text has no key "label"/],
    ]
    for (const [key, make, value, reason] of cases) {
      const g = guarded()
      const id = make(g.board)
      expect(g.last().ok).toBe(true)
      ;(g.board.elements.get(id) as Y.Map<unknown>).set(key, value)
      const verdict = g.last()
      expect(verdict.ok).toBe(false)
      expect(verdict.ok ? '' : verdict.reason).toMatch(reason)
    }
  })
})

describe('label layout', () => {
  it('a rectangle centres its label and wraps it at its width less the padding', () => {
    const { board, id, read } = rectBoard()
    board.updateElement(id, { label: 'one two three four five six seven eight nine ten' })
    const el = read()
    const frame = labelFrame(el)
    expect(frame).toEqual({ cx: 100, cy: 50, wrapWidth: 200 - 2 * LABEL_PADDING })
    const lines = labelLines(el)
    expect(lines.length).toBeGreaterThan(1)
    for (const line of lines) expect(textWidth(line, SIZE, 'sans-serif')).toBeLessThanOrEqual(frame.wrapWidth)
    const box = labelBox(el)
    expect(box?.x).toBeCloseTo(100 - (box?.width ?? 0) / 2, 6)
    expect(box?.height).toBeCloseTo(lines.length * SIZE * LINE_HEIGHT, 6)
  })

  it('an ellipse wraps its label inside the rectangle inscribed in it', () => {
    const board = new Board(undefined, 'ann')
    const id = board.addShape(ElementKind.Ellipse, { width: 200, height: 100, label: 'x' })
    expect(labelFrame(board.readElement(id) as BoxShape).wrapWidth).toBeCloseTo(
      200 / Math.SQRT2 - 2 * LABEL_PADDING,
      6,
    )
  })

  it("an arrow's label sits halfway along it, wherever its bends are", () => {
    expect(polylineMidpoint([0, 0, 100, 0, 100, 100])).toEqual({ x: 100, y: 0, length: 200 })
    expect(polylineMidpoint([0, 0, 30, 40])).toEqual({ x: 15, y: 20, length: 50 })
    expect(polylineMidpoint([5, 5, 5, 5])).toEqual({ x: 5, y: 5, length: 0 })
    const board = new Board(undefined, 'ann')
    const id = board.addShape(ElementKind.Arrow, {
      x: 10,
      y: 10,
      points: [0, 0, 300, 0, 300, 100],
      label: 'go',
    })
    const frame = labelFrame(board.readElement(id) as LineShape)
    expect([frame.cx, frame.cy]).toEqual([200, 0])
    // 11 ems or 70% of its length, the wider.
    expect(frame.wrapWidth).toBeCloseTo(Math.max(SIZE * 11, 400 * 0.7), 6)
  })
})

describe('a curved arrow and its label', () => {
  it('puts the label on the bend point, and the SVG shaft is the curve with the gap cut out', async () => {
    const board = new Board(undefined, 'ann')
    const id = board.addShape(ElementKind.Arrow, {
      x: 0,
      y: 0,
      points: [0, 0, 400, 0],
      route: ArrowRoute.Curved,
      bend: 80,
      label: 'curve',
    })
    const el = board.readElement(id) as LineShape
    const frame = labelFrame(el)
    // The left normal of a chord pointing +x is -y: the bend point is 80 above the chord's middle.
    expect(frame.cx).toBeCloseTo(200, 6)
    expect(frame.cy).toBeCloseTo(-80, 6)
    const drawn = drawnLabel(board, id)
    expect(drawn?.centre.x).toBeCloseTo(200, 4)
    expect(drawn?.centre.y).toBeCloseTo(-80, 4)
    const svg = new TextDecoder().decode((await exportBoard(board, { format: 'svg', padding: 0 })).bytes)
    const shafts = [...svg.matchAll(/fill="none"[^>]* d="M([^"]*)"/g)].map((m) => m[1] as string)
    // Two polylines (the curve sampled), one each side of the words, neither reaching the bend point.
    expect(shafts).toHaveLength(2)
    for (const d of shafts) {
      expect(d).not.toContain('C')
      const ys = (d.match(/-?[\d.]+/g) ?? []).map(Number).filter((_, i) => i % 2 === 1)
      expect(Math.min(...ys)).toBeGreaterThan(-80)
    }
  })
})

describe("an arrow's shaft around its label", () => {
  const gap = { x: 40, y: -10, width: 20, height: 20 }

  it('cuts a straight shaft in two at the gap', () => {
    expect(polylineOutside([0, 0, 100, 0], gap)).toEqual([
      [0, 0, 40, 0],
      [60, 0, 100, 0],
    ])
  })

  it('keeps a bent shaft whole where it misses the gap, and cuts each segment that crosses it', () => {
    expect(polylineOutside([0, 50, 100, 50, 100, 100], gap)).toEqual([[0, 50, 100, 50, 100, 100]])
    expect(polylineOutside([0, 0, 50, 0, 50, 100], gap)).toEqual([
      [0, 0, 40, 0],
      [50, 10, 50, 100],
    ])
    // A shaft that starts inside the gap begins at its edge; one wholly inside leaves nothing.
    expect(polylineOutside([50, 0, 100, 0], gap)).toEqual([[60, 0, 100, 0]])
    expect(polylineOutside([45, 0, 55, 0], gap)).toEqual([])
  })
})

describe('the scene draws a label with its shape', () => {
  it('centred in the shape, in the outline colour by default, and follows a move and a turn', () => {
    const { board, id } = rectBoard()
    expect(drawnLabel(board, id)).toBeUndefined()
    board.updateElement(id, { label: 'Hello' })
    let label = drawnLabel(board, id)
    expect(label?.lines).toEqual(['Hello'])
    expect(label?.fill).toBe('#1e1e1e')
    expect(label?.centre.x).toBeCloseTo(200, 4)
    expect(label?.centre.y).toBeCloseTo(100, 4)
    board.updateElement(id, { x: 400, y: 300, rotation: 90, labelColor: '#e03131', labelFontSize: 32 })
    label = drawnLabel(board, id)
    expect(label?.centre.x).toBeCloseTo(500, 4)
    expect(label?.centre.y).toBeCloseTo(350, 4)
    expect([label?.fill, label?.fontSize]).toEqual(['#e03131', 32])
  })

  it('wraps a long label to the shape and re-wraps it when the shape is resized', () => {
    const { board, id } = rectBoard()
    board.updateElement(id, { label: 'alpha beta gamma delta epsilon zeta eta theta' })
    const wide = drawnLabel(board, id)
    expect(wide?.width).toBe(200 - 2 * LABEL_PADDING)
    for (const w of wide?.lineWidths ?? []) expect(w).toBeLessThanOrEqual(200 - 2 * LABEL_PADDING)
    // Narrower, yet wider than its longest word in the shipped font, so that words are not broken.
    board.updateElement(id, { width: 140 })
    const narrow = drawnLabel(board, id)
    expect(narrow?.lines.length).toBeGreaterThan(wide?.lines.length ?? 0)
    expect(narrow?.lines.join(' ')).toBe('alpha beta gamma delta epsilon zeta eta theta')
  })

  it("an arrow's label is drawn at its midpoint; an empty label draws nothing", () => {
    const board = new Board(undefined, 'ann')
    const id = board.addShape(ElementKind.Arrow, { x: 10, y: 20, points: [0, 0, 300, 0, 300, 100] })
    board.updateElement(id, { label: 'go' })
    const label = drawnLabel(board, id)
    expect(label?.centre.x).toBeCloseTo(210, 4)
    expect(label?.centre.y).toBeCloseTo(20, 4)
    board.updateElement(id, { label: '   ' })
    expect(drawnLabel(board, id)).toBeUndefined()
  })

  it("a label taller than its shape widens the shape's bounds; a click on the words picks an unfilled shape", () => {
    const { board, id, read } = rectBoard({ height: 20 })
    const before = elementRect(read())
    board.updateElement(id, { label: 'a\nb\nc\nd' })
    const after = elementRect(read())
    // Four lines of 25 around a centre at y = 60.
    expect(after.minY).toBeLessThanOrEqual(60 - 50)
    expect(after.maxY).toBeGreaterThanOrEqual(60 + 50)
    expect(after.minY).toBeLessThan(before.minY)
    // The middle of an unfilled rectangle is no hit without a label, and is on its words with one.
    const plain = rectBoard()
    expect(hitsElement(plain.read(), 200, 100, 1)).toBe(false)
    plain.board.updateElement(plain.id, { label: 'Words' })
    expect(hitsElement(plain.read(), 200, 100, 1)).toBe(true)
  })
})
