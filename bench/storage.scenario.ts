import { loadavg } from 'node:os'
import { it } from 'vitest'
import * as Y from 'yjs'
import { Board } from '../src/shared/board'
import { encodeBoardFile } from '../src/shared/boardFile'
import { elementKey } from '../src/shared/elements/inkRecord'
import { SEAL_OVERHEAD } from '../src/shared/secure/sealed'
import { updateFrame } from '../src/shared/sync/frames'
import { InkChannel } from '../src/shared/sync/liveInk'
import { type InkWriter, makeInkBoard } from './boards'
import { benchSize, type Figures, report } from './report'

/** What a board stores, per point: the whole file, and the points' own bytes (chunks or compact values). */
function measure(count: number, writer: InkWriter) {
  const board = makeInkBoard(count, writer)
  let points = 0
  let pointBytes = 0
  for (const el of board.elements.values()) {
    const value = elementKey(el, 'points')
    if (value instanceof Uint8Array) pointBytes += value.byteLength
    else if (value instanceof Y.Array)
      for (const chunk of value.toArray() as Uint8Array[]) pointBytes += chunk.byteLength
  }
  for (const s of board.strokes()) points += s.points.length / 3
  const fileBytes = encodeBoardFile(board.doc).byteLength
  // Structs as a host holds them: a stored copy (no undo stack keeps deleted items).
  const stored = new Y.Doc()
  Y.applyUpdate(stored, Y.encodeStateAsUpdate(board.doc))
  let structs = 0
  for (const list of stored.store.clients.values()) structs += list.length
  stored.destroy()
  board.destroy()
  board.doc.destroy()
  return { points, fileBytes, pointBytes, structsPerStroke: structs / count }
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits

/**
 * Bytes on the wire per point while drawing: a pen stroke sent one sample per frame, each frame's update as its
 * protocol frame as the client engine writes it (an Ink frame for live points), plain and sealed (SEAL_OVERHEAD
 * more per frame); presence and WebSocket headers are not counted here.
 */
function liveBytesPerPoint(points: number): { plain: number; sealed: number } {
  const board = new Board(new Y.Doc(), 'live')
  let plain = 0
  let frames = 0
  const ink = new InkChannel()
  board.doc.on('update', (u: Uint8Array) => {
    plain += (ink.frame(u) ?? updateFrame(u)).byteLength
    frames++
  })
  const id = board.beginStroke({ color: '#1e1e1e', width: 4 }, [0, 0, 0.5])
  for (let i = 1; i < points; i++) board.appendPoints(id, [i * 2.5, Math.sin(i / 9) * 40, 0.5])
  board.finishStroke(id)
  return { plain: round(plain / points), sealed: round((plain + frames * SEAL_OVERHEAD) / points) }
}

const COUNTS = benchSize([10_000, 100_000], [2_000])

it('bytes per point and structs per stroke stored: 10,000 and 100,000 pen strokes, schema 2, 3 and 4', () => {
  const before: Figures = {}
  const flat: Figures = {}
  const after: Figures = { loadAverage1m: round(loadavg()[0] ?? 0) }
  for (const count of COUNTS) {
    const label = count >= 1000 ? `${count / 1000}k` : String(count)
    for (const writer of ['legacy', 'flat', 'compact'] as const) {
      const m = measure(count, writer)
      const figures = writer === 'legacy' ? before : writer === 'flat' ? flat : after
      figures[`${label}: structs per stroke`] = round(m.structsPerStroke)
      figures[`${label}: points`] = m.points
      figures[`${label}: file MB`] = round(m.fileBytes / 2 ** 20)
      figures[`${label}: file bytes per point`] = round(m.fileBytes / m.points)
      figures[`${label}: point data bytes per point`] = round(m.pointBytes / m.points)
    }
  }
  const live = liveBytesPerPoint(200)
  after['live: wire bytes per point, one sample a frame, plain'] = live.plain
  after['live: wire bytes per point, one sample a frame, sealed'] = live.sealed
  after.loadAverage1mAfter = round(loadavg()[0] ?? 0)
  report('storage', after, [
    { name: 'schema 3: keys on the element map, compact points (before ink records)', figures: flat },
    { name: 'schema 2 chunks (before compact strokes)', figures: before },
  ])
}, 2_400_000)
