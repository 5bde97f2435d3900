/**
 * The board's overview, the page's side (src/shared/sync/overview.ts): asked for in the hello, checked like any data
 * from the network and shown until the board has come. A malformed one, one never asked for or one after the board
 * started is passed over with a warning: the join goes on as without it.
 */
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Board } from '../../../src/shared/board'
import { registerPlatform } from '../../../src/shared/platform'
import { readFrame, syncPartFrame, syncStep2Frame } from '../../../src/shared/sync/frames'
import {
  BoardOverview,
  MAX_OVERVIEW_BYTES,
  type OverviewImage,
  overviewFrame,
  overviewProblem,
} from '../../../src/shared/sync/overview'
import { MessageType } from '../../../src/shared/sync/protocol'
import { parseClientControl } from '../../../src/shared/sync/session'
import { welcomedPage } from '../../support/handHost'

const RECT = { minX: -100, minY: 50, maxX: 9000, maxY: 4000 }

/** The bytes of a PNG of `width` × `height` as far as its header (all the check reads), then filler. */
function png(width: number, height: number, bytes = 64): Uint8Array {
  const out = new Uint8Array(bytes)
  out.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
  const view = new DataView(out.buffer)
  view.setUint32(16, width)
  view.setUint32(20, height)
  return out
}

const warnings: string[] = []
registerPlatform({ warn: (message) => warnings.push(message) })
afterEach(() => {
  warnings.length = 0
})

/** A page's connection on the memory network, asking for the overview; the test plays the host. */
function page(options: { overview?: boolean } = {}) {
  const overview = new BoardOverview()
  return { ...welcomedPage(options.overview === false ? {} : { overview }), overview }
}

/** A board of two parts from a writer's document: its first part and the SyncStep2 that ends it. */
function boardParts(): { part: Uint8Array; end: Uint8Array } {
  const writer = new Board(new Y.Doc(), 'writer')
  writer.finishStroke(writer.beginStroke({ color: '#1971c2', width: 4 }, [10, 10, 0.5, 90, 60, 0.5]))
  const update = Y.encodeStateAsUpdate(writer.doc)
  return {
    part: syncPartFrame(update.byteLength + 1, update),
    end: syncStep2Frame(writer.doc, Y.encodeStateVector(writer.doc)),
  }
}

describe('the overview on the page', () => {
  it('is asked for in the hello, shown until the board came, then dropped', () => {
    const { network, host, connection, overview, hellos } = page()
    expect(hellos[0]).toMatchObject({ type: 'hello', overview: true })
    const image = { rect: RECT, png: png(2048, 900) }
    host.send(overviewFrame(image))
    network.flush()
    expect(overview.image?.rect).toEqual(RECT)
    expect(overview.image?.png).toEqual(image.png)
    const { part, end } = boardParts()
    host.send(part)
    network.flush()
    // Shown while the board streams in.
    expect(overview.image).toBeDefined()
    host.send(end)
    network.flush()
    expect(connection.synced).toBe(true)
    expect(overview.ended).toBe(true)
    expect(overview.image).toBeUndefined()
    expect(warnings).toEqual([])
  })

  it('is not asked for without a place to show it (what older pages send)', () => {
    const { hellos } = page({ overview: false })
    expect(hellos[0]).not.toHaveProperty('overview')
  })

  const malformed: [string, Uint8Array, RegExp][] = [
    ['no PNG', overviewFrame({ rect: RECT, png: new Uint8Array(64).fill(7) }), /no PNG/],
    ['a PNG too wide', overviewFrame({ rect: RECT, png: png(4096, 10) }), /4096 × 10 pixels/],
    ['a PNG of no pixels', overviewFrame({ rect: RECT, png: png(0, 10) }), /0 × 10 pixels/],
    ['too many bytes', overviewFrame({ rect: RECT, png: png(100, 100, MAX_OVERVIEW_BYTES + 1) }), /bytes/],
    [
      'an infinite edge',
      overviewFrame({ rect: { ...RECT, maxX: Number.POSITIVE_INFINITY }, png: png(9, 9) }),
      /maxX/,
    ],
    ['a NaN edge', overviewFrame({ rect: { ...RECT, minY: Number.NaN }, png: png(9, 9) }), /minY/],
    ['an edge past the board', overviewFrame({ rect: { ...RECT, minX: -1e9 }, png: png(9, 9) }), /minX/],
    [
      'an inside-out rectangle',
      overviewFrame({ rect: { ...RECT, maxX: -500 }, png: png(9, 9) }),
      /inside-out/,
    ],
    ['a frame cut short', overviewFrame({ rect: RECT, png: png(9, 9) }).subarray(0, 20), /minX|no board/],
    ['a PNG cut short', overviewFrame({ rect: RECT, png: png(9, 9) }).subarray(0, 40), /board coordinate/],
    [
      'bytes after the PNG',
      new Uint8Array([...overviewFrame({ rect: RECT, png: png(9, 9) }), 1, 2, 3]),
      /board coordinate/,
    ],
  ]
  for (const [what, frame, reason] of malformed)
    it(`passes over ${what} with a warning, and the join goes on`, () => {
      const read = readFrame(frame)
      expect(read.type).toBe('overview')
      expect(overviewProblem(read as unknown as OverviewImage)).toMatch(reason)
      const { network, host, connection, overview } = page()
      host.send(frame)
      network.flush()
      expect(overview.image).toBeUndefined()
      expect(warnings.join('\n')).toMatch(reason)
      // Not closed: the board comes as it would without an overview.
      expect(connection.closeCode).toBeUndefined()
      const { part, end } = boardParts()
      host.send(part)
      host.send(end)
      network.flush()
      expect(connection.synced).toBe(true)
    })

  it('passes over an overview it did not ask for, and one after the board came', () => {
    const unasked = page({ overview: false })
    unasked.host.send(overviewFrame({ rect: RECT, png: png(9, 9) }))
    unasked.network.flush()
    expect(unasked.connection.closeCode).toBeUndefined()
    expect(warnings.join('\n')).toMatch(/did not ask for/)
    const late = page()
    const { part, end } = boardParts()
    late.host.send(part)
    late.host.send(end)
    late.host.send(overviewFrame({ rect: RECT, png: png(9, 9) }))
    late.network.flush()
    expect(late.connection.synced).toBe(true)
    expect(late.overview.image).toBeUndefined()
    expect(late.connection.closeCode).toBeUndefined()
    expect(warnings.join('\n')).toMatch(/after the board came/)
  })

  it('shows one that comes between the parts (the host drew it after the page joined)', () => {
    const { network, host, connection, overview } = page()
    const { part, end } = boardParts()
    host.send(part)
    host.send(overviewFrame({ rect: RECT, png: png(9, 9) }))
    network.flush()
    expect(overview.image?.rect).toEqual(RECT)
    // The bar shows the part that came, not 0 % again.
    expect(connection.progress).toBeGreaterThan(0)
    host.send(end)
    network.flush()
    expect(overview.image).toBeUndefined()
    expect(warnings).toEqual([])
  })

  it('is a frame of its own type that a host refuses from a client', () => {
    expect(overviewFrame({ rect: RECT, png: png(9, 9) })[0]).toBe(MessageType.Overview)
    expect(
      parseClientControl(
        JSON.stringify({ type: 'hello', name: 'a', color: '#336699', awarenessId: 1, overview: 'yes' }),
      ),
    ).toBeUndefined()
  })
})
