/**
 * The board's parts paced to the page's screen (src/shared/sync/paintPacing.ts): a part that comes while the page has
 * something new to paint (the overview, the preview, a view the person moved) waits until it is painted, and what
 * comes after the part waits behind it, in order; parts that follow parts go as they come. The screen is the test's:
 * it paints when told, as the browser's next frame would.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Board } from '../../../src/shared/board'
import { syncPartFrame, syncStep2UpdateFrame, updateFrame } from '../../../src/shared/sync/frames'
import { BoardOverview, overviewFrame } from '../../../src/shared/sync/overview'
import type { PaintPacing } from '../../../src/shared/sync/paintPacing'
import { syncParts } from '../../../src/shared/sync/syncParts'
import { welcomedPage } from '../../support/handHost'

/** A screen played by hand: what changed is painted only at `paint()`. */
class HandScreen implements PaintPacing {
  /** Changes told so far, and how many of them are not painted yet. */
  changes = 0
  private unpainted = 0
  private readonly waiters: (() => void)[] = []

  get painted(): boolean {
    return this.unpainted === 0
  }

  changed(): void {
    this.changes++
    this.unpainted++
  }

  whenPainted(then: () => void): void {
    if (this.painted) then()
    else this.waiters.push(then)
  }

  paint(): void {
    this.unpainted = 0
    for (const waiter of this.waiters.splice(0)) waiter()
  }
}

/** The header of a 4 × 4 PNG and filler: all the page's check of an overview reads. */
const PNG = (() => {
  const out = new Uint8Array(64)
  out.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
  new DataView(out.buffer).setUint32(16, 4)
  new DataView(out.buffer).setUint32(20, 4)
  return out
})()
const OVERVIEW = overviewFrame({ rect: { minX: 0, minY: 0, maxX: 4000, maxY: 4000 }, png: PNG })

/** A writer's board of 60 strokes as the host streams it: three parts or more, then the SyncStep2. */
function streamedBoard() {
  const writer = new Board(new Y.Doc(), 'writer')
  for (let i = 0; i < 60; i++)
    writer.finishStroke(
      writer.beginStroke({ color: '#1971c2', width: 4 }, [i * 50, 0, 0.5, i * 50 + 40, 30, 0.5]),
    )
  const { parts, last, bytes } = syncParts(writer.doc, new Uint8Array([0]), 1024)
  return {
    writer,
    parts: parts.map((part) => syncPartFrame(bytes, part)),
    end: syncStep2UpdateFrame(last),
  }
}

/** A live stroke another person adds meanwhile, as the host relays it. */
function liveEdit(writer: Board) {
  const before = Y.encodeStateVector(writer.doc)
  writer.finishStroke(writer.beginStroke({ color: '#e03131', width: 4 }, [0, 500, 0.5, 40, 530, 0.5]))
  return updateFrame(Y.encodeStateAsUpdate(writer.doc, before))
}

describe('the board parts paced to the screen', () => {
  it('holds a part that comes after the overview until the screen painted it, and what follows behind it', () => {
    const screen = new HandScreen()
    const overview = new BoardOverview()
    const { network, host, board, connection } = welcomedPage({ overview, pacing: screen })
    const { writer, parts, end } = streamedBoard()
    expect(parts.length).toBeGreaterThan(2)
    host.send(OVERVIEW)
    for (const part of parts) host.send(part)
    host.send(liveEdit(writer))
    host.send(end)
    network.flush()
    // The overview is shown and waits to be painted: nothing of the board is applied, the live edit waits too.
    expect(overview.image).toBeDefined()
    expect(screen.changes).toBe(1)
    expect(board.elementIds()).toEqual([])
    expect(connection.synced).toBe(false)
    screen.paint()
    // Then the parts as they come (they do not wait for each other's frames), the edit and the end, in order.
    expect(board.elementIds()).toHaveLength(61)
    expect(connection.synced).toBe(true)
    expect(connection.progress).toBe(1)
    expect(overview.ended).toBe(true)
    expect(screen.changes).toBe(1)
  })

  it('takes parts as they come while the screen has nothing new to paint', () => {
    const screen = new HandScreen()
    const { network, host, board, connection } = welcomedPage({ pacing: screen })
    const { parts, end } = streamedBoard()
    for (const part of parts) host.send(part)
    host.send(end)
    network.flush()
    expect(board.elementIds()).toHaveLength(60)
    expect(connection.synced).toBe(true)
    expect(screen.changes).toBe(0)
  })

  it('holds the next part while a view the person moved waits for its frame', () => {
    const screen = new HandScreen()
    const { network, host, board } = welcomedPage({ pacing: screen })
    const { parts, end } = streamedBoard()
    host.send(parts[0] as Uint8Array)
    network.flush()
    const first = board.elementIds().length
    expect(first).toBeGreaterThan(0)
    // Zoomed to fit: the page's view changed, and the next part comes before the frame that shows it.
    screen.changed()
    for (const part of parts.slice(1)) host.send(part)
    host.send(end)
    network.flush()
    expect(board.elementIds()).toHaveLength(first)
    screen.paint()
    expect(board.elementIds()).toHaveLength(60)
  })

  it('drops what waited for a socket that went', () => {
    const screen = new HandScreen()
    const overview = new BoardOverview()
    const { network, host, board, connection } = welcomedPage({ overview, pacing: screen })
    const { parts } = streamedBoard()
    host.send(OVERVIEW)
    for (const part of parts) host.send(part)
    network.flush()
    host.close(1012, 'the host restarts')
    network.flush()
    expect(connection.status).toBe('offline')
    // The frame comes after the socket went: none of its parts is applied to the replica (a new socket starts over).
    screen.paint()
    expect(board.elementIds()).toEqual([])
  })
})
