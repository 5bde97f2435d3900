import fc from 'fast-check'
import * as decoding from 'lib0/decoding'
import { afterAll, describe, expect, it } from 'vitest'
import { normalizeName } from '../../../src/shared/names'
import { controlFrame } from '../../../src/shared/sync/frames'
import { MessageType } from '../../../src/shared/sync/protocol'
import {
  type ClientControl,
  cleanName,
  type HostControl,
  parseClientControl,
  parseHostControl,
} from '../../../src/shared/sync/session'
import { recordFigures } from '../../support/figures'

// Seeded: a failure prints its counterexample and reproduces with the same seed.
// LANVAS_FUZZ_SEED runs another seed (a failure prints the seed and path that reproduce it).
const SEED = Number(process.env.LANVAS_FUZZ_SEED ?? 6_2026)
const RUNS = 2000

const color = fc.stringMatching(/^#[0-9a-f]{6}$/)
const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/)
const secret = fc.stringMatching(/^[A-Za-z0-9_-]{16,128}$/)
const guestRole = fc.constantFrom('editor' as const, 'viewer' as const)
const role = fc.constantFrom('host' as const, 'editor' as const, 'viewer' as const)
const name = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => cleanName(s) === s)
// Session, board and host names as a host sends them: already normalised (the client normalises them again).
const shownName = fc.string().filter((s) => normalizeName(s) === s)

const clientControl: fc.Arbitrary<ClientControl> = fc.oneof(
  fc.record(
    { type: fc.constant('hello' as const), name, color, awarenessId: fc.nat(), rejoin: secret },
    { requiredKeys: ['type', 'name', 'color', 'awarenessId'] },
  ),
  fc.record({ type: fc.constant('admit' as const), participantId: id, role: guestRole }),
  fc.record({ type: fc.constant('set-role' as const), participantId: id, role: guestRole }),
  fc.record({ type: fc.constant('refuse' as const), participantId: id }),
  fc.record({ type: fc.constant('kick' as const), participantId: id }),
  fc.record({ type: fc.constant('lock' as const), locked: fc.boolean() }),
)

const participant = fc.record({ id, name, color, role, awarenessId: fc.nat() })
const knock = fc.record(
  { id, name, color, code: fc.stringMatching(/^[0-9]{6}$/) },
  { requiredKeys: ['id', 'name', 'color'] },
)
const sessionInfo = fc.record({
  sessionId: fc.string(),
  name: shownName,
  boardId: fc.string(),
  boardName: shownName,
  hostName: shownName,
  approval: fc.boolean(),
  locked: fc.boolean(),
})
const hostControl: fc.Arbitrary<HostControl> = fc.oneof(
  fc.record(
    {
      type: fc.constant('welcome' as const),
      participantId: id,
      role,
      rejoin: secret,
      session: sessionInfo,
      joinLinks: fc.array(fc.string()),
    },
    { requiredKeys: ['type', 'participantId', 'role', 'rejoin'] },
  ),
  fc.constant({ type: 'knock-pending' as const }),
  fc.record({
    type: fc.constant('participants' as const),
    participants: fc.array(participant),
    knocks: fc.array(knock),
    locked: fc.boolean(),
  }),
  fc.record({ type: fc.constant('role' as const), role }),
  fc.record(
    { type: fc.constant('session' as const), session: sessionInfo, joinLinks: fc.array(fc.string()) },
    { requiredKeys: ['type'] },
  ),
)

/** Objects that look like control messages: the right field names with values of any type. */
const nearlyControl = fc
  .record(
    {
      type: fc.oneof(
        fc.constantFrom(
          'hello',
          'admit',
          'set-role',
          'refuse',
          'kick',
          'lock',
          'welcome',
          'participants',
          'role',
          'session',
        ),
        fc.jsonValue(),
      ),
      name: fc.jsonValue(),
      color: fc.oneof(color, fc.jsonValue()),
      awarenessId: fc.oneof(fc.double(), fc.jsonValue()),
      rejoin: fc.oneof(secret, fc.jsonValue()),
      participantId: fc.oneof(id, fc.jsonValue()),
      role: fc.oneof(role, fc.jsonValue()),
      locked: fc.jsonValue(),
      participants: fc.jsonValue(),
      knocks: fc.jsonValue(),
      session: fc.jsonValue(),
      joinLinks: fc.jsonValue(),
    },
    { requiredKeys: [] },
  )
  .map((o) => JSON.stringify(o))

const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.json(), nearlyControl)

/** The JSON inside a control frame, read as the host and the client read it. */
function frameJson(frame: Uint8Array): string {
  const decoder = decoding.createDecoder(frame)
  expect(decoding.readVarUint(decoder)).toBe(MessageType.Control)
  return decoding.readVarString(decoder)
}

describe('control messages under fuzzing', () => {
  afterAll(() =>
    recordFigures('fuzz-control-messages', [
      {
        label: 'random texts parsed as client and as host control messages',
        value: 2 * RUNS,
        test: 'test/shared/session.property.test.ts › control messages under fuzzing',
        key: 'badInputs',
      },
    ]),
  )

  it('a client message is parsed to a valid message or refused, never thrown', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const message = parseClientControl(text)
        if (message === undefined) return
        // Whatever was let through is exactly one of the messages the protocol has.
        expect(parseClientControl(JSON.stringify(message))).toEqual(message)
        if (message.type === 'hello') {
          expect(message.name).toBe(cleanName(message.name))
          expect(message.color).toMatch(/^#[0-9a-f]{6}$/i)
          expect(Number.isSafeInteger(message.awarenessId) && message.awarenessId >= 0).toBe(true)
        }
      }),
      { seed: SEED, numRuns: RUNS },
    )
  })

  it('a host message is parsed to a valid message or refused, never thrown', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const message = parseHostControl(text)
        if (message !== undefined) expect(parseHostControl(JSON.stringify(message))).toEqual(message)
      }),
      { seed: SEED, numRuns: RUNS },
    )
  })

  it('every valid client message round-trips through a frame', () => {
    fc.assert(
      fc.property(clientControl, (message) => {
        expect(parseClientControl(frameJson(controlFrame(message)))).toEqual(message)
      }),
      { seed: SEED, numRuns: RUNS },
    )
  })

  it('every valid host message round-trips through a frame', () => {
    fc.assert(
      fc.property(hostControl, (message) => {
        expect(parseHostControl(frameJson(controlFrame(message)))).toEqual(message)
      }),
      { seed: SEED, numRuns: RUNS },
    )
  })
})

describe('names from a host', () => {
  it('are normalised before a page shows them: no bidi overrides or invisible characters', () => {
    const evil = 'Ann\u202Egnp.exe\u200B'
    const parsed = parseHostControl(
      JSON.stringify({
        type: 'participants',
        participants: [{ id: 'p1', name: evil, color: '#112233', role: 'editor', awarenessId: 1 }],
        knocks: [{ id: 'k1', name: evil, color: '#112233' }],
        locked: false,
      }),
    )
    expect(parsed).toMatchObject({ participants: [{ name: 'Anngnp.exe' }], knocks: [{ name: 'Anngnp.exe' }] })
    const session = {
      sessionId: 's',
      name: evil,
      boardId: 'b',
      boardName: evil,
      hostName: evil,
      approval: true,
      locked: false,
    }
    expect(parseHostControl(JSON.stringify({ type: 'session', session }))).toMatchObject({
      session: { name: 'Anngnp.exe', boardName: 'Anngnp.exe', hostName: 'Anngnp.exe' },
    })
  })
})
