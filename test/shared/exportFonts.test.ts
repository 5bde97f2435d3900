import '../../src/main/host/export/nodeCanvas'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import fontkit from '@pdf-lib/fontkit'
import { fromBase64 } from 'lib0/buffer'
import { PDFDocument } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { Board } from '../../src/shared/board'
import { textWidth } from '../../src/shared/elements/text'
import { exportBoard, missingGlyphs } from '../../src/shared/export'
import { pageFonts, pageLines } from './pdfText'

// The shipped fonts in SVG and PDF exports (issue 13, item 9): real glyphs for ✓, 你好 and Résumé, embedded as
// subsets, and an exact word about the characters no shipped font has.

const TEXT = '✓ 你好 Résumé'

const resolve = createRequire(import.meta.url).resolve
const SANS = fontkit.create(readFileSync(resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')))
const SC = fontkit.create(
  readFileSync(resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf')),
)

function boardWith(...texts: string[]): Board {
  const board = new Board(undefined, 'test')
  texts.forEach((text, i) => {
    board.addText({ x: 0, y: i * 60, text, fontSize: 24 })
  })
  return board
}

/** A PDF's fonts and the text of each line its page sets. */
async function readPdf(bytes: Uint8Array) {
  const pdf = await PDFDocument.load(bytes)
  const page = pdf.getPage(0)
  return { fonts: [...pageFonts(pdf, page).values()], lines: pageLines(pdf, page) }
}

describe('PDF export sets text in the shipped fonts', () => {
  it('✓ 你好 Résumé come out as real glyphs of embedded font subsets, with no "?" and no note', async () => {
    const result = await exportBoard(boardWith(TEXT), { format: 'pdf' })
    const { fonts, lines } = await readPdf(result.bytes as Uint8Array)
    expect(lines).toEqual([TEXT])
    // Subsets (pdf-lib tags their names with a number), each far smaller than its font (757 kB and 10.5 MB).
    expect(fonts.map((f) => f.baseFont.replace(/-\d+$/, '')).sort()).toEqual([
      '/DejaVuSans',
      '/NotoSansSC-Regular',
    ])
    for (const f of fonts) {
      expect(f.fontFile?.length).toBeGreaterThan(200)
      expect(f.fontFile?.length).toBeLessThan(40_000)
      // Every glyph the page sets has the outline of the shipped font's glyph for its character.
      const full = f.baseFont.startsWith('/DejaVuSans') ? SANS : SC
      const subset = fontkit.create(f.fontFile as Uint8Array)
      for (const [gid, ch] of f.toUnicode ?? []) {
        const want = full.glyphForCodePoint(ch.codePointAt(0) as number).path.toSVG()
        expect(subset.getGlyph(gid).path.toSVG(), `${ch} in ${f.baseFont}`).toBe(want)
        expect(want.length).toBeGreaterThan(ch === ' ' ? -1 : 10)
      }
    }
    expect(result.notes).toEqual([])
  })

  it('draws an emoji the shipped fonts have in black and white, and says which ones become "?"', async () => {
    const result = await exportBoard(boardWith('Smile 😀 ok 👍🏽 party 🎉'), { format: 'pdf' })
    const { lines } = await readPdf(result.bytes as Uint8Array)
    // 😀 is in DejaVu Sans; 👍, its skin tone and 🎉 are in no shipped font.
    expect(lines).toEqual(['Smile 😀 ok ?? party ?'])
    expect(result.notes).toHaveLength(1)
    expect(result.notes[0]).toContain('no glyph for 👍 🏽 🎉')
    expect(result.notes[0]).toContain('the PDF shows "?" there')
  })

  it('tells before exporting which characters no shipped font has', async () => {
    expect(await missingGlyphs([TEXT, 'Café – “naïve” €5\nnext line'])).toEqual([])
    expect(await missingGlyphs(['Done ✓ 你好 🎉 😀'])).toEqual(['🎉'])
  })
})

describe('SVG export embeds the shipped fonts', () => {
  it('as @font-face subsets holding exactly the glyphs the text uses, with a cmap a browser can read', async () => {
    const result = await exportBoard(boardWith(TEXT, 'Résumé again'), { format: 'svg' })
    const svg = new TextDecoder().decode(result.bytes)
    const faces = [
      ...svg.matchAll(/@font-face\{font-family:"([^"]+)";src:url\(data:font\/ttf;base64,([^)]+)\)/g),
    ]
    expect(faces.map((f) => f[1])).toEqual(['Lanvas Sans', 'Lanvas Sans SC'])
    const read = (b64: string) => fontkit.create(fromBase64(b64))
    const sans = read(faces[0]?.[2] as string)
    const sc = read(faces[1]?.[2] as string)
    for (const ch of '✓ Résumégain')
      expect(sans.hasGlyphForCodePoint(ch.codePointAt(0) as number), ch).toBe(true)
    for (const ch of '你好') {
      expect(sans.hasGlyphForCodePoint(ch.codePointAt(0) as number)).toBe(false)
      expect(sc.hasGlyphForCodePoint(ch.codePointAt(0) as number), ch).toBe(true)
    }
    // .notdef and the used characters only: ✓, space, R é s u m a g i n (é a composite of e and ´); 你 好.
    expect(sans.numGlyphs).toBe(1 + 11 + 2)
    expect(sc.numGlyphs).toBe(1 + 2)
    // The glyphs of the full font (its advances: the SVG's lines are as long as the screen's, kerning aside).
    const full = SANS
    const advances = (f: typeof full) =>
      [...'✓Résumé'].map((c) => f.glyphForCodePoint(c.codePointAt(0) as number).advanceWidth)
    expect(advances(sans)).toEqual(advances(full))
    expect(svg.length).toBeLessThan(20_000)
    // The text names the shipped fonts first.
    expect(svg).toContain('font-family="&quot;Lanvas Sans&quot;, &quot;Lanvas Sans SC&quot;, sans-serif"')
    expect(result.notes).toEqual([])
  })

  it('says which characters it leaves to the viewer’s fonts', async () => {
    const result = await exportBoard(boardWith('party 🎉'), { format: 'svg' })
    expect(result.notes).toEqual([
      'The fonts Lanvas embeds have no glyph for 🎉: the SVG leaves them to the fonts of whatever shows it (colour emoji, usually).',
    ])
  })
})

describe('Node draws with the shipped fonts', () => {
  it('measures 你好 as Noto Sans SC sets it (1 em each), whatever fonts the machine has', () => {
    // This machine has no CJK font of its own: without the shipped one the canvas would measure boxes.
    expect(textWidth('你好', 24, 'sans-serif')).toBeCloseTo(48, 2)
    const dejavu = SANS
    expect(textWidth('✓', 24, 'sans-serif')).toBeCloseTo(
      (24 * dejavu.glyphForCodePoint(0x2713).advanceWidth) / 2048,
      3,
    )
  })
})
