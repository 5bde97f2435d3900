import { XMLParser } from 'fast-xml-parser'
import { decodePDFRawStream, PDFDict, PDFDocument, PDFName, PDFRawStream, StandardFonts } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { Board, elementRect, type Stroke } from '../../src/shared/board'
import { openBoardFile } from '../../src/shared/boardFile'
import {
  bandPlan,
  darkModeColor,
  ExportError,
  type ExportItem,
  type ExportOptions,
  exportBoard,
  exportLayout,
  extractEmbeddedBoard,
  FORMATS,
} from '../../src/shared/export'
import { lacksWinAnsi } from '../../src/shared/export/winAnsi'
import { type Rect, unionRects } from '../../src/shared/geometry'
import {
  compareImages,
  decodeImage,
  KNOWN_STROKES,
  knownBoard,
  pixelOf,
  referencePixels,
} from './exportFixtures'

const base: Partial<ExportOptions> = { scale: 2, padding: 10 }

function rgbaAt(img: { width: number; data: ArrayLike<number> }, px: number, py: number): number[] {
  const i = (py * img.width + px) * 4
  return [0, 1, 2, 3].map((c) => img.data[i + c] as number)
}

/** Whether a pixel is close to a colour (#rrggbb), within a channel tolerance. */
function near(rgba: number[], hex: string, tolerance: number): boolean {
  const n = Number.parseInt(hex.slice(1), 16)
  const want = [(n >> 16) & 255, (n >> 8) & 255, n & 255]
  return want.every((v, c) => Math.abs((rgba[c] as number) - v) <= tolerance) && (rgba[3] as number) > 240
}

describe('exportLayout', () => {
  it('covers the bounds of every element (elementRect), plus padding, at the scale', () => {
    const board = knownBoard()
    const layout = exportLayout(board, { ...base, padding: 10 })
    const ink = unionRects(board.readElements().map(elementRect)) as Rect
    // The padding is 10 board units, 20 px at 2x.
    expect(layout.rect.minX).toBeCloseTo(ink.minX - 10, 6)
    expect(layout.rect.minY).toBeCloseTo(ink.minY - 10, 6)
    expect(layout.width).toBe(Math.ceil((ink.maxX - ink.minX) * 2 + 40 - 1e-6))
    expect(layout.items.map((i) => (i.element as Stroke).color)).toEqual(KNOWN_STROKES.map((s) => s.color))
  })

  it('gives a target width exactly', () => {
    const layout = exportLayout(knownBoard(), { targetWidth: 1000, padding: 20 })
    expect(layout.width).toBe(1000)
  })

  it('scales the padding with the image: 2× is the 1× export at twice the resolution, a width keeps the shape', () => {
    const board = knownBoard()
    const at1 = exportLayout(board, { scale: 1, padding: 16 })
    const at2 = exportLayout(board, { scale: 2, padding: 16 })
    // ceil(2x) is 2·ceil(x) or one less.
    expect([2 * at1.width - 1, 2 * at1.width]).toContain(at2.width)
    expect([2 * at1.height - 1, 2 * at1.height]).toContain(at2.height)
    expect(at2.rect.minX).toBeCloseTo(at1.rect.minX, 9)
    expect(at2.rect.minY).toBeCloseTo(at1.rect.minY, 9)
    const wide = exportLayout(board, { targetWidth: 3 * at1.width, padding: 16 })
    expect(wide.width).toBe(3 * at1.width)
    expect(Math.abs(wide.height - 3 * at1.height)).toBeLessThanOrEqual(3)
    expect(wide.rect.minX).toBeCloseTo(at1.rect.minX, 9)
  })

  it('exports only the selection, and the visible area as the view shows it', () => {
    const board = knownBoard()
    const ids = board.elementIds()
    const selection = exportLayout(board, { ...base, area: 'selection', selection: [ids[3] as string] })
    expect(selection.items).toHaveLength(1)
    expect((selection.items[0] as ExportItem).element).toMatchObject({ color: '#2f9e44' })
    const visible = exportLayout(board, {
      ...base,
      area: 'visible',
      viewport: { x: -10, y: -10, zoom: 2, width: 200, height: 100 },
    })
    expect(visible.rect).toEqual({ minX: -10, minY: -10, maxX: 90, maxY: 40 })
    expect(visible.width).toBe(200)
    // Only the black line at y = 0 is in that view.
    expect(visible.items.map((i) => (i.element as Stroke).color)).toEqual(['#1e1e1e'])
  })

  it('refuses an empty board, an empty selection and bad numbers with a clear message', () => {
    expect(() => exportLayout(new Board(), base)).toThrow(
      new ExportError('The board is empty: there is nothing to export.'),
    )
    expect(() => exportLayout(knownBoard(), { area: 'selection', selection: [] })).toThrow(
      /Nothing is selected/,
    )
    expect(() => exportLayout(knownBoard(), { scale: 5 })).toThrow(/scale must be a number from 1 to 4/)
    expect(() => exportLayout(knownBoard(), { padding: -1 })).toThrow(/padding/)
  })

  it('knows the characters of PDF export’s Helvetica exactly as pdf-lib has them', async () => {
    const font = await (await PDFDocument.create()).embedFont(StandardFonts.Helvetica)
    const has = new Set(font.getCharacterSet())
    const differ: number[] = []
    for (let code = 0x20; code < 0x3000; code++)
      if (lacksWinAnsi(String.fromCodePoint(code)) === has.has(code)) differ.push(code)
    expect(differ.map((c) => c.toString(16))).toEqual([])
  })

  it('puts JPEG and PDF on the board colour instead of transparency, and says so', () => {
    for (const format of ['jpeg', 'pdf'] as const) {
      const layout = exportLayout(knownBoard(), { format, background: 'transparent' })
      expect(layout.background).toBe('#ffffff')
      expect(layout.notes.join()).toMatch(/no transparency/)
    }
    expect(
      exportLayout(knownBoard(), { format: 'png', background: 'transparent' }).background,
    ).toBeUndefined()
  })

  it('clamps JPEG and WebP to what one canvas holds, and says so', () => {
    const board = knownBoard([
      {
        color: '#000000',
        width: 4,
        points: [
          [0, 0, 0.5],
          [30_000, 20, 0.5],
        ],
      },
    ])
    const layout = exportLayout(board, { format: 'webp', scale: 2 })
    expect(layout.width).toBeLessThanOrEqual(FORMATS.webp.maxSide)
    expect(layout.notes.join()).toMatch(/WebP holds at most/)
  })
})

describe('dark mode', () => {
  it('inverts like the dark theme: white paper becomes #121212, black ink becomes light', () => {
    expect(darkModeColor('#ffffff')).toBe('#121212')
    expect(darkModeColor('#000000')).toBe('#ededed')
    // A hue keeps roughly its hue: red stays reddish.
    const red = Number.parseInt(darkModeColor('#e03131').slice(1), 16)
    expect((red >> 16) & 255).toBeGreaterThan(red & 255)
  })
})

describe('raster exports match the scene rendering', () => {
  for (const format of ['png', 'jpeg', 'webp'] as const) {
    it(`${format}: pixel by pixel against the screen's Konva rendering, ink where the strokes are`, async () => {
      const board = knownBoard()
      const options = { ...base, format, background: 'white' as const, quality: 1 }
      const layout = exportLayout(board, options)
      const result = await exportBoard(board, options)
      expect(result.mime).toBe(FORMATS[format].mime)
      const image = await decodeImage(result.bytes as Uint8Array)
      expect([image.width, image.height]).toEqual([layout.width, layout.height])
      const reference = referencePixels(board, layout)
      // Lossless PNG is (nearly) exact; lossy formats get a tolerance near edges.
      const diff = compareImages(image.data, reference, format === 'png' ? 2 : 40)
      expect(diff.offShare).toBeLessThan(format === 'png' ? 0.0001 : 0.01)
      // Ink at every stroke's middle point, in its colour; paper away from all strokes.
      for (const s of KNOWN_STROKES) {
        const [x, y] = s.points[Math.floor(s.points.length / 2)] as number[]
        const { px, py } = pixelOf(layout, x as number, y as number)
        expect(near(rgbaAt(image, px, py), s.color, format === 'png' ? 2 : 40)).toBe(true)
      }
      for (const [x, y] of [
        [100, 40],
        [150, 220],
        [230, 100],
      ]) {
        const { px, py } = pixelOf(layout, x as number, y as number)
        expect(near(rgbaAt(image, px, py), '#ffffff', 6)).toBe(true)
      }
    })
  }

  it('png with a transparent background is transparent off the ink', async () => {
    const board = knownBoard()
    const result = await exportBoard(board, { ...base, background: 'transparent' })
    const image = await decodeImage(result.bytes as Uint8Array)
    expect(rgbaAt(image, 1, 1)[3]).toBe(0)
    const layout = exportLayout(board, { ...base })
    const { px, py } = pixelOf(layout, 100, 0)
    expect(rgbaAt(image, px, py)[3]).toBe(255)
  })

  it('dark: dark paper and light ink, as the dark theme draws them', async () => {
    const board = knownBoard()
    const options = { ...base, dark: true }
    const layout = exportLayout(board, options)
    const image = await decodeImage((await exportBoard(board, options)).bytes as Uint8Array)
    expect(near(rgbaAt(image, 1, 1), '#121212', 1)).toBe(true)
    const { px, py } = pixelOf(layout, 100, 0)
    expect(near(rgbaAt(image, px, py), darkModeColor('#1e1e1e'), 2)).toBe(true)
    const diff = compareImages(image.data, referencePixels(board, layout, darkModeColor), 2)
    expect(diff.offShare).toBeLessThan(0.0001)
  })

  it('a PNG made of several tiles equals the single-canvas rendering (no seams)', async () => {
    // 17,000 px wide: several tiles across (a tile is at most 4,096 px wide), ink on the seams.
    const strokes = [
      {
        color: '#1e1e1e',
        width: 6,
        points: Array.from({ length: 200 }, (_, i) => [i * 85, Math.sin(i / 7) * 80, 0.5]),
      },
      { color: '#e03131', width: 30, points: Array.from({ length: 100 }, (_, i) => [16300 + i, i * 2, 0.6]) },
    ]
    const board = knownBoard(strokes)
    const options = { scale: 1, padding: 20, background: 'white' as const }
    const layout = exportLayout(board, options)
    const plan = bandPlan(layout)
    expect(plan.tileWidth).toBeLessThan(layout.width)
    expect(plan.tileWidth).toBeLessThanOrEqual(4096)
    const image = await decodeImage((await exportBoard(board, options)).bytes as Uint8Array)
    // Skia antialiases a few edge pixels a shade differently on a canvas of another size, and a near-horizontal edge
    // that a tile's side cuts by up to 63 levels along the cut piece (161 of 6 million pixels here, five tiles across;
    // 1e-5 held with one tile boundary); a seam (ink cut at a tile edge) would be off by far more than this.
    const diff = compareImages(image.data, referencePixels(board, layout), 16)
    expect(diff.offShare).toBeLessThan(0.00004)
    expect(diff.max).toBeLessThan(64)
  })
})

describe('vector exports', () => {
  it('svg: one <path> per stroke, in its colour, under a viewBox of the export', async () => {
    const board = knownBoard()
    const layout = exportLayout(board, { ...base, format: 'svg' })
    const result = await exportBoard(board, { ...base, format: 'svg' })
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
      new TextDecoder().decode(result.bytes),
    )
    const paths = ([] as { fill: string; d: string }[]).concat(doc.svg.path)
    expect(paths).toHaveLength(board.strokes().length)
    expect(paths.map((p) => p.fill)).toEqual(KNOWN_STROKES.map((s) => s.color))
    for (const p of paths) expect(p.d).toMatch(/^M[-\d.]+ [-\d.]+L[-\d. ]+Z$/)
    expect(Number(doc.svg.width)).toBe(layout.width)
    expect(Number(doc.svg.height)).toBe(layout.height)
    expect(doc.svg.rect.fill).toBe('#ffffff')
    expect(doc.svg.image).toBeUndefined()
  })

  it('pdf: one page the size of the export in points, filled vector paths, no image', async () => {
    const board = knownBoard()
    const layout = exportLayout(board, { ...base, format: 'pdf' })
    const result = await exportBoard(board, { ...base, format: 'pdf' })
    const pdf = await PDFDocument.load(result.bytes as Uint8Array)
    expect(pdf.getPageCount()).toBe(1)
    const page = pdf.getPage(0)
    expect(page.getSize()).toEqual({ width: layout.width, height: layout.height })
    const contents = page.node.Contents()
    const streams = contents instanceof PDFRawStream ? [contents] : []
    if (streams.length === 0 && contents)
      for (const ref of (contents as unknown as { asArray(): unknown[] }).asArray())
        streams.push(pdf.context.lookup(ref as never) as PDFRawStream)
    const text = streams.map((s) => new TextDecoder().decode(decodePDFRawStream(s).decode())).join('\n')
    // Every stroke: a move, lines, a close and a non-zero fill.
    expect(text.match(/ m\n/g)?.length).toBe(board.strokes().length + 0)
    expect(text.match(/ l\n/g)?.length ?? 0).toBeGreaterThan(100)
    expect(text.match(/^f$/gm)?.length).toBe(board.strokes().length + 1)
    // No raster: no image XObjects, no Do operator, no inline images.
    expect(text).not.toMatch(/\bDo\b|\bBI\b/)
    const xobjects = page.node.Resources()?.lookup(PDFName.of('XObject'))
    expect(xobjects instanceof PDFDict ? xobjects.keys() : []).toEqual([])
  })
})

describe('embedded board', () => {
  for (const format of ['png', 'svg'] as const) {
    it(`${format}: the file carries the board, and opening it restores the same strokes`, async () => {
      const board = knownBoard()
      const result = await exportBoard(board, { format, embedBoard: true })
      const embedded = extractEmbeddedBoard(result.bytes as Uint8Array)
      expect(embedded).toBeDefined()
      const restored = openBoardFile(embedded as Uint8Array)
      const plain = (b: Board) => b.strokes().map((s) => ({ ...s, points: [...s.points] }))
      expect(plain(restored)).toEqual(plain(board))
    })
  }

  it('finds nothing in an export without the board, or in other bytes', async () => {
    const board = knownBoard()
    for (const format of ['png', 'svg'] as const) {
      const result = await exportBoard(board, { format })
      expect(extractEmbeddedBoard(result.bytes as Uint8Array)).toBeUndefined()
    }
    expect(extractEmbeddedBoard(new TextEncoder().encode('hello'))).toBeUndefined()
    expect(extractEmbeddedBoard(new Uint8Array(0))).toBeUndefined()
  })
})

describe('long exports', () => {
  it('report progress up to 1, and stop when cancelled without finishing the file', async () => {
    // 4,000 px square: more than one band of rows.
    const board = knownBoard([
      {
        color: '#000000',
        width: 8,
        points: [
          [0, 0, 0.5],
          [4000, 4000, 0.5],
        ],
      },
    ])
    const seen: number[] = []
    await exportBoard(board, { scale: 1 }, { onProgress: (f) => seen.push(f) })
    expect(seen.at(-1)).toBe(1)
    expect(seen).toEqual([...seen].sort((a, b) => a - b))
    expect(seen.length).toBeGreaterThan(3)

    const abort = new AbortController()
    const written: Uint8Array[] = []
    const run = exportBoard(
      board,
      { scale: 1 },
      {
        signal: abort.signal,
        sink: (c) => void written.push(c),
        onProgress: (f) => {
          if (f > 0.2) abort.abort(new Error('cancelled by the test'))
        },
      },
    )
    await expect(run).rejects.toThrow('cancelled by the test')
    // The file never got its end chunk.
    const tail = written.at(-1)
    expect(tail && new TextDecoder().decode(tail.subarray(4, 8))).not.toBe('IEND')
  })
})
