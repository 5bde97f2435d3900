// The characters a PDF export sets where the platform gives no shipped fonts (src/shared/fonts.ts): Helvetica in
// WinAnsi encoding (pdf-lib's standard font), no font embedded.

/** What PDF export says when a board's text holds characters Helvetica lacks. */
export const PDF_MISSING_CHARACTERS_NOTE =
  'PDF text is set in Helvetica here (the fonts Lanvas ships could not be read), which lacks some characters of this board: they show as "?". SVG and PNG keep them.'

/** WinAnsi's characters between 0x80 and 0x9f (the rest of it is Latin-1). */
const WIN_ANSI_EXTRA = new Set([...'€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ'].map((c) => c.codePointAt(0) as number))

/** Whether a text holds a character that Helvetica in WinAnsi cannot show (line breaks and tabs aside). */
export function lacksWinAnsi(text: string): boolean {
  for (const ch of text) {
    const code = ch.codePointAt(0) as number
    if (code === 0x0a || code === 0x0d || code === 0x09) continue
    if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(code)) continue
    return true
  }
  return false
}
