import { type Socket, connect as tcpConnect } from 'node:net'
import { describe, expect, it } from 'vitest'
import { hostLimits } from '../../../src/main/host/limits'
import { MERGE_WAITING_BYTES } from '../../../src/shared/sync/client'
import { InkChannel } from '../../../src/shared/sync/liveInk'
import { CloseReason } from '../../../src/shared/sync/protocol'
import { recordFigures } from '../../support/figures'
import { eachTestHost, sameState, syncUrl } from '../../support/hostFixture'
import { waitUntil } from '../../support/waitUntil'

// Small bounds so that a test fills them quickly; the defaults are in src/main/host/limits.ts.
const limits = hostLimits({ volatileDropBytes: 32 * 1024, slowCloseBytes: 256 * 1024 })
const CHUNK_POINTS = 200
// What the loop may send at most; far more than the kernel's socket buffers plus the bound.
const MAX_ROUNDS = 4000
// One relayed message: a chunk's Ink frame (~10 bytes a point) or Update frame (~12), with a riding cursor; or,
// once the drawers send faster than the host's message allowance, the chunks their outbox merged while they waited
// (at most MERGE_WAITING_BYTES: these drawers send ~270 chunks a second each, over the 190 the outbox spends).
const ONE_MESSAGE = Math.max(CHUNK_POINTS * 12, MERGE_WAITING_BYTES) + 1024

describe('a peer that stops reading', () => {
  const scope = eachTestHost()

  // On the secure channel (every LAN peer, every page) the host holds a turn's frames for one sealed batch: the
  // check counts them as queued before they are sealed (docs/protocol.md, "The host's memory per peer is bounded").
  it.each([
    ['plain', true],
    ['secure', false],
  ])(
    'on a %s socket is closed before its backlog passes the bound by more than one message; the others get every update',
    async (kind, plain) => {
      const host = await scope.start({ limits })
      const id = host.defaultBoardId
      const url = syncUrl(host.port, id)
      const a = scope.connect(url, 'ann')
      const b = scope.connect(url, 'bob')
      const watcher = scope.connect(url, 'cy')
      let tcp: Socket | undefined
      const slow = scope.raw(
        url,
        { name: 'slow', ...(plain ? {} : { ownerKey: host.ownerKey }) },
        {
          plain,
          connect: () => {
            tcp = tcpConnect(host.port, '127.0.0.1')
            return tcp
          },
        },
      )
      await Promise.all([a, b, watcher].map((c) => c.connection.whenSynced()))
      const slowId = (await waitUntil('the slow peer is in', () => slow.welcome()))?.participantId
      // It stops reading: the kernel's buffers fill, then the host's.
      tcp?.pause()

      let rounds = 0
      let dropped = 0
      // What the host relays each peer: the chunks as Ink frames (the two drawers' in turn, as a peer gets them).
      let bytesSent = 0
      const ink = new InkChannel()
      const updates: Uint8Array[] = []
      for (const c of [a, b]) c.board.doc.on('update', (u: Uint8Array) => updates.push(u))
      const slowIsIn = () => host.backlogs(id).sockets.some((s) => s.participantId === slowId)
      while (slowIsIn() && rounds < MAX_ROUNDS) {
        // Each batch, both draw a new stroke of 25 chunks (a stroke holds at most 20,000 points).
        const strokes = [a, b].map((c, i) => c.board.beginStroke({ color: '#e03131', width: 2 }, [i, 0, 0.5]))
        for (let k = 0; k < 50; k++, rounds++) {
          // Points far apart with changing pressure: live ink frames (1/16-unit differences) stay ~10 bytes a point.
          const flat = new Array(CHUNK_POINTS * 3)
            .fill(0)
            .map((_, j) =>
              j % 3 === 2 ? (j % 2) * 0.5 + 0.25 : ((rounds * 7919 + j * 104_729) % 200_000) - 100_000,
            )
          const who = k % 2
          ;[a, b][who]?.board.appendPoints(strokes[who] as string, flat)
          bytesSent += ink.frame(updates.splice(0).at(-1) as Uint8Array)?.byteLength ?? 0
        }
        // Presence too, as people move (well within the presence rate).
        a.awareness.setLocalState({ cursor: { x: rounds, y: 0 } })
        await waitUntil('the watcher keeps up', () =>
          strokes.every((s) => watcher.board.getStroke(s)?.points.length === (1 + 25 * CHUNK_POINTS) * 3),
        )
        for (const s of host.backlogs(id).sockets)
          if (s.participantId === slowId) dropped = Math.max(dropped, s.dropped)
      }
      const { peak, closedSlow } = host.backlogs(id)
      console.log(
        `[slow peer] rounds ${rounds}, ~${Math.round(bytesSent / 1024)} KB relayed to each peer, ` +
          `slow peer's largest backlog ${Math.round(peak / 1024)} KB (bound ${limits.slowCloseBytes / 1024} KB), ` +
          `presence frames dropped for it ${dropped}`,
      )
      expect(slowIsIn()).toBe(false)
      expect(closedSlow).toBe(1)
      // The bound is checked before each send against all that is queued for the peer: it is passed by at most the one
      // message decided on while the backlog was still under it.
      expect(peak).toBeLessThanOrEqual(limits.slowCloseBytes + ONE_MESSAGE)
      expect(bytesSent).toBeGreaterThan(0)
      expect(peak).toBeGreaterThan(limits.slowCloseBytes)
      expect(dropped).toBeGreaterThan(0)
      // Nobody else fell behind: the others' backlogs are empty and they all hold the same board.
      await waitUntil(
        'everyone converges',
        () => sameState(a.board, watcher.board) && sameState(b.board, watcher.board),
      )
      for (const s of host.backlogs(id).sockets) expect(s.relayed).toBeLessThan(limits.volatileDropBytes)
      expect([a, b, watcher].map((c) => c.connection.status)).toEqual(['connected', 'connected', 'connected'])
      const test = `test/main/host/limitsSlowPeer.test.ts › a peer that stops reading on a ${kind} socket…`
      // The secure socket's figures are the report's (pages and LAN peers speak it); the plain one's stand apart.
      await recordFigures(plain ? 'slow-peer-plain' : 'slow-peer', [
        { label: 'bytes relayed to each peer until the slow one was closed', value: bytesSent, test },
        {
          label: "slow peer's largest backlog in the host (bytes)",
          value: peak,
          test,
          ...(plain ? {} : { key: 'slowPeerPeak' }),
        },
        {
          label: 'bound it is closed at (slowCloseBytes, the test setting)',
          value: limits.slowCloseBytes,
          test,
        },
        { label: 'presence frames dropped for it before that', value: dropped, test },
        { label: 'updates the other peers missed', value: 0, test },
      ])
      // Reading again, the slow peer finds the close frame after its backlog (or, past the grace, a cut socket).
      tcp?.resume()
      expect([CloseReason.TooSlow, 1006]).toContain((await slow.closed).code)
    },
  )
})
