import * as Y from 'yjs'
import { isBoardColor, isBoardFill, normalizeRotation } from './attrs'
import { docOf, type ElementEntry, type FlatRecord, ownKey } from './entry'
import { elementKey, isFinishedStroke, strokePointsOf } from './inkRecord'
import { shiftOf } from './moves'
import { idsStyledWith, styledEntry, styledKey } from './styles'
import {
  ArrowRoute,
  type BoardElement,
  ELEMENT_DEFAULTS,
  ELEMENT_LIMITS,
  type ElementBase,
  ElementKind,
  IMAGE_MIMES,
  type ImageAsset,
  NO_FILL,
  type ShapeLabel,
  type Stroke,
} from './types'

// Readers never trust the document: a peer may have written anything. A malformed element reads as undefined
// (and is not drawn); a malformed optional key reads as its default.

const num = (v: unknown, fallback: number, min = -Infinity, max = Infinity): number =>
  typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : fallback
const flag = (v: unknown): boolean => v === true
const colour = (v: unknown, fallback: string): string => (isBoardColor(v) ? v : fallback)
const text = (v: unknown): string =>
  v instanceof Y.Text ? v.toString() : typeof v === 'string' ? v.slice(0, ELEMENT_LIMITS.maxTextLength) : ''
const optionalId = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined)

/** A shape's label keys; those it lacks (or holds malformed) are left out. */
function label(el: ElementEntry): ShapeLabel {
  const out: ShapeLabel = {}
  const t = ownKey(el, 'label')
  if (typeof t === 'string' && t.length > 0) out.label = t.slice(0, ELEMENT_LIMITS.maxTextLength)
  const c = ownKey(el, 'labelColor')
  if (isBoardColor(c)) out.labelColor = c
  const size = ownKey(el, 'labelFontSize')
  if (typeof size === 'number' && Number.isFinite(size))
    out.labelFontSize = Math.min(ELEMENT_LIMITS.maxFontSize, Math.max(ELEMENT_LIMITS.minFontSize, size))
  return out
}
const route = (v: unknown): ArrowRoute =>
  (Object.values(ArrowRoute) as unknown[]).includes(v) ? (v as ArrowRoute) : ArrowRoute.Straight

const C = ELEMENT_LIMITS.maxCoordinate
const S = ELEMENT_LIMITS.maxSize

/**
 * Where an element is: its own x, y plus what the move records (./moves.ts) of its board add (`doc`: the board's,
 * needed for a flat record, which knows no document).
 */
function position(id: string, el: ElementEntry, doc?: Y.Doc | null): { x: number; y: number } {
  const x = num(ownKey(el, 'x'), 0, -C, C)
  const y = num(ownKey(el, 'y'), 0, -C, C)
  const shift = shiftOf(docOf(el, doc), id)
  return shift ? { x: num(x + shift.dx, 0, -C, C), y: num(y + shift.dy, 0, -C, C) } : { x, y }
}

function base(id: string, el: ElementEntry, doc?: Y.Doc | null): ElementBase {
  const { x, y } = position(id, el, doc)
  return {
    id,
    author: String(elementKey(el, 'author') ?? ''),
    x,
    y,
    rotation: normalizeRotation(num(elementKey(el, 'rotation'), 0)),
    opacity: num(elementKey(el, 'opacity'), 1, 0, 1),
    locked: flag(elementKey(el, 'locked')),
    groupId: optionalId(elementKey(el, 'groupId')),
  }
}

/**
 * `fields` on an element's base keys (base()), in that order: what each reader returns. Assigned onto base's fresh
 * object rather than written as an object spread (`{ ...base(), kind, ... }`): V8 (Node 20) turns such a spread
 * followed by more keys into a slow object, ~8 µs and ~3 KB a call that outlive the young generation, so reading the
 * 100,000 strokes of a large board made ~300 MB of old-generation garbage and took twice as long (a host's overview,
 * an export's layout, a page's scene).
 */
function withBase<T extends object>(b: ElementBase, fields: T): ElementBase & T {
  return Object.assign(b, fields)
}

function scale(v: unknown): number {
  const s = num(v, 1, -ELEMENT_LIMITS.maxScale, ELEMENT_LIMITS.maxScale)
  return Math.abs(s) < ELEMENT_LIMITS.minScale ? 1 : s
}

/** What an edit of a whole selection needs of an element: its kind and placement, without decoding its content. */
export type ElementPlace = ElementBase & { kind: ElementKind }

const KINDS: ReadonlySet<unknown> = new Set(Object.values(ElementKind))

/**
 * Whether `el` is an element of a known kind that is not locked (its style records counted): what a delete needs
 * of each element, without reading its place (deleting 10,000 strokes read 10,000 places first).
 */
export function isUnlocked(id: string, el: ElementEntry | undefined, doc?: Y.Doc | null): boolean {
  return isElement(el) && !flag(styledKey(id, el, 'locked', docOf(el, doc)))
}

/** Whether `el` holds an element of a known kind. */
function isElement(el: ElementEntry | undefined): el is ElementEntry {
  return el !== undefined && KINDS.has(ownKey(el, 'kind'))
}

/**
 * isUnlocked for many elements of the board `doc` at once (a delete of a selection): the style records are looked at
 * once, and an element none of them locks or unlocks is judged by its own key, without the records' index.
 */
export function unlockedReader(doc: Y.Doc): (id: string, el: ElementEntry | undefined) => boolean {
  const styled = idsStyledWith(doc, 'locked')
  return (id, el) => {
    if (styled.has(id)) return isUnlocked(id, el, doc)
    return isElement(el) && !flag(elementKey(el, 'locked'))
  }
}

/**
 * An element's kind and base keys (place, lock, group), or undefined when the map holds no known kind. Reads no
 * points, text or image: moving or deleting 10,000 strokes must not decode 10,000 strokes.
 */
export function readPlace(
  id: string,
  el: ElementEntry | undefined,
  doc?: Y.Doc | null,
): ElementPlace | undefined {
  const kind = el === undefined ? undefined : ownKey(el, 'kind')
  if (!el || !KINDS.has(kind)) return undefined
  const d = docOf(el, doc)
  return withBase(base(id, styledEntry(id, el, d), d), { kind: kind as ElementKind })
}

/** Reads one element map as a stroke, or undefined when it is not a well-formed stroke. */
export function readStroke(
  id: string,
  source: ElementEntry | undefined,
  /** The board's document (for its move records): a flat record knows none. */
  doc?: Y.Doc | null,
  /** The stroke's points as last read, when its `points` did not change since: they are not decoded again. */
  known?: Float32Array,
): Stroke | undefined {
  if (!source || ownKey(source, 'kind') !== ElementKind.Stroke) return undefined
  const points = known ?? strokePointsOf(source)
  // What the style records (./styles.ts) of its board give it, over its own keys.
  const d = docOf(source, doc)
  const el = styledEntry(id, source, d)
  const color = elementKey(el, 'color')
  const width = elementKey(el, 'width')
  if (!points || !isBoardColor(color) || typeof width !== 'number') return undefined
  return withBase(base(id, el, d), {
    kind: ElementKind.Stroke,
    color,
    width,
    points,
    done: isFinishedStroke(source),
    highlighter: flag(elementKey(el, 'highlighter')),
    scaleX: scale(ownKey(el, 'scaleX')),
    scaleY: scale(ownKey(el, 'scaleY')),
  })
}

function readPoints(v: unknown): number[] | undefined {
  if (!Array.isArray(v) || v.length < 4 || v.length % 2 !== 0) return undefined
  const out = v.slice(0, ELEMENT_LIMITS.maxLinePoints * 2)
  return out.every((n) => typeof n === 'number' && Number.isFinite(n) && Math.abs(n) <= C) ? out : undefined
}

/** Keys that only place an element (move, turn, stretch): a change of these alone leaves its shape as it was. */
export const PLACEMENT_KEYS: ReadonlySet<string> = new Set(['x', 'y', 'rotation', 'scaleX', 'scaleY'])

/**
 * The element `el` as its map now places it, re-reading only the placement keys (a moved stroke's points are not
 * decoded again); `el` must be what readElement gave for the same map before a change of PLACEMENT_KEYS alone.
 */
export function withPlacement<T extends BoardElement>(el: T, map: ElementEntry, doc?: Y.Doc | null): T {
  const placed = {
    ...el,
    ...position(el.id, map, doc),
    rotation: normalizeRotation(num(ownKey(map, 'rotation'), 0)),
  }
  if (placed.kind === ElementKind.Frame) placed.rotation = 0
  // Only strokes keep a scale; other kinds take a stretch into their size (see attrsFromTransform).
  if (placed.kind === ElementKind.Stroke) {
    placed.scaleX = scale(ownKey(map, 'scaleX'))
    placed.scaleY = scale(ownKey(map, 'scaleY'))
  }
  return placed
}

/** Keys that hold an element's content (a stroke's points, a text's words): a change of any other key is a restyle. */
export const CONTENT_KEYS: ReadonlySet<string> = new Set(['kind', 'points', 'text', 'ink'])

/**
 * What an edit that wrote a flat stroke anew changed, from the record it replaced: only its placement (a move, a
 * turn), other keys (a restyle), or its content (its points differ, or it is another stroke). A reader keeps what it
 * decoded accordingly, as it does for the keys of a map.
 */
export function flatRecordChange(before: FlatRecord, after: FlatRecord): 'placement' | 'keys' | 'content' {
  let change: 'placement' | 'keys' = 'placement'
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = before[key]
    const b = after[key]
    if (a === b) continue
    if (key === 'points') {
      if (!(a instanceof Uint8Array && b instanceof Uint8Array && sameBytes(a, b))) return 'content'
    } else if (CONTENT_KEYS.has(key) || key === 'author') return 'content'
    else if (!PLACEMENT_KEYS.has(key)) change = 'keys'
  }
  return change
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false
  return true
}

/**
 * The element `el` as its map now reads after a change of keys outside CONTENT_KEYS (a restyle): a stroke keeps
 * the points already decoded; `el` must be what readElement gave for the same map before the change.
 */
export function withKeys(el: BoardElement, map: ElementEntry, doc?: Y.Doc | null): BoardElement | undefined {
  return el.kind === ElementKind.Stroke
    ? readStroke(el.id, map, doc, el.points)
    : readElement(el.id, map, doc)
}

/** Reads one element map as whatever kind it holds, or undefined when it is not a well-formed element. */
export function readElement(
  id: string,
  source: ElementEntry | undefined,
  /** The board's document (for its move records): a flat record knows none. */
  doc?: Y.Doc | null,
): BoardElement | undefined {
  if (!source) return undefined
  const kind = ownKey(source, 'kind')
  if (kind === ElementKind.Stroke) return readStroke(id, source, doc)
  // What the style records (./styles.ts) of its board give it, over its own keys.
  doc = docOf(source, doc)
  const el = styledEntry(id, source, doc)
  switch (kind) {
    case ElementKind.Rect:
    case ElementKind.Ellipse:
      return withBase(base(id, el, doc), {
        kind,
        width: num(ownKey(el, 'width'), 0, 0, S),
        height: num(ownKey(el, 'height'), 0, 0, S),
        strokeColor: colour(ownKey(el, 'strokeColor'), ELEMENT_DEFAULTS.strokeColor),
        fillColor: isBoardFill(ownKey(el, 'fillColor')) ? (ownKey(el, 'fillColor') as string) : NO_FILL,
        strokeWidth: num(ownKey(el, 'strokeWidth'), ELEMENT_DEFAULTS.strokeWidth, 0.5, 200),
        dashed: flag(ownKey(el, 'dashed')),
        ...label(el),
      })
    case ElementKind.Line:
    case ElementKind.Arrow: {
      const points = readPoints(ownKey(el, 'points'))
      if (!points) return undefined
      return withBase(base(id, el, doc), {
        kind,
        points,
        strokeColor: colour(ownKey(el, 'strokeColor'), ELEMENT_DEFAULTS.strokeColor),
        strokeWidth: num(ownKey(el, 'strokeWidth'), ELEMENT_DEFAULTS.strokeWidth, 0.5, 200),
        dashed: flag(ownKey(el, 'dashed')),
        startArrow: flag(ownKey(el, 'startArrow')),
        endArrow: flag(ownKey(el, 'endArrow')),
        startBinding: optionalId(ownKey(el, 'startBinding')),
        endBinding: optionalId(ownKey(el, 'endBinding')),
        ...label(el),
        route: kind === ElementKind.Arrow ? route(ownKey(el, 'route')) : ArrowRoute.Straight,
        bend: kind === ElementKind.Arrow ? num(ownKey(el, 'bend'), 0, -C, C) : 0,
      })
    }
    case ElementKind.Text: {
      const family = ownKey(el, 'fontFamily')
      return withBase(base(id, el, doc), {
        kind,
        text: text(ownKey(el, 'text')),
        fontSize: num(ownKey(el, 'fontSize'), ELEMENT_DEFAULTS.fontSize, 4, 512),
        color: colour(ownKey(el, 'color'), ELEMENT_DEFAULTS.strokeColor),
        width: num(ownKey(el, 'width'), 0, 0, S),
        fontFamily:
          typeof family === 'string' && family && !/[;{}<>]/.test(family)
            ? family
            : ELEMENT_DEFAULTS.fontFamily,
      })
    }
    case ElementKind.Note:
      return withBase(base(id, el, doc), {
        kind,
        text: text(ownKey(el, 'text')),
        width: num(ownKey(el, 'width'), ELEMENT_DEFAULTS.noteSize, 0, S),
        height: num(ownKey(el, 'height'), ELEMENT_DEFAULTS.noteSize, 0, S),
        fillColor: colour(ownKey(el, 'fillColor'), ELEMENT_DEFAULTS.noteFill),
        fontSize: num(ownKey(el, 'fontSize'), ELEMENT_DEFAULTS.noteFontSize, 4, 512),
        color: colour(ownKey(el, 'color'), ELEMENT_DEFAULTS.strokeColor),
      })
    case ElementKind.Image: {
      const assetId = ownKey(el, 'assetId')
      if (typeof assetId !== 'string' || !/^[0-9a-f]{64}$/.test(assetId)) return undefined
      return withBase(base(id, el, doc), {
        kind,
        assetId,
        width: num(ownKey(el, 'width'), 0, 0, S),
        height: num(ownKey(el, 'height'), 0, 0, S),
      })
    }
    case ElementKind.Frame: {
      const name = ownKey(el, 'name')
      return withBase(base(id, el, doc), {
        // Frames are never turned: their members are what lies inside their upright box.
        rotation: 0,
        kind,
        width: num(ownKey(el, 'width'), 0, 0, S),
        height: num(ownKey(el, 'height'), 0, 0, S),
        name: typeof name === 'string' ? name.slice(0, ELEMENT_LIMITS.maxNameLength) : '',
      })
    }
    default:
      return undefined
  }
}

/** Reads an image asset map, or undefined when it is missing or malformed. */
export function readAsset(id: string, asset: Y.Map<unknown> | undefined): ImageAsset | undefined {
  if (!(asset instanceof Y.Map)) return undefined
  const mime = asset.get('mime')
  const bytes = asset.get('bytes')
  if (!(bytes instanceof Uint8Array) || !(IMAGE_MIMES as readonly unknown[]).includes(mime)) return undefined
  return {
    id,
    mime: mime as string,
    bytes,
    width: num(asset.get('width'), 1, 1, 1e5),
    height: num(asset.get('height'), 1, 1, 1e5),
  }
}
