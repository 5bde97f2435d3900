import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { basename } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as Y from 'yjs'
import { Board } from '../src/shared/board'
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

/** How the strokes of makeInkBoard are finished: compact at pen-up (today), or with their chunks kept (schema 2). */
export type InkWriter = 'compact' | 'legacy'

/**
 * A board of `count` finished pen strokes as people draw them: 50 to 300 points each, the pen turning and
 * changing speed gradually (1 to 10 units a sample), pressure varying along the stroke, sent in chunks of
 * `perChunk` points, starting anywhere in a `span` x `span` area. `legacy` finishes them as schema 2 did (done, chunks kept), for before/after figures.
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
  const id = board.beginStroke(
    { color: colors[i % colors.length] as string, width: 2 + (i % 4) * 2 },
    flat.slice(0, perChunk * 3),
  )
  for (let at = perChunk * 3; at < flat.length; at += perChunk * 3)
    board.appendPoints(id, flat.slice(at, at + perChunk * 3))
  if (writer === 'compact') board.finishStroke(id)
  else board.transact(() => board.elements.get(id)?.set('done', true))
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
