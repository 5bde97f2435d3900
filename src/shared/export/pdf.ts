import { PDFDocument } from 'pdf-lib'
import { rgbComponents } from './color'
import type { ExportLayout } from './layout'

/** Board units with two decimals: a hundredth of a unit is far below a pixel at 4×. */
const num = (n: number) => {
  const r = Math.round(n * 100) / 100
  return Object.is(r, -0) ? '0' : String(r)
}
const rgb = (hex: string) =>
  rgbComponents(hex)
    .map((c) => String(Math.round(c * 1000) / 1000))
    .join(' ')

/**
 * A PDF of an export: one page the size of the export (1 px = 1 pt), every stroke a filled vector path of its
 * outline (the polygon the canvas fills, non-zero rule like canvas), no raster image. pdf-lib makes the document;
 * the page's content stream is written as text, since a million pdf-lib operator objects for a busy board cost
 * seconds and gigabytes.
 */
export async function exportPdf(layout: ExportLayout, onItem?: (done: number) => void): Promise<Uint8Array> {
  const doc = await PDFDocument.create()
  doc.setProducer('Lanvas')
  doc.setCreator('Lanvas')
  doc.setTitle('Lanvas board')
  const { width, height, rect, scale } = layout
  const page = doc.addPage([width, height])
  const ops: string[] = ['q']
  if (layout.background) ops.push(`${rgb(layout.background)} rg`, `0 0 ${width} ${height} re`, 'f')
  // Board units to page space: PDF's y axis points up.
  ops.push(
    `${num(scale)} 0 0 ${num(-scale)} ${num(-rect.minX * scale)} ${num(height + rect.minY * scale)} cm`,
  )
  let color = ''
  layout.items.forEach((item, i) => {
    if (item.stroke.color !== color) {
      color = item.stroke.color
      ops.push(`${rgb(color)} rg`)
    }
    const o = item.outline
    const path: string[] = [`${num(o[0] as number)} ${num(o[1] as number)} m`]
    for (let k = 2; k + 1 < o.length; k += 2) path.push(`${num(o[k] as number)} ${num(o[k + 1] as number)} l`)
    path.push('h', 'f')
    ops.push(path.join('\n'))
    onItem?.(i + 1)
  })
  ops.push('Q')
  const content = doc.context.flateStream(new TextEncoder().encode(`${ops.join('\n')}\n`))
  page.node.addContentStream(doc.context.register(content))
  return doc.save()
}
