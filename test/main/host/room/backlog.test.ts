/**
 * Issue 10.5: readers that stop reading. Fifty-eight people on one board stop reading while three draw; on
 * the in-memory network nothing reaches them unless the test delivers it, so what the host queues for them
 * is exact. The board's total backlog stays within its cap (plus one relayed update per peer), the peers
 * furthest behind are closed as TooSlow, and the drawers and a reader who keeps up go on.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ManualTimers, type MemoryLink, seededRandom } from '../../../../src/shared/sync/memorySocket'
import { CloseReason } from '../../../../src/shared/sync/protocol'
import { recordFigures } from '../../../support/figures'
import { type MemoryClient, MemoryRoom } from '../../../support/memoryRoom'

const BOARD_CAP = 1024 * 1024
const PEER_CAP = 256 * 1024

describe('many readers that stop reading', () => {
  it('cost the host at most the board cap; the ones furthest behind are closed, the others go on', async () => {
    const host = new MemoryRoom(new ManualTimers(seededRandom(9)), false, {
      slowCloseBytes: PEER_CAP,
      volatileDropBytes: 16 * 1024,
      boardBacklogBytes: BOARD_CAP,
    })
    try {
      const linkOf = new Map<MemoryClient, MemoryLink>()
      const join = (name: string) => {
        const c = host.join(name)
        linkOf.set(c, host.network.links.at(-1) as MemoryLink)
        return c
      }
      const drawers = [join('d0'), join('d1'), join('d2')]
      const keeper = join('keeps up')
      const stalled = Array.from({ length: 58 }, (_, i) => join(`stalled${i}`))
      host.network.flush()
      for (const c of [...drawers, keeper, ...stalled]) expect(c.connection.synced).toBe(true)
      const active = [...drawers, keeper].map((c) => linkOf.get(c) as MemoryLink)
      let peak = 0
      let largestUpdate = 0
      host.room.doc.on('update', (u: Uint8Array) => {
        largestUpdate = Math.max(largestUpdate, u.byteLength)
      })
      for (let round = 0; round < 200; round++) {
        for (const [i, d] of drawers.entries()) {
          const points = Array.from({ length: 200 }, (_, k) => [k, round * 10 + i, 0.5]).flat()
          const id = d.board.beginStroke({ color: '#1971c2', width: 3 }, points)
          d.board.finishStroke(id)
        }
        // Everything people send reaches the host; only the active ones read what the host sends.
        for (const link of host.network.links) while (link.deliver('host')) {}
        for (const link of active) while (link.deliver('client')) {}
        const queued = host.room.backlogs().sockets.reduce((n, s) => n + s.relayed, 0)
        peak = Math.max(peak, queued)
      }
      const peers = 3 + 1 + 58
      expect(peak).toBeLessThanOrEqual(BOARD_CAP + peers * (largestUpdate + 64))
      const closedSlow = host.room.backlogs().closedSlow
      expect(closedSlow).toBeGreaterThan(0)
      expect(
        host.log.filter((l) => l.includes(`(${CloseReason.TooSlow})`) || l.includes('stopped reading'))
          .length,
      ).toBe(closedSlow)
      for (const c of [...drawers, keeper]) {
        expect(c.connection.status).toBe('connected')
        expect(Y.encodeStateVector(c.board.doc)).toEqual(Y.encodeStateVector(host.room.doc))
      }
      await recordFigures('backlog-cap', [
        { label: 'readers that stopped reading', value: 58, test: 'test/main/host/room/backlog.test.ts' },
        {
          label: 'largest total backlog of the board (bytes)',
          value: peak,
          test: 'test/main/host/room/backlog.test.ts',
        },
        {
          label: 'board backlog cap in the test (bytes)',
          value: BOARD_CAP,
          test: 'test/main/host/room/backlog.test.ts',
        },
        {
          label: 'readers closed as too slow',
          value: closedSlow,
          test: 'test/main/host/room/backlog.test.ts',
        },
      ])
    } finally {
      host.close()
    }
  })

  it('closes a sender whose edits cost too much to relay to everyone; a person drawing goes on', () => {
    // A relay budget a few large strokes to forty people spend; it refills too slowly to matter here.
    const host = new MemoryRoom(new ManualTimers(seededRandom(4)), false, {
      relayBytes: { perSecond: 1, burst: 400_000 },
    })
    try {
      const flooder = host.join('flooder')
      const drawer = host.join('drawer')
      const readers = Array.from({ length: 40 }, (_, i) => host.join(`reader${i}`))
      host.network.flush()
      for (let i = 0; i < 20 && flooder.connection.status === 'connected'; i++) {
        // A stroke of 2,000 points: ~4 KB, relayed to 41 people.
        const points = Array.from({ length: 2000 }, (_, k) => [k, i, 0.5]).flat()
        flooder.board.finishStroke(flooder.board.beginStroke({ color: '#e03131', width: 2 }, points))
        host.network.flush()
      }
      expect(flooder.connection.closeCode).toBe(CloseReason.RateLimited)
      expect(flooder.connection.closeReason).toMatch(/cost too much to send to \d+ people/)
      const id = drawer.board.beginStroke({ color: '#1971c2', width: 3 }, [1, 1, 0.5, 2, 2, 0.5])
      drawer.board.finishStroke(id)
      host.network.flush()
      expect(drawer.connection.status).toBe('connected')
      for (const r of readers) expect(r.board.getStroke(id)).toBeDefined()
    } finally {
      host.close()
    }
  })
})
