import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { Board } from '../../src/shared/board'
import type { Verdict } from '../../src/shared/validate/boardGuard'
import { type Figure, recordFigures } from '../support/figures'
import { action, hostile, png } from './validate/arbitraries'
import { updateOf } from './validate/craft'
import { guardedDoc } from './validate/guardedDoc'
import { nonConformance } from './validate/oracle'

// LANVAS_FUZZ_SEED runs another seed (a failure prints the seed and path that reproduce it).
const SEED = Number(process.env.LANVAS_FUZZ_SEED ?? 6_2026)

// Element ids and Yjs client ids come from crypto.getRandomValues: seeded here, so that a failure found with
// SEED reproduces byte for byte.
beforeAll(() => {
  let state = SEED
  vi.spyOn(globalThis.crypto, 'getRandomValues').mockImplementation(
    <T extends ArrayBufferView | null>(array: T): T => {
      if (!array) return array
      const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength)
      for (let i = 0; i < bytes.length; i++) {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0
        bytes[i] = state >>> 24
      }
      return array
    },
  )
})
afterAll(() => vi.restoreAllMocks())

/** A doc with a fixed client id. */
function docOf(client: number): Y.Doc {
  const doc = new Y.Doc()
  doc.clientID = client
  return doc
}

/** A guarded copy of the board: updates are applied only when the guard says ok, then checked by the oracle. */
function guarded() {
  const { doc, offer } = guardedDoc()
  return {
    doc,
    offer(update: Uint8Array): Verdict {
      const verdict = offer(update)
      if (verdict.ok) {
        expect(doc.store.pendingStructs).toBeNull()
        expect(doc.store.pendingDs).toBeNull()
      }
      return verdict
    },
  }
}

const figures: Figure[] = []
const FILE = 'test/shared/boardGuard.property.test.ts'

describe('the board guard under fuzzing', () => {
  afterAll(() => recordFigures('fuzz-board-guard', figures))

  it('accepts every edit people make through the board, and the guarded copy is theirs', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(2), action, fc.nat()), { maxLength: 40 }), (steps) => {
        const host = guarded()
        const people = [0, 1, 2].map((i) => new Board(docOf(i + 1), `p${i}`))
        for (const [who, act, seed] of steps) {
          const person = people[who] as Board
          let n = seed
          const update = updateOf(person.doc, () => act(person, (k) => (k === 0 ? 0 : n++ % k)))
          const verdict = host.offer(update)
          expect(verdict.ok ? 'ok' : verdict.reason).toBe('ok')
          // The host relays it: everyone else applies it.
          for (const other of people) if (other !== person) Y.applyUpdate(other.doc, update, 'host')
        }
        for (const person of people)
          expect(Y.encodeStateVector(person.doc)).toEqual(Y.encodeStateVector(host.doc))
        expect(nonConformance(host.doc)).toEqual([])
      }),
      { seed: SEED, numRuns: 150 },
    )
  })

  it('lets no hostile edit leave anything in the board the schema does not allow', () => {
    let refused = 0
    let accepted = 0
    fc.assert(
      fc.property(
        fc.array(action, { minLength: 1, maxLength: 8 }),
        fc.array(fc.tuple(hostile, fc.nat()), { minLength: 1, maxLength: 20 }),
        (setup, attacks) => {
          const host = guarded()
          const honest = new Board(docOf(1), 'honest')
          let n = 0
          for (const act of setup)
            host.offer(updateOf(honest.doc, () => act(honest, (k) => (k === 0 ? 0 : n++ % k))))
          let client = 100
          let mallory = new Board(docOf(client), 'mallory')
          Y.applyUpdate(mallory.doc, Y.encodeStateAsUpdate(host.doc))
          for (const [attack, seed] of attacks) {
            let m = seed
            const update = updateOf(mallory.doc, () => attack(mallory, (k) => (k === 0 ? 0 : m++ % k)))
            const verdict = host.offer(update)
            if (verdict.ok) accepted++
            else {
              refused++
              expect(verdict.reason.length).toBeGreaterThan(0)
              // A refused client reconnects and starts again from the host's board.
              mallory = new Board(docOf(++client), 'mallory')
              Y.applyUpdate(mallory.doc, Y.encodeStateAsUpdate(host.doc))
            }
            expect(nonConformance(host.doc)).toEqual([])
          }
        },
      ),
      { seed: SEED, numRuns: 300 },
    )
    console.log(
      `[fuzz] hostile edits: ${refused} refused, ${accepted} accepted (harmless), board always conformant`,
    )
    const test = `${FILE} › lets no hostile edit leave anything in the board the schema does not allow`
    figures.push(
      {
        label: 'hostile edits offered to the board guard',
        value: refused + accepted,
        test,
        key: 'badInputs',
      },
      { label: 'hostile edits refused', value: refused, test },
      { label: 'accepted (harmless; the board stayed conformant)', value: accepted, test },
    )
    expect(refused).toBeGreaterThan(accepted / 10)
  })

  it('never throws on bytes, and what it accepts applies cleanly and conforms', () => {
    const good = new Board(docOf(1), 'g')
    const updates: Uint8Array[] = []
    good.doc.on('update', (u: Uint8Array) => updates.push(u))
    const id = good.beginStroke({ color: '#000000', width: 2 }, [0, 0, 0.5])
    good.appendPoints(id, [1, 1, 0.5])
    good.addText({ text: 'hello' })
    good.addImage(png(1), 'image/png', 10, 10, { x: 0, y: 0 })
    good.updateElement(id, { x: 5 })
    good.deleteElements([id])
    const mutation = fc.record({
      base: fc.nat(),
      at: fc.nat(),
      kind: fc.nat(3),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
    })
    let accepted = 0
    let tried = 0
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 120 }), mutation), (input) => {
        tried++
        let bytes: Uint8Array
        if (input instanceof Uint8Array) bytes = input
        else {
          const base = updates[input.base % updates.length] as Uint8Array
          const at = input.at % base.byteLength
          bytes = base.slice()
          if (input.kind === 0) bytes[at] = (bytes[at] as number) ^ ((input.bytes[0] as number) | 1)
          else if (input.kind === 1) bytes = bytes.slice(0, at)
          else if (input.kind === 2) bytes.set(input.bytes.subarray(0, bytes.byteLength - at), at)
          else bytes = new Uint8Array([...bytes.subarray(0, at), ...input.bytes, ...bytes.subarray(at)])
        }
        // Against an empty board and against one holding the first edits (so references can resolve).
        for (const prefix of [0, 3]) {
          const host = guarded()
          for (const u of updates.slice(0, prefix)) expect(host.offer(u).ok).toBe(true)
          const verdict = host.offer(bytes)
          if (verdict.ok) accepted++
          expect(nonConformance(host.doc)).toEqual([])
        }
      }),
      { seed: SEED, numRuns: 3000 },
    )
    console.log(`[fuzz] byte-level: ${tried} inputs, ${accepted} accepted checks, none threw`)
    const test = `${FILE} › never throws on bytes, and what it accepts applies cleanly and conforms`
    figures.push({ label: 'random and mutated update bytes checked', value: tried, test, key: 'badInputs' })
  })
})
