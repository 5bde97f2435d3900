import { describe, expect, it } from 'vitest'
import { AppStandbys, standbyBoardPath, standbyLinkOf } from '../../src/main/appStandby'
import {
  connectClient,
  removeDir,
  shareOnLoopback,
  startTestHost,
  syncUrl,
  tempDir,
} from '../support/hostFixture'
import { waitUntil } from '../support/waitUntil'

// The desktop app offers to host a session it joined by link (issue 11, item 2): its main process follows the
// session, and carries it on when the host leaves.

describe('the app as a standby', () => {
  it('offers only for join links, and keeps one copy per session address in its data folder', () => {
    expect(standbyLinkOf('http://192.168.1.20:47800/#join=abcdefghijklmnopqrstuv')).toBe(
      'http://192.168.1.20:47800/#join=abcdefghijklmnopqrstuv',
    )
    expect(standbyLinkOf('http://192.168.1.20:47800/#knock')).toBeUndefined()
    expect(standbyLinkOf('http://192.168.1.20:47800/')).toBeUndefined()
    expect(standbyLinkOf('http://example.com:47800/#join=abcdefghijklmnopqrstuv')).toBeUndefined()
    const a = standbyBoardPath('/data', 'http://192.168.1.20:47800/#join=x')
    expect(a).toMatch(/^\/data\/standby\/[0-9a-f]{16}\.lanvas$/)
    expect(standbyBoardPath('/data', 'http://192.168.1.20:47800/#join=y')).toBe(a)
    expect(standbyBoardPath('/data', 'http://192.168.1.21:47800/#join=x')).not.toBe(a)
  })

  it('follows a session joined by link and hosts it when the host leaves; the guests move to it', async () => {
    const dir = await tempDir()
    const host = await startTestHost(dir)
    const shared = await shareOnLoopback(host)
    const link = shared.joinLinks[0] as string
    const standbys = new AppStandbys(dir, dir, () => {}, { mdns: false, bind: '127.0.0.1' })
    const guest = connectClient(syncUrl(shared.port, host.defaultBoardId), 'Gus', { token: shared.token })
    try {
      standbys.follow(link)
      standbys.follow(link) // the same session twice is one standby
      await waitUntil('the guest hears of the standby', () => guest.connection.succession.length === 1)
      expect(await standbys.list()).toHaveLength(1)
      const stroke = guest.board.beginStroke({ color: '#000000', width: 2 }, [1, 1, 1])
      await host.close()
      const [follower] = await standbys.list()
      await follower?.tookOver
      await waitUntil(
        'the guest moved to the app',
        () => guest.connection.synced && guest.connection.movedTo,
        30_000,
      )
      expect(follower?.host?.board(follower.host.defaultBoardId)).toBeDefined()
      expect(guest.board.getStroke(stroke)).toBeDefined()
      // The old host started again on its board: sharing it would make a second copy of the session.
      const again = await startTestHost(dir)
      try {
        await expect(shareOnLoopback(again)).rejects.toThrow(/hosted at 127\.0\.0\.1:\d+ now.*Join it there/)
      } finally {
        await again.close()
      }
    } finally {
      guest.destroy()
      await standbys.stop()
      await removeDir(dir)
    }
  }, 60_000)
})
