import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { Board, ElementKind, IMAGE_LIMITS, IMAGE_MIMES, STROKE_LIMITS } from '../../src/shared/board'
import { checkAttrs, type ElementAttrs, KIND_KEYS } from '../../src/shared/elements/attrs'
import { assetIdOf, sniffImageMime } from '../../src/shared/elements/image'
import { encodePoints } from '../../src/shared/points'
import { BoardGuard, type Verdict } from '../../src/shared/validate/boardGuard'
import { updateOf } from './validate/craft'

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

/**
 * The oracle: walks a board with the Yjs API, independently of the guard's engine, and says what is not as
 * docs/board-format.md has it. Whatever the guard lets through must leave a board this finds nothing in.
 */
function nonConformance(source: Y.Doc): string[] {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(source))
  const problems: string[] = []
  const roots = new Set(['elements', 'order', 'meta', 'assets'])
  for (const name of doc.share.keys()) if (!roots.has(name)) problems.push(`root ${name}`)
  const board = new Board(doc)
  board.elements.forEach((el, id) => {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) problems.push(`element id ${id}`)
    if (!(el instanceof Y.Map)) {
      problems.push(`element ${id} is no map`)
      return
    }
    const kind = el.get('kind') as ElementKind
    if (!Object.values(ElementKind).includes(kind)) {
      problems.push(`element ${id} kind ${String(kind)}`)
      return
    }
    for (const [key, value] of el.entries()) {
      const where = `${kind} ${id} ${key}`
      if (key === 'kind') continue
      if (key === 'author') {
        if (typeof value !== 'string' || value.length > 200) problems.push(where)
      } else if (kind === ElementKind.Stroke && key === 'points') {
        if (!(value instanceof Y.Array)) problems.push(where)
        else {
          let points = 0
          for (const chunk of value.toArray()) {
            if (!(chunk instanceof Uint8Array) || chunk.byteLength % 12 !== 0 || chunk.byteLength === 0)
              problems.push(`${where} chunk`)
            else {
              const f = new Float32Array(chunk.slice().buffer)
              for (let i = 0; i < f.length; i += 3)
                if (
                  !(
                    Math.abs(f[i] as number) <= 1e7 &&
                    Math.abs(f[i + 1] as number) <= 1e7 &&
                    (f[i + 2] as number) >= 0 &&
                    (f[i + 2] as number) <= 1
                  )
                )
                  problems.push(`${where} point`)
              points += f.length / 3
            }
          }
          if (points > STROKE_LIMITS.maxPoints) problems.push(`${where} ${points} points`)
        }
      } else if (kind === ElementKind.Stroke && key === 'done') {
        if (typeof value !== 'boolean') problems.push(where)
      } else if (kind === ElementKind.Stroke && key === 'width') {
        if (!(typeof value === 'number' && value >= 0.5 && value <= 200)) problems.push(where)
      } else if (
        (kind === ElementKind.Text || kind === ElementKind.Note) &&
        key === 'text' &&
        value instanceof Y.Text
      ) {
        const delta = value.toDelta() as { insert: unknown; attributes?: unknown }[]
        if (delta.some((d) => typeof d.insert !== 'string' || d.attributes !== undefined))
          problems.push(`${where} rich`)
        if (value.length > 100_000) problems.push(`${where} length`)
      } else if (kind === ElementKind.Image && key === 'assetId') {
        if (typeof value !== 'string' || !/^[0-9a-f]{64}$/.test(value)) problems.push(where)
      } else if (KIND_KEYS[kind].has(key as keyof ElementAttrs)) {
        try {
          checkAttrs(kind, { [key]: value })
        } catch {
          problems.push(`${where} = ${JSON.stringify(value)?.slice(0, 40)}`)
        }
      } else problems.push(`${where}: no such key`)
    }
  })
  for (const entry of board.order.toArray())
    if (typeof entry !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(entry))
      problems.push(`order ${String(entry)}`)
  for (const [key, value] of board.meta.entries())
    if (key !== 'schema' || !Number.isInteger(value)) problems.push(`meta ${key}`)
  board.assets.forEach((asset, id) => {
    if (!/^[0-9a-f]{64}$/.test(id) || !(asset instanceof Y.Map)) {
      problems.push(`asset ${id}`)
      return
    }
    for (const [key, value] of asset.entries()) {
      if (key === 'bytes') {
        if (!(value instanceof Uint8Array) || value.byteLength > IMAGE_LIMITS.maxBytes)
          problems.push(`asset ${id} bytes`)
        else if (assetIdOf(value) !== id || !sniffImageMime(value)) problems.push(`asset ${id} bytes content`)
      } else if (key === 'mime') {
        if (!(IMAGE_MIMES as readonly unknown[]).includes(value)) problems.push(`asset ${id} mime`)
      } else if (key === 'width' || key === 'height') {
        if (!(typeof value === 'number' && value >= 1 && value <= IMAGE_LIMITS.maxPixels))
          problems.push(`asset ${id} ${key}`)
      } else problems.push(`asset ${id} key ${key}`)
    }
  })
  return problems
}

/** A guarded copy of the board: updates are applied only when the guard says ok, then checked by the oracle. */
function guarded() {
  const doc = new Y.Doc()
  const guard = new BoardGuard(doc)
  return {
    doc,
    offer(update: Uint8Array): Verdict {
      const verdict = guard.check(update)
      if (verdict.ok) {
        Y.applyUpdate(doc, update)
        verdict.commit()
        expect(doc.store.pendingStructs).toBeNull()
        expect(doc.store.pendingDs).toBeNull()
      }
      return verdict
    },
  }
}

const png = (fill: number) => {
  const bytes = new Uint8Array(32).fill(fill)
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  return bytes
}

const coordinate = fc.integer({ min: -10_000, max: 10_000 })
const colour = fc.constantFrom('#1e1e1e', '#e03131', '#1971c2', '#2f9e44')
const flat = fc.array(fc.tuple(coordinate, coordinate, fc.double({ min: 0, max: 1, noNaN: true })), {
  minLength: 1,
  maxLength: 20,
})

/** What people do with the board's own API: everything a Lanvas client sends. */
type Action = (b: Board, pick: (n: number) => number) => void
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ c: colour, w: fc.double({ min: 0.5, max: 200, noNaN: true }), p: flat }).map(
    ({ c, w, p }): Action =>
      (b) =>
        b.beginStroke({ color: c, width: w }, p.flat()),
  ),
  flat.map(
    (p): Action =>
      (b, pick) => {
        const strokes = b.strokes()
        const s = strokes[pick(strokes.length)]
        if (s) b.appendPoints(s.id, p.flat())
      },
  ),
  fc.constant<Action>((b, pick) => {
    const strokes = b.strokes()
    const s = strokes[pick(strokes.length)]
    if (s) b.finishStroke(s.id)
  }),
  fc
    .record({
      kind: fc.constantFrom(ElementKind.Rect, ElementKind.Ellipse),
      x: coordinate,
      y: coordinate,
      w: fc.nat(500),
    })
    .map(
      ({ kind, x, y, w }): Action =>
        (b) =>
          b.addShape(kind, { x, y, width: w, height: w / 2 }),
    ),
  fc
    .record({
      kind: fc.constantFrom(ElementKind.Line, ElementKind.Arrow),
      p: fc.array(coordinate, { minLength: 4, maxLength: 12 }),
    })
    .map(
      ({ kind, p }): Action =>
        (b, pick) => {
          const ids = b.elementIds()
          b.addShape(kind, { points: p.length % 2 ? p.slice(1) : p, startBinding: ids[pick(ids.length)] })
        },
    ),
  fc.string({ maxLength: 40 }).map(
    (t): Action =>
      (b) =>
        b.addText({ text: t, x: 1, y: 2 }),
  ),
  fc.string({ maxLength: 40 }).map(
    (t): Action =>
      (b) =>
        b.addNote({ text: t }),
  ),
  fc.string({ maxLength: 40 }).map(
    (t): Action =>
      (b, pick) => {
        const texts = b
          .readElements()
          .filter((e) => e.kind === ElementKind.Text || e.kind === ElementKind.Note)
        const e = texts[pick(texts.length)]
        if (e) b.replaceText(e.id, t)
      },
  ),
  fc.integer({ min: 1, max: 4 }).map(
    (f): Action =>
      (b) =>
        b.addImage(png(f), 'image/png', 100, 50, { x: 0, y: 0 }),
  ),
  fc
    .record({
      dx: coordinate,
      rotation: fc.integer({ min: -720, max: 720 }),
      opacity: fc.double({ min: 0, max: 1, noNaN: true }),
    })
    .map(
      ({ dx, rotation, opacity }): Action =>
        (b, pick) => {
          const ids = b.elementIds()
          const id = ids[pick(ids.length)]
          if (!id) return
          b.beginAction()
          b.updateElements([[id, { x: dx, rotation, opacity }]])
        },
    ),
  fc.constant<Action>((b, pick) => {
    const ids = b.elementIds()
    const id = ids[pick(ids.length)]
    if (id) b.deleteElements([id])
  }),
  fc.record({ x: coordinate, y: coordinate }).map(
    ({ x, y }): Action =>
      (b, pick) => {
        const strokes = b.strokes()
        const s = strokes[pick(strokes.length)]
        if (s) {
          b.beginAction()
          b.eraseInk(s.id, x, y, 200)
        }
      },
  ),
  fc.constant<Action>((b) => b.undo()),
  fc.constant<Action>((b) => b.redo()),
)

/** A value of any kind a hostile client could put somewhere in a board. */
type Value = () => unknown
const value: fc.Arbitrary<Value> = fc.oneof(
  fc.jsonValue().map(
    (v): Value =>
      () =>
        v,
  ),
  fc
    .constantFrom<unknown>(
      '#123456',
      'none',
      'stroke',
      'rect',
      'image',
      'x'.repeat(300),
      0,
      1,
      0.5,
      1e9,
      -1,
      Number.NaN,
      null,
      true,
    )
    .map(
      (v): Value =>
        () =>
          v,
    ),
  fc.uint8Array({ maxLength: 40 }).map(
    (v): Value =>
      () =>
        v,
  ),
  fc.array(fc.double(), { minLength: 3, maxLength: 9 }).map(
    (p): Value =>
      () =>
        encodePoints(p.slice(0, p.length - (p.length % 3))),
  ),
  fc.constant<Value>(() => png(7)),
  fc.constant<Value>(() => new Y.Map()),
  fc.constant<Value>(() => new Y.Array()),
  fc.constant<Value>(() => new Y.Text('t')),
  fc.constant<Value>(() => new Y.XmlFragment()),
  fc.constant<Value>(() => new Y.Doc()),
)

const key = fc.oneof(
  fc.constantFrom(
    'kind',
    'author',
    'color',
    'width',
    'height',
    'points',
    'done',
    'x',
    'y',
    'rotation',
    'opacity',
    'text',
    'assetId',
    'mime',
    'bytes',
    'schema',
    'fillColor',
    'strokeColor',
    'locked',
    'groupId',
    'startBinding',
  ),
  fc.string({ maxLength: 10 }),
  fc.constant(assetIdOf(png(7))),
)

/** What a hostile client does: writes any value under any key or into any list it can reach. */
type Hostile = (b: Board, pick: (n: number) => number) => void
const hostile: fc.Arbitrary<Hostile> = fc.oneof(
  fc.record({ target: fc.nat(), key, value }).map(
    ({ target, key, value }): Hostile =>
      (b, pick) => {
        const maps: Y.Map<unknown>[] = [
          b.elements as Y.Map<unknown>,
          b.meta,
          b.assets as Y.Map<unknown>,
          b.doc.getMap(`r${target % 3}`),
        ]
        maps.push(...b.elements.values())
        maps.push(...b.assets.values())
        const map = maps[target % maps.length] as Y.Map<unknown>
        map.set(key === 'kind' && pick(2) ? `k${target}` : key, value())
      },
  ),
  fc.record({ target: fc.nat(), value, at0: fc.boolean() }).map(
    ({ target, value, at0 }): Hostile =>
      (b) => {
        const lists: Y.Array<unknown>[] = [b.order as Y.Array<unknown>]
        b.elements.forEach((el) => {
          const p = el.get('points')
          if (p instanceof Y.Array) lists.push(p)
        })
        const list = lists[target % lists.length] as Y.Array<unknown>
        if (at0) list.insert(0, [value()])
        else list.push([value()])
      },
  ),
  fc.record({ target: fc.nat(), text: fc.string({ maxLength: 20 }), how: fc.nat(2) }).map(
    ({ target, text, how }): Hostile =>
      (b) => {
        const texts: Y.Text[] = []
        b.elements.forEach((el) => {
          const t = el.get('text')
          if (t instanceof Y.Text) texts.push(t)
        })
        const t = texts[target % Math.max(1, texts.length)]
        if (!t) return
        if (how === 0) t.insert(0, text)
        else if (how === 1) t.format(0, 1, { bold: true })
        else t.insertEmbed(0, { image: text })
      },
  ),
  fc.record({ target: fc.nat() }).map(
    ({ target }): Hostile =>
      (b) => {
        const ids = b.elementIds()
        const id = ids[target % Math.max(1, ids.length)]
        if (id) b.elements.get(id)?.delete('kind')
      },
  ),
)

describe('the board guard under fuzzing', () => {
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
  })
})
