// Export of every element kind to PNG, SVG and PDF, read back by parsers; one file because the kinds share their fixtures.
import { Canvas, loadImage } from '@napi-rs/canvas'
import { XMLParser } from 'fast-xml-parser'
import type { Group } from 'konva/lib/Group'
import type { Text } from 'konva/lib/shapes/Text'
import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  type PDFNumber,
  type PDFPage,
  PDFRawStream,
  type PDFRef,
} from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { Board, type BoardElement, ElementKind, elementRect } from '../../src/shared/board'
import { openBoardFile } from '../../src/shared/boardFile'
import {
  darkModeColor,
  type ExportLayout,
  type ExportOptions,
  exportBoard,
  exportLayout,
  extractEmbeddedBoard,
} from '../../src/shared/export'
import { type Rect, unionRects } from '../../src/shared/geometry'
import { createElementNode } from '../../src/shared/scene'
import {
  ALL_KINDS,
  allKindsBoard,
  compareImages,
  decodeImage,
  IMAGE_LEFT,
  IMAGE_RIGHT,
  pixelOf,
  sceneReference,
  twoColourImage,
} from './exportFixtures'

// One board with every kind of element (a moved and turned stroke, a highlighter, a filled dashed rectangle, a
// turned ellipse, a line, a dashed arrow with two heads, a text, a note and an image), exported to every format.

const base: Partial<ExportOptions> = { scale: 2, padding: 10, background: 'white' }

type Pixels = { width: number; height: number; data: ArrayLike<number> }

function rgbaAt(img: Pixels, px: number, py: number): number[] {
  const i = (py * img.width + px) * 4
  return [0, 1, 2, 3].map((c) => img.data[i + c] as number)
}

function distance(rgba: number[], hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16)
  const want = [(n >> 16) & 255, (n >> 8) & 255, n & 255]
  return Math.max(...want.map((v, c) => Math.abs((rgba[c] as number) - v)))
}

/** Whether a pixel within `radius` px of a board point is the colour (#rrggbb), within a channel tolerance. */
function colourNear(
  img: Pixels,
  layout: ExportLayout,
  x: number,
  y: number,
  hex: string,
  tolerance = 8,
  radius = 2,
) {
  const { px, py } = pixelOf(layout, x, y)
  for (let dy = -radius; dy <= radius; dy++)
    for (let dx = -radius; dx <= radius; dx++)
      if (distance(rgbaAt(img, px + dx, py + dy), hex) <= tolerance) return true
  return false
}

/** How many pixels in a board rectangle are the colour, within a tolerance. */
function countColour(img: Pixels, layout: ExportLayout, r: Rect, hex: string, tolerance: number): number {
  const a = pixelOf(layout, r.minX, r.minY)
  const b = pixelOf(layout, r.maxX, r.maxY)
  let n = 0
  for (let py = a.py; py < b.py; py++)
    for (let px = a.px; px < b.px; px++) if (distance(rgbaAt(img, px, py), hex) <= tolerance) n++
  return n
}

const K = ALL_KINDS
const PAPER = '#ffffff'
/** The highlighter over the rectangle's fill, multiplied at 40%: (165, 201, 177). Plain 40% ink would be (201, 214, 177). */
const HIGHLIGHT_ON_FILL = '#a5c9b1'

/** What a user sees of every element, checked at its own place on an exported image. */
function expectEveryElementAtItsPlace(img: Pixels, layout: ExportLayout, tolerance: number) {
  const s = K.stroke
  expect(colourNear(img, layout, s.x, (s.yFrom + s.yTo) / 2, s.color, tolerance), 'turned stroke').toBe(true)
  expect(colourNear(img, layout, s.x, s.yTo - 10, s.color, tolerance), 'turned stroke, lower').toBe(true)
  expect(
    colourNear(img, layout, s.unturned.x, s.unturned.y, PAPER, 6, 0),
    'no stroke where it was before',
  ).toBe(true)

  expect(colourNear(img, layout, 280, 100, K.rect.fill, tolerance), 'rectangle fill').toBe(true)
  expect(
    colourNear(img, layout, 300, K.highlighter.y, HIGHLIGHT_ON_FILL, tolerance, 0),
    'highlighter, multiplied',
  ).toBe(true)
  // The dashed top edge: red dashes and gaps.
  const edge = Array.from({ length: 60 }, (_, i) =>
    colourNear(img, layout, 210 + i * 2, K.rect.y, K.rect.stroke, tolerance, 0),
  )
  expect(edge.filter(Boolean).length, 'dashes').toBeGreaterThan(10)
  expect(edge.filter((on) => !on).length, 'gaps').toBeGreaterThan(10)

  // The ellipse's curve where its turned right end is, and paper where the unturned one would be.
  const e = K.ellipse
  const a = (e.rotation * Math.PI) / 180
  const cx = e.x + e.width / 2
  const cy = e.y + e.height / 2
  const rx = e.width / 2
  expect(
    colourNear(img, layout, cx + rx * Math.cos(a), cy + rx * Math.sin(a), e.stroke, tolerance),
    'ellipse',
  ).toBe(true)
  expect(colourNear(img, layout, cx + rx + 2, cy, PAPER, 6, 0), 'ellipse not unturned').toBe(true)

  expect(colourNear(img, layout, K.line.x + 100, K.line.y, K.line.stroke, tolerance), 'line').toBe(true)
  expect(
    colourNear(img, layout, K.line.x + 200, K.line.y + 30, K.line.stroke, tolerance),
    'line corner',
  ).toBe(true)

  // Both arrowheads: just inside each tip, where the head is wider than the shaft.
  const [, , ax, ay] = K.arrow.points
  const len = Math.hypot(ax, ay)
  const ux = ax / len
  const uy = ay / len
  const tip = { x: K.arrow.x + ax, y: K.arrow.y + ay }
  const head = (x: number, y: number) => colourNear(img, layout, x, y, K.arrow.stroke, tolerance, 0)
  expect(head(tip.x - 10 * ux - 4 * uy, tip.y - 10 * uy + 4 * ux), 'end head').toBe(true)
  expect(head(K.arrow.x + 10 * ux - 4 * uy, K.arrow.y + 10 * uy + 4 * ux), 'start head').toBe(true)
  const shaft = Array.from({ length: 60 }, (_, i) => {
    const t = 0.2 + i * 0.01
    return head(K.arrow.x + ax * t, K.arrow.y + ay * t)
  })
  expect(shaft.filter(Boolean).length, 'arrow dashes').toBeGreaterThan(10)
  expect(shaft.filter((on) => !on).length, 'arrow gaps').toBeGreaterThan(10)

  const t = K.text
  const textBox = { minX: t.x, minY: t.y, maxX: t.x + 220, maxY: t.y + t.fontSize * 1.25 }
  expect(countColour(img, layout, textBox, t.color, tolerance), 'text ink').toBeGreaterThan(400)

  const n = K.note
  expect(colourNear(img, layout, n.x + n.width - 8, n.y + n.height - 8, n.fill, tolerance), 'note fill').toBe(
    true,
  )
  const noteBox = { minX: n.x, minY: n.y, maxX: n.x + n.width, maxY: n.y + n.height }
  expect(countColour(img, layout, noteBox, '#1e1e1e', tolerance), 'note text').toBeGreaterThan(400)

  const i = K.image
  expect(
    colourNear(img, layout, i.x + i.width / 4, i.y + i.height / 2, IMAGE_LEFT, tolerance),
    'image left',
  ).toBe(true)
  expect(
    colourNear(img, layout, i.x + (3 * i.width) / 4, i.y + i.height / 2, IMAGE_RIGHT, tolerance),
    'image right',
  ).toBe(true)
}

function parseSvg(bytes: Uint8Array | undefined) {
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    preserveOrder: true,
    textNodeName: '#text',
  }).parse(new TextDecoder().decode(bytes)) as SvgNode[]
}
type SvgNode = Record<string, SvgNode[]> & { ':@'?: Record<string, string> }

/** Every element of a parsed SVG (preserveOrder form), depth first, with its tag and attributes. */
function svgElements(
  nodes: SvgNode[],
): { tag: string; attrs: Record<string, string>; children: SvgNode[] }[] {
  const out: { tag: string; attrs: Record<string, string>; children: SvgNode[] }[] = []
  for (const node of nodes) {
    for (const [tag, children] of Object.entries(node)) {
      if (tag === ':@' || tag === '#text' || tag === '?xml') continue
      out.push({ tag, attrs: node[':@'] ?? {}, children: children as SvgNode[] })
      out.push(...svgElements(children as SvgNode[]))
    }
  }
  return out
}

function textOf(children: SvgNode[]): string {
  return children
    .map((c) =>
      Object.entries(c)
        .map(([tag, kids]) =>
          tag === '#text' ? String(kids) : tag === ':@' ? '' : textOf(kids as SvgNode[]),
        )
        .join(''),
    )
    .join('')
}

/** The decoded text of a page's content streams. */
function pageContent(pdf: PDFDocument, page: PDFPage): string {
  const contents = page.node.Contents()
  const streams: PDFRawStream[] = []
  if (contents instanceof PDFRawStream) streams.push(contents)
  else if (contents instanceof PDFArray)
    for (const ref of contents.asArray()) streams.push(pdf.context.lookup(ref as PDFRef) as PDFRawStream)
  return streams.map((s) => new TextDecoder('latin1').decode(decodePDFRawStream(s).decode())).join('\n')
}

/** The strings a PDF content stream shows with Tj (hex strings decoded as WinAnsi/Latin-1). */
function shownTexts(content: string): string[] {
  return [...content.matchAll(/<([0-9A-Fa-f]*)> Tj/g)].map((m) =>
    (m[1]?.match(/../g) ?? []).map((h) => String.fromCharCode(Number.parseInt(h, 16))).join(''),
  )
}

type M = [number, number, number, number, number, number]
/** PDF matrix product m × n (row vectors, as PDF composes a `cm` onto the current matrix). */
const times = (m: M, n: M): M => [
  m[0] * n[0] + m[1] * n[2],
  m[0] * n[1] + m[1] * n[3],
  m[2] * n[0] + m[3] * n[2],
  m[2] * n[1] + m[3] * n[3],
  m[4] * n[0] + m[5] * n[2] + n[4],
  m[4] * n[1] + m[5] * n[3] + n[5],
]
const apply = (m: M, x: number, y: number) => ({
  x: m[0] * x + m[2] * y + m[4],
  y: m[1] * x + m[3] * y + m[5],
})

/**
 * Where a PDF page puts its texts and images: a small interpreter of the content stream's graphics state (q, Q, cm,
 * Tm), giving the matrix each Tj and Do is drawn with, in page space (points, y up).
 */
function placements(content: string): { op: 'Tj' | 'Do'; what: string; matrix: M }[] {
  const out: { op: 'Tj' | 'Do'; what: string; matrix: M }[] = []
  const stack: M[] = []
  let ctm: M = [1, 0, 0, 1, 0, 0]
  let tm: M = [1, 0, 0, 1, 0, 0]
  for (const line of content.split('\n')) {
    const parts = line.trim().split(/\s+/)
    const op = parts.at(-1)
    const nums = parts.slice(0, -1).map(Number) as M
    if (op === 'q') stack.push(ctm)
    else if (op === 'Q') ctm = stack.pop() as M
    else if (op === 'cm') ctm = times(nums, ctm)
    else if (op === 'Tm') tm = nums
    else if (op === 'Tj') out.push({ op, what: shownTexts(line)[0] as string, matrix: times(tm, ctm) })
    else if (op === 'Do') out.push({ op, what: parts[0] as string, matrix: ctm })
  }
  return out
}

/** A page point (y up) as a board point, for an export's layout. */
function boardPoint(layout: ExportLayout, p: { x: number; y: number }) {
  return {
    x: layout.rect.minX + p.x / layout.scale,
    y: layout.rect.minY + (layout.height - p.y) / layout.scale,
  }
}

/** The page's image XObjects: width, height. */
function pageImages(page: PDFPage): { width: number; height: number }[] {
  const xobjects = page.node.Resources()?.lookup(PDFName.of('XObject'))
  if (!(xobjects instanceof PDFDict)) return []
  return xobjects.keys().map((key) => {
    const stream = page.doc.context.lookup(xobjects.get(key)) as PDFRawStream
    expect(stream.dict.get(PDFName.of('Subtype'))).toBe(PDFName.of('Image'))
    const size = (name: string) => (stream.dict.get(PDFName.of(name)) as PDFNumber).asNumber()
    return { width: size('Width'), height: size('Height') }
  })
}

function noteLines(board: Board): string[] {
  const note = board.readElements().find((e) => e.kind === ElementKind.Note) as BoardElement
  const group = createElementNode(board, note.id) as Group
  const lines = (group.getChildren()[1] as Text).textArr.map((l) => l.text)
  group.destroy()
  return lines
}

describe('every kind of element', () => {
  it('the board really holds every kind, so that each check below is about one of them', () => {
    const kinds = allKindsBoard()
      .readElements()
      .map((e) => e.kind)
    expect(new Set(kinds)).toEqual(new Set(Object.values(ElementKind)))
  })

  it('the export rectangle is the union of every element bounds; the selection is the union of its rects', () => {
    const board = allKindsBoard()
    const all = exportLayout(board, { ...base, padding: 0 })
    const union = unionRects(board.readElements().map(elementRect)) as Rect
    expect(all.rect.minX).toBeCloseTo(union.minX, 6)
    expect(all.rect.minY).toBeCloseTo(union.minY, 6)
    expect(all.width).toBe(Math.ceil((union.maxX - union.minX) * 2 - 1e-6))
    expect(all.items.map((i) => i.element.id)).toEqual(board.elementIds())

    const picked = board.readElements().filter((e) => e.kind === 'text' || e.kind === 'image')
    const selection = exportLayout(board, {
      ...base,
      padding: 0,
      area: 'selection',
      selection: picked.map((e) => e.id),
    })
    const rect = unionRects(picked.map(elementRect)) as Rect
    expect(selection.items.map((i) => i.element.kind)).toEqual(['text', 'image'])
    expect(selection.rect.minX).toBeCloseTo(rect.minX, 6)
    expect(selection.rect.minY).toBeCloseTo(rect.minY, 6)
    expect(selection.height).toBe(Math.ceil((rect.maxY - rect.minY) * 2 - 1e-6))
  })

  for (const format of ['png', 'jpeg', 'webp'] as const) {
    it(`${format}: equals the scene's own rendering, and every element is at its place`, async () => {
      const board = allKindsBoard()
      const options = { ...base, format, quality: 1 }
      const layout = exportLayout(board, options)
      const image = await decodeImage((await exportBoard(board, options)).bytes as Uint8Array)
      expect([image.width, image.height]).toEqual([layout.width, layout.height])
      const diff = compareImages(image.data, await sceneReference(board, layout), format === 'png' ? 2 : 40)
      expect(diff.offShare).toBeLessThan(format === 'png' ? 0.0001 : 0.01)
      expectEveryElementAtItsPlace(image, layout, format === 'png' ? 8 : 40)
    })
  }

  it('png in tiles (bands of rows, tiles across) equals the one-canvas rendering with every kind', async () => {
    // Spread the elements over more than one 4,096 px tile: 2,400 units at 2x with the image far right.
    const board = allKindsBoard()
    const image = board.readElements().find((e) => e.kind === 'image') as BoardElement
    board.updateElement(image.id, { x: 2_400 })
    const options = { ...base, scale: 2 }
    const layout = exportLayout(board, options)
    expect(layout.width).toBeGreaterThan(4096)
    const png = await decodeImage((await exportBoard(board, options)).bytes as Uint8Array)
    const diff = compareImages(png.data, await sceneReference(board, layout), 16)
    expect(diff.offShare).toBeLessThan(0.00001)
    expect(colourNear(png, layout, 2_400 + 20, K.image.y + 20, IMAGE_LEFT, 4)).toBe(true)
  })

  it('svg: vectors and text per kind — paths, rect, ellipse, text lines as the screen wraps them, the image', async () => {
    const board = allKindsBoard()
    const result = await exportBoard(board, { ...base, format: 'svg' })
    const all = svgElements(parseSvg(result.bytes))
    const count = (tag: string) => all.filter((e) => e.tag === tag).length
    // Two strokes (the pen and the highlighter), the line, the arrow's shaft and its two heads.
    expect(count('path')).toBe(2 + 1 + 3)
    // The background, the rectangle, the note and the frame.
    expect(count('rect')).toBe(4)
    expect(count('ellipse')).toBe(1)
    // The text, the note and the frame's name.
    expect(count('text')).toBe(3)
    expect(count('image')).toBe(1)

    const rect = all.find((e) => e.tag === 'rect' && e.attrs.stroke === K.rect.stroke)?.attrs
    expect(rect).toMatchObject({ fill: K.rect.fill, 'stroke-width': '4', 'stroke-dasharray': '16 12' })
    const ellipse = all.find((e) => e.tag === 'ellipse')?.attrs ?? {}
    const cos = Math.cos((K.ellipse.rotation * Math.PI) / 180).toFixed(6)
    expect(ellipse.transform).toMatch(new RegExp(`^matrix\\(${cos} `))
    const strokes = all.filter((e) => e.tag === 'path' && e.attrs.fill === K.stroke.color)
    expect(strokes).toHaveLength(1)
    // Turned 90°: the matrix is (0 1 -1 0 e f).
    expect(strokes[0]?.attrs.transform).toMatch(/^matrix\(0 1 -1 0 /)
    const highlighter = all.find((e) => e.tag === 'path' && e.attrs.fill === K.highlighter.color)?.attrs
    expect(highlighter).toMatchObject({ opacity: '0.4', style: 'mix-blend-mode:multiply' })
    const arrowHeads = all.filter((e) => e.tag === 'path' && e.attrs.fill === K.arrow.stroke)
    expect(arrowHeads).toHaveLength(2)
    const shaft = all.find(
      (e) => e.tag === 'path' && e.attrs.stroke === K.arrow.stroke && e.attrs.fill === 'none',
    )
    expect(shaft?.attrs['stroke-dasharray']).toBe('16 12')

    // The frame, at the bottom: its outline, its name above it.
    const frameRect = all.find((e) => e.tag === 'rect' && e.attrs.width === String(K.frame.width))?.attrs
    expect(frameRect).toMatchObject({ height: String(K.frame.height), fill: 'none', stroke: '#868e96' })
    const [label, ...texts] = all.filter((e) => e.tag === 'text')
    expect(textOf(label?.children ?? [])).toBe(K.frame.name)
    expect(texts[0]?.attrs).toMatchObject({
      'font-family': 'sans-serif',
      'font-size': '32',
      fill: K.text.color,
    })
    expect(textOf(texts[0]?.children ?? [])).toBe(K.text.text)
    // The note's text: one <tspan> per line, the lines Konva.Text wraps it into on screen.
    const spans = all.filter((e) => e.tag === 'tspan')
    const lines = noteLines(board)
    expect(lines.length).toBeGreaterThan(2)
    expect(spans.slice(2).map((s) => textOf(s.children))).toEqual(lines)
    const noteRect = all.find((e) => e.tag === 'rect' && e.attrs.fill === K.note.fill)?.attrs
    expect(noteRect).toMatchObject({ width: String(K.note.width), height: String(K.note.height) })

    const href = all.find((e) => e.tag === 'image')?.attrs.href ?? ''
    expect(href.startsWith('data:image/png;base64,')).toBe(true)
    expect(new Uint8Array(Buffer.from(href.split(',')[1] as string, 'base64'))).toEqual(twoColourImage())
  })

  it('svg: drawn by another renderer (Skia), it looks like the screen', async () => {
    const board = allKindsBoard()
    const layout = exportLayout(board, base)
    const svg = (await exportBoard(board, { ...base, format: 'svg' })).bytes as Uint8Array
    const img = await loadImage(Buffer.from(svg))
    const canvas = new Canvas(layout.width, layout.height)
    canvas.getContext('2d').drawImage(img, 0, 0)
    const pixels = canvas.getContext('2d').getImageData(0, 0, layout.width, layout.height)
    const rendered = { width: layout.width, height: layout.height, data: pixels.data }
    // Skia's SVG renderer ignores mix-blend-mode: leave the highlighter out of the comparison.
    const reference = await sceneReference(board, layout)
    const hl = board.readElements().find((e) => e.kind === 'stroke' && e.highlighter) as BoardElement
    const skip = elementRect(hl)
    const a = pixelOf(layout, skip.minX, skip.minY)
    const b = pixelOf(layout, skip.maxX, skip.maxY)
    const masked = Uint8ClampedArray.from(rendered.data)
    for (let py = Math.max(0, a.py - 2); py < Math.min(layout.height, b.py + 2); py++)
      for (let px = Math.max(0, a.px - 2); px < Math.min(layout.width, b.px + 2); px++)
        for (let c = 0; c < 4; c++)
          masked[(py * layout.width + px) * 4 + c] = reference[(py * layout.width + px) * 4 + c] as number
    const diff = compareImages(masked, reference, 48)
    expect(diff.offShare).toBeLessThan(0.003)
  })

  it('pdf: one page, vector paths, Helvetica text with the words, the image as an XObject', async () => {
    const board = allKindsBoard()
    const layout = exportLayout(board, { ...base, format: 'pdf' })
    const result = await exportBoard(board, { ...base, format: 'pdf' })
    const pdf = await PDFDocument.load(result.bytes as Uint8Array)
    expect(pdf.getPageCount()).toBe(1)
    const page = pdf.getPage(0)
    expect(page.getSize()).toEqual({ width: layout.width, height: layout.height })
    const content = pageContent(pdf, page)
    // Vectors: moves, lines, curves (the ellipse and the note's corners), rectangles, fills and strokes.
    expect(content.match(/ m$/gm)?.length).toBeGreaterThanOrEqual(6)
    expect(content.match(/ l$/gm)?.length).toBeGreaterThan(50)
    expect(content.match(/ c$/gm)?.length).toBeGreaterThanOrEqual(4 + 4)
    expect(content).toMatch(/^0 0 160 100 re$/m)
    // The dashes of the rectangle and the arrow.
    expect(content).toMatch(/^\[16 12\] 0 d$/m)
    expect(content.match(/^B$/gm)?.length).toBeGreaterThanOrEqual(3)
    expect(content.match(/^S$/gm)?.length).toBeGreaterThanOrEqual(3)
    // Text: the text and every line of the note, shown with Tj in Helvetica.
    expect(shownTexts(content)).toEqual([K.frame.name, K.text.text, ...noteLines(board)])
    expect(content).toMatch(/^\/F0 32 Tf$/m)
    const fonts = page.node.Resources()?.lookup(PDFName.of('Font')) as PDFDict
    const font = pdf.context.lookup(fonts.get(PDFName.of('F0'))) as PDFDict
    expect(font.get(PDFName.of('BaseFont'))).toBe(PDFName.of('Helvetica'))
    // The image: one XObject of its pixel size, drawn with Do.
    expect(pageImages(page)).toEqual([{ width: 64, height: 32 }])
    expect(content).toMatch(/\/Im0 Do/)
    // The highlighter's graphics state: 40% and Multiply.
    const states = page.node.Resources()?.lookup(PDFName.of('ExtGState')) as PDFDict
    const modes = states
      .keys()
      .map((k) => (pdf.context.lookup(states.get(k)) as PDFDict).get(PDFName.of('BM')))
    expect(modes).toContain(PDFName.of('Multiply'))
    expect(result.notes).toEqual([])
  })

  it('pdf: text stands upright on its line and the image sits upright in its box, where the board has them', async () => {
    const board = allKindsBoard()
    const layout = exportLayout(board, { ...base, format: 'pdf' })
    const pdf = await PDFDocument.load(
      (await exportBoard(board, { ...base, format: 'pdf' })).bytes as Uint8Array,
    )
    const placed = placements(pageContent(pdf, pdf.getPage(0)))
    const hello = placed.find((p) => p.op === 'Tj' && p.what === K.text.text) as (typeof placed)[number]
    // Glyphs go right and up on the page (not mirrored, not upside down).
    const origin = apply(hello.matrix, 0, 0)
    expect(apply(hello.matrix, 1, 0).x - origin.x).toBeGreaterThan(0)
    expect(apply(hello.matrix, 0, 1).y - origin.y).toBeGreaterThan(0)
    // The baseline starts at the text's left edge, inside its first line.
    const start = boardPoint(layout, origin)
    expect(start.x).toBeCloseTo(K.text.x, 1)
    expect(start.y).toBeGreaterThan(K.text.y + K.text.fontSize * 0.5)
    expect(start.y).toBeLessThan(K.text.y + K.text.fontSize * 1.25)
    // The image's unit square: its top-left corner (0, 1) on the element's top-left, (1, 0) on its bottom-right.
    const image = placed.find((p) => p.op === 'Do') as (typeof placed)[number]
    const topLeft = boardPoint(layout, apply(image.matrix, 0, 1))
    const bottomRight = boardPoint(layout, apply(image.matrix, 1, 0))
    expect(topLeft.x).toBeCloseTo(K.image.x, 1)
    expect(topLeft.y).toBeCloseTo(K.image.y, 1)
    expect(bottomRight.x).toBeCloseTo(K.image.x + K.image.width, 1)
    expect(bottomRight.y).toBeCloseTo(K.image.y + K.image.height, 1)
  })

  it('pdf: a WebP image goes in as PNG (PDF holds only PNG and JPEG), a JPEG as it is', async () => {
    for (const format of ['webp', 'jpeg'] as const) {
      const board = allKindsBoard(format)
      const pdf = await PDFDocument.load((await exportBoard(board, { format: 'pdf' })).bytes as Uint8Array)
      const page = pdf.getPage(0)
      expect(pageImages(page)).toEqual([{ width: 64, height: 32 }])
      const xobjects = page.node.Resources()?.lookup(PDFName.of('XObject')) as PDFDict
      const stream = pdf.context.lookup(xobjects.get(PDFName.of('Im0'))) as PDFRawStream
      expect(stream.dict.get(PDFName.of('Filter'))).toBe(
        PDFName.of(format === 'jpeg' ? 'DCTDecode' : 'FlateDecode'),
      )
    }
  })

  it('pdf: characters Helvetica lacks show as "?" and the export says so', async () => {
    const board = allKindsBoard()
    board.addText({ x: 0, y: 600, text: 'Grüße → 東京' })
    const result = await exportBoard(board, { format: 'pdf' })
    const pdf = await PDFDocument.load(result.bytes as Uint8Array)
    expect(shownTexts(pageContent(pdf, pdf.getPage(0)))).toContain('Grüße ? ??')
    expect(result.notes.join()).toMatch(/Helvetica, which lacks some characters/)
  })

  for (const format of ['png', 'svg'] as const) {
    it(`${format}: the embedded board round-trips with every kind and the image bytes`, async () => {
      const board = allKindsBoard()
      const result = await exportBoard(board, { format, embedBoard: true })
      const restored = openBoardFile(extractEmbeddedBoard(result.bytes as Uint8Array) as Uint8Array)
      const plain = (b: Board) =>
        b
          .readElements()
          .map((e) =>
            'points' in e && e.points instanceof Float32Array ? { ...e, points: [...e.points] } : e,
          )
      expect(plain(restored)).toEqual(plain(board))
      const image = restored.readElements().find((e) => e.kind === 'image')
      expect(image && restored.asset((image as { assetId: string }).assetId)?.bytes).toEqual(twoColourImage())
    })
  }

  it('dark: colours as the dark theme shows them, the image as it is, the highlighter screened', async () => {
    const board = allKindsBoard()
    const options = { ...base, background: 'board' as const, dark: true }
    const layout = exportLayout(board, options)
    const img = await decodeImage((await exportBoard(board, options)).bytes as Uint8Array)
    expect(colourNear(img, layout, K.stroke.unturned.x, K.stroke.unturned.y, '#121212', 2, 0)).toBe(true)
    expect(colourNear(img, layout, K.line.x + 100, K.line.y, '#e0e0e0', 24)).toBe(true)
    expect(colourNear(img, layout, K.image.x + 20, K.image.y + 20, IMAGE_LEFT, 4)).toBe(true)
    // The dark theme inverts the light rendering, where the highlighter multiplies: inverted, that is screen.
    const rgb = (hex: string) =>
      [16, 8, 0].map((sh) => ((Number.parseInt(hex.slice(1), 16) >> sh) & 255) / 255)
    const fill = rgb(darkModeColor(K.rect.fill))
    const ink = rgb(darkModeColor(K.highlighter.color))
    const screened = fill.map((f, c) => f * 0.6 + (f + (ink[c] as number) - f * (ink[c] as number)) * 0.4)
    const hex = `#${screened
      .map((v) =>
        Math.round(v * 255)
          .toString(16)
          .padStart(2, '0'),
      )
      .join('')}`
    expect(colourNear(img, layout, 300, K.highlighter.y, hex, 3, 0)).toBe(true)
    const svg = new TextDecoder().decode((await exportBoard(board, { ...options, format: 'svg' })).bytes)
    expect(svg).toContain('style="mix-blend-mode:screen"')
    expect(svg).not.toContain(`fill="${K.rect.fill}"`)
  })

  it('a text whose long word the screen breaks over several lines is exported whole, not cut at the bottom', async () => {
    const board = new Board()
    const id = board.addText({
      x: 0,
      y: 0,
      width: 120,
      fontSize: 24,
      color: '#000000',
      text: 'Supercalifragilisticexpialidocious is long',
    })
    const node = createElementNode(board, id) as Text
    const lines = node.textArr.length
    node.destroy()
    expect(lines).toBeGreaterThan(3)
    const layout = exportLayout(board, { ...base, padding: 0 })
    expect(layout.rect.maxY).toBeGreaterThanOrEqual(lines * 24 * 1.25)
    const img = await decodeImage((await exportBoard(board, { ...base, padding: 0 })).bytes as Uint8Array)
    const last = { minX: 0, minY: (lines - 1) * 30, maxX: 120, maxY: lines * 30 }
    expect(countColour(img, layout, last, '#000000', 60)).toBeGreaterThan(50)
  })

  it('the board colour is the background the board chose', async () => {
    const board = allKindsBoard()
    board.transact(() => board.meta.set('background', '#fffce8'))
    const layout = exportLayout(board, { background: 'board' })
    expect(layout.background).toBe('#fffce8')
    expect(exportLayout(board, { background: 'white' }).background).toBe('#ffffff')
  })
})

describe('a board with an image and text exports both', () => {
  function imageAndText(): Board {
    const board = allKindsBoard()
    const keep = new Set(['text', 'image'])
    board.deleteElements(
      board
        .readElements()
        .filter((e) => !keep.has(e.kind))
        .map((e) => e.id),
    )
    return board
  }

  it('png: the image pixels and the text ink are there', async () => {
    const board = imageAndText()
    const layout = exportLayout(board, base)
    const img = await decodeImage((await exportBoard(board, base)).bytes as Uint8Array)
    const i = K.image
    expect(colourNear(img, layout, i.x + i.width / 4, i.y + i.height / 2, IMAGE_LEFT, 2)).toBe(true)
    expect(colourNear(img, layout, i.x + (3 * i.width) / 4, i.y + i.height / 2, IMAGE_RIGHT, 2)).toBe(true)
    const t = K.text
    const box = { minX: t.x, minY: t.y, maxX: t.x + 220, maxY: t.y + t.fontSize * 1.25 }
    expect(countColour(img, layout, box, t.color, 8)).toBeGreaterThan(400)
  })

  it('svg: an <image> with the bytes and a <text> with the words', async () => {
    const board = imageAndText()
    const all = svgElements(parseSvg((await exportBoard(board, { format: 'svg' })).bytes))
    expect(all.filter((e) => e.tag === 'image')).toHaveLength(1)
    const text = all.filter((e) => e.tag === 'text')
    expect(text.map((t) => textOf(t.children))).toEqual([K.text.text])
  })

  it('pdf: an image XObject and the words in a text object', async () => {
    const board = imageAndText()
    const pdf = await PDFDocument.load((await exportBoard(board, { format: 'pdf' })).bytes as Uint8Array)
    const page = pdf.getPage(0)
    expect(pageImages(page)).toHaveLength(1)
    const content = pageContent(pdf, page)
    expect(content).toMatch(/^BT$/m)
    expect(shownTexts(content)).toEqual([K.text.text])
  })
})
