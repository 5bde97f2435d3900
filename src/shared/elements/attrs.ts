import {
  ArrowRoute,
  ELEMENT_LIMITS,
  ElementKind,
  type ElementKind as ElementKindType,
  NO_FILL,
  STROKE_LIMITS,
} from './types'

/** An edit that the board refuses, with a message a person can act on. */
export class ElementError extends Error {
  override name = 'ElementError'
}

/** Keys a caller may set on an element; `null` removes an optional key (a group, a binding). */
export interface ElementAttrs {
  x?: number
  y?: number
  rotation?: number
  opacity?: number
  locked?: boolean
  groupId?: string | null
  width?: number
  height?: number
  strokeColor?: string
  fillColor?: string
  strokeWidth?: number
  dashed?: boolean
  points?: number[]
  startArrow?: boolean
  endArrow?: boolean
  startBinding?: string | null
  endBinding?: string | null
  text?: string
  fontSize?: number
  color?: string
  fontFamily?: string
  scaleX?: number
  scaleY?: number
  highlighter?: boolean
  /** A shape's or arrow's label; null (or an empty string, which the board stores as null) removes it. */
  label?: string | null
  labelColor?: string | null
  labelFontSize?: number | null
  route?: ArrowRoute
  bend?: number
  /** A frame's name. */
  name?: string
}

const COLOR_PATTERN = /^#[0-9a-f]{6}$/i

/** Whether a string is a colour the board stores (#rrggbb). */
export function isBoardColor(value: unknown): value is string {
  return typeof value === 'string' && COLOR_PATTERN.test(value)
}

/** Whether a value is a fill the board stores: #rrggbb or 'none'. */
export function isBoardFill(value: unknown): value is string {
  return value === NO_FILL || isBoardColor(value)
}

const COMMON = ['x', 'y', 'rotation', 'opacity', 'locked', 'groupId'] as const
const SHAPE = ['strokeColor', 'strokeWidth', 'dashed'] as const
const LABEL = ['label', 'labelColor', 'labelFontSize'] as const

/** The keys each kind accepts. */
export const KIND_KEYS: Record<ElementKindType, ReadonlySet<keyof ElementAttrs>> = {
  [ElementKind.Stroke]: new Set([...COMMON, 'color', 'width', 'scaleX', 'scaleY', 'highlighter']),
  [ElementKind.Rect]: new Set([...COMMON, ...SHAPE, ...LABEL, 'width', 'height', 'fillColor']),
  [ElementKind.Ellipse]: new Set([...COMMON, ...SHAPE, ...LABEL, 'width', 'height', 'fillColor']),
  [ElementKind.Line]: new Set([
    ...COMMON,
    ...SHAPE,
    ...LABEL,
    'points',
    'startArrow',
    'endArrow',
    'startBinding',
    'endBinding',
  ]),
  [ElementKind.Arrow]: new Set([
    ...COMMON,
    ...SHAPE,
    ...LABEL,
    'points',
    'startArrow',
    'endArrow',
    'startBinding',
    'endBinding',
    'route',
    'bend',
  ]),
  [ElementKind.Text]: new Set([...COMMON, 'text', 'fontSize', 'color', 'width', 'fontFamily']),
  [ElementKind.Note]: new Set([...COMMON, 'text', 'width', 'height', 'fillColor', 'fontSize', 'color']),
  [ElementKind.Image]: new Set([...COMMON, 'width', 'height']),
  [ElementKind.Frame]: new Set([...COMMON, 'width', 'height', 'name']),
}

type Check = (value: unknown) => string | undefined

const finite = (min: number, max: number, what: string): Check => {
  return (v) =>
    typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max
      ? undefined
      : `${what} must be a number from ${min} to ${max}`
}
const bool: Check = (v) => (typeof v === 'boolean' ? undefined : 'must be true or false')
const color: Check = (v) => (isBoardColor(v) ? undefined : `${String(v)} is not a colour (#rrggbb)`)
const optionalId: Check = (v) =>
  v === null || (typeof v === 'string' && v.length > 0 && v.length <= 64)
    ? undefined
    : 'must be an id or null'
const C = ELEMENT_LIMITS.maxCoordinate

const CHECKS: Record<keyof ElementAttrs, Check> = {
  x: finite(-C, C, 'x'),
  y: finite(-C, C, 'y'),
  rotation: (v) => (typeof v === 'number' && Number.isFinite(v) ? undefined : 'rotation must be a number'),
  opacity: finite(0, 1, 'opacity'),
  locked: bool,
  groupId: optionalId,
  width: finite(0, ELEMENT_LIMITS.maxSize, 'width'),
  height: finite(0, ELEMENT_LIMITS.maxSize, 'height'),
  strokeColor: color,
  fillColor: (v) => (isBoardFill(v) ? undefined : `${String(v)} is not a fill (#rrggbb or none)`),
  strokeWidth: finite(ELEMENT_LIMITS.minStrokeWidth, ELEMENT_LIMITS.maxStrokeWidth, 'stroke width'),
  dashed: bool,
  points: (v) => {
    if (!Array.isArray(v) || v.length < 4 || v.length % 2 !== 0)
      return 'points must be x, y pairs, at least two'
    if (v.length > ELEMENT_LIMITS.maxLinePoints * 2)
      return `a line has at most ${ELEMENT_LIMITS.maxLinePoints} points`
    return v.every((n) => typeof n === 'number' && Number.isFinite(n) && Math.abs(n) <= C)
      ? undefined
      : 'points must be finite numbers'
  },
  startArrow: bool,
  endArrow: bool,
  startBinding: optionalId,
  endBinding: optionalId,
  text: (v) =>
    typeof v === 'string' && v.length <= ELEMENT_LIMITS.maxTextLength
      ? undefined
      : `text must be at most ${ELEMENT_LIMITS.maxTextLength} characters`,
  fontSize: finite(ELEMENT_LIMITS.minFontSize, ELEMENT_LIMITS.maxFontSize, 'font size'),
  color,
  fontFamily: (v) =>
    typeof v === 'string' && v.length > 0 && v.length <= 100 && !/[;{}<>]/.test(v)
      ? undefined
      : 'font family must be a plain font name',
  scaleX: (v) => scaleCheck(v, 'scaleX'),
  scaleY: (v) => scaleCheck(v, 'scaleY'),
  highlighter: bool,
  label: (v) =>
    v === null || (typeof v === 'string' && v.length <= ELEMENT_LIMITS.maxTextLength)
      ? undefined
      : `label must be text of at most ${ELEMENT_LIMITS.maxTextLength} characters, or null`,
  labelColor: (v) => (v === null ? undefined : color(v)),
  labelFontSize: (v) =>
    v === null
      ? undefined
      : finite(ELEMENT_LIMITS.minFontSize, ELEMENT_LIMITS.maxFontSize, 'label font size')(v),
  route: (v) =>
    (Object.values(ArrowRoute) as unknown[]).includes(v)
      ? undefined
      : `must be one of ${Object.values(ArrowRoute).join(', ')}`,
  bend: finite(-C, C, 'bend'),
  name: (v) =>
    typeof v === 'string' && v.length <= ELEMENT_LIMITS.maxNameLength && !hasControlCharacter(v)
      ? undefined
      : `a name is at most ${ELEMENT_LIMITS.maxNameLength} characters on one line`,
}

/** Why `value` is no value of the attribute `key` (as checkAttrs checks it), or undefined when it is one. */
export function attrProblem(key: keyof ElementAttrs, value: unknown): string | undefined {
  return Object.hasOwn(CHECKS, key)
    ? CHECKS[key](value)
    : `there is no attribute "${String(key).slice(0, 40)}"`
}

/** Whether a string holds a control character (a line break, a tab...): a name is one line of plain text. */
function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x20 || c === 0x7f) return true
  }
  return false
}

function scaleCheck(v: unknown, what: string): string | undefined {
  const a = typeof v === 'number' ? Math.abs(v) : Number.NaN
  return a >= ELEMENT_LIMITS.minScale && a <= ELEMENT_LIMITS.maxScale
    ? undefined
    : `${what} must be ${ELEMENT_LIMITS.minScale} to ${ELEMENT_LIMITS.maxScale} (either sign)`
}

/**
 * Checks attributes for an element kind and returns them normalised (rotation into [0, 360), stroke widths of
 * strokes clamped); throws ElementError naming the first bad key.
 */
export function checkAttrs(kind: ElementKindType, attrs: ElementAttrs): ElementAttrs {
  const allowed = KIND_KEYS[kind]
  const out: ElementAttrs = {}
  for (const [key, value] of Object.entries(attrs) as [keyof ElementAttrs, unknown][]) {
    if (value === undefined) continue
    if (!allowed.has(key)) throw new ElementError(`a ${kind} has no "${key}"`)
    const problem = CHECKS[key](value)
    if (problem) throw new ElementError(`${kind} ${key}: ${problem}`)
    ;(out as Record<string, unknown>)[key] = value
  }
  if (out.rotation !== undefined) out.rotation = normalizeRotation(out.rotation)
  // An empty label is no label: the key goes, so a board never holds a label that draws nothing.
  if (out.label === '') out.label = null
  if (kind === ElementKind.Stroke && out.width !== undefined)
    out.width = Math.min(STROKE_LIMITS.maxWidth, Math.max(STROKE_LIMITS.minWidth, out.width))
  return out
}

/** An angle in degrees brought into [0, 360). */
export function normalizeRotation(deg: number): number {
  const r = deg % 360
  return r < 0 ? r + 360 : r === 0 ? 0 : r
}
