import { Util } from 'konva/lib/Util'
import { PDFDocument, type PDFFont, type PDFImage, PDFName, type PDFPage, StandardFonts } from 'pdf-lib'
import { pixelSizeProblem } from '../elements/imageHeader'
import { IMAGE_LIMITS, type ImageAsset } from '../elements/types'
import { FontFile } from '../fonts'
import { images } from '../scene'
import { rgbComponents } from './color'
import { evenGlyphFontkit } from './fontSubset'
import type { ExportLayout } from './layout'
import { missingGlyphsNote, TextFonts } from './textFonts'
import {
  type Matrix,
  type Paint,
  type TextLine,
  type VectorElement,
  type VectorPart,
  vectorElement,
} from './vector'
import { PDF_MISSING_CHARACTERS_NOTE } from './winAnsi'

/** Board units with two decimals: a hundredth of a unit is far below a pixel at 4×. */
const num = (n: number, digits = 2) => {
  const f = 10 ** digits
  const r = Math.round(n * f) / f
  return Object.is(r, -0) ? '0' : String(r)
}
const rgb = (hex: string) =>
  rgbComponents(hex)
    .map((c) => String(Math.round(c * 1000) / 1000))
    .join(' ')

/** Bézier handle length for a quarter circle of radius 1. */
const KAPPA = 0.5522847498

/** What a PDF export needs from the platform: a canvas to turn GIF and WebP into PNG (PDF holds PNG and JPEG). */
type Encode = (canvas: unknown, mime: string, quality: number) => Promise<Uint8Array>

/** A PDF export under way: the page, its resources, and the text of its content stream. */
class PdfPage {
  readonly ops: string[] = []
  readonly notes = new Set<string>()
  private readonly states = new Map<string, PDFName>()
  private readonly pictures = new Map<string, PDFName | null>()
  private font: { name: PDFName; font: PDFFont; chars: Set<number> } | undefined
  private readonly embedded = new Map<FontFile, Promise<{ name: PDFName; font: PDFFont }>>()

  constructor(
    private readonly doc: PDFDocument,
    private readonly page: PDFPage,
    private readonly encode: Encode,
    /** The shipped fonts the board's text needs; undefined where the platform gives no font bytes. */
    readonly fonts: TextFonts | undefined,
  ) {}

  /** A shipped font, embedded on first use as a subset of the glyphs the page sets (pdf-lib cuts it on save). */
  shipped(file: FontFile): Promise<{ name: PDFName; font: PDFFont }> | undefined {
    const loaded = this.fonts?.loaded.get(file)
    if (!loaded) return undefined
    let font = this.embedded.get(file)
    if (!font) {
      const name = PDFName.of(`F${this.embedded.size + 1}`)
      font = this.doc.embedFont(loaded.bytes, { subset: true }).then((f) => {
        this.page.node.setFontDictionary(name, f.ref)
        return { name, font: f }
      })
      this.embedded.set(file, font)
    }
    return font
  }

  /** The name of an ExtGState with these alphas and blend mode, made once per combination. */
  state(fillAlpha: number, strokeAlpha: number, blend: string): PDFName {
    const key = `${num(fillAlpha, 3)}/${num(strokeAlpha, 3)}/${blend}`
    let name = this.states.get(key)
    if (!name) {
      name = PDFName.of(`GS${this.states.size}`)
      const dict = this.doc.context.obj({
        Type: 'ExtGState',
        ca: Number(num(fillAlpha, 3)),
        CA: Number(num(strokeAlpha, 3)),
        BM: blend,
      })
      this.page.node.setExtGState(name, this.doc.context.register(dict))
      this.states.set(key, name)
    }
    return name
  }

  /** Helvetica (a standard font every reader has), embedded on first use. */
  helvetica(): { name: PDFName; font: PDFFont; chars: Set<number> } {
    if (!this.font) {
      const font = this.doc.embedStandardFont(StandardFonts.Helvetica)
      const name = PDFName.of('F0')
      this.page.node.setFontDictionary(name, font.ref)
      this.font = { name, font, chars: new Set(font.getCharacterSet()) }
    }
    return this.font
  }

  /** The XObject name of an image asset (embedded once), or null when its bytes cannot be embedded. */
  async picture(asset: ImageAsset): Promise<PDFName | null> {
    const known = this.pictures.get(asset.id)
    if (known !== undefined) return known
    // pdf-lib inflates a PNG whole: an image over the pixel cap never reaches it (nor a canvas).
    if (pixelSizeProblem(asset.bytes) || asset.width * asset.height > IMAGE_LIMITS.maxArea) {
      this.notes.add(
        'An image on this board is over the size a board may show (16,384 px a side, 64 megapixels): it shows as a grey box.',
      )
      this.pictures.set(asset.id, null)
      return null
    }
    let image: PDFImage | undefined
    try {
      if (asset.mime === 'image/jpeg') image = await this.doc.embedJpg(asset.bytes)
      else if (asset.mime === 'image/png') image = await this.doc.embedPng(asset.bytes)
    } catch {
      image = undefined
    }
    // GIF, WebP, and PNG/JPEG variants pdf-lib cannot read: drawn on a canvas and embedded as PNG.
    if (!image) {
      const png = await this.asPng(asset)
      image = png ? await this.doc.embedPng(png) : undefined
    }
    const name = image ? PDFName.of(`Im${this.pictures.size}`) : null
    if (image && name) this.page.node.setXObject(name, image.ref)
    else this.notes.add('An image on this board could not be put into the PDF: it shows as a grey box.')
    this.pictures.set(asset.id, name)
    return name
  }

  private async asPng(asset: ImageAsset): Promise<Uint8Array | undefined> {
    const source = await images.load(asset)
    if (!source) return undefined
    const canvas = Util.createCanvasElement()
    canvas.width = asset.width
    canvas.height = asset.height
    const ctx = canvas.getContext('2d')
    if (!ctx) return undefined
    ctx.drawImage(source as Parameters<typeof ctx.drawImage>[0], 0, 0, asset.width, asset.height)
    try {
      return await this.encode(canvas, 'image/png', 1)
    } finally {
      canvas.width = 0
      canvas.height = 0
    }
  }
}

/** Bytes through the platform's zlib deflate (CompressionStream), as a PDF FlateDecode stream holds them. */
async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new CompressionStream('deflate'))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

const cm = (m: Matrix) =>
  `${num(m[0], 6)} ${num(m[1], 6)} ${num(m[2], 6)} ${num(m[3], 6)} ${num(m[4])} ${num(m[5])} cm`

function polygonOps(points: ArrayLike<number>, close: boolean): string {
  const path: string[] = [`${num(points[0] as number)} ${num(points[1] as number)} m`]
  for (let k = 2; k + 1 < points.length; k += 2)
    path.push(`${num(points[k] as number)} ${num(points[k + 1] as number)} l`)
  if (close) path.push('h')
  return path.join('\n')
}

/** Cubic Bézier segments [x0, y0, c1x, c1y, c2x, c2y, x1, y1, ...] as an open path. */
function bezierOps(points: ArrayLike<number>): string {
  const path: string[] = [`${num(points[0] as number)} ${num(points[1] as number)} m`]
  for (let k = 2; k + 5 < points.length; k += 6) {
    const six = Array.from({ length: 6 }, (_, i) => num(points[k + i] as number))
    path.push(`${six.join(' ')} c`)
  }
  return path.join('\n')
}

function ellipseOps(cx: number, cy: number, rx: number, ry: number): string {
  const ox = rx * KAPPA
  const oy = ry * KAPPA
  const p = (...n: number[]) => n.map((v) => num(v)).join(' ')
  return [
    `${p(cx + rx, cy)} m`,
    `${p(cx + rx, cy + oy, cx + ox, cy + ry, cx, cy + ry)} c`,
    `${p(cx - ox, cy + ry, cx - rx, cy + oy, cx - rx, cy)} c`,
    `${p(cx - rx, cy - oy, cx - ox, cy - ry, cx, cy - ry)} c`,
    `${p(cx + ox, cy - ry, cx + rx, cy - oy, cx + rx, cy)} c`,
    'h',
  ].join('\n')
}

function rectOps(w: number, h: number, r: number): string {
  if (!(r > 0)) return `0 0 ${num(w)} ${num(h)} re`
  const k = Math.min(r, w / 2, h / 2)
  const o = k * (1 - KAPPA)
  const p = (...n: number[]) => n.map((v) => num(v)).join(' ')
  return [
    `${p(k, 0)} m`,
    `${p(w - k, 0)} l`,
    `${p(w - o, 0, w, o, w, k)} c`,
    `${p(w, h - k)} l`,
    `${p(w, h - o, w - o, h, w - k, h)} c`,
    `${p(k, h)} l`,
    `${p(o, h, 0, h - o, 0, h - k)} c`,
    `${p(0, k)} l`,
    `${p(0, o, o, 0, k, 0)} c`,
    'h',
  ].join('\n')
}

/** Sets the paint's colours and line style and returns the operator that paints the path (f, S or B). */
function paintOps(p: Paint, ops: string[], out: PdfPage, opacity: number, blend: string): string | undefined {
  const stroke = p.stroke && p.strokeWidth > 0 ? p.stroke : undefined
  if (!p.fill && !stroke) return undefined
  if (p.fill) ops.push(`${rgb(p.fill)} rg`)
  if (stroke) {
    ops.push(`${rgb(stroke)} RG`, `${num(p.strokeWidth)} w`)
    ops.push(`${p.lineCap === 'round' ? 1 : 0} J`, `${p.lineJoin === 'round' ? 1 : 0} j`)
    ops.push(`[${p.dash.map((d) => num(d)).join(' ')}] 0 d`)
    if (p.strokeOpacity !== undefined && p.strokeOpacity < 1)
      ops.push(`${out.state(opacity, opacity * p.strokeOpacity, blend).asString()} gs`)
  }
  return p.fill && stroke ? 'B' : p.fill ? 'f' : 'S'
}

/** Characters Helvetica (WinAnsi) lacks become "?", and the export says so. */
function encodable(text: string, chars: Set<number>, out: PdfPage): string {
  let result = ''
  for (const ch of text) {
    const code = ch.codePointAt(0) as number
    if (chars.has(code)) result += ch
    else {
      result += '?'
      out.notes.add(PDF_MISSING_CHARACTERS_NOTE)
    }
  }
  return result
}

/** Variation selectors and joiners: the fonts have no glyph for them and they add no ink of their own. */
const INVISIBLE = /[\u200d\ufe00-\ufe0f]/gu

/** A line as runs of embedded fonts: each character in the first shipped font that has it, else "?". */
async function shippedRuns(
  text: string,
  out: PdfPage,
): Promise<{ name: PDFName; font: PDFFont; text: string }[] | undefined> {
  const fonts = out.fonts
  const fallback = fonts && out.shipped(FontFile.Sans)
  if (!fonts || !fallback) return undefined
  const runs: { name: PDFName; font: PDFFont; text: string }[] = []
  for (const run of fonts.runs(text)) {
    const pdfFont = run.font ? await out.shipped(run.font.file) : undefined
    const piece = pdfFont
      ? run.text.replace(INVISIBLE, '')
      : [...run.text.replace(INVISIBLE, '')].map(() => '?').join('')
    if (piece === '') continue
    const target = pdfFont ?? (await fallback)
    const last = runs[runs.length - 1]
    if (last && last.name === target.name) last.text += piece
    else runs.push({ ...target, text: piece })
  }
  return runs
}

async function textOps(
  part: Extract<VectorPart, { type: 'text' }>,
  ops: string[],
  out: PdfPage,
): Promise<void> {
  const lines = part.lines.filter((l: TextLine) => l.text.trim() !== '')
  if (lines.length === 0) return
  ops.push('BT', `${rgb(part.color)} rg`)
  for (const line of lines) {
    const runs = (await shippedRuns(line.text, out)) ?? helveticaRuns(line.text, out)
    // The page is flipped (y down), so the text matrix flips glyphs back upright.
    ops.push(`1 0 0 -1 ${num(line.x)} ${num(line.y)} Tm`)
    // The screen measured the line with the same fonts, kerned; where the embedded glyphs (without kerning) run
    // wider, narrow the line to the screen's width so text stays inside its note or wrapping width.
    let wide = 0
    for (const r of runs) wide += r.font.widthOfTextAtSize(r.text, part.fontSize)
    const squeeze = wide > line.width && line.width > 0 ? (100 * line.width) / wide : 100
    ops.push(`${num(squeeze)} Tz`)
    for (const r of runs)
      ops.push(`${r.name.asString()} ${num(part.fontSize)} Tf`, `${r.font.encodeText(r.text).toString()} Tj`)
  }
  ops.push('ET')
}

/** Where the platform gives no font bytes: Helvetica, with "?" for what WinAnsi lacks. */
function helveticaRuns(text: string, out: PdfPage): { name: PDFName; font: PDFFont; text: string }[] {
  const { name, font, chars } = out.helvetica()
  return [{ name, font, text: encodable(text, chars, out) }]
}

async function elementOps(v: VectorElement, ops: string[], out: PdfPage): Promise<void> {
  const pdfBlend = v.blend === 'multiply' ? 'Multiply' : v.blend === 'screen' ? 'Screen' : 'Normal'
  ops.push('q')
  if (v.opacity < 1 || pdfBlend !== 'Normal')
    ops.push(`${out.state(v.opacity, v.opacity, pdfBlend).asString()} gs`)
  if (
    !(
      v.matrix[0] === 1 &&
      v.matrix[1] === 0 &&
      v.matrix[2] === 0 &&
      v.matrix[3] === 1 &&
      !v.matrix[4] &&
      !v.matrix[5]
    )
  )
    ops.push(cm(v.matrix))
  for (const part of v.parts) {
    switch (part.type) {
      case 'outline':
        ops.push(`${rgb(part.fill)} rg`, polygonOps(part.points, true), 'f')
        break
      case 'polyline':
      case 'polygon':
      case 'rect':
      case 'ellipse': {
        ops.push('q')
        const paint = paintOps(part.paint, ops, out, v.opacity, pdfBlend)
        if (paint) {
          if (part.type === 'rect') ops.push(rectOps(part.width, part.height, part.radius))
          else if (part.type === 'ellipse') ops.push(ellipseOps(part.cx, part.cy, part.rx, part.ry))
          else if (part.type === 'polyline' && part.bezier) ops.push(bezierOps(part.points))
          else ops.push(polygonOps(part.points, part.type === 'polygon'))
          ops.push(paint)
        }
        ops.push('Q')
        break
      }
      case 'text':
        await textOps(part, ops, out)
        break
      case 'image': {
        const name = await out.picture(part.asset)
        if (name)
          ops.push(
            'q',
            `${num(part.width)} 0 0 ${num(-part.height)} 0 ${num(part.height)} cm`,
            `${name.asString()} Do`,
            'Q',
          )
        else ops.push('0.914 0.925 0.937 rg', `0 0 ${num(part.width)} ${num(part.height)} re`, 'f')
        break
      }
    }
  }
  ops.push('Q')
}

/**
 * A PDF of an export: one page the size of the export (1 px = 1 pt), every element as vectors — a stroke's pen
 * outline filled, shapes and arrows as paths with their dashes, text in the shipped fonts (embedded as subsets,
 * each character in the first font of the chain that has it, as on screen) on the lines the screen wraps it into,
 * images as image XObjects (PNG/JPEG as they are, GIF and WebP through a canvas as PNG), opacity and
 * highlighter blending as graphics states. pdf-lib makes the document, fonts and images; the page's content stream
 * is written as text, since a million pdf-lib operator objects for a busy board cost seconds and gigabytes, and
 * since the page is drawn in the board's y-down frame. Returns the bytes and what the person should know.
 */
export async function exportPdf(
  layout: ExportLayout,
  encode: Encode,
  onItem?: (done: number) => void,
): Promise<{ bytes: Uint8Array; notes: string[] }> {
  const doc = await PDFDocument.create()
  doc.setProducer('Lanvas')
  doc.setCreator('Lanvas')
  doc.setTitle('Lanvas board')
  const { width, height, rect, scale } = layout
  const page = doc.addPage([width, height])
  const texts = layout.items.flatMap(({ element: el }) => ('text' in el ? [el.text] : []))
  const fonts = await TextFonts.for(texts)
  doc.registerFontkit((await evenGlyphFontkit()) as unknown as Parameters<typeof doc.registerFontkit>[0])
  const out = new PdfPage(doc, page, encode, fonts.loaded.size > 0 ? fonts : undefined)
  const missing = missingGlyphsNote(fonts.missing, 'pdf')
  if (missing && fonts.loaded.size > 0) out.notes.add(missing)
  const ops = out.ops
  ops.push('q')
  if (layout.background) ops.push(`${rgb(layout.background)} rg`, `0 0 ${width} ${height} re`, 'f')
  // Board units to page space: PDF's y axis points up.
  ops.push(
    `${num(scale, 6)} 0 0 ${num(-scale, 6)} ${num(-rect.minX * scale)} ${num(height + rect.minY * scale)} cm`,
  )
  for (let i = 0; i < layout.items.length; i++) {
    await elementOps(vectorElement(layout.items[i] as (typeof layout.items)[number], layout), ops, out)
    onItem?.(i + 1)
  }
  ops.push('Q')
  // The platform's deflate (zlib in Node, native in browsers): pdf-lib's own (pako, in JavaScript) takes seconds
  // for the tens of megabytes of a busy board's paths.
  const deflated = await deflate(new TextEncoder().encode(`${ops.join('\n')}\n`))
  const content = doc.context.stream(deflated, { Filter: 'FlateDecode' })
  page.node.addContentStream(doc.context.register(content))
  return { bytes: await doc.save(), notes: [...out.notes] }
}
