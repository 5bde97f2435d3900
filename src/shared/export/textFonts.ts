// The shipped fonts (src/shared/fonts.ts) as an export embeds them: read with fontkit, loaded only when a text
// needs them (Noto Sans SC is 10 MB), and cut into subsets of the glyphs a board uses.
import type { Font } from '@pdf-lib/fontkit'
import { type FontFile, type FontRun, fontRuns, inRanges, SHIPPED_FONTS, type ShippedFont } from '../fonts'
import { platform } from '../platform'
import { loadFontkit } from './fontSubset'

/** A shipped font's bytes and fontkit's reading of them. */
export interface LoadedFont {
  font: ShippedFont
  bytes: Uint8Array
  face: Font
}

/** Fonts read once per page or process: exports after the first cost nothing to load. */
const cache = new Map<FontFile, Promise<LoadedFont | undefined>>()

function load(font: ShippedFont): Promise<LoadedFont | undefined> {
  let loading = cache.get(font.file)
  if (!loading) {
    const bytesOf = platform().fontBytes
    if (!bytesOf) return Promise.resolve(undefined)
    loading = Promise.all([bytesOf(font.file), loadFontkit()]).then(
      ([bytes, fontkit]) => ({ font, bytes, face: fontkit.create(bytes) }),
      (error: unknown) => {
        cache.delete(font.file)
        platform().warn(`The font ${font.source} could not be read: ${String(error)}`)
        return undefined
      },
    )
    cache.set(font.file, loading)
  }
  return loading
}

/** Characters that are layout, not ink: nothing to find a glyph for. */
const isControl = (code: number) =>
  code < 0x20 || code === 0x7f || code === 0x200d || (code >= 0xfe00 && code <= 0xfe0f)

/** The shipped fonts a set of texts needs, each character given to the first font that has it. */
export class TextFonts {
  private constructor(
    /** The fonts loaded, by file; a font the texts do not need is not loaded. */
    readonly loaded: ReadonlyMap<FontFile, LoadedFont>,
    /** Characters no shipped font has (emoji in colour, scripts the fonts lack), in order of first use. */
    readonly missing: readonly string[],
  ) {}

  /** Loads the fonts that the texts need: a later font of the chain only for characters the earlier ones lack. */
  static async for(texts: Iterable<string>): Promise<TextFonts> {
    let wanted = new Set<number>()
    for (const text of texts)
      for (const ch of text) {
        const code = ch.codePointAt(0) as number
        if (!isControl(code)) wanted.add(code)
      }
    const loaded = new Map<FontFile, LoadedFont>()
    for (const font of SHIPPED_FONTS) {
      if (![...wanted].some((c) => inRanges(font, c))) continue
      const face = await load(font)
      if (!face) continue
      loaded.set(font.file, face)
      wanted = new Set([...wanted].filter((c) => !(inRanges(font, c) && face.face.hasGlyphForCodePoint(c))))
    }
    return new TextFonts(
      loaded,
      [...wanted].map((c) => String.fromCodePoint(c)),
    )
  }

  /** Whether a loaded font draws a character (the fallback chain's test). */
  has = (font: ShippedFont, codePoint: number): boolean =>
    this.loaded.get(font.file)?.face.hasGlyphForCodePoint(codePoint) === true

  /** A line as runs of one font each (see fontRuns). */
  runs(text: string): FontRun[] {
    return fontRuns(text, this.has)
  }
}

/** What an export says about characters no shipped font has: which, and what the file shows instead. */
export function missingGlyphsNote(missing: readonly string[], format: 'svg' | 'pdf'): string | undefined {
  if (missing.length === 0) return undefined
  const shown = missing.slice(0, 8).join(' ') + (missing.length > 8 ? ' …' : '')
  // Colour emoji are the usual case; say so only when some are there.
  const emoji = missing.some((c) => /\p{Extended_Pictographic}/u.test(c))
    ? ' (colour emoji cannot be embedded)'
    : ''
  return format === 'pdf'
    ? `The fonts Lanvas embeds have no glyph for ${shown}${emoji}: the PDF shows "?" there. PNG shows them as the screen does.`
    : `The fonts Lanvas embeds have no glyph for ${shown}: the SVG leaves them to the fonts of whatever shows it (colour emoji, usually).`
}

/** The characters of texts that no shipped font has; loads the fonts needed to tell (a dialog's note before export). */
export async function missingGlyphs(texts: Iterable<string>): Promise<readonly string[]> {
  return (await TextFonts.for(texts)).missing
}
