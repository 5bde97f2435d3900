/**
 * The host's index of where strokes start (src/main/host/room/strokeStarts.ts), which view first's preview looks
 * through instead of every stroke of the board: built a slice at a time, kept up to date with every edit since, so
 * that the preview holds exactly the strokes in the view after strokes were added, deleted, moved (in place and by
 * move records), turned or restyled; and through a real host on loopback, the same after another person's edits.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { StrokeStarts } from '../../../src/main/host/room/strokeStarts'
import { measureNear, previewFrames, ReadyOrder } from '../../../src/main/host/room/viewPreview'
import { Board, elementRect } from '../../../src/shared/board'
import { encodeBoardFile } from '../../../src/shared/boardFile'
import { type Rect, rectsIntersect } from '../../../src/shared/geometry'
import { readFrame } from '../../../src/shared/sync/frames'
import { BoardPreview } from '../../../src/shared/sync/preview'
import { eachTestHost, syncUrl } from '../../support/hostFixture'
import { joinHost } from '../../support/joinHost'
import { waitUntil } from '../../support/waitUntil'

const VIEW: Rect = { minX: 0, minY: 0, maxX: 1000, maxY: 700 }

/** `count` finished pen strokes of 60 points across 12,000 × 12,000 (most far from the view), from a seed. */
function inkBoard(count: number, seed = 9): { board: Board; ids: string[] } {
  const board = new Board(new Y.Doc(), 'author')
  const ids: string[] = []
  const rand = random(seed)
  for (let i = 0; i < count; i++) ids.push(stroke(board, rand, 12_000))
  return { board, ids }
}

/** A seeded random source in [0, 1). */
function random(seed: number): () => number {
  let s = seed
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

/** One finished stroke starting at a random place within `span` (or at `at`). */
function stroke(board: Board, rand: () => number, span: number, at?: { x: number; y: number }): string {
  const flat: number[] = []
  let x = at?.x ?? rand() * span - span / 4
  let y = at?.y ?? rand() * span - span / 4
  for (let p = 0; p < 60; p++) {
    x += rand() * 10 - 5
    y += rand() * 10 - 5
    flat.push(x, y, 0.5)
  }
  const id = board.beginStroke({ color: '#1e1e1e', width: 4 }, flat)
  board.finishStroke(id)
  return id
}

/** The ids of the board's strokes whose bounds meet the view, bottom to top (what the page draws once it has all). */
function inView(board: Board, view = VIEW): string[] {
  const ids = new Set(
    board.readElements().flatMap((el) => (rectsIntersect(elementRect(el), view) ? [el.id] : [])),
  )
  return board.order.toArray().filter((id): id is string => typeof id === 'string' && ids.has(id))
}

function previewIds(frames: Uint8Array[]): string[] {
  return frames.flatMap((f) => {
    const frame = readFrame(f)
    return frame.type === 'preview' ? frame.elements.map((e) => String(e.id)) : []
  })
}

describe('the index of where strokes start', () => {
  it('is built a slice at a time, then gives the strokes starting in an area', async () => {
    const { board } = inkBoard(4000)
    const starts = new StrokeStarts(board.doc)
    // Built between the host's other work: not at once.
    expect(starts.complete).toBe(false)
    await waitUntil('the index is built', () => starts.complete)
    const near = starts.near(VIEW)
    const expected = board.readElements().filter((el) => {
      const s =
        el.kind === 'stroke' ? { x: el.x + (el.points[0] ?? 0), y: el.y + (el.points[1] ?? 0) } : undefined
      return s && s.x >= VIEW.minX && s.x <= VIEW.maxX && s.y >= VIEW.minY && s.y <= VIEW.maxY
    })
    expect(expected.length).toBeGreaterThan(10)
    for (const el of expected) expect(near.has(el.id)).toBe(true)
    // Cells, not the whole board.
    expect(near.size).toBeLessThan(4000 / 10)
    starts.destroy()
  })

  it('keeps the preview to exactly the strokes in view after strokes were added, deleted, moved, turned, restyled', async () => {
    const { board, ids } = inkBoard(3000)
    const starts = new StrokeStarts(board.doc)
    await waitUntil('the index is built', () => starts.complete)
    const before = inView(board)
    expect(previewIds(previewFrames(board.doc, VIEW, 64 * 1024, 1 << 30, starts))).toEqual(before)
    const rand = random(77)
    const far = ids.filter((id) => !before.includes(id))
    // Added in the view; deleted from it; moved in place out of it and into it (fewer than a move record takes);
    // moved into it by one move record (a large move); turned; restyled wider.
    const added = [stroke(board, rand, 0, { x: 300, y: 300 }), stroke(board, rand, 0, { x: 900, y: 100 })]
    board.deleteElements(before.slice(0, 3))
    const outOfView = before.slice(3, 6)
    board.moveElements(outOfView, [], 20_000, 0)
    const smallMove = far.slice(0, 4)
    for (const id of smallMove) {
      const r = board.elementBounds(id) as Rect
      board.moveElements([id], [], 400 - r.minX, 300 - r.minY)
    }
    const largeMove = far.slice(10, 160)
    const r = board.elementBounds(largeMove[0] as string) as Rect
    board.moveElements(largeMove, [], 500 - r.minX, 200 - r.minY)
    board.updateElement(far[200] as string, { rotation: 30 })
    board.updateElements(before.slice(6, 20).map((id) => [id, { width: 40, color: '#e03131' }] as const))

    const expected = inView(board)
    for (const id of [...added, ...smallMove, largeMove[0] as string]) expect(expected).toContain(id)
    for (const id of [...before.slice(0, 6)]) expect(expected).not.toContain(id)
    // Through the index, as without it (every stroke looked at).
    expect(previewIds(previewFrames(board.doc, VIEW, 64 * 1024, 1 << 30, starts))).toEqual(expected)
    expect(previewIds(previewFrames(board.doc, VIEW, 64 * 1024, 1 << 30))).toEqual(expected)
    // And in another view, with the strokes measured ahead for it.
    const other: Rect = { minX: 5000, minY: 5000, maxX: 6200, maxY: 5900 }
    const stop = measureNear(board.doc, starts, other)
    stop()
    expect(previewIds(previewFrames(board.doc, other, 64 * 1024, 1 << 30, starts))).toEqual(
      inView(board, other),
    )
    starts.destroy()
  })
})

describe('the z-order kept near where pages open', () => {
  it("gives a join's preview the same strokes without walking the board's z-order, until the board changes", async () => {
    const { board } = inkBoard(3000)
    const starts = new StrokeStarts(board.doc)
    await waitUntil('the index is built', () => starts.complete)
    const ready = new ReadyOrder(
      board.doc,
      starts,
      { minX: 0, minY: 0, maxX: 2560, maxY: 1600 },
      64 * 1024,
      1 << 30,
    )
    ready.make()
    const expected = inView(board)
    expect(expected.length).toBeGreaterThan(5)
    // Reading the z-order out of Yjs is what a cold preview of a 100,000-stroke board spent most on.
    const walks = vi.spyOn(Y.Array.prototype, 'toArray')
    try {
      expect(previewIds(previewFrames(board.doc, VIEW, 64 * 1024, 1 << 30, starts, ready))).toEqual(expected)
      expect(walks).not.toHaveBeenCalled()
      // A view beyond where pages open: the board's z-order, as before.
      const far: Rect = { minX: 5000, minY: 5000, maxX: 6200, maxY: 5900 }
      const farExpected = inView(board, far)
      walks.mockClear()
      expect(previewIds(previewFrames(board.doc, far, 64 * 1024, 1 << 30, starts, ready))).toEqual(
        farExpected,
      )
      expect(walks).toHaveBeenCalled()
      // An edit: the kept order no longer holds (a new stroke in view), until the board has been quiet a while.
      const added = stroke(board, random(5), 0, { x: 300, y: 300 })
      const edited = inView(board)
      expect(edited).toContain(added)
      walks.mockClear()
      expect(previewIds(previewFrames(board.doc, VIEW, 64 * 1024, 1 << 30, starts, ready))).toEqual(edited)
      expect(walks).toHaveBeenCalled()
      await waitUntil('the order is kept again', () => ready.covering(VIEW) !== undefined)
      walks.mockClear()
      expect(previewIds(previewFrames(board.doc, VIEW, 64 * 1024, 1 << 30, starts, ready))).toEqual(edited)
      expect(walks).not.toHaveBeenCalled()
    } finally {
      walks.mockRestore()
      ready.destroy()
      starts.destroy()
    }
  })
})

describe('view first through a host after edits', () => {
  const t = eachTestHost()

  it("gives a joiner exactly the strokes in its view after another person's edits since the host opened", async () => {
    const { board: source } = inkBoard(2500)
    await writeFile(join(t.dir, 'board.lanvas'), encodeBoardFile(source.doc))
    const host = await t.start({ limits: { syncPartBytes: 16 * 1024 } })
    const url = syncUrl(host.port, host.defaultBoardId)
    const owner = t.connect(url, 'owner', { ownerKey: host.ownerKey })
    await owner.connection.whenSynced()
    const before = inView(owner.board)
    expect(before.length).toBeGreaterThan(3)
    const rand = random(3)
    const added = stroke(owner.board, rand, 0, { x: 600, y: 400 })
    owner.board.deleteElements([before[0] as string])
    owner.board.moveElements([before[1] as string], [], -30_000, 0)
    const far = owner.board.order.toArray().filter((id) => typeof id === 'string' && !before.includes(id))
    const r = owner.board.elementBounds(far[0] as string) as Rect
    owner.board.moveElements([far[0] as string], [], 200 - r.minX, 200 - r.minY)
    const expected = inView(owner.board)
    expect(expected).toContain(added)
    expect(expected).toContain(far[0])
    expect(expected).not.toContain(before[0])
    expect(expected).not.toContain(before[1])
    await waitUntil('the host has the edits', () => owner.connection.unsaved === 0)

    const preview = new BoardPreview(() => VIEW)
    let shown: string[] | undefined
    const { joiner, connection } = joinHost(url, host.ownerKey, { preview })
    connection.onProgress(() => {
      shown ??= [...preview.elements.keys()]
    })
    await connection.whenSynced()
    expect(shown).toEqual(expected)
    connection.close()
    joiner.destroy()
  })
})
