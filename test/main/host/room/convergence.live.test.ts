/**
 * The convergence scenarios of convergence.test.ts again over real sockets: a real host on loopback, real
 * `ws` clients with the real client engine, random editors from a seed, and sockets cut at random while
 * they draw. Every run converges, and every update the host reported saved is in the board file it leaves.
 */
import { readFile } from 'node:fs/promises'
import { join as joinPath } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { decodeBoardFile } from '../../../../src/shared/boardFile'
import { seededRandom } from '../../../../src/shared/sync/memorySocket'
import { holdsUpdate } from '../../../support/holdsUpdate'
import { eachTestHost, sameState, syncUrl, type TestClient } from '../../../support/hostFixture'
import { RandomEditor } from '../../../support/randomEditor'
import { waitUntil } from '../../../support/waitUntil'

const SEEDS = [1000, 1001, 1002]
const STEPS = 120

describe('convergence under random faults, over real sockets', () => {
  const scope = eachTestHost()

  it.each(SEEDS)('seed %i: converges, and what was reported saved is in the board file', async (seed) => {
    const random = seededRandom(seed)
    const int = (n: number) => Math.floor(random() * n)
    const host = await scope.start()
    const url = syncUrl(host.port, host.defaultBoardId)
    const saved: Uint8Array[] = []
    const clients: TestClient[] = []
    for (let i = 0; i < 3; i++) {
      const c = scope.connect(url, `p${i}`)
      c.connection.onSaved((updates) => saved.push(...updates))
      clients.push(c)
    }
    await Promise.all(clients.map((c) => c.connection.whenSynced()))
    const editors = clients.map((c) => new RandomEditor(c.board, random))
    for (let step = 0; step < STEPS; step++) {
      const r = random()
      const who = int(clients.length)
      if (r < 0.8) editors[who]?.edit()
      else if (r < 0.88) clients[who]?.dropSocket()
      else if (r < 0.93) clients[who]?.setOnline(false)
      else clients[who]?.setOnline(true)
      // Now and then the event loop runs, so frames, acks and reconnects interleave with the edits.
      if (random() < 0.3) await new Promise((resolve) => setTimeout(resolve, int(30)))
    }
    for (const c of clients) c.setOnline(true)
    await waitUntil('everyone is back and synced', () => clients.every((c) => c.connection.synced), 20_000)
    const first = clients[0] as TestClient
    await waitUntil('identical boards', () => clients.every((c) => sameState(c.board, first.board)), 20_000)
    await waitUntil(
      'everything sent is saved',
      () => clients.every((c) => c.connection.unsaved === 0),
      20_000,
    )
    for (const c of clients) expect(c.board.readElements()).toEqual(first.board.readElements())
    expect(saved.length).toBeGreaterThan(0)
    await host.close()
    const onDisk = new Y.Doc()
    Y.applyUpdate(
      onDisk,
      decodeBoardFile(new Uint8Array(await readFile(joinPath(scope.dir, 'board.lanvas')))),
    )
    expect(saved.filter((u) => !holdsUpdate(onDisk, u))).toHaveLength(0)
    expect(Y.encodeStateVector(onDisk)).toEqual(Y.encodeStateVector(first.board.doc))
  })
})
