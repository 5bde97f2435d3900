// What people and hostile clients do to a board, as fast-check arbitraries (shared by the fuzz tests).
import fc from 'fast-check'
import * as Y from 'yjs'
import { type Board, ElementKind } from '../../../src/shared/board'
import { encodeCompactPoints } from '../../../src/shared/compactPoints'
import { assetIdOf } from '../../../src/shared/elements/image'
import { encodePoints } from '../../../src/shared/points'

export const png = (fill: number) => {
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
export type Action = (b: Board, pick: (n: number) => number) => void
export const action: fc.Arbitrary<Action> = fc.oneof(
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
  fc.string({ maxLength: 40 }).map(
    (t): Action =>
      (b, pick) => {
        // A label typed into a shape or arrow (an empty one removes it).
        const shapes = b
          .readElements()
          .filter((e) => e.kind === ElementKind.Rect || e.kind === ElementKind.Arrow)
        const e = shapes[pick(shapes.length)]
        if (e) b.updateElement(e.id, { label: t, labelColor: '#e03131', labelFontSize: 12 + t.length })
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
  // Compact points with one byte changed (or none, when it is set to what it was).
  fc
    .tuple(
      fc.array(fc.double({ min: -2e7, max: 2e7, noNaN: true }), { minLength: 3, maxLength: 30 }),
      fc.nat(),
      fc.nat(255),
    )
    .map(
      ([p, at, byte]): Value =>
        () => {
          const bytes = encodeCompactPoints(p.slice(0, p.length - (p.length % 3)))
          bytes[at % bytes.length] = byte
          return bytes
        },
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
    'label',
    'labelColor',
    'labelFontSize',
    'route',
    'bend',
  ),
  fc.string({ maxLength: 10 }),
  fc.constant(assetIdOf(png(7))),
)

/** What a hostile client does: writes any value under any key or into any list it can reach. */
export type Hostile = (b: Board, pick: (n: number) => number) => void
export const hostile: fc.Arbitrary<Hostile> = fc.oneof(
  fc.record({ target: fc.nat(), key, value }).map(
    ({ target, key, value }): Hostile =>
      (b, pick) => {
        const maps: Y.Map<unknown>[] = [
          b.elements as Y.Map<unknown>,
          b.meta,
          b.assets as Y.Map<unknown>,
          b.doc.getMap(`r${target % 3}`),
        ]
        for (const el of b.elements.values()) if (el instanceof Y.Map) maps.push(el)
        maps.push(...b.assets.values())
        const map = maps[target % maps.length] as Y.Map<unknown>
        map.set(key === 'kind' && pick(2) ? `k${target}` : key, value())
      },
  ),
  // A flat stroke (schema 5) written anew with one key changed or added.
  fc.record({ target: fc.nat(), key, value }).map(
    ({ target, key, value }): Hostile =>
      (b) => {
        const flat = [...b.elements.entries()].filter(([, el]) => !(el instanceof Y.Map))
        const picked = flat[target % Math.max(1, flat.length)]
        if (picked) b.elements.set(picked[0], { ...picked[1], [key]: value() })
      },
  ),
  fc.record({ target: fc.nat(), value, at0: fc.boolean() }).map(
    ({ target, value, at0 }): Hostile =>
      (b) => {
        const lists: Y.Array<unknown>[] = [b.order as Y.Array<unknown>]
        b.elements.forEach((el) => {
          const p = el instanceof Y.Map ? el.get('points') : undefined
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
          const t = el instanceof Y.Map ? el.get('text') : undefined
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
        const el = id ? b.elements.get(id) : undefined
        if (el instanceof Y.Map) el.delete('kind')
      },
  ),
)
