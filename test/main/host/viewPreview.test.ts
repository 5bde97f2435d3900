/**
 * View first through a real host on loopback (docs/protocol.md, "View first"): a page joining a large board gets
 * the finished strokes in its view before the board's first part, exactly those (moved ones where they were moved
 * to), on the plain and on the secure channel; the preview ends once the board came, and the joiner then holds the
 * host's document. A client that does not ask (an older page) gets no preview frame.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { previewFrames } from '../../../src/main/host/room/viewPreview'
import { Board, elementRect, readElement } from '../../../src/shared/board'
import { encodeBoardFile } from '../../../src/shared/boardFile'
import type { FlatRecord } from '../../../src/shared/elements/entry'
import { type Rect, rectsIntersect } from '../../../src/shared/geometry'
import { readFrame } from '../../../src/shared/sync/frames'
import { BoardPreview } from '../../../src/shared/sync/preview'
import { MessageType } from '../../../src/shared/sync/protocol'
import { eachTestHost, sameState, syncUrl } from '../../support/hostFixture'
import { joinHost } from '../../support/joinHost'
import { waitUntil } from '../../support/waitUntil'

const PART_BYTES = 32 * 1024
const VIEW: Rect = { minX: 0, minY: 0, maxX: 1000, maxY: 700 }

/**
 * `count` finished pen strokes of 120 points across 4000 × 4000; the first 150 moved by (-1500, -1500) in one move
 * record, the 101st to the 400th restyled in one style record.
 */
function inkBoard(count: number): Board {
  const board = new Board(new Y.Doc(), 'author')
  let seed = 5
  const rand = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0
    return seed / 2 ** 32
  }
  const ids: string[] = []
  for (let i = 0; i < count; i++) {
    const flat: number[] = []
    let x = rand() * 4000
    let y = rand() * 4000
    for (let p = 0; p < 120; p++) {
      x += rand() * 6 - 3
      y += rand() * 6 - 3
      flat.push(x, y, 0.5)
    }
    ids.push(board.beginStroke({ color: '#1e1e1e', width: 4 }, flat))
    board.finishStroke(ids[i] as string)
  }
  board.moveElements(ids.slice(0, 150), [], -1500, -1500)
  // A large restyle: one style record over 300 strokes (a colour and a width the records themselves lack).
  board.updateElements(ids.slice(100, 400).map((id) => [id, { color: '#e03131', width: 9 }] as const))
  return board
}

/** The ids of the board's strokes whose bounds meet the view, bottom to top. */
function inView(board: Board): string[] {
  const ids = new Set(
    board.readElements().flatMap((el) => (rectsIntersect(elementRect(el), VIEW) ? [el.id] : [])),
  )
  return board.order.toArray().filter((id) => ids.has(id))
}

describe('a page joining a large board, view first', () => {
  const t = eachTestHost()

  for (const plain of [true, false])
    it(`gets the strokes in its view before the board, then the board (${plain ? 'plain' : 'secure'} channel)`, async () => {
      const source = inkBoard(1500)
      const expected = inView(source)
      // Some strokes in view were moved there by the move record, and most of the board is elsewhere.
      expect(expected.length).toBeGreaterThan(20)
      expect(expected.length).toBeLessThan(500)
      await writeFile(join(t.dir, 'board.lanvas'), encodeBoardFile(source.doc))
      const host = await t.start({ limits: { syncPartBytes: PART_BYTES } })
      const url = syncUrl(host.port, host.defaultBoardId)
      const owner = t.connect(url, 'owner', { ownerKey: host.ownerKey })
      await owner.connection.whenSynced()

      const preview = new BoardPreview(() => VIEW)
      const types: number[] = []
      let atFirstPart: string[] | undefined
      const elementsAtPreview: number[] = []
      const { joiner, connection } = joinHost(url, host.ownerKey, { preview, plain, types })
      preview.onChange(() => {
        if (!preview.ended) elementsAtPreview.push(joiner.elementIds().length)
      })
      connection.onProgress(() => {
        atFirstPart ??= [...preview.elements.keys()]
      })
      await connection.whenSynced()
      // The preview came while the board held nothing yet; by the first part it held every stroke in view, in z-order.
      expect(elementsAtPreview.length).toBeGreaterThan(0)
      expect(elementsAtPreview.every((n) => n === 0)).toBe(true)
      expect(atFirstPart).toEqual(expected)
      if (plain) {
        const firstPart = types.indexOf(MessageType.SyncPart)
        expect(types.indexOf(MessageType.Preview)).toBeGreaterThan(-1)
        expect(types.indexOf(MessageType.Preview)).toBeLessThan(firstPart)
        expect(types.lastIndexOf(MessageType.Preview)).toBeLessThan(firstPart)
      }
      // The board came: the preview is over and the joiner holds the host's document.
      expect(preview.ended).toBe(true)
      expect(preview.elements.size).toBe(0)
      await waitUntil('the same document', () => sameState(owner.board, joiner))
      expect(joiner.readElements()).toEqual(owner.board.readElements())
      connection.close()
      joiner.destroy()
    })

  it('ends the opening bar the preview started when the board then comes in one message', async () => {
    // A board small enough for one SyncStep2 (no parts): the preview still comes first and starts the bar at 0 %;
    // before, nothing ended it and "Opening board… 0 %" stayed on the page.
    const source = inkBoard(200)
    expect(inView(source).length).toBeGreaterThan(0)
    await writeFile(join(t.dir, 'board.lanvas'), encodeBoardFile(source.doc))
    const host = await t.start()
    const url = syncUrl(host.port, host.defaultBoardId)
    const preview = new BoardPreview(() => VIEW)
    const seen: (number | undefined)[] = []
    const { joiner, connection } = joinHost(url, host.ownerKey, { preview })
    connection.onProgress(() => seen.push(connection.progress))
    await connection.whenSynced()
    expect(seen[0]).toBe(0)
    expect(connection.progress).toBe(1)
    expect(joiner.elementIds()).toHaveLength(200)
    connection.close()
    joiner.destroy()
  })

  it('shows each stroke of the preview as the board reads it', async () => {
    const source = inkBoard(600)
    await writeFile(join(t.dir, 'board.lanvas'), encodeBoardFile(source.doc))
    const host = await t.start({ limits: { syncPartBytes: PART_BYTES } })
    const url = syncUrl(host.port, host.defaultBoardId)
    const preview = new BoardPreview(() => VIEW)
    let shown = new Map<string, FlatRecord>()
    const { joiner, connection } = joinHost(url, host.ownerKey, { preview })
    preview.onChange(() => {
      if (!preview.ended) shown = new Map(preview.elements)
    })
    await connection.whenSynced()
    // Read as the page's scene reads them: each where the board has it, moved ones where the move record put them.
    const moved = new Set(source.order.toArray().slice(0, 150))
    expect([...shown.keys()].filter((id) => moved.has(id)).length).toBeGreaterThan(0)
    const restyled = new Set(source.order.toArray().slice(100, 400))
    expect([...shown.keys()].filter((id) => restyled.has(id)).length).toBeGreaterThan(0)
    expect(shown.size).toBeGreaterThan(5)
    for (const [id, record] of shown) expect(readElement(id, record, null)).toEqual(joiner.readElement(id))
    connection.close()
    joiner.destroy()
  })

  it('sends no preview to a client that did not ask (an older page)', async () => {
    await writeFile(join(t.dir, 'board.lanvas'), encodeBoardFile(inkBoard(600).doc))
    const host = await t.start({ limits: { syncPartBytes: PART_BYTES } })
    const types: number[] = []
    const { joiner, connection } = joinHost(syncUrl(host.port, host.defaultBoardId), host.ownerKey, { types })
    await connection.whenSynced()
    expect(types, String(types)).toContain(MessageType.SyncPart)
    expect(types).not.toContain(MessageType.Preview)
    connection.close()
    joiner.destroy()
  })

  it('keeps each preview frame within a part and all of them within the cap, bottom to top', () => {
    const board = inkBoard(1500)
    const expected = inView(board)
    const all = previewFrames(board.doc, VIEW, 4096, 1 << 30)
    const ids = (frames: Uint8Array[]) =>
      frames.flatMap((f) => {
        const frame = readFrame(f)
        return frame.type === 'preview' ? frame.elements.map((e) => e.id) : []
      })
    expect(all.length).toBeGreaterThan(3)
    for (const f of all) expect(f.byteLength).toBeLessThanOrEqual(4096 + 16)
    expect(ids(all)).toEqual(expected)
    // Under a cap of a third of it: the first strokes only, in the same order.
    const bytes = all.reduce((n, f) => n + f.byteLength, 0)
    const capped = ids(previewFrames(board.doc, VIEW, 4096, bytes / 3))
    expect(capped.length).toBeGreaterThan(0)
    expect(capped.length).toBeLessThan(expected.length / 2)
    expect(capped).toEqual(expected.slice(0, capped.length))
  })
})
