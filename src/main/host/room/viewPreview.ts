/**
 * The host's side of a view preview (src/shared/sync/preview.ts): the finished strokes of a board whose bounds meet
 * a joiner's view, in z-order, as frames of flat records. A stroke's bounds need its points decoded: they are kept
 * per record (a record is a value that is replaced, never changed, when the stroke is edited), so a board's strokes
 * are decoded once for all the joins of the host's run.
 */
import type * as Y from 'yjs'
import { elementRect, readStroke } from '../../../shared/board'
import { type FlatRecord, isFlatRecord } from '../../../shared/elements/entry'
import { shiftOf } from '../../../shared/elements/moves'
import { type Rect, rectsIntersect } from '../../../shared/geometry'
import { type PreviewElement, previewElementBytes, previewFrame } from '../../../shared/sync/preview'

/** A record's bounds where its own keys place it (before any move record), or null for one that reads as no stroke. */
const boundsOfRecord = new WeakMap<FlatRecord, Rect | null>()

function recordBounds(id: string, record: FlatRecord): Rect | null {
  let rect = boundsOfRecord.get(record)
  if (rect === undefined) {
    const stroke = readStroke(id, record, null)
    rect = stroke ? elementRect(stroke) : null
    boundsOfRecord.set(record, rect)
  }
  return rect
}

/**
 * Preview frames of the finished strokes of `doc` whose bounds meet `view`, bottom to top, each frame within
 * `frameBytes` and all within `maxBytes` (strokes past it come with the board). A stroke a move record moves goes
 * with its place written in its record, as the page would read it with the board.
 */
export function previewFrames(doc: Y.Doc, view: Rect, frameBytes: number, maxBytes: number): Uint8Array[] {
  const elements = doc.getMap<unknown>('elements')
  const order = doc.getArray<unknown>('order')
  const frames: Uint8Array[] = []
  let frame: PreviewElement[] = []
  let size = 0
  let total = 0
  const seen = new Set<string>()
  for (const id of order) {
    if (typeof id !== 'string' || seen.has(id)) continue
    seen.add(id)
    const record = elements.get(id)
    if (!isFlatRecord(record)) continue
    const rect = recordBounds(id, record)
    if (!rect) continue
    const shift = shiftOf(doc, id)
    const placed = shift
      ? {
          minX: rect.minX + shift.dx,
          minY: rect.minY + shift.dy,
          maxX: rect.maxX + shift.dx,
          maxY: rect.maxY + shift.dy,
        }
      : rect
    if (!rectsIntersect(placed, view)) continue
    const element: PreviewElement = { id, record: shift ? moved(record, shift.dx, shift.dy) : record }
    const bytes = previewElementBytes(element)
    if (total + bytes > maxBytes) break
    if (frame.length > 0 && size + bytes > frameBytes) {
      frames.push(previewFrame(frame))
      frame = []
      size = 0
    }
    frame.push(element)
    size += bytes
    total += bytes
  }
  if (frame.length > 0) frames.push(previewFrame(frame))
  return frames
}

/** A record with a move record's shift written into its place. */
function moved(record: FlatRecord, dx: number, dy: number): FlatRecord {
  const x = typeof record.x === 'number' ? record.x : 0
  const y = typeof record.y === 'number' ? record.y : 0
  return { ...record, x: x + dx, y: y + dy }
}
