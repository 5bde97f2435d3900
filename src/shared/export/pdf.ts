import {
  closePath,
  concatTransformationMatrix,
  fill,
  lineTo,
  moveTo,
  PDFDocument,
  type PDFOperator,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  setFillingRgbColor,
} from 'pdf-lib'
import { rgbComponents } from './color'
import type { ExportLayout } from './layout'

const r2 = (n: number) => Math.round(n * 100) / 100

/**
 * A PDF of an export: one page the size of the export (1 px = 1 pt), every stroke a filled vector path of its
 * outline (the polygon the canvas fills, non-zero rule like canvas), no raster image.
 */
export async function exportPdf(layout: ExportLayout, onItem?: (done: number) => void): Promise<Uint8Array> {
  const doc = await PDFDocument.create()
  doc.setProducer('Lanvas')
  doc.setCreator('Lanvas')
  doc.setTitle('Lanvas board')
  const { width, height, rect, scale } = layout
  const page = doc.addPage([width, height])
  const ops: PDFOperator[] = [pushGraphicsState()]
  if (layout.background) {
    ops.push(setFillingRgbColor(...rgbComponents(layout.background)), rectangle(0, 0, width, height), fill())
  }
  // Board units to page space: PDF's y axis points up.
  ops.push(concatTransformationMatrix(scale, 0, 0, -scale, -rect.minX * scale, height + rect.minY * scale))
  let color = ''
  layout.items.forEach((item, i) => {
    if (item.stroke.color !== color) {
      color = item.stroke.color
      ops.push(setFillingRgbColor(...rgbComponents(color)))
    }
    const o = item.outline
    ops.push(moveTo(r2(o[0] as number), r2(o[1] as number)))
    for (let k = 2; k + 1 < o.length; k += 2) ops.push(lineTo(r2(o[k] as number), r2(o[k + 1] as number)))
    ops.push(closePath(), fill())
    onItem?.(i + 1)
  })
  ops.push(popGraphicsState())
  // In batches: a spread of a million operators would overflow the call stack.
  for (let i = 0; i < ops.length; i += 10_000) page.pushOperators(...ops.slice(i, i + 10_000))
  return doc.save()
}
