import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { CloseReason } from '../../../src/shared/sync/protocol'
import { FINAL_CLOSE_CODES } from '../../../src/shared/sync/reconnect'
import { eachTestHost, syncUrl } from '../../support/hostFixture'

// A socket that says nothing is closed after helloTimeoutMs, with TryAgain: a client that was only slow (a busy
// computer, a slow secure handshake) retries and gets in, instead of being ended for good.

describe('the hello timeout', () => {
  const scope = eachTestHost()

  it('closes a silent socket with TryAgain, which clients retry, and still lets a client that speaks in', async () => {
    const host = await scope.start({ limits: { helloTimeoutMs: 300 } })
    const silent = new WebSocket(syncUrl(host.port, host.defaultBoardId))
    const closed = await new Promise<{ code: number; reason: string }>((resolve) =>
      silent.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    )
    expect(closed.code).toBe(CloseReason.TryAgain)
    expect(closed.reason).toMatch(/no hello/i)
    expect(FINAL_CLOSE_CODES.has(closed.code)).toBe(false)

    const client = scope.connect(syncUrl(host.port, host.defaultBoardId), 'Ann', { plain: true })
    await client.connection.whenSynced()
    expect(client.connection.status).toBe('connected')
  })
})
