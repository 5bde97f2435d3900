import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Host } from '../../../src/main/host/server'
import { sessionPathOf } from '../../../src/main/host/sessionFile'
import { Role } from '../../../src/shared/sync/session'
import { eachTestHost, shareOnLoopback, syncUrl } from '../../support/hostFixture'
import { waitUntil } from '../../support/waitUntil'

// Who may take over a session (docs/threat-model.md, section 10): only editors that proved the join token become
// standbys; everyone is told the same succession list, with addresses the host saw, not addresses anyone claimed.

describe('standby offers', () => {
  const scope = eachTestHost()
  const connect = scope.connect
  let host: Host

  beforeEach(async () => {
    host = await scope.start()
  })

  it('takes standbys from editors with the link only, tells everyone the same list, and gives the facts to standbys only', async () => {
    const shared = await shareOnLoopback(host)
    const lan = syncUrl(shared.port, host.defaultBoardId)
    const owner = connect(syncUrl(host.port, host.defaultBoardId), 'Hana', { ownerKey: host.ownerKey })
    const linked = connect(lan, 'Lee', { token: shared.token })
    const second = connect(lan, 'Sam', { token: shared.token })
    await Promise.all([owner, linked, second].map((c) => c.connection.whenSynced()))
    const knocker = connect(lan, 'Kim')
    const knock = await waitUntil('the host sees the knock', () => owner.connection.knocks[0])
    owner.connection.control({ type: 'admit', participantId: knock.id, role: Role.Editor })
    await knocker.connection.whenSynced()

    // An admitted knocker and the host's own window offer too: neither is taken.
    knocker.connection.offerStandby(47001)
    owner.connection.offerStandby(47002)
    second.connection.offerStandby(47004)
    linked.connection.offerStandby(47003)
    await waitUntil('everyone hears of both link editors', () =>
      [owner, linked, second, knocker].every((c) => c.connection.succession.length === 2),
    )
    const expected = [
      { participantId: second.connection.participantId, name: 'Sam', address: '127.0.0.1', port: 47004 },
      { participantId: linked.connection.participantId, name: 'Lee', address: '127.0.0.1', port: 47003 },
    ]
    for (const c of [owner, linked, second, knocker]) expect(c.connection.succession).toEqual(expected)

    await waitUntil('the standbys get the session facts', () =>
      [linked, second].every((c) => c.connection.standbyFacts !== undefined),
    )
    const facts = linked.connection.standbyFacts
    expect(facts).toMatchObject({
      sessionId: shared.sessionId,
      boardId: host.defaultBoardId,
      epoch: 0,
      approval: true,
    })
    expect(facts?.people).toContainEqual(
      expect.objectContaining({ participantId: knock.id, role: Role.Editor }),
    )
    // Never the owner key or a rejoin secret itself.
    const text = JSON.stringify(facts)
    expect(text).not.toContain(host.ownerKey)
    expect(knocker.connection.standbyFacts).toBeUndefined()
    expect(owner.connection.standbyFacts).toBeUndefined()

    // The session file keeps the list, for a host that comes back.
    await waitUntil('the session file lists the standbys', async () => {
      const saved = JSON.parse(await readFile(sessionPathOf(join(scope.dir, 'board.lanvas')), 'utf8'))
      return saved.standbys?.length === 2
    })

    // A standby made a viewer may no longer take over.
    owner.connection.control({
      type: 'set-role',
      participantId: second.connection.participantId as string,
      role: Role.Viewer,
    })
    await waitUntil('the viewer leaves the list', () =>
      [owner, linked, knocker].every(
        (c) =>
          c.connection.succession.length === 1 &&
          c.connection.succession[0]?.participantId === linked.connection.participantId,
      ),
    )
    // And a standby that leaves is off the list too.
    linked.destroy()
    await waitUntil('the list is empty', () => owner.connection.succession.length === 0)
  })

  // A host killed just after its pages learnt who takes over must, when it returns, find that standby in its
  // session file: otherwise it starts a second copy of the session (test/lan/failover.test.ts once did).
  it('writes who takes over to the session file before any page hears of it', async () => {
    const shared = await shareOnLoopback(host)
    const lan = syncUrl(shared.port, host.defaultBoardId)
    const watcher = connect(lan, 'Wen', { token: shared.token })
    const standby = connect(lan, 'Sam', { token: shared.token })
    await Promise.all([watcher, standby].map((c) => c.connection.whenSynced()))
    const sessionPath = sessionPathOf(join(scope.dir, 'board.lanvas'))
    const listed = () => {
      const saved = JSON.parse(readFileSync(sessionPath, 'utf8')) as { standbys?: { port: number }[] }
      return (saved.standbys ?? []).map((s) => s.port)
    }
    // What the file held at the very moment each page heard of a new succession list.
    const seen: { told: number[]; onDisk: number[] }[] = []
    for (const c of [watcher, standby]) {
      let before = ''
      c.connection.onSession(() => {
        const told = c.connection.succession.map((s) => s.port)
        if (told.join() !== before) seen.push({ told, onDisk: listed() })
        before = told.join()
      })
    }
    standby.connection.offerStandby(47011)
    await waitUntil('both pages hear of the standby', () =>
      [watcher, standby].every((c) => c.connection.succession.length === 1),
    )
    standby.destroy()
    await waitUntil('the watcher hears it left', () => watcher.connection.succession.length === 0)
    expect(seen.map((s) => s.told)).toContainEqual([47011])
    for (const s of seen) expect(s.onDisk, `the file when a page was told ${s.told}`).toEqual(s.told)
  })
})
