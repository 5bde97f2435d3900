import { loadavg } from 'node:os'
import { it } from 'vitest'
import * as Y from 'yjs'
import { encodeBoardFile } from '../src/shared/boardFile'
import { type InkWriter, makeInkBoard } from './boards'
import { report } from './report'

/** What a board stores, per point: the whole file, and the points' own bytes (chunks or compact values). */
function measure(count: number, writer: InkWriter) {
  const board = makeInkBoard(count, writer)
  let points = 0
  let pointBytes = 0
  for (const el of board.elements.values()) {
    const value = el.get('points')
    if (value instanceof Uint8Array) pointBytes += value.byteLength
    else if (value instanceof Y.Array)
      for (const chunk of value.toArray() as Uint8Array[]) pointBytes += chunk.byteLength
  }
  for (const s of board.strokes()) points += s.points.length / 3
  const fileBytes = encodeBoardFile(board.doc).byteLength
  board.destroy()
  board.doc.destroy()
  return { points, fileBytes, pointBytes }
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits

it('bytes per point stored: 10,000 and 100,000 pen strokes, before (chunks) and after (compact)', () => {
  const figures: Record<string, number | string> = { loadAverage1m: round(loadavg()[0] ?? 0) }
  for (const count of [10_000, 100_000]) {
    const label = count === 10_000 ? '10k' : '100k'
    for (const writer of ['legacy', 'compact'] as const) {
      const m = measure(count, writer)
      figures[`${label} ${writer}: points`] = m.points
      figures[`${label} ${writer}: file MB`] = round(m.fileBytes / 2 ** 20)
      figures[`${label} ${writer}: file bytes per point`] = round(m.fileBytes / m.points)
      figures[`${label} ${writer}: point data bytes per point`] = round(m.pointBytes / m.points)
    }
  }
  figures.loadAverage1mAfter = round(loadavg()[0] ?? 0)
  report('storage', figures)
}, 2_400_000)
