import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { basename } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as Y from 'yjs'
import { Board, ElementKind, newElementId } from '../src/shared/board'
import { inkRecord } from '../src/shared/elements/inkRecord'
import { compactStroke } from '../src/shared/elements/strokePoints'
import { encodePoints } from '../src/shared/points'
import { seededRandom } from '../src/shared/sync/memorySocket'

/**
 * A board of `count` finished strokes of `points` points each, spread over a `span` x `span` area (board
 * units), built as people draw.
 */
export function makeBoard(count: number, points = 60, seed = 1, span = 20_000): Board {
  // mulberry32 (Math.imul): the old LCG multiplied in doubles and repeated after ~10,000 numbers, so a
  // "10,000-stroke" board held about 5,000 distinct strokes.
  const rand = seededRandom(seed)
  const board = new Board(new Y.Doc(), 'bench')
  const colors = ['#1e1e1e', '#e03131', '#1971c2', '#2f9e44']
  for (let i = 0; i < count; i++) {
    let x = rand() * span
    let y = rand() * span
    const flat: number[] = []
    for (let p = 0; p < points; p++) {
      x += (rand() - 0.5) * 12
      y += (rand() - 0.5) * 12
      flat.push(x, y, 0.3 + rand() * 0.5)
    }
    const id = board.beginStroke(
      { color: colors[i % colors.length] as string, width: 2 + (i % 4) * 2 },
      flat.slice(0, 30),
    )
    board.appendPoints(id, flat.slice(30))
    board.finishStroke(id)
  }
  return board
}

/**
 * How the strokes of makeInkBoard are written: as today (one flat record at pen-up, schema 5: `compact`), as schema
 * 4 did (an ink record on the element map: `record`), as schema 3 did (keys on the element map, points made compact
 * at pen-up: `flat`), or as schema 2 did (done, chunks kept: `legacy`).
 */
export type InkWriter = 'compact' | 'record' | 'flat' | 'legacy'

/**
 * Draws and finishes a stroke as the code of schema 3 did (before ink records): kind, author, color, width,
 * points (a list of chunks) and done on the element map; at pen-up the chunks replaced by one compact value and
 * done set. With `compact` false, as schema 2 did: done set, chunks kept. For before/after figures and tests of
 * boards written by older versions. Returns the id.
 */
export function drawOlderStroke(
  board: Board,
  style: { color: string; width: number },
  flat: ArrayLike<number>,
  perChunk = 16,
  compact = true,
): string {
  const id = newElementId()
  const points = new Y.Array<Uint8Array>()
  const first = Array.from(flat).slice(0, perChunk * 3)
  board.transact(() => {
    points.push([encodePoints(first)])
    const el = new Y.Map<unknown>()
    for (const [key, value] of Object.entries({
      kind: ElementKind.Stroke,
      author: board.author,
      color: style.color,
      width: style.width,
      points,
      done: false,
    }))
      el.set(key, value)
    if (board.meta.get('schema') !== (compact ? 3 : 2)) board.meta.set('schema', compact ? 3 : 2)
    board.elements.set(id, el)
    board.order.push([id])
  })
  for (let at = perChunk * 3; at < flat.length; at += perChunk * 3)
    board.transact(() => points.push([encodePoints(Array.from(flat).slice(at, at + perChunk * 3))]))
  board.transact(() => {
    const el = board.elements.get(id) as Y.Map<unknown>
    if (compact) compactStroke(el)
    el.set('done', true)
  })
  return id
}

/**
 * Draws and finishes a stroke as the code of schema 4 did (ink records, before flat strokes): the element map holds
 * `kind` and a `live` map while drawn; at pen-up `live` is deleted and one `ink` record set on the same map. For
 * before/after figures and tests of boards written by older versions. Returns the id.
 */
export function drawRecordStroke(
  board: Board,
  style: { color: string; width: number },
  flat: ArrayLike<number>,
  perChunk = 16,
): string {
  const all = Array.from(flat)
  const id = newElementId()
  const live = new Y.Map<unknown>()
  const points = new Y.Array<Uint8Array>()
  board.transact(() => {
    points.push([encodePoints(all.slice(0, perChunk * 3))])
    live.set('author', board.author)
    live.set('color', style.color)
    live.set('width', style.width)
    live.set('points', points)
    const el = new Y.Map<unknown>()
    el.set('kind', ElementKind.Stroke)
    el.set('live', live)
    if (board.meta.get('schema') !== 4) board.meta.set('schema', 4)
    board.order.push([id])
    board.elements.set(id, el)
  })
  for (let at = perChunk * 3; at < all.length; at += perChunk * 3)
    board.transact(() => points.push([encodePoints(all.slice(at, at + perChunk * 3))]))
  board.transact(() => {
    const el = board.elements.get(id) as Y.Map<unknown>
    const record = inkRecord({ author: board.author, ...style }, all)
    el.delete('live')
    el.set('ink', record)
  })
  return id
}

/**
 * A board of `count` finished pen strokes as people draw them: 50 to 300 points each, the pen turning and
 * changing speed gradually (1 to 10 units a sample), pressure varying along the stroke, sent in chunks of
 * `perChunk` points, starting anywhere in a `span` x `span` area, written as `writer` says (older layouts for
 * before/after figures).
 * The board keeps no undo history, so its document is what a host stores.
 */
export function makeInkBoard(
  count: number,
  writer: InkWriter,
  seed = 1,
  perChunk = 16,
  span = 20_000,
): Board {
  const rand = seededRandom(seed)
  const board = new Board(new Y.Doc(), 'bench')
  // A host keeps no undo stack: without it, deleted items are collected as they would be there.
  board.undoManager.destroy()
  const colors = ['#1e1e1e', '#e03131', '#1971c2', '#2f9e44']
  // 500 strokes a transaction: the same items, chunks and deletions as one a frame, in a fraction of the time.
  for (let from = 0; from < count; from += 500)
    board.doc.transact(() => {
      for (let i = from; i < Math.min(count, from + 500); i++)
        drawInk(board, rand, i, colors, writer, perChunk, span)
    }, board.localOrigin)
  return board
}

/** Draws and finishes stroke `i` of makeInkBoard. */
function drawInk(
  board: Board,
  rand: () => number,
  i: number,
  colors: string[],
  writer: InkWriter,
  perChunk: number,
  span: number,
): void {
  const n = 50 + Math.floor(rand() * 251)
  let x = rand() * span
  let y = rand() * span
  let heading = rand() * 2 * Math.PI
  let speed = 1 + rand() * 5
  let pressure = 0.2 + rand() * 0.6
  const flat: number[] = []
  for (let p = 0; p < n; p++) {
    heading += (rand() - 0.5) * 0.3
    speed = Math.min(10, Math.max(1, speed + (rand() - 0.5)))
    pressure = Math.min(1, Math.max(0.05, pressure + (rand() - 0.5) * 0.05))
    x += Math.cos(heading) * speed
    y += Math.sin(heading) * speed
    flat.push(x, y, pressure)
  }
  const style = { color: colors[i % colors.length] as string, width: 2 + (i % 4) * 2 }
  if (writer === 'record') {
    drawRecordStroke(board, style, flat, perChunk)
    return
  }
  if (writer !== 'compact') {
    drawOlderStroke(board, style, flat, perChunk, writer === 'flat')
    return
  }
  const id = board.beginStroke(style, flat.slice(0, perChunk * 3))
  for (let at = perChunk * 3; at < flat.length; at += perChunk * 3)
    board.appendPoints(id, flat.slice(at, at + perChunk * 3))
  board.finishStroke(id)
}

/** bench/results/cache/ (git ignores it): files the scenarios build once and reuse, run after run. */
const CACHE = fileURLToPath(new URL('./results/cache/', import.meta.url))

/** The code that decides a cached file's bytes: the generators here, the board file and point codecs, the plain writer. */
const CACHE_SOURCES = [
  './boards.ts',
  './export/largeExport.ts',
  '../src/shared/board.ts',
  '../src/shared/boardFile.ts',
  '../src/shared/compactPoints.ts',
  '../src/shared/elements/strokePoints.ts',
  '../src/shared/points.ts',
]

let cacheDigest: string | undefined

/**
 * The path of `name` in bench/results/cache/, written by `make(path)` the first time (building a 100,000-stroke
 * board takes minutes on a busy machine; reading its file, a second). The name carries a digest of the code that
 * writes boards, so a change to the generator or the file format builds the file anew.
 */
export async function cachedFile(
  name: string,
  make: (path: string) => Promise<void> | void,
): Promise<string> {
  if (!cacheDigest) {
    const hash = createHash('sha256')
    for (const source of CACHE_SOURCES) hash.update(readFileSync(new URL(source, import.meta.url)))
    cacheDigest = hash.digest('hex').slice(0, 12)
  }
  const dot = name.lastIndexOf('.')
  const path = `${CACHE}${name.slice(0, dot)}-${cacheDigest}${name.slice(dot)}`
  if (existsSync(path)) return path
  mkdirSync(CACHE, { recursive: true })
  // Written beside and renamed: a run stopped halfway never leaves a partial file to be reused.
  const partial = `${path}.${process.pid}.partial`
  await make(partial)
  renameSync(partial, path)
  // The same file built by older code: never read again.
  const stem = name.slice(0, dot)
  for (const old of readdirSync(CACHE))
    if (old !== basename(path) && old.startsWith(`${stem}-`) && old.endsWith(name.slice(dot)))
      rmSync(`${CACHE}${old}`, { force: true })
  return path
}
