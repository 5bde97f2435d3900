// The fonts Lanvas ships and draws every board text with: on screen, in PNG/JPEG/WebP exports, and embedded (as
// subsets) in SVG and PDF, so that a text wraps and looks the same on every machine. Their bytes come from the
// platform (src/shared/platform.ts: `fontBytes`): Vite assets in the renderer, node_modules files in Node.

/** The font files Lanvas ships. */
export const FontFile = { Sans: 'sans', SansSC: 'sans-sc' } as const
export type FontFile = (typeof FontFile)[keyof typeof FontFile]

/** A shipped font: the family name the app registers it under, and the characters it is used for. */
export interface ShippedFont {
  file: FontFile
  family: string
  /** What the file is (for docs and messages). */
  source: string
  /** Code point ranges (inclusive) the face is used for; undefined for every character it has. */
  ranges?: readonly (readonly [number, number])[]
}

/**
 * CJK ideographs, kana, bopomofo, Hangul compatibility jamo aside, CJK symbols and punctuation, fullwidth forms:
 * the screen's @font-face for Noto Sans SC is limited to them (its 10 MB load only for boards that hold them), and
 * the exports pick glyphs from it within the same ranges only, so that every output falls back as the screen does.
 */
const CJK_RANGES: readonly (readonly [number, number])[] = [
  [0x2e80, 0x2fdf],
  [0x2ff0, 0x303f],
  [0x3040, 0x30ff],
  [0x3100, 0x312f],
  [0x3190, 0x31ff],
  [0x3200, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xffef],
  [0x20000, 0x3134f],
]

/** The fallback chain, first to last: a character is drawn with the first font that has it. */
export const SHIPPED_FONTS: readonly ShippedFont[] = [
  { file: FontFile.Sans, family: 'Lanvas Sans', source: 'DejaVu Sans 2.37' },
  { file: FontFile.SansSC, family: 'Lanvas Sans SC', source: 'Noto Sans SC Regular', ranges: CJK_RANGES },
]

/** The CSS family list of the shipped fonts, ending in the platform's own sans-serif (colour emoji, the rest). */
export const SHIPPED_FONT_STACK = `${SHIPPED_FONTS.map((f) => `"${f.family}"`).join(', ')}, sans-serif`

/**
 * The CSS family list a text of `family` is drawn with. The board's default family, sans-serif, is the shipped
 * fonts; a board that names another font keeps it first, with the shipped fonts as its fallback.
 */
export function drawnFontFamily(family: string): string {
  return family === 'sans-serif' ? SHIPPED_FONT_STACK : `${family}, ${SHIPPED_FONT_STACK}`
}

/** Whether a shipped font is used for a code point at all (its ranges; whether it has the glyph is the font's say). */
export function inRanges(font: ShippedFont, codePoint: number): boolean {
  return !font.ranges || font.ranges.some(([from, to]) => codePoint >= from && codePoint <= to)
}

/** A CSS unicode-range descriptor for a shipped font's ranges ("U+0-10FFFF" for all). */
export function unicodeRange(font: ShippedFont): string {
  if (!font.ranges) return 'U+0-10FFFF'
  return font.ranges
    .map(([a, b]) => `U+${a.toString(16).toUpperCase()}-${b.toString(16).toUpperCase()}`)
    .join(', ')
}

/** A piece of a line drawn with one font; `font` undefined for characters no shipped font has. */
export interface FontRun {
  font: ShippedFont | undefined
  text: string
}

/**
 * A line cut into runs of one font each: every character goes to the first shipped font that is used for it and
 * has its glyph (`has`). Combining marks and variation selectors stay with the character before them.
 */
export function fontRuns(text: string, has: (font: ShippedFont, codePoint: number) => boolean): FontRun[] {
  const runs: FontRun[] = []
  let current: FontRun | undefined
  for (const ch of text) {
    const code = ch.codePointAt(0) as number
    const joins = current && (isMark(code) || code === 0x200d)
    const font = joins ? current?.font : SHIPPED_FONTS.find((f) => inRanges(f, code) && has(f, code))
    if (current && current.font === font) current.text += ch
    else {
      current = { font, text: ch }
      runs.push(current)
    }
  }
  return runs
}

/** Combining marks and variation selectors: drawn with the character they belong to. */
function isMark(code: number): boolean {
  return (
    (code >= 0x0300 && code <= 0x036f) ||
    (code >= 0xfe00 && code <= 0xfe0f) ||
    (code >= 0x1ab0 && code <= 0x1aff) ||
    (code >= 0x20d0 && code <= 0x20ff)
  )
}
