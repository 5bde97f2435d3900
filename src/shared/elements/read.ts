import * as Y from 'yjs'
import { isBoardColor, isBoardFill, normalizeRotation } from './attrs'
import { elementKey, isFinishedStroke, strokePointsOf } from './inkRecord'
import { shiftOf } from './moves'
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
function label(el: Y.Map<unknown>): ShapeLabel {
  const out: ShapeLabel = {}
  const t = el.get('label')
  if (typeof t === 'string' && t.length > 0) out.label = t.slice(0, ELEMENT_LIMITS.maxTextLength)
  const c = el.get('labelColor')
  if (isBoardColor(c)) out.labelColor = c
  const size = el.get('labelFontSize')
  if (typeof size === 'number' && Number.isFinite(size))
    out.labelFontSize = Math.min(ELEMENT_LIMITS.maxFontSize, Math.max(ELEMENT_LIMITS.minFontSize, size))
  return out
}
const route = (v: unknown): ArrowRoute =>
  (Object.values(ArrowRoute) as unknown[]).includes(v) ? (v as ArrowRoute) : ArrowRoute.Straight

const C = ELEMENT_LIMITS.maxCoordinate
const S = ELEMENT_LIMITS.maxSize

/** Where an element is: its own x, y plus what the board's move records (./moves.ts) add. */
function position(id: string, el: Y.Map<unknown>): { x: number; y: number } {
  const x = num(el.get('x'), 0, -C, C)
  const y = num(el.get('y'), 0, -C, C)
  const shift = shiftOf(el, id)
  return shift ? { x: num(x + shift.dx, 0, -C, C), y: num(y + shift.dy, 0, -C, C) } : { x, y }
}

function base(id: string, el: Y.Map<unknown>): ElementBase {
  return {
    id,
    author: String(elementKey(el, 'author') ?? ''),
    ...position(id, el),
    rotation: normalizeRotation(num(elementKey(el, 'rotation'), 0)),
    opacity: num(elementKey(el, 'opacity'), 1, 0, 1),
    locked: flag(elementKey(el, 'locked')),
    groupId: optionalId(elementKey(el, 'groupId')),
  }
}

function scale(v: unknown): number {
  const s = num(v, 1, -ELEMENT_LIMITS.maxScale, ELEMENT_LIMITS.maxScale)
  return Math.abs(s) < ELEMENT_LIMITS.minScale ? 1 : s
}

/** What an edit of a whole selection needs of an element: its kind and placement, without decoding its content. */
export type ElementPlace = ElementBase & { kind: ElementKind }

const KINDS: ReadonlySet<unknown> = new Set(Object.values(ElementKind))

/**
 * An element's kind and base keys (place, lock, group), or undefined when the map holds no known kind. Reads no
 * points, text or image: moving or deleting 10,000 strokes must not decode 10,000 strokes.
 */
export function readPlace(id: string, el: Y.Map<unknown> | undefined): ElementPlace | undefined {
  const kind = el?.get('kind')
  if (!el || !KINDS.has(kind)) return undefined
  return { ...base(id, el), kind: kind as ElementKind }
}

/** Reads one element map as a stroke, or undefined when it is not a well-formed stroke. */
export function readStroke(
  id: string,
  el: Y.Map<unknown> | undefined,
  /** The stroke's points as last read, when its `points` did not change since: they are not decoded again. */
  known?: Float32Array,
): Stroke | undefined {
  if (!el || el.get('kind') !== ElementKind.Stroke) return undefined
  const points = known ?? strokePointsOf(el)
  const color = elementKey(el, 'color')
  const width = elementKey(el, 'width')
  if (!points || !isBoardColor(color) || typeof width !== 'number') return undefined
  return {
    ...base(id, el),
    kind: ElementKind.Stroke,
    color,
    width,
    points,
    done: isFinishedStroke(el),
    highlighter: flag(elementKey(el, 'highlighter')),
    scaleX: scale(el.get('scaleX')),
    scaleY: scale(el.get('scaleY')),
  }
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
export function withPlacement<T extends BoardElement>(el: T, map: Y.Map<unknown>): T {
  const placed = {
    ...el,
    ...position(el.id, map),
    rotation: normalizeRotation(num(map.get('rotation'), 0)),
  }
  if (placed.kind === ElementKind.Frame) placed.rotation = 0
  // Only strokes keep a scale; other kinds take a stretch into their size (see attrsFromTransform).
  if (placed.kind === ElementKind.Stroke) {
    placed.scaleX = scale(map.get('scaleX'))
    placed.scaleY = scale(map.get('scaleY'))
  }
  return placed
}

/** Keys that hold an element's content (a stroke's points, a text's words): a change of any other key is a restyle. */
export const CONTENT_KEYS: ReadonlySet<string> = new Set(['kind', 'points', 'text', 'ink'])

/**
 * The element `el` as its map now reads after a change of keys outside CONTENT_KEYS (a restyle): a stroke keeps
 * the points already decoded; `el` must be what readElement gave for the same map before the change.
 */
export function withKeys(el: BoardElement, map: Y.Map<unknown>): BoardElement | undefined {
  return el.kind === ElementKind.Stroke ? readStroke(el.id, map, el.points) : readElement(el.id, map)
}

/** Reads one element map as whatever kind it holds, or undefined when it is not a well-formed element. */
export function readElement(id: string, el: Y.Map<unknown> | undefined): BoardElement | undefined {
  if (!el) return undefined
  const kind = el.get('kind')
  switch (kind) {
    case ElementKind.Stroke:
      return readStroke(id, el)
    case ElementKind.Rect:
    case ElementKind.Ellipse:
      return {
        ...base(id, el),
        kind,
        width: num(el.get('width'), 0, 0, S),
        height: num(el.get('height'), 0, 0, S),
        strokeColor: colour(el.get('strokeColor'), ELEMENT_DEFAULTS.strokeColor),
        fillColor: isBoardFill(el.get('fillColor')) ? (el.get('fillColor') as string) : NO_FILL,
        strokeWidth: num(el.get('strokeWidth'), ELEMENT_DEFAULTS.strokeWidth, 0.5, 200),
        dashed: flag(el.get('dashed')),
        ...label(el),
      }
    case ElementKind.Line:
    case ElementKind.Arrow: {
      const points = readPoints(el.get('points'))
      if (!points) return undefined
      return {
        ...base(id, el),
        kind,
        points,
        strokeColor: colour(el.get('strokeColor'), ELEMENT_DEFAULTS.strokeColor),
        strokeWidth: num(el.get('strokeWidth'), ELEMENT_DEFAULTS.strokeWidth, 0.5, 200),
        dashed: flag(el.get('dashed')),
        startArrow: flag(el.get('startArrow')),
        endArrow: flag(el.get('endArrow')),
        startBinding: optionalId(el.get('startBinding')),
        endBinding: optionalId(el.get('endBinding')),
        ...label(el),
        route: kind === ElementKind.Arrow ? route(el.get('route')) : ArrowRoute.Straight,
        bend: kind === ElementKind.Arrow ? num(el.get('bend'), 0, -C, C) : 0,
      }
    }
    case ElementKind.Text: {
      const family = el.get('fontFamily')
      return {
        ...base(id, el),
        kind,
        text: text(el.get('text')),
        fontSize: num(el.get('fontSize'), ELEMENT_DEFAULTS.fontSize, 4, 512),
        color: colour(el.get('color'), ELEMENT_DEFAULTS.strokeColor),
        width: num(el.get('width'), 0, 0, S),
        fontFamily:
          typeof family === 'string' && family && !/[;{}<>]/.test(family)
            ? family
            : ELEMENT_DEFAULTS.fontFamily,
      }
    }
    case ElementKind.Note:
      return {
        ...base(id, el),
        kind,
        text: text(el.get('text')),
        width: num(el.get('width'), ELEMENT_DEFAULTS.noteSize, 0, S),
        height: num(el.get('height'), ELEMENT_DEFAULTS.noteSize, 0, S),
        fillColor: colour(el.get('fillColor'), ELEMENT_DEFAULTS.noteFill),
        fontSize: num(el.get('fontSize'), ELEMENT_DEFAULTS.noteFontSize, 4, 512),
        color: colour(el.get('color'), ELEMENT_DEFAULTS.strokeColor),
      }
    case ElementKind.Image: {
      const assetId = el.get('assetId')
      if (typeof assetId !== 'string' || !/^[0-9a-f]{64}$/.test(assetId)) return undefined
      return {
        ...base(id, el),
        kind,
        assetId,
        width: num(el.get('width'), 0, 0, S),
        height: num(el.get('height'), 0, 0, S),
      }
    }
    case ElementKind.Frame: {
      const name = el.get('name')
      return {
        ...base(id, el),
        // Frames are never turned: their members are what lies inside their upright box.
        rotation: 0,
        kind,
        width: num(el.get('width'), 0, 0, S),
        height: num(el.get('height'), 0, 0, S),
        name: typeof name === 'string' ? name.slice(0, ELEMENT_LIMITS.maxNameLength) : '',
      }
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
