// Text layout for bounds and hit tests. The scene draws text with Konva.Text (which measures with a canvas); this
// measures the same way where a canvas exists, and estimates where none does (plain Node), so bounds are close.

/** Line height as a multiple of the font size: the same value the scene gives Konva.Text. */
export const LINE_HEIGHT = 1.25
/** Inner padding of a sticky note, board units. */
export const NOTE_PADDING = 12

type Measure = (text: string, font: string) => number

let measureContext: { font: string; measureText(text: string): { width: number } } | null | undefined

function canvasMeasure(): Measure | undefined {
  if (measureContext === undefined) {
    measureContext = null
    const g = globalThis as {
      OffscreenCanvas?: new (w: number, h: number) => { getContext(t: '2d'): unknown }
    }
    try {
      if (typeof g.OffscreenCanvas === 'function')
        measureContext = new g.OffscreenCanvas(1, 1).getContext('2d') as never
      else if (typeof document !== 'undefined')
        measureContext = document.createElement('canvas').getContext('2d') as never
    } catch {
      measureContext = null
    }
  }
  const ctx = measureContext
  if (!ctx) return undefined
  return (text, font) => {
    ctx.font = font
    return ctx.measureText(text).width
  }
}

/** Width of a string in a font: a canvas measurement, or 0.6 em a character where no canvas exists. */
export function textWidth(text: string, fontSize: number, fontFamily: string): number {
  const measure = canvasMeasure()
  if (measure) return measure(text, `${fontSize}px ${fontFamily}`)
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
