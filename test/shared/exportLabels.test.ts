// Labels of shapes and arrows in every export format (issue 13): the words are in the file, centred on their shape.
import '../../src/main/host/export/nodeCanvas'
import { decodePDFRawStream, PDFArray, PDFDocument, PDFRawStream, type PDFRef } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { Board, ELEMENT_DEFAULTS, ElementKind } from '../../src/shared/board'
import { textWidth } from '../../src/shared/elements/text'
import { type ExportOptions, exportBoard, exportLayout } from '../../src/shared/export'
import { decodeImage, pixelOf } from './exportFixtures'

const RED = '#e03131'
const BLUE = '#1971c2'
const base: Partial<ExportOptions> = { scale: 2, padding: 10, background: 'white' }

/** A rectangle labelled in red and an arrow labelled in blue, both unfilled. */
function labelledBoard() {
  const board = new Board(undefined, 'ann')
  const rect = board.addShape(ElementKind.Rect, { x: 100, y: 50, width: 240, height: 120 })
  board.updateElement(rect, { label: 'Hello world', labelColor: RED, labelFontSize: 24 })
  const arrow = board.addShape(ElementKind.Arrow, { x: 100, y: 300, points: [0, 0, 400, 0] })
  board.updateElement(arrow, { label: 'next', labelColor: BLUE })
  return board
}

describe('labels in exports', () => {
  it('svg: each label is a <text> centred on its shape, in its colour', async () => {
    const result = await exportBoard(labelledBoard(), { ...base, format: 'svg' })
    const svg = new TextDecoder().decode(result.bytes)
    const group = svg.match(/<g transform="translate\(([\d.]+) ([\d.]+)\)">(.*?)<\/g>/g) ?? []
    const found = group.map((g) => {
      const [, tx, ty] = g.match(/translate\(([\d.]+) ([\d.]+)\)/) as string[]
      const text = g.match(
        /<text [^>]*fill="(#[0-9a-f]{6})"[^>]*><tspan x="([\d.-]+)" y="([\d.-]+)"[^>]*>([^<]*)</,
      )
      return text
        ? {
            tx: Number(tx),
            ty: Number(ty),
            color: text[1],
            x: Number(text[2]),
            y: Number(text[3]),
            words: text[4],
          }
        : undefined
    })
    const hello = found.find((f) => f?.words === 'Hello world')
    const next = found.find((f) => f?.words === 'next')
    expect(hello?.color).toBe(RED)
    expect(next?.color).toBe(BLUE)
    // Centred: the line's middle on the shape's centre (220, 110), its baseline a little below the middle.
    const helloMid = (hello?.tx ?? 0) + (hello?.x ?? 0) + textWidth('Hello world', 24, 'sans-serif') / 2
    expect(helloMid).toBeCloseTo(220, 0)
    const baseline = (hello?.ty ?? 0) + (hello?.y ?? 0)
    expect(baseline).toBeGreaterThan(110)
    expect(baseline).toBeLessThan(110 + 24)
    // The arrow's label at its midpoint (300, 300), its shaft cut in two around the words.
    const nextWidth = textWidth('next', ELEMENT_DEFAULTS.labelFontSize, 'sans-serif')
    const nextMid = (next?.tx ?? 0) + (next?.x ?? 0) + nextWidth / 2
    expect(nextMid).toBeCloseTo(300, 0)
    const arrow = group.find((g) => g.includes('>next<')) as string
    const shafts = [...arrow.matchAll(/fill="none"[^>]* d="M([\d.]+) 0L ([\d.]+) 0"/g)].map((m) => [
      Number(m[1]),
      Number(m[2]),
    ])
    expect(shafts).toEqual([
      [0, expect.closeTo(200 - nextWidth / 2 - 4, 0)],
      [expect.closeTo(200 + nextWidth / 2 + 4, 0), 400],
    ])
  })

  it('pdf: the label words are shown on the page', async () => {
    const result = await exportBoard(labelledBoard(), { ...base, format: 'pdf' })
    const pdf = await PDFDocument.load(result.bytes as Uint8Array)
    const page = pdf.getPage(0)
    const contents = page.node.Contents()
    const streams: PDFRawStream[] = []
    if (contents instanceof PDFRawStream) streams.push(contents)
    else if (contents instanceof PDFArray)
      for (const ref of contents.asArray()) streams.push(pdf.context.lookup(ref as PDFRef) as PDFRawStream)
    const content = streams
      .map((s) => new TextDecoder('latin1').decode(decodePDFRawStream(s).decode()))
      .join('\n')
    const shown = [...content.matchAll(/<([0-9A-Fa-f]*)> Tj/g)].map((m) =>
      (m[1]?.match(/../g) ?? []).map((h) => String.fromCharCode(Number.parseInt(h, 16))).join(''),
    )
    expect(shown).toContain('Hello world')
    expect(shown).toContain('next')
  })

  it('png: red words in the middle of the rectangle, none near its edges; blue words on the arrow, which stops short of them', async () => {
    const board = labelledBoard()
    const options = { ...base, format: 'png' as const }
    const layout = exportLayout(board, options)
    const image = await decodeImage((await exportBoard(board, options)).bytes as Uint8Array)
    const count = (minX: number, minY: number, maxX: number, maxY: number, hex: string) => {
      const n = Number.parseInt(hex.slice(1), 16)
      const want = [(n >> 16) & 255, (n >> 8) & 255, n & 255]
      const a = pixelOf(layout, minX, minY)
      const b = pixelOf(layout, maxX, maxY)
      let hits = 0
      for (let py = a.py; py < b.py; py++)
        for (let px = a.px; px < b.px; px++) {
          const i = (py * image.width + px) * 4
          if (want.every((v, c) => Math.abs((image.data[i + c] as number) - v) < 40)) hits++
        }
      return hits
    }
    expect(count(220 - 70, 110 - 15, 220 + 70, 110 + 15, RED)).toBeGreaterThan(200)
    expect(count(100, 50, 140, 170, RED) + count(300, 50, 340, 170, RED)).toBe(0)
    expect(count(300 - 30, 300 - 15, 300 + 30, 300 + 15, BLUE)).toBeGreaterThan(100)
    // The shaft (#1e1e1e) is drawn up to the words and not through them.
    expect(count(150, 298, 200, 302, '#1e1e1e')).toBeGreaterThan(100)
    expect(count(300 - 15, 298, 300 + 15, 302, '#1e1e1e')).toBe(0)
  })
})
