// Text layout for bounds and hit tests. The scene draws text with Konva.Text (which measures with a canvas); this
// measures with the canvas the platform registered, and estimates where none is (plain Node), so bounds are close.
import { drawnFontFamily } from '../fonts'
import { platform } from '../platform'

/** Line height as a multiple of the font size: the same value the scene gives Konva.Text. */
export const LINE_HEIGHT = 1.25
/** Inner padding of a sticky note, board units. */
export const NOTE_PADDING = 12

/** Width of a string in a font: a canvas measurement, or 0.6 em a character where no canvas exists. */
export function textWidth(text: string, fontSize: number, fontFamily: string): number {
  const measured = platform().measureText?.(text, `${fontSize}px ${drawnFontFamily(fontFamily)}`)
  if (measured !== undefined) return measured
  return text.length * fontSize * 0.6
}

/** The lines a text breaks into: at newlines, and at word boundaries to fit `width` when it is positive. */
export function wrapLines(text: string, fontSize: number, fontFamily: string, width: number): string[] {
  const out: string[] = []
  for (const paragraph of text.split('\n')) {
    if (!(width > 0)) {
      out.push(paragraph)
      continue
    }
    let line = ''
    for (const word of paragraph.split(/(?<=\s)/)) {
      const next = line + word
      if (line && textWidth(next.trimEnd(), fontSize, fontFamily) > width) {
        out.push(line.trimEnd())
        line = word
      } else line = next
    }
    out.push(line.trimEnd())
  }
  return out
}

/** Size of a text element's box: its wrapping width (or longest line) and its lines' height. */
export function textBoxSize(
  text: string,
  fontSize: number,
  fontFamily: string,
  width: number,
): { width: number; height: number } {
  const lines = wrapLines(text, fontSize, fontFamily, width)
  const longest = Math.max(fontSize / 2, ...lines.map((l) => textWidth(l, fontSize, fontFamily)))
  return {
    width: width > 0 ? width : Math.ceil(longest),
    height: Math.max(1, lines.length) * fontSize * LINE_HEIGHT,
  }
}
