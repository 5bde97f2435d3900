// A TrueType subset that a browser loads as a web font. fontkit cuts the glyphs (and renumbers composite glyphs'
// parts), but writes only the tables a PDF needs: no cmap, so nothing maps a character to a glyph, and no name,
// OS/2 or post, without which browsers' font sanitizers (OTS in Chromium and Firefox) refuse the font. This adds
// them: a cmap built from the characters kept, and name, OS/2 and post taken from the original font. Written by
// hand because no kept JavaScript library subsets TrueType with a cmap short of a HarfBuzz WebAssembly build
// (see docs/decisions.md).
import type { Font } from '@pdf-lib/fontkit'

/** What an export uses of fontkit: reading a font's bytes. */
interface Fontkit {
  create(bytes: Uint8Array, postscriptName?: string): Font
}

interface TableRecord {
  tag: string
  offset: number
  length: number
}

function tablesOf(bytes: Uint8Array): Map<string, Uint8Array> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const count = view.getUint16(4)
  const out = new Map<string, Uint8Array>()
  for (let i = 0; i < count; i++) {
    const at = 12 + 16 * i
    const record: TableRecord = {
      tag: String.fromCharCode(bytes[at] ?? 0, bytes[at + 1] ?? 0, bytes[at + 2] ?? 0, bytes[at + 3] ?? 0),
      offset: view.getUint32(at + 8),
      length: view.getUint32(at + 12),
    }
    out.set(record.tag, bytes.subarray(record.offset, record.offset + record.length))
  }
  return out
}

/** A cmap with a format 4 table (the BMP) and a format 12 table (every plane) for the kept characters. */
function cmapTable(map: ReadonlyMap<number, number>): Uint8Array {
  const codes = [...map.keys()].sort((a, b) => a - b)
  const bmp = codes.filter((c) => c < 0xffff)
  // Format 4: one segment per character (idDelta maps it), and the closing 0xFFFF segment.
  const segs = bmp.length + 1
  const f4Length = 16 + 8 * segs
  const f12Length = 16 + 12 * codes.length
  const out = new Uint8Array(4 + 8 * 2 + f4Length + f12Length)
  const v = new DataView(out.buffer)
  v.setUint16(0, 0)
  v.setUint16(2, 2)
  // (3, 1) Windows BMP and (3, 10) Windows full repertoire.
  v.setUint16(4, 3)
  v.setUint16(6, 1)
  v.setUint32(8, 20)
  v.setUint16(12, 3)
  v.setUint16(14, 10)
  v.setUint32(16, 20 + f4Length)
  let p = 20
  v.setUint16(p, 4)
  v.setUint16(p + 2, f4Length)
  v.setUint16(p + 4, 0)
  v.setUint16(p + 6, segs * 2)
  const log = Math.floor(Math.log2(segs))
  v.setUint16(p + 8, 2 * 2 ** log)
  v.setUint16(p + 10, log)
  v.setUint16(p + 12, 2 * segs - 2 * 2 ** log)
  const ends = p + 14
  const starts = ends + 2 * segs + 2
  const deltas = starts + 2 * segs
  const rangeOffsets = deltas + 2 * segs
  bmp.forEach((code, i) => {
    v.setUint16(ends + 2 * i, code)
    v.setUint16(starts + 2 * i, code)
    v.setUint16(deltas + 2 * i, ((map.get(code) as number) - code) & 0xffff)
    v.setUint16(rangeOffsets + 2 * i, 0)
  })
  v.setUint16(ends + 2 * bmp.length, 0xffff)
  v.setUint16(starts + 2 * bmp.length, 0xffff)
  v.setUint16(deltas + 2 * bmp.length, 1)
  p += f4Length
  v.setUint16(p, 12)
  v.setUint32(p + 4, f12Length)
  v.setUint32(p + 12, codes.length)
  codes.forEach((code, i) => {
    const at = p + 16 + 12 * i
    v.setUint32(at, code)
    v.setUint32(at + 4, code)
    v.setUint32(at + 8, map.get(code) as number)
  })
  return out
}

/** Names kept: copyright, family, style, unique id, full name, version, PostScript name, licence URL. */
const KEPT_NAMES = new Set([0, 1, 2, 3, 4, 5, 6, 14])

/**
 * The original's name table with its Windows (platform 3) records of KEPT_NAMES only: DejaVu's full table is 15 kB,
 * most of it the licence text, which its URL (name 14) stands for in a subset.
 */
function nameTable(original: Uint8Array): Uint8Array {
  const v = new DataView(original.buffer, original.byteOffset, original.byteLength)
  const count = v.getUint16(2)
  const strings = v.getUint16(4)
  const kept: { ids: number[]; text: Uint8Array }[] = []
  for (let i = 0; i < count; i++) {
    const at = 6 + 12 * i
    const ids = [v.getUint16(at), v.getUint16(at + 2), v.getUint16(at + 4), v.getUint16(at + 6)]
    if (ids[0] !== 3 || !KEPT_NAMES.has(ids[3] as number)) continue
    const from = strings + v.getUint16(at + 10)
    kept.push({ ids, text: original.subarray(from, from + v.getUint16(at + 8)) })
  }
  const head = 6 + 12 * kept.length
  let size = head
  for (const k of kept) size += k.text.length
  const out = new Uint8Array(size)
  const w = new DataView(out.buffer)
  w.setUint16(0, 0)
  w.setUint16(2, kept.length)
  w.setUint16(4, head)
  let offset = 0
  kept.forEach((k, i) => {
    const at = 6 + 12 * i
    for (let j = 0; j < 4; j++) w.setUint16(at + 2 * j, k.ids[j] as number)
    w.setUint16(at + 8, k.text.length)
    w.setUint16(at + 10, offset)
    out.set(k.text, head + offset)
    offset += k.text.length
  })
  return out
}

/** A post table of version 3 (no glyph names): the original's header with the version changed. */
function postTable(original: Uint8Array | undefined): Uint8Array {
  const out = new Uint8Array(32)
  if (original) out.set(original.subarray(0, 32))
  new DataView(out.buffer).setUint32(0, 0x00030000)
  return out
}

function checksum(bytes: Uint8Array): number {
  const padded = new Uint8Array((bytes.length + 3) & ~3)
  padded.set(bytes)
  const v = new DataView(padded.buffer)
  let sum = 0
  for (let i = 0; i < padded.length; i += 4) sum = (sum + v.getUint32(i)) >>> 0
  return sum
}

/** Writes a font file of these tables (sorted by tag, each 4-byte aligned, checksums and head's adjustment set). */
function fontFile(tables: Map<string, Uint8Array>): Uint8Array {
  const tags = [...tables.keys()].sort()
  const headerSize = 12 + 16 * tags.length
  let size = headerSize
  for (const tag of tags) size += ((tables.get(tag) as Uint8Array).length + 3) & ~3
  const out = new Uint8Array(size)
  const v = new DataView(out.buffer)
  const n = tags.length
  const log = Math.floor(Math.log2(n))
  v.setUint32(0, 0x00010000)
  v.setUint16(4, n)
  v.setUint16(6, 16 * 2 ** log)
  v.setUint16(8, log)
  v.setUint16(10, 16 * n - 16 * 2 ** log)
  let at = headerSize
  let headAt = -1
  tags.forEach((tag, i) => {
    const data = tables.get(tag) as Uint8Array
    if (tag === 'head') {
      // checkSumAdjustment is summed as zero.
      data.fill(0, 8, 12)
      headAt = at
    }
    const r = 12 + 16 * i
    for (let k = 0; k < 4; k++) out[r + k] = tag.charCodeAt(k)
    v.setUint32(r + 4, checksum(data))
    v.setUint32(r + 8, at)
    v.setUint32(r + 12, data.length)
    out.set(data, at)
    at += (data.length + 3) & ~3
  })
  if (headAt >= 0) v.setUint32(headAt + 8, (0xb1b0afba - checksum(out)) >>> 0)
  return out
}

/**
 * fontkit's subset copies each glyph as it lies in the font, and writes a short loca (offsets halved) when the glyf
 * table is small: a font whose glyphs have odd lengths (Noto Sans SC) comes out with the offsets after such a glyph
 * a byte off, and its glyphs unreadable (Chromium refuses the font; PDF readers draw garbage). Each glyph is padded
 * to a multiple of four bytes, as the TrueType spec recommends.
 */
export function withEvenGlyphs<S extends object>(subset: S): S {
  const s = subset as unknown as { glyf?: Uint8Array[]; offset: number; _addGlyph?: (gid: number) => number }
  const add = s._addGlyph?.bind(s)
  if (!add) return subset
  s._addGlyph = (gid) => {
    const at = add(gid)
    const glyph = s.glyf?.[at]
    if (s.glyf && glyph && glyph.length % 4 !== 0) {
      // Of the glyph's own class: fontkit's streams take only its Buffer (Node's, or the bundled one in browsers).
      const size = (glyph.length + 3) & ~3
      const padded =
        (glyph.constructor as { alloc?: (n: number) => Uint8Array }).alloc?.(size) ?? new Uint8Array(size)
      padded.set(glyph)
      s.glyf[at] = padded
      s.offset += padded.length - glyph.length
    }
    return at
  }
  return subset
}

/** fontkit whose fonts make subsets withEvenGlyphs: what pdf-lib is given to embed the shipped fonts. */
export async function evenGlyphFontkit(): Promise<Fontkit> {
  const fontkit = await loadFontkit()
  return {
    create(bytes, postscriptName) {
      const font = fontkit.create(bytes, postscriptName)
      const createSubset = font.createSubset.bind(font)
      font.createSubset = () => withEvenGlyphs(createSubset())
      return font
    },
  }
}

/**
 * fontkit, loaded when an export first reads a font (SVG and PDF text): loading it took 0.25-0.5 s of CPU, which
 * every PNG export paid on its main thread and in each of its band workers before they could draw.
 */
export async function loadFontkit(): Promise<Fontkit> {
  return (await import('@pdf-lib/fontkit')).default
}

/** fontkit's subset bytes (it writes them as a stream). */
function encodeSubset(subset: ReturnType<Font['createSubset']>): Promise<Uint8Array> {
  return new Promise((resolve) => {
    const parts: Uint8Array[] = []
    subset
      .encodeStream()
      .on('data', (bytes: Uint8Array) => parts.push(bytes))
      .on('end', () => {
        let size = 0
        for (const p of parts) size += p.length
        const out = new Uint8Array(size)
        let at = 0
        for (const p of parts) {
          out.set(p, at)
          at += p.length
        }
        resolve(out)
      })
  })
}

/** A TrueType font of `face`'s glyphs for these characters only, loadable by browsers (an @font-face source). */
export async function webFontSubset(
  face: Font,
  original: Uint8Array,
  codePoints: Iterable<number>,
): Promise<Uint8Array> {
  const subset = withEvenGlyphs(face.createSubset())
  const map = new Map<number, number>()
  for (const code of codePoints) {
    if (!face.hasGlyphForCodePoint(code)) continue
    map.set(code, subset.includeGlyph(face.glyphForCodePoint(code)))
  }
  const tables = tablesOf(await encodeSubset(subset))
  const source = tablesOf(original)
  // Copies: the head table is changed in place when written.
  const copy = (b: Uint8Array | undefined) => (b ? b.slice() : undefined)
  tables.set('cmap', cmapTable(map))
  tables.set('post', postTable(source.get('post')))
  const name = source.get('name')
  if (name) tables.set('name', nameTable(name))
  const os2 = copy(source.get('OS/2'))
  if (os2) tables.set('OS/2', os2)
  const head = copy(tables.get('head'))
  if (head) tables.set('head', head)
  return fontFile(tables)
}
