/**
 * The board document (docs/board-format.md) as a table the update check walks: the root types, the keys of
 * each element kind and what each key may hold. The keys people set and their checks come from the board's
 * own table (KIND_KEYS and checkAttrs in ../elements/attrs.ts), so a new kind or key added there is accepted
 * here too; keys that are not attributes (a stroke's points, a text's Y.Text, an image's asset) are listed in
 * STRUCTURE_KEYS below.
 */
import {
  ELEMENT_LIMITS,
  type ElementAttrs,
  ElementKind,
  IMAGE_LIMITS,
  IMAGE_MIMES,
  STROKE_LIMITS,
} from '../board'
import { compactPointsProblem, MAX_COMPACT_POINTS_BYTES } from '../compactPoints'
import { checkAttrs, KIND_KEYS } from '../elements/attrs'
import { assetIdOf, sniffImageMime } from '../elements/image'
import { imagePixelSize, oversizeProblem } from '../elements/imageHeader'
import { flatRecordProblem, INK_KEY, inkRecordProblem, LIVE_KEY } from '../elements/inkRecord'
import { MAX_MOVE_RECORD_BYTES, MOVES_ROOT, moveRecordProblem } from '../elements/moves'
import { MAX_STYLE_RECORD_BYTES, STYLES_ROOT, styleRecordProblem } from '../elements/styles'
import { errorMessage } from '../errors'
import { POINT_STRIDE } from '../points'
import { boolean, type Check, type Container, numberIn, oneOf, type Slot, stringOf, value } from './slots'

/** Ids of elements (keys of `elements`, entries of `order`): what newElementId makes, with room for others. */
export const ELEMENT_ID = /^[A-Za-z0-9_-]{1,64}$/
/** Asset ids: the sha-256 of the bytes, hex. */
export const ASSET_ID = /^[0-9a-f]{64}$/
/** Longest author name an element stores. */
export const MAX_AUTHOR_LENGTH = 200
/** Most entries `order` may hold (ids of elements, including ones left behind by crossing edits). */
export const MAX_ORDER_ENTRIES = 500_000

const BYTES_PER_POINT = POINT_STRIDE * 4
const MAX_COORDINATE = ELEMENT_LIMITS.maxCoordinate

/** A chunk of stroke points: whole x, y, pressure float32 triples, finite and on the board. */
function pointChunk(bytes: Uint8Array): string | undefined {
  if (bytes.byteLength === 0 || bytes.byteLength % BYTES_PER_POINT !== 0)
    return `a chunk of points must be whole points of ${BYTES_PER_POINT} bytes`
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
  item: { bytes: pointChunk, maxBytes: STROKE_LIMITS.maxPoints * BYTES_PER_POINT },
  cap: {
    units: (entry) => Math.floor((entry.bytes?.byteLength ?? 0) / BYTES_PER_POINT),
    limit: STROKE_LIMITS.maxPoints,
    what: 'points',
  },
}

/** The text of a text or note: a Y.Text of plain characters (no formatting, no embeds). */
const textContent: Container = {
  yjs: 'text',
  name: 'a text',
  cap: {
    units: (entry) => entry.chars?.length ?? 0,
    limit: ELEMENT_LIMITS.maxTextLength,
    what: 'characters',
  },
}

/** An attribute checked exactly as the board checks it when people set it (checkAttrs). */
function attribute(kind: ElementKind, key: keyof ElementAttrs): Check {
  return (v) => {
    if (v === undefined) return 'not a value'
    try {
      checkAttrs(kind, { [key]: v })
      return undefined
    } catch (error) {
      const message = errorMessage(error)
      const prefix = `${kind} ${key}: `
      return message.startsWith(prefix) ? message.slice(prefix.length) : message
    }
  }
}

/** A stroke's drawn keys in its `live` map (the `ink` record holds the same, checked by inkRecordProblem). */
const LIVE_KEYS: Record<string, Slot> = {
  author: value(stringOf(MAX_AUTHOR_LENGTH)),
  color: value(attribute(ElementKind.Stroke, 'color')),
  highlighter: value(attribute(ElementKind.Stroke, 'highlighter')),
  opacity: value(attribute(ElementKind.Stroke, 'opacity')),
  width: value(numberIn(STROKE_LIMITS.minWidth, STROKE_LIMITS.maxWidth)),
  points: { type: strokePoints },
}

/** A stroke being drawn in the record layout: a map of what the pen writes, its points as chunks. */
const liveStroke: Container = {
  yjs: 'map',
  name: 'a stroke being drawn',
  child: (key) =>
    (Object.hasOwn(LIVE_KEYS, key) ? LIVE_KEYS[key] : undefined) ??
    `a stroke being drawn has no key "${key.slice(0, 40)}"`,
}

/** Keys that are the structure of an element rather than an attribute people set. */
const STRUCTURE_KEYS: Partial<Record<ElementKind, (kind: ElementKind) => Record<string, Slot>>> = {
  [ElementKind.Stroke]: () => ({
    // Chunks while it is drawn; one compact value once finished (../compactPoints.ts), checked in one pass.
    points: { type: strokePoints, bytes: compactPointsProblem, maxBytes: MAX_COMPACT_POINTS_BYTES },
    done: value(boolean),
    // The board clamps a stroke's width as it stores it; anything else did not come from a Board.
    width: value(numberIn(STROKE_LIMITS.minWidth, STROKE_LIMITS.maxWidth)),
    // The record layout (../elements/inkRecord.ts): what the pen writes, nested while drawn, one record after.
    [LIVE_KEY]: { type: liveStroke },
    [INK_KEY]: value(inkRecordProblem),
  }),
  [ElementKind.Text]: (kind) => ({ text: { type: textContent, value: attribute(kind, 'text') } }),
  [ElementKind.Note]: (kind) => ({ text: { type: textContent, value: attribute(kind, 'text') } }),
  [ElementKind.Image]: () => ({ assetId: value(stringOf(64, ASSET_ID)) }),
}

/** Each element kind and the keys it may hold. */
export const ELEMENT_KINDS: Record<string, Record<string, Slot>> = Object.fromEntries(
  Object.values(ElementKind).map((kind) => {
    const keys: Record<string, Slot> = {}
    for (const key of KIND_KEYS[kind]) keys[key] = value(attribute(kind, key))
    return [kind, { ...keys, ...STRUCTURE_KEYS[kind]?.(kind) }]
  }),
)

const KIND_NAMES = Object.keys(ELEMENT_KINDS)
const kindCheck: Check = (v) =>
  typeof v === 'string' && Object.hasOwn(ELEMENT_KINDS, v)
    ? undefined
    : `not an element kind (${KIND_NAMES.join(', ')})`
const authorSlot = value(stringOf(MAX_AUTHOR_LENGTH))

/** One element: a Y.Map whose keys are set by its kind. */
const element: Container = {
  yjs: 'map',
  name: 'an element',
  kindKey: 'kind',
  enter: (key, at) => ({ ...at, elementId: key ?? undefined }),
  child: (key, at) => {
    if (key === 'kind') return value(kindCheck)
    if (key === 'author') return authorSlot
    if (at.kind === undefined) return 'an element without a kind'
    const keys = ELEMENT_KINDS[at.kind]
    const slot = keys && Object.hasOwn(keys, key) ? keys[key] : undefined
    return slot ?? `a ${at.kind} has no key "${key.slice(0, 40)}"`
  },
}

/** An image's bytes: an image type every peer can draw, stored under their own sha-256. */
function imageBytes(bytes: Uint8Array, at: { assetId?: string }): string | undefined {
  if (!sniffImageMime(bytes)) return 'not a PNG, JPEG, GIF or WebP image'
  if (assetIdOf(bytes) !== at.assetId) return 'the bytes do not match their asset id (their sha-256)'
  // What every viewer's decoder and the host's export would allocate, not what the asset's keys claim.
  const size = imagePixelSize(bytes)
  if (size && oversizeProblem(bytes))
    return `an image of ${size.width} × ${size.height} px; at most ${IMAGE_LIMITS.maxPixels} px a side and ${IMAGE_LIMITS.maxArea / 2 ** 20} megapixels`
  return undefined
}

const ASSET_KEYS: Record<string, Slot> = {
  mime: value(oneOf(IMAGE_MIMES)),
  bytes: { bytes: imageBytes, maxBytes: IMAGE_LIMITS.maxBytes },
  width: value(numberIn(1, IMAGE_LIMITS.maxPixels)),
  height: value(numberIn(1, IMAGE_LIMITS.maxPixels)),
}

/** One image asset: its bytes and what they are. */
const asset: Container = {
  yjs: 'map',
  name: 'an image asset',
  enter: (key, at) => ({ ...at, assetId: key ?? undefined }),
  child: (key) =>
    (Object.hasOwn(ASSET_KEYS, key) ? ASSET_KEYS[key] : undefined) ??
    `an image asset has no key "${key.slice(0, 40)}"`,
}

const schemaVersion: Check = (v) =>
  Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 1000 ? undefined : 'not a schema version'

/** The keys of a board's `meta` map: its schema version and its background colour (#rrggbb). */
const META_KEYS: Record<string, Check> = { schema: schemaVersion, background: stringOf(7, /^#[0-9a-f]{6}$/i) }

/** The root types of a board and what each holds. */
export const BOARD_ROOTS: Record<string, Container> = {
  elements: {
    yjs: 'map',
    name: 'elements',
    // An element map, or a finished stroke as one flat record (../elements/entry.ts), checked as a whole.
    child: (key) =>
      ELEMENT_ID.test(key)
        ? { type: element, value: flatRecordProblem }
        : `"${key.slice(0, 40)}" is not an element id`,
  },
  order: {
    yjs: 'array',
    name: 'order',
    item: value(stringOf(64, ELEMENT_ID)),
    cap: { units: (entry) => entry.values?.length ?? 0, limit: MAX_ORDER_ENTRIES, what: 'entries' },
  },
  assets: {
    yjs: 'map',
    name: 'assets',
    child: (key) => (ASSET_ID.test(key) ? { type: asset } : `"${key.slice(0, 40)}" is not an asset id`),
  },
  // Moves of large selections, one record each: finite offsets and element ids only (../elements/moves.ts).
  [MOVES_ROOT]: {
    yjs: 'array',
    name: 'moves',
    item: { bytes: moveRecordProblem, maxBytes: MAX_MOVE_RECORD_BYTES },
  },
  // Restyles, locks and groups of large selections, one record each: style keys with checked values and element
  // ids only (../elements/styles.ts).
  [STYLES_ROOT]: {
    yjs: 'array',
    name: 'styles',
    item: { bytes: styleRecordProblem, maxBytes: MAX_STYLE_RECORD_BYTES },
  },
  meta: {
    yjs: 'map',
    name: 'meta',
    child: (key) => {
      const check = Object.hasOwn(META_KEYS, key) ? META_KEYS[key] : undefined
      return check ? value(check) : `meta has no key "${key.slice(0, 40)}"`
    },
  },
}
