import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { newSecret } from '../../../src/main/host/access'
import { newSessionId } from '../../../src/main/host/discovery'
import { sessionPathOf, writeSessionFile } from '../../../src/main/host/sessionFile'
import { sessionHostedElsewhere } from '../../../src/main/host/sessionMoved'
import { removeDir, tempDir } from '../../support/hostFixture'
import { freeLoopbackPort } from '../../support/pages'

// A host that comes back asks the standbys its session file lists whether one of them took the session over
// (src/main/host/sessionMoved.ts). A standby busy with the pages that just moved to it may answer late: the host
// asks again rather than start a second copy of the session, and its log says what each standby answered.

describe('a returning host looks for the session at its standbys', () => {
  let dir: string
  let servers: Server[]

  beforeEach(async () => {
    dir = await tempDir()
    servers = []
  })

  afterEach(async () => {
    for (const s of servers) {
      s.closeAllConnections()
      s.close()
    }
    await removeDir(dir)
  })

  const boardPath = () => join(dir, 'board.lanvas')
  const sessionId = newSessionId()
  const token = newSecret()
  const saveSession = (standbys: { port: number }[]) =>
    writeSessionFile(sessionPathOf(boardPath()), {
      sessionId,
      name: 'Review',
      token,
      ownerKey: newSecret(),
      approval: true,
      port: 47800,
      people: [],
      epoch: 0,
      standbys: standbys.map((s, i) => ({
        participantId: `p${i}`,
        name: `Standby ${i}`,
        address: '127.0.0.1',
        port: s.port,
      })),
    })

  /** A standby that took the session over (epoch 1) and leaves its first `stall` requests unanswered. */
  const busyStandby = async (stall: number) => {
    let asked = 0
    const server = createServer((req, res) => {
      asked++
      if (req.url !== '/api/session' || asked <= stall) return
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ sessionId, epoch: 1 }))
    })
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return { port: (server.address() as AddressInfo).port, asked: () => asked }
  }

  it('asks a standby that does not answer in time again, and follows it once it answers', async () => {
    const standby = await busyStandby(1)
    await saveSession([standby])
    const lines: string[] = []
    const moved = await sessionHostedElsewhere(boardPath(), (line) => lines.push(line))
    expect(moved).toEqual({
      link: `http://127.0.0.1:${standby.port}/#join=${token}`,
      address: '127.0.0.1',
      port: standby.port,
    })
    expect(standby.asked()).toBe(2)
    expect(lines.join('\n')).toContain(`127.0.0.1:${standby.port} timed out`)
  }, 30_000)

  it('says why it hosts on its own: no standby listed, or each standby refused', async () => {
    await saveSession([])
    const lines: string[] = []
    expect(await sessionHostedElsewhere(boardPath(), (line) => lines.push(line))).toBeUndefined()
    expect(lines).toEqual(['the session file lists no standby: nobody can have taken the session over'])

    const gone = await freeLoopbackPort()
    await saveSession([{ port: gone }])
    lines.length = 0
    expect(await sessionHostedElsewhere(boardPath(), (line) => lines.push(line))).toBeUndefined()
    // Refused is final: asked once, not three times.
    expect(lines).toEqual([
      `standbys asked whether they host the session (round 1): 127.0.0.1:${gone} refused`,
    ])
  })

  it('hosts on its own when its standbys still do not answer after three rounds', async () => {
    const standby = await busyStandby(10)
    await saveSession([standby])
    const lines: string[] = []
    expect(await sessionHostedElsewhere(boardPath(), (line) => lines.push(line))).toBeUndefined()
    expect(standby.asked()).toBe(3)
    expect(lines).toHaveLength(3)
  }, 30_000)
})
