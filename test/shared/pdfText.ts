// Reads back the text a PDF page sets, as a PDF reader does: each Tj's glyph ids through its font's ToUnicode map
// (the embedded shipped fonts), or as Latin-1 bytes for a standard font without one (Helvetica).
import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  type PDFDocument,
  PDFName,
  type PDFPage,
  PDFRawStream,
  type PDFRef,
} from 'pdf-lib'

/** A font of a page: its BaseFont, its embedded file (none for a standard font), glyph id → text. */
export interface PageFont {
  baseFont: string
  fontFile: Uint8Array | undefined
  toUnicode: Map<number, string> | undefined
}

function decodeStream(pdf: PDFDocument, ref: unknown): string {
  const stream = pdf.context.lookup(ref as PDFRef) as PDFRawStream
  return new TextDecoder('latin1').decode(decodePDFRawStream(stream).decode())
}

function utf16(hex: string): string {
  return String.fromCharCode(...(hex.match(/.{4}/g) ?? []).map((h) => Number.parseInt(h, 16)))
}

/** A ToUnicode CMap's bfchar and bfrange entries. */
function parseCMap(cmap: string): Map<number, string> {
  const map = new Map<number, string>()
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const [, gid, uni] of (block[1] as string).matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]+)>/gi))
      map.set(Number.parseInt(gid as string, 16), utf16(uni as string))
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g))
    for (const [, from, to, uni] of (block[1] as string).matchAll(
      /<([0-9a-f]+)>\s*<([0-9a-f]+)>\s*<([0-9a-f]+)>/gi,
    )) {
      const a = Number.parseInt(from as string, 16)
      const first = Number.parseInt(uni as string, 16)
      for (let g = a; g <= Number.parseInt(to as string, 16); g++)
        map.set(g, String.fromCharCode(first + g - a))
    }
  return map
}

/** The fonts of a page's resources, by resource name ("/F1"). */
export function pageFonts(pdf: PDFDocument, page: PDFPage): Map<string, PageFont> {
  const out = new Map<string, PageFont>()
  const dict = page.node.Resources()?.lookup(PDFName.of('Font'))
  if (!(dict instanceof PDFDict)) return out
  for (const key of dict.keys()) {
    const font = pdf.context.lookup(dict.get(key) as PDFRef) as PDFDict
    let fontFile: Uint8Array | undefined
    const descendants = font.lookup(PDFName.of('DescendantFonts'))
    if (descendants instanceof PDFArray) {
      const cid = pdf.context.lookup(descendants.get(0) as PDFRef) as PDFDict
      const descriptor = cid.lookup(PDFName.of('FontDescriptor')) as PDFDict
      const file = pdf.context.lookup(descriptor.get(PDFName.of('FontFile2')) as PDFRef) as PDFRawStream
      fontFile = decodePDFRawStream(file).decode()
    }
    const toUnicode = font.get(PDFName.of('ToUnicode'))
    out.set(key.asString(), {
      baseFont: String(font.get(PDFName.of('BaseFont'))),
      fontFile,
      toUnicode: toUnicode ? parseCMap(decodeStream(pdf, toUnicode)) : undefined,
    })
  }
  return out
}

/** The decoded text of a page's content streams. */
export function pageContent(pdf: PDFDocument, page: PDFPage): string {
  const contents = page.node.Contents()
  const streams: PDFRawStream[] = []
  if (contents instanceof PDFRawStream) streams.push(contents)
  else if (contents instanceof PDFArray)
    for (const ref of contents.asArray()) streams.push(pdf.context.lookup(ref as PDFRef) as PDFRawStream)
  return streams.map((s) => new TextDecoder('latin1').decode(decodePDFRawStream(s).decode())).join('\n')
}

/** A reader of a page's Tj strings: the hex string of a Tj in the font last set with Tf, as text. */
export function textDecoder(fonts: Map<string, PageFont>): (font: string, hex: string) => string {
  return (name, hex) => {
    const font = fonts.get(name)
    if (font?.toUnicode)
      return (hex.match(/.{4}/g) ?? [])
        .map((g) => font.toUnicode?.get(Number.parseInt(g, 16)) ?? '\u0000')
        .join('')
    return (hex.match(/../g) ?? []).map((h) => String.fromCharCode(Number.parseInt(h, 16))).join('')
  }
}

/** The text of each line a page sets (the Tj strings after each Tm, in their fonts), in order. */
export function pageLines(pdf: PDFDocument, page: PDFPage): string[] {
  const decode = textDecoder(pageFonts(pdf, page))
  const lines: string[] = []
  let font = ''
  for (const line of pageContent(pdf, page).split('\n')) {
    const tf = /^(\/\S+) [\d.]+ Tf$/.exec(line)
    if (tf) font = tf[1] as string
    else if (line.endsWith(' Tm')) lines.push('')
    else {
      const tj = /^<([0-9A-Fa-f]*)> Tj$/.exec(line)
      if (tj) lines[lines.length - 1] += decode(font, tj[1] as string)
    }
  }
  return lines
}
