/**
 * The board document (docs/board-format.md) as a table the update check walks: the root types, the keys of
 * each element kind and what each key may hold. A new element kind is one entry in ELEMENT_KINDS.
 */
import { ElementKind, isBoardColor, STROKE_LIMITS } from '../board'
import { POINT_STRIDE } from '../points'
import { boolean, type Check, type Container, numberIn, type Slot, stringOf, value } from './slots'

/** Ids of elements (keys of `elements`, entries of `order`): what newElementId makes, with room for others. */
export const ELEMENT_ID = /^[A-Za-z0-9_-]{1,64}$/
/** Largest |x| or |y| of a point on a board, board units. */
export const MAX_COORDINATE = 1e7
/** Longest author name an element stores. */
export const MAX_AUTHOR_LENGTH = 200
/** Most entries `order` may hold (ids of elements, including ones left behind by crossing edits). */
export const MAX_ORDER_ENTRIES = 500_000

const BYTES_PER_POINT = POINT_STRIDE * 4

const color: Check = (v) => (isBoardColor(v) ? undefined : 'not a colour (#rrggbb)')

/** A chunk of stroke points: whole x, y, pressure float32 triples, finite and on the board. */
function pointChunk(bytes: Uint8Array): string | undefined {
  if (bytes.byteLength === 0 || bytes.byteLength % BYTES_PER_POINT !== 0)
    return `a chunk of points must be whole points of ${BYTES_PER_POINT} bytes`
  if (bytes.byteLength > STROKE_LIMITS.maxPoints * BYTES_PER_POINT)
    return `a chunk holds more than ${STROKE_LIMITS.maxPoints} points`
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  for (let at = 0; at < bytes.byteLength; at += BYTES_PER_POINT) {
    const x = view.getFloat32(at, true)
    const y = view.getFloat32(at + 4, true)
    const pressure = view.getFloat32(at + 8, true)
    // Negated comparisons so that NaN fails too.
    if (!(Math.abs(x) <= MAX_COORDINATE && Math.abs(y) <= MAX_COORDINATE))
      return `a point lies outside the board (beyond ±${MAX_COORDINATE})`
    if (!(pressure >= 0 && pressure <= 1)) return 'a point has a pressure outside 0..1'
  }
  return undefined
}

/** The points of a stroke: a Y.Array of chunks, at most STROKE_LIMITS.maxPoints points in all. */
const strokePoints: Container = {
  yjs: 'array',
  name: 'the points of a stroke',
  item: { bytes: pointChunk },
  cap: {
    units: (entry) => Math.floor((entry.bytes?.byteLength ?? 0) / BYTES_PER_POINT),
    limit: STROKE_LIMITS.maxPoints,
    what: 'points',
  },
}

/** Keys every element has, whatever its kind (`kind` itself is checked against ELEMENT_KINDS). */
const COMMON_KEYS: Record<string, Slot> = {
  author: value(stringOf(MAX_AUTHOR_LENGTH)),
}

/** Each element kind and the keys it may hold. Add a kind here and the host accepts it. */
export const ELEMENT_KINDS: Record<string, Record<string, Slot>> = {
  [ElementKind.Stroke]: {
    color: value(color),
    width: value(numberIn(STROKE_LIMITS.minWidth, STROKE_LIMITS.maxWidth)),
    points: { type: strokePoints },
    done: value(boolean),
  },
}

const KIND_NAMES = Object.keys(ELEMENT_KINDS)
const kindCheck: Check = (v) =>
  typeof v === 'string' && Object.hasOwn(ELEMENT_KINDS, v)
    ? undefined
    : `not an element kind (${KIND_NAMES.join(', ')})`

/** One element: a Y.Map whose keys are set by its kind. */
const element: Container = {
  yjs: 'map',
  name: 'an element',
  kindKey: 'kind',
  enter: (key, at) => ({ ...at, elementId: key ?? undefined }),
  child: (key, at) => {
    if (key === 'kind') return value(kindCheck)
    const common = Object.hasOwn(COMMON_KEYS, key) ? COMMON_KEYS[key] : undefined
    if (common) return common
    if (at.kind === undefined) return 'an element without a kind'
    const keys = ELEMENT_KINDS[at.kind]
    const slot = keys && Object.hasOwn(keys, key) ? keys[key] : undefined
    return slot ?? `a ${at.kind} has no key "${key}"`
  },
}

/** The root types of a board and what each holds. */
export const BOARD_ROOTS: Record<string, Container> = {
  elements: {
    yjs: 'map',
    name: 'elements',
    child: (key) => (ELEMENT_ID.test(key) ? { type: element } : `"${key.slice(0, 40)}" is not an element id`),
  },
  order: {
    yjs: 'array',
    name: 'order',
    item: value(stringOf(64, ELEMENT_ID)),
    cap: { units: (entry) => entry.values?.length ?? 0, limit: MAX_ORDER_ENTRIES, what: 'entries' },
  },
  meta: {
    yjs: 'map',
    name: 'meta',
    child: (key) =>
      key === 'schema'
        ? value((v) =>
            Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 1000
              ? undefined
              : 'not a schema version',
          )
        : `meta has no key "${key.slice(0, 40)}"`,
  },
}
