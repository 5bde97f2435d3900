import { request } from 'node:http'
import fc from 'fast-check'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { expect, it } from 'vitest'
import WebSocket from 'ws'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { Board } from '../../../src/shared/board'
import { openBoardFile } from '../../../src/shared/boardFile'
import { controlFrame } from '../../../src/shared/sync/frames'
import { CloseReason, MessageType } from '../../../src/shared/sync/protocol'
import { type Action, action, type Hostile, hostile } from '../../shared/validate/arbitraries'
import { updateOf } from '../../shared/validate/craft'
import { nonConformance } from '../../shared/validate/oracle'
import { recordFigures } from '../../support/figures'
import {
  connectClient,
  removeDir,
  sameState,
  startTestHost,
  syncUrl,
  tempDir,
} from '../../support/hostFixture'
import { waitUntil } from '../../support/waitUntil'

// LANVAS_FUZZ_SEED and LANVAS_FUZZ_FRAMES run other seeds and longer runs.
const SEED = Number(process.env.LANVAS_FUZZ_SEED ?? 6_2026)
const FRAMES = Number(process.env.LANVAS_FUZZ_FRAMES ?? 2000)
// Attackers at once; each frame gets a connection of its own, so that every frame's fate is known.
const PARALLEL = 8
// The host refuses a text frame with this reason: sent after each fuzz frame, it closes a socket whose fuzz
// frame was accepted, so a close with this reason means the frame before it went through.
const SENTINEL = 'Text frames are not part of the Lanvas protocol.'

/** One fuzz frame, made from what the attacker's replica of the board holds when it is sent. */
type Case =
  | { kind: 'random bytes'; bytes: Uint8Array }
  | { kind: 'random body'; prefix: readonly number[]; bytes: Uint8Array }
  | { kind: 'mutated update'; act: Action; pick: number; flips: [number, number][]; whole: boolean }
  | { kind: 'hostile update'; attack: Hostile; pick: number; step2: boolean }

const fuzzCase: fc.Arbitrary<Case> = fc.oneof(
  fc.record({ kind: fc.constant('random bytes' as const), bytes: fc.uint8Array({ maxLength: 300 }) }),
  fc.record({
    kind: fc.constant('random body' as const),
    // Sync (SyncStep1, SyncStep2, Update), Awareness, Control, and types that do not exist.
    prefix: fc.constantFrom(
      [0, 0],
      [0, 1],
      [0, 2],
      [0, 2, 10],
      [1],
      [1, 5],
      [2],
      [2, 20],
      [3],
      [7],
      [0x80, 0x80],
    ),
    bytes: fc.uint8Array({ maxLength: 200 }),
  }),
  fc.record({
    kind: fc.constant('mutated update' as const),
    act: action,
    pick: fc.nat(),
    flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
    whole: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('hostile update' as const),
    attack: hostile,
    pick: fc.nat(),
    step2: fc.boolean(),
  }),
)

function syncFrame(kind: number, update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Sync)
  encoding.writeVarUint(encoder, kind)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** The frame of a case, and the update it carries when it is one (to rebuild the board the host should have). */
function frameOf(c: Case, doc: Y.Doc): { frame: Uint8Array; update?: Uint8Array } {
  if (c.kind === 'random bytes') return { frame: c.bytes }
  if (c.kind === 'random body') return { frame: new Uint8Array([...c.prefix, ...c.bytes]) }
  // A scratch replica, so the attacker's own copy stays the host's board.
  const copy = new Board(new Y.Doc(), 'mallory')
  Y.applyUpdate(copy.doc, Y.encodeStateAsUpdate(doc))
  let n = c.pick
  const pick = (k: number) => (k === 0 ? 0 : n++ % k)
  if (c.kind === 'hostile update') {
    const update = updateOf(copy.doc, () => c.attack(copy, pick))
    const kind = c.step2 ? syncProtocol.messageYjsSyncStep2 : syncProtocol.messageYjsUpdate
    return { frame: syncFrame(kind, update), update }
  }
  const update = updateOf(copy.doc, () => c.act(copy, pick))
  if (c.whole) {
    const frame = syncFrame(syncProtocol.messageYjsUpdate, update)
    for (const [at, x] of c.flips) frame[at % frame.length] = (frame[at % frame.length] as number) ^ x
    return { frame }
  }
  const mutated = update.slice()
  if (mutated.length > 0)
    for (const [at, x] of c.flips) mutated[at % mutated.length] = (mutated[at % mutated.length] as number) ^ x
  return { frame: syncFrame(syncProtocol.messageYjsUpdate, mutated), update: mutated }
}

/** Joins as a plain loopback client, takes the board, sends one fuzz frame and the sentinel; reports the close. */
function attack(url: string, c: Case): Promise<{ code: number; reason: string; update?: Uint8Array }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url)
    const doc = new Y.Doc()
    let sent: Uint8Array | undefined
    let fired = false
    const fire = () => {
      if (fired || ws.readyState !== WebSocket.OPEN) return
      fired = true
      const { frame, update } = frameOf(c, doc)
      sent = update
      ws.send(frame)
      ws.send(SENTINEL)
    }
    ws.on('error', () => {})
    ws.on('open', () =>
      ws.send(controlFrame({ type: 'hello', name: 'mallory', color: '#000000', awarenessId: doc.clientID })),
    )
    ws.on('message', (data: Buffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data))
      const type = decoding.readVarUint(decoder)
      if (type === MessageType.Control && data.toString().includes('"welcome"')) {
        const step1 = encoding.createEncoder()
        encoding.writeVarUint(step1, MessageType.Sync)
        syncProtocol.writeSyncStep1(step1, doc)
        ws.send(encoding.toUint8Array(step1))
      } else if (type === MessageType.Sync && !fired) {
        const reply = encoding.createEncoder()
        encoding.writeVarUint(reply, MessageType.Sync)
        const kind = syncProtocol.readSyncMessage(decoder, reply, doc, 'host')
        if (encoding.length(reply) > 1) ws.send(encoding.toUint8Array(reply))
        // The host's answer to our SyncStep1: this replica holds the board now.
        if (kind === syncProtocol.messageYjsSyncStep2) fire()
      }
    })
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString(), update: sent }))
  })
}

function health(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/api/health' }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
      .on('error', reject)
      .end()
  })
}

it(`a live host takes ${FRAMES} fuzz frames: it stays up, closes each bad socket with a typed code, and keeps every honest edit`, async () => {
  const dir = await tempDir()
  const host = await startTestHost(dir)
  const url = syncUrl(host.port, host.defaultBoardId)
  const ann = connectClient(url, 'ann')
  const bob = connectClient(url, 'bob')
  try {
    await Promise.all([ann.connection.whenSynced(), bob.connection.whenSynced()])
    const cases = fc.sample(fuzzCase, { seed: SEED, numRuns: FRAMES })
    const closes = new Map<string, number>()
    const tried = new Map<string, number>()
    const acceptedUpdates: Uint8Array[] = []
    let accepted = 0
    let next = 0
    let honest = 0
    const worker = async () => {
      while (next < cases.length) {
        const c = cases[next++] as Case
        // Ann keeps drawing and erasing while the attackers work.
        if (next % 20 === 0) {
          const id = ann.board.beginStroke({ color: '#2f9e44', width: 3 }, [next, next, 0.5])
          ann.board.appendPoints(id, [next + 5, next, 0.5])
          ann.board.finishStroke(id)
          if (next % 100 === 0) ann.board.deleteElements([ann.board.elementIds()[0] as string])
          honest++
        }
        tried.set(c.kind, (tried.get(c.kind) ?? 0) + 1)
        const result = await attack(url, c)
        if (result.code === CloseReason.InvalidMessage && result.reason === SENTINEL) {
          accepted++
          if (result.update) acceptedUpdates.push(result.update)
          continue
        }
        const name =
          Object.entries(CloseReason).find(([, v]) => v === result.code)?.[0] ?? String(result.code)
        closes.set(name, (closes.get(name) ?? 0) + 1)
        // Every refusal is a typed close with a sentence saying why.
        expect([CloseReason.InvalidMessage, CloseReason.TooLarge, CloseReason.RateLimited]).toContain(
          result.code,
        )
        expect(result.reason.length).toBeGreaterThan(10)
      }
    }
    await Promise.all(Array.from({ length: PARALLEL }, worker))

    console.log(
      `[fuzz] ${FRAMES} frames (seed ${SEED}): ${[...tried].map(([k, n]) => `${n} ${k}`).join(', ')}; ` +
        `${accepted} accepted (valid by chance: ${acceptedUpdates.length} with an update), ` +
        `closes by code: ${[...closes].map(([k, n]) => `${k} ${n}`).join(', ')}; ann made ${honest} honest edits`,
    )
    const test = 'test/main/host/fuzz.test.ts › a live host takes N fuzz frames…'
    await recordFigures('fuzz-live-host', [
      { label: `raw frames sent to a live host (seed ${SEED})`, value: FRAMES, test, key: 'badInputs' },
      ...[...tried].map(([kind, n]) => ({ label: `  of which ${kind}`, value: n, test })),
      { label: 'accepted (valid by chance)', value: accepted, test },
      ...[...closes].map(([code, n]) => ({ label: `closed with ${code}`, value: n, test })),
      { label: 'honest edits made meanwhile (all kept, checked below)', value: honest, test },
    ])
    expect(await health(host.port)).toBe(200)
    // The honest people never lost their connection and hold the same board as the host.
    expect([ann.connection.status, bob.connection.status]).toEqual(['connected', 'connected'])
    expect([ann.connection.closeCode, bob.connection.closeCode]).toEqual([undefined, undefined])
    await waitUntil('ann and bob converge', () => sameState(ann.board, bob.board))
    const held = openBoardFile(host.boardFileBytes(host.defaultBoardId))
    expect(Y.encodeStateVector(held.doc)).toEqual(Y.encodeStateVector(ann.board.doc))
    expect(held.readElements()).toEqual(ann.board.readElements())
    // Exactly the honest edits plus those fuzz frames that were valid edits: nothing else got in.
    const expected = new Y.Doc()
    Y.applyUpdate(expected, Y.encodeStateAsUpdate(ann.board.doc))
    const annOnly = new Board(expected).readElements()
    for (const u of acceptedUpdates) Y.applyUpdate(expected, u)
    expect(new Board(expected).readElements()).toEqual(held.readElements())
    expect(nonConformance(held.doc)).toEqual([])
    if (acceptedUpdates.length === 0) expect(held.readElements()).toEqual(annOnly)
  } finally {
    ann.destroy()
    bob.destroy()
    await host.close()
    await removeDir(dir)
  }
  // 2,000 connections take ~10-20 s on an idle machine; the harness allows for a busy one (nothing is timed).
}, 300_000)
