/**
 * Issue 10.1: edits in another participant's name. A link holder races a victim who draws: it writes under
 * the victim's Yjs client id at the clocks the victim is about to use, as a live Update, as an unsolicited
 * SyncStep2, and from a second socket whose hello reuses the victim's id. Seeded interleavings on the
 * in-memory network; the victim must lose nothing the host reported saved, and every replica converges.
 */
import * as decoding from 'lib0/decoding'
import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Board } from '../../../../src/shared/board'
import { controlFrame, readFrame, syncStep1Frame, updateFrame } from '../../../../src/shared/sync/frames'
import { ManualTimers, type MemorySocket, seededRandom } from '../../../../src/shared/sync/memorySocket'
import { CloseReason, MessageType } from '../../../../src/shared/sync/protocol'
import { recordFigures } from '../../../support/figures'
import { holdsUpdate } from '../../../support/holdsUpdate'
import { MemoryRoom } from '../../../support/memoryRoom'
import { RandomEditor } from '../../../support/randomEditor'

/** A socket that speaks the protocol by hand and keeps a replica of what the host sends. */
class Forger {
  readonly doc = new Y.Doc()
  readonly socket: MemorySocket
  closeCode: number | undefined

  constructor(host: MemoryRoom, awarenessId: number) {
    this.socket = host.network.connect('memory://memory-board')
    this.socket.onopen = () =>
      this.socket.send(controlFrame({ type: 'hello', name: 'forger', color: '#000000', awarenessId }))
    this.socket.onmessage = ({ data }) => {
      const frame = readFrame(new Uint8Array(data as ArrayBuffer))
      if (frame.type === 'control' && frame.json.includes('"welcome"'))
        this.socket.send(syncStep1Frame(this.doc))
      if (frame.type === 'update' || frame.type === 'sync-step2') Y.applyUpdate(this.doc, frame.update)
    }
    this.socket.onclose = ({ code }) => {
      this.closeCode = code
    }
  }

  /** An edit under `client` built on everything this replica saw: it takes that client's next clocks. */
  forge(client: number, text: string): Uint8Array {
    const twin = new Y.Doc()
    twin.clientID = client
    Y.applyUpdate(twin, Y.encodeStateAsUpdate(this.doc))
    const before = Y.encodeStateVector(twin)
    new Board(twin, 'forger').addText({ x: 5, y: 5, text })
    return Y.encodeStateAsUpdate(twin, before)
  }

  send(frame: Uint8Array): void {
    if (this.socket.readyState === 1) this.socket.send(frame)
  }
}

/** A SyncStep2 frame nobody asked for. */
function syncStep2Of(update: Uint8Array): Uint8Array {
  const frame = updateFrame(update)
  // Same layout as an Update frame but for the sync kind: Sync, then 1 (SyncStep2) instead of 2 (Update).
  frame[1] = 1
  expect(decoding.readVarUint(decoding.createDecoder(frame))).toBe(MessageType.Sync)
  return frame
}

const SEEDS = Array.from({ length: 12 }, (_, i) => 7000 + i)
const TEST = 'test/main/host/room/forgery.test.ts'

describe("edits in another participant's name", () => {
  const totals = { forged: 0, saved: 0, lost: 0 }
  afterAll(async () => {
    await recordFigures('forged-edits', [
      { label: 'seeded races against a live stream', value: SEEDS.length, test: TEST },
      {
        label: 'forgeries tried (Updates, unsolicited SyncStep2s, hellos reusing the id)',
        value: totals.forged,
        test: TEST,
        key: 'forgeries',
      },
      { label: "victim's updates reported saved", value: totals.saved, test: TEST },
      { label: "victim's acknowledged updates lost", value: totals.lost, test: TEST, key: 'lost' },
      {
        label: 'host process RSS after the races (MB)',
        value: Math.round(process.memoryUsage().rss / 2 ** 20),
        test: TEST,
      },
    ])
  })

  it.each(SEEDS)('seed %i: the victim loses nothing the host said was saved', (seed) => {
    const random = seededRandom(seed)
    const int = (n: number) => Math.floor(random() * n)
    const host = new MemoryRoom(new ManualTimers(seededRandom(seed + 1)), false)
    try {
      const victim = host.join('victim')
      const editor = new RandomEditor(victim.board, random)
      host.network.flush()
      const victimId = victim.board.doc.clientID
      const forgers = [new Forger(host, 424242)]
      let forged = 0
      for (let step = 0; step < 300; step++) {
        const r = random()
        if (r < 0.45) host.network.step(int)
        else if (r < 0.7) editor.edit()
        else if (r < 0.8) host.flush()
        else {
          const forger = forgers[int(forgers.length)] as Forger
          const update = forger.forge(victimId, `forged ${step}`)
          const how = int(3)
          if (how === 0) forger.send(updateFrame(update))
          else if (how === 1) forger.send(syncStep2Of(update))
          // A second socket that claims the victim's client id in its hello.
          else forgers.push(new Forger(host, victimId))
          forged++
        }
      }
      for (let round = 0; round < 10; round++) {
        host.network.flush()
        host.flush()
      }
      expect(forged).toBeGreaterThan(0)
      expect(victim.connection.status).toBe('connected')
      expect(victim.savedTooEarly).toHaveLength(0)
      expect(victim.connection.unsaved).toBe(0)
      // Nothing forged got in: the board is exactly the victim's.
      expect(Y.encodeStateVector(host.room.doc)).toEqual(Y.encodeStateVector(victim.board.doc))
      expect(new Board(host.room.doc, 'host').readElements()).toEqual(victim.board.readElements())
      const lost = victim.saved.filter((u) => !holdsUpdate(host.room.doc, u)).length
      totals.forged += forged
      totals.saved += victim.saved.length
      totals.lost += lost + victim.savedTooEarly.length
      expect(lost).toBe(0)
      // Every forger that tried was shown the door: refused, or (its first SyncStep2) told to come back later.
      for (const f of forgers)
        if (f.closeCode !== undefined)
          expect([CloseReason.InvalidMessage, CloseReason.TryAgain]).toContain(f.closeCode)
    } finally {
      host.close()
    }
  })
})
