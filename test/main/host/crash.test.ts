import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { openBoardFile } from '../../../src/shared/boardFile'
import { seededRandom } from '../../../src/shared/sync/memorySocket'
import { recordFigures } from '../../support/figures'
import { connectClient, eachTempDir, sameState, syncUrl, type TestClient } from '../../support/hostFixture'
import { type HostProcess, startHostProcess } from '../../support/hostProcess'
import { waitUntil } from '../../support/waitUntil'

// Twenty kills keep the test near a minute on a shared machine; each kill lands at a random moment.
const KILLS = 20
// The same seed draws the same strokes and kills at the same moments (LANVAS_CRASH_SEED=N to repeat a run).
const SEED = Number(process.env.LANVAS_CRASH_SEED ?? Date.now() % 1_000_000)

// One seeded generator for every test (mulberry32): the run can be repeated from its seed.
const random = seededRandom

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** One person drawing: their replica, the strokes they expect on the board, and what the host acknowledged. */
interface Drawer {
  name: string
  client: TestClient
  /** Stroke id -> every point the person drew, finished or not. */
  strokes: Map<string, number[]>
  /** Strokes the person erased again. */
  erased: Set<string>
  /** Every update the host reported saved, over all sockets. */
  acked: Uint8Array[]
  drawing: boolean
  loop?: Promise<void>
}

describe('a host killed with SIGKILL while people draw', () => {
  const folder = eachTempDir()
  let host: HostProcess | undefined
  // Runs before eachTempDir's (after hooks run in reverse): the process ends before its folder goes.
  afterEach(() => {
    if (host && host.process.exitCode === null && host.process.signalCode === null)
      host.process.kill('SIGKILL')
  })

  it(`keeps every acknowledged update through ${KILLS} kills, and in the end nothing is lost`, async () => {
    const rand = random(SEED)
    const boardPath = join(folder.dir, 'crash.lanvas')
    host = await startHostProcess(['--port', '0', '--board', boardPath])
    const port = host.port
    const { id: boardId } = (await (await fetch(new URL('/api/boards/default', host.url))).json()) as {
      id: string
    }

    const drawers: Drawer[] = ['ann', 'bob', 'cyd', 'dee'].map((name) => {
      const client = connectClient(syncUrl(port, boardId), name)
      const drawer: Drawer = { name, client, strokes: new Map(), erased: new Set(), acked: [], drawing: true }
      client.connection.onSaved((updates) => drawer.acked.push(...updates))
      return drawer
    })
    await Promise.all(drawers.map((d) => d.client.connection.whenSynced()))

    // Each person draws strokes point by point, whether or not the host is up, and now and then erases one.
    const draw = async (d: Drawer): Promise<void> => {
      let n = 0
      while (d.drawing) {
        const first = [n, 0, 0.5]
        const id = d.client.board.beginStroke({ color: '#204060', width: 3 }, first)
        const points = [...first]
        d.strokes.set(id, points)
        const more = 2 + Math.floor(rand() * 6)
        for (let i = 1; i <= more && d.drawing; i++) {
          await sleep(5 + rand() * 25)
          const point = [n, i, 0.5]
          d.client.board.appendPoints(id, point)
          points.push(...point)
        }
        d.client.board.finishStroke(id)
        if (n % 5 === 4) {
          const victim = [...d.strokes.keys()].find((s) => !d.erased.has(s))
          if (victim) {
            d.client.board.deleteElements([victim])
            d.erased.add(victim)
          }
        }
        n++
        await sleep(rand() * 20)
      }
    }
    for (const d of drawers) d.loop = draw(d)

    const leaver = drawers[drawers.length - 1] as Drawer
    let ackedChecks = 0
    let ackedLost = 0
    let kills = KILLS
    for (let kill = 1; kill <= KILLS; kill++) {
      await sleep(250 + rand() * 500)
      if (kill === Math.ceil(KILLS / 3)) {
        // One person stops, waits until the host has saved all they drew, and leaves for good.
        leaver.drawing = false
        await leaver.loop
        await waitUntil(`${leaver.name}'s edits are all saved`, () => {
          const c = leaver.client.connection
          return c.synced && c.unsaved === 0 && leaver.acked.length > 0
        })
        leaver.client.destroy()
      }
      const running = host
      const exited = new Promise((r) => running.process.once('exit', r))
      running.process.kill('SIGKILL')
      await exited

      // Whatever the host acknowledged before it died is in the board the restarted host serves. The others
      // stay offline meanwhile (they draw on), so nothing they resend can hide a loss from the observer.
      const back = drawers.filter((d) => d !== leaver || d.drawing)
      for (const d of back) d.client.setOnline(false)
      host = await startHostProcess(['--port', String(port), '--board', boardPath])
      const observer = connectClient(syncUrl(port, boardId), 'observer')
      await observer.connection.whenSynced()
      const snapshot = Y.snapshot(observer.board.doc)
      for (const d of drawers)
        for (const update of d.acked) {
          ackedChecks++
          if (!Y.snapshotContainsUpdate(snapshot, update)) ackedLost++
        }
      observer.destroy()
      expect(host.output()).not.toMatch(/damaged|not applied/)
      if (ackedLost > 0) {
        kills = kill
        break
      }
      for (const d of back) d.client.setOnline(true)
      await waitUntil(`everyone is back after kill ${kill}`, () =>
        back.every((d) => d.client.connection.synced),
      )
    }

    const acked = () => drawers.reduce((n, d) => n + d.acked.length, 0)
    const record = (final: { drawn: number; erased: number; missing: number; resurrected: number }) =>
      recordFigures('crash', [
        {
          label: 'host kills (SIGKILL) survived',
          value: ackedLost > 0 ? kills - 1 : kills,
          test: TEST,
          key: 'kills',
        },
        {
          label: 'clients drawing (one left for good once its edits were acknowledged)',
          value: 4,
          test: TEST,
        },
        { label: 'updates acknowledged by the host', value: acked(), test: TEST, key: 'acked' },
        {
          label: 'acknowledged updates looked up in the restarted host (all kills)',
          value: ackedChecks,
          test: TEST,
        },
        { label: 'acknowledged updates lost', value: ackedLost, test: TEST, key: 'ackedLost' },
        { label: 'strokes drawn', value: final.drawn, test: TEST },
        { label: 'strokes erased', value: final.erased, test: TEST },
        {
          label: 'strokes missing or changed in the final board',
          value: final.missing,
          test: TEST,
          key: 'lost',
        },
        { label: 'erased strokes back in the final board', value: final.resurrected, test: TEST },
        { label: 'seed (LANVAS_CRASH_SEED)', value: SEED, test: TEST },
      ])
    if (ackedLost > 0) {
      await record({ drawn: 0, erased: 0, missing: 0, resurrected: 0 })
      expect(ackedLost, `acknowledged updates missing after kill ${kills} (seed ${SEED})`).toBe(0)
    }

    // Everyone stops; once each has synced and every update is saved, the board file must hold it all.
    const stayed = drawers.filter((d) => d !== leaver)
    for (const d of stayed) d.drawing = false
    await Promise.all(stayed.map((d) => d.loop))
    await waitUntil('every edit is saved and every replica has everything', () => {
      if (!stayed.every((d) => d.client.connection.synced && d.client.connection.unsaved === 0)) return false
      const first = stayed[0] as Drawer
      return stayed.every((d) => sameState(d.client.board, first.client.board))
    })
    const code = await host.stop()
    expect(code).toBe(0)
    const final = openBoardFile(await readFile(boardPath))

    let drawn = 0
    let missing = 0
    let wrong = 0
    let resurrected = 0
    for (const d of drawers)
      for (const [id, points] of d.strokes) {
        drawn++
        const stroke = final.getStroke(id)
        if (d.erased.has(id)) {
          if (stroke) resurrected++
          continue
        }
        if (!stroke) missing++
        else if (!stroke.done || stroke.points.join() !== new Float32Array(points).join()) wrong++
      }
    const erased = drawers.reduce((n, d) => n + d.erased.size, 0)
    expect(final.strokes()).toHaveLength(drawn - erased)
    for (const d of stayed) expect(sameState(d.client.board, final)).toBe(true)
    await record({ drawn, erased, missing: missing + wrong, resurrected })
    expect({ missing, wrong, resurrected }).toEqual({ missing: 0, wrong: 0, resurrected: 0 })
    for (const d of stayed) d.client.destroy()
    final.destroy()
  }, 600_000) // a bound only: a shared machine at load 20 needs about 280 s
})

const TEST =
  'test/main/host/crash.test.ts › a host killed with SIGKILL while people draw › keeps every acknowledged update'
