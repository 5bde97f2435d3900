import type { ExportLayout } from './layout'

/** Namespace of the <metadata> element that carries an embedded board. */
export const SVG_BOARD_NAMESPACE = 'urn:lanvas:board'

/** Board units are written with two decimals: a hundredth of a unit is far below a pixel at 4×. */
const num = (n: number) => {
  const r = Math.round(n * 100) / 100
  return Object.is(r, -0) ? '0' : String(r)
}

/** The SVG path data of a filled outline polygon: M x y L x y x y ... Z. */
export function outlinePathData(outline: Float32Array): string {
  if (outline.length < 4) return ''
  const parts: string[] = [`M${num(outline[0] as number)} ${num(outline[1] as number)}L`]
  for (let i = 2; i + 1 < outline.length; i += 2) {
    parts.push(`${num(outline[i] as number)} ${num(outline[i + 1] as number)}`)
  }
  return `${parts.join(' ')}Z`
}

/**
 * An SVG document of an export: one <path> per stroke, filled with its outline (the polygon the canvas fills), in
 * board units under a viewBox, so it stays a vector at any size. `boardBase64` adds the embedded board.
 */
export function exportSvg(
  layout: ExportLayout,
  boardBase64?: string,
  onItem?: (done: number) => void,
): string {
  const { rect, width, height, background } = layout
  const w = rect.maxX - rect.minX
  const h = rect.maxY - rect.minY
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${height}" viewBox="${num(rect.minX)} ${num(rect.minY)} ${num(w)} ${num(h)}">\n`,
  ]
  if (boardBase64 !== undefined) {
    // Base64 has no characters XML must escape.
    out.push(
      `<metadata><lanvas:board xmlns:lanvas="${SVG_BOARD_NAMESPACE}" encoding="base64">${boardBase64}</lanvas:board></metadata>\n`,
    )
  }
  if (background) {
    out.push(
      `<rect x="${num(rect.minX)}" y="${num(rect.minY)}" width="${num(w)}" height="${num(h)}" fill="${background}"/>\n`,
    )
  }
  layout.items.forEach((item, i) => {
    out.push(`<path fill="${item.stroke.color}" d="${outlinePathData(item.outline)}"/>\n`)
    onItem?.(i + 1)
  })
  out.push('</svg>\n')
  return out.join('')
}
