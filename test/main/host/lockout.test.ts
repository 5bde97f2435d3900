/**
 * Issue 10.3 and 10.7: people kept out by sockets that never finish their handshake, and by knocks that never
 * leave. A real host shared on loopback; the attacker's sockets come from other loopback addresses.
 */
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { HostLimits } from '../../../src/main/host/limits'
import type { Host } from '../../../src/main/host/server'
import { endedMessage } from '../../../src/renderer/src/ui/SessionScreens'
import { CloseReason } from '../../../src/shared/sync/protocol'
import { KNOCK_UNANSWERED } from '../../../src/shared/sync/session'
import { recordFigures } from '../../support/figures'
import { eachTestHost, shareOnLoopback, syncUrl } from '../../support/hostFixture'
import { waitUntil } from '../../support/waitUntil'

const TEST = 'test/main/host/lockout.test.ts'

describe('nobody is kept out by half-open sockets or a flood of knocks', () => {
  const scope = eachTestHost()
  let host: Host | undefined
  const sockets: WebSocket[] = []
  // Runs before eachTestHost's (after hooks run in reverse): the sockets go before the host closes.
  afterEach(() => {
    for (const ws of sockets.splice(0)) ws.terminate()
  })

  async function shared(limits: Partial<HostLimits> = {}) {
    host = await scope.start({ limits })
    const share = await shareOnLoopback(host, { approval: true })
    return {
      share,
      lan: syncUrl(share.port, host.defaultBoardId),
      own: syncUrl(host.port, host.defaultBoardId),
    }
  }

  it('lets the owner and a guest in while 160 upgrades from one address never start their handshake', async () => {
    const { share, lan, own } = await shared()
    const opened: Promise<void>[] = []
    for (let i = 0; i < 160; i++) {
      const ws = new WebSocket(lan, { localAddress: '127.0.0.2' })
      ws.on('error', () => {})
      sockets.push(ws)
      opened.push(new Promise((resolve) => ws.once('open', () => resolve()).once('close', () => resolve())))
    }
    await Promise.all(opened)
    const started = performance.now()
    const owner = scope.connect(own, 'owner', { ownerKey: (host as Host).ownerKey })
    const guest = scope.connect(lan, 'guest', { token: share.token })
    // Refused even once (Full, then a retry once the half-open sockets time out) is kept out.
    const refusals: (number | undefined)[] = []
    for (const c of [owner, guest])
      c.connection.onStatus((status) => {
        if (status === 'offline') refusals.push(c.connection.closeCode)
      })
    await Promise.all([owner.connection.whenSynced(), guest.connection.whenSynced()])
    expect(refusals).toEqual([])
    const joinMs = Math.round(performance.now() - started)
    const open = sockets.filter((ws) => ws.readyState === WebSocket.OPEN).length
    await recordFigures('half-open-flood', [
      { label: 'half-open upgrades from one address', value: 160, test: TEST },
      { label: 'of them still held by the host', value: open, test: TEST },
      {
        label: 'times the owner or a link guest was refused',
        value: refusals.length,
        test: TEST,
        key: 'refusals',
      },
      {
        label: "the owner's and a guest's join under the flood (ms, this run)",
        value: joinMs,
        test: TEST,
        key: 'join ms',
      },
      {
        label: 'host RSS after the flood (MB)',
        value: Math.round(process.memoryUsage().rss / 2 ** 20),
        test: TEST,
      },
    ])
    expect(owner.connection.role).toBe('host')
    expect(guest.connection.role).toBe('editor')
    // Only a handful of the half-open sockets are still held by the host.
    expect(open).toBeLessThanOrEqual(8)
  })

  it('takes at most two knocks per address, shows where they come from, and ends knocks nobody answers', async () => {
    const { lan, own } = await shared({ knockTimeoutMs: 1500 })
    const owner = scope.connect(own, 'owner', { ownerKey: (host as Host).ownerKey })
    await owner.connection.whenSynced()
    // What the host's cards showed over time (a loaded machine may end the first knocks before Ada's comes).
    const seenFrom = new Set<string>()
    let mostFromOne = 0
    owner.connection.onSession(() => {
      const knocks = owner.connection.knocks
      for (const k of knocks) if (k.from) seenFrom.add(k.from)
      mostFromOne = Math.max(mostFromOne, knocks.filter((k) => k.from === '127.0.0.3').length)
    })
    const flood = Array.from({ length: 16 }, (_, i) =>
      scope.raw(lan, { name: `bot${i}` }, { localAddress: '127.0.0.3' }),
    )
    // Which two knocks get in depends on which sockets the host reads first: every knock is either pending
    // or refused, and every one refused says why.
    const pending = (r: (typeof flood)[number]) => r.controls.some((c) => c.type === 'knock-pending')
    const ends = flood.map(() => undefined as { code: number } | undefined)
    flood.forEach((r, i) => {
      void r.closed.then((end) => {
        ends[i] = end
      })
    })
    await waitUntil('the flood is answered', () => flood.every((r, i) => pending(r) || ends[i] !== undefined))
    // Two knock at once; one whose knock ended unanswered (a loaded machine can take longer than the knock's
    // 1.5 s to answer the flood) frees its place for another, so never more than two are knocking at a time.
    const knocking = flood.filter(pending)
    expect(knocking.length).toBeGreaterThanOrEqual(2)
    expect(flood.filter((r, i) => pending(r) && ends[i] === undefined).length).toBeLessThanOrEqual(2)
    for (const [i, r] of flood.entries())
      if (pending(r) && ends[i] !== undefined) expect(ends[i]?.code).toBe(CloseReason.Refused)
    const refused = await Promise.all(flood.filter((r) => !pending(r)).map((r) => r.closed))
    for (const r of refused) expect(r.code).toBe(CloseReason.RateLimited)
    const person = scope.raw(lan, { name: 'Ada' }, { localAddress: '127.0.0.4' })
    await waitUntil('the owner sees Ada knocking', () =>
      owner.connection.knocks.some((k) => k.name === 'Ada'),
    )
    expect(seenFrom).toEqual(new Set(['127.0.0.3', '127.0.0.4']))
    const onCards = mostFromOne
    expect(onCards).toBe(2)
    // Nobody answers: the knocks end with a reason, and free their places.
    const ended = await person.closed
    expect(ended.code).toBe(CloseReason.Refused)
    // The page tells this apart from a refusal: "Nobody answered your knock", and Try again knocks again.
    expect(ended.reason).toBe(KNOCK_UNANSWERED)
    expect(endedMessage(ended.code, ended.reason)).toBe('Nobody answered your knock.')
    expect(endedMessage(CloseReason.Refused, 'The host did not let you in.')).toBe(
      'The host did not let you in.',
    )
    await waitUntil('the list is empty again', () => owner.connection.knocks.length === 0)
    await recordFigures('knock-flood', [
      { label: 'knocks sent from one address', value: flood.length, test: TEST },
      { label: 'of them refused at once (RateLimited)', value: refused.length, test: TEST, key: 'refused' },
      { label: "knocks from that address on the host's cards", value: onCards, test: TEST },
      {
        label: 'host process RSS after the flood (MB)',
        value: Math.round(process.memoryUsage().rss / 2 ** 20),
        test: TEST,
      },
    ])
  })
})
