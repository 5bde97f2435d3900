import {
  ArrowRoute,
  type BoardElement,
  ELEMENT_DEFAULTS,
  type ElementAttrs,
  ElementKind,
  NO_FILL,
  type StrokeStyle,
} from '../../../shared/board'

/** What the style panel sets for the next element drawn (and for selected ones). */
export interface ToolStyle extends StrokeStyle {
  /** Shape fill, #rrggbb or 'none'. */
  fill: string
  /** Sticky note colour. */
  noteFill: string
  dashed: boolean
  /** 0..1. */
  opacity: number
  fontSize: number
  /** The pen draws translucent highlighter ink. */
  highlighter: boolean
  /** The eraser cuts ink where it passes instead of removing whole elements. */
  partialEraser: boolean
  /** How new arrows run: straight, curved or elbow. */
  route: ArrowRoute
}

/** The style a fresh page starts with. */
export const DEFAULT_STYLE: ToolStyle = {
  color: ELEMENT_DEFAULTS.strokeColor,
  width: 4,
  fill: NO_FILL,
  noteFill: ELEMENT_DEFAULTS.noteFill,
  dashed: false,
  opacity: 1,
  fontSize: ELEMENT_DEFAULTS.fontSize,
  highlighter: false,
  partialEraser: false,
  route: ArrowRoute.Straight,
}

/** Shape outlines are this much thinner than pen ink of the same width setting (2, 4, 8, 16 → 1, 2, 4, 8). */
export const SHAPE_WIDTH_FACTOR = 0.5

/** Fills offered for shapes: none, then light tints that keep dark outlines and text readable. */
export const FILLS = [
  NO_FILL,
  '#ffc9c9',
  '#ffec99',
  '#b2f2bb',
  '#a5d8ff',
  '#d0bfff',
  '#e9ecef',
  '#1e1e1e',
] as const

/** Sticky note colours. */
export const NOTE_FILLS = ['#ffec99', '#ffc9c9', '#b2f2bb', '#a5d8ff', '#d0bfff', '#ffffff'] as const

/** Font sizes offered, small to extra large. */
export const FONT_SIZES = [16, 24, 36, 56] as const

/** The attributes a style change means for one element of a given kind; keys it has no use for are left out. */
export function styleAttrs(el: Pick<BoardElement, 'kind'>, change: Partial<ToolStyle>): ElementAttrs {
  const out: ElementAttrs = {}
  if (change.opacity !== undefined) out.opacity = change.opacity
  switch (el.kind) {
    case ElementKind.Stroke:
      if (change.color) out.color = change.color
      if (change.width !== undefined) out.width = change.width
      if (change.highlighter !== undefined) out.highlighter = change.highlighter
      break
    case ElementKind.Rect:
    case ElementKind.Ellipse:
    case ElementKind.Line:
    case ElementKind.Arrow:
      if (change.color) out.strokeColor = change.color
      if (change.width !== undefined) out.strokeWidth = Math.max(0.5, change.width * SHAPE_WIDTH_FACTOR)
      if (change.dashed !== undefined) out.dashed = change.dashed
      if (change.fill && el.kind !== ElementKind.Line && el.kind !== ElementKind.Arrow)
        out.fillColor = change.fill
      // The size of its label's words.
      if (change.fontSize !== undefined) out.labelFontSize = change.fontSize
      break
    case ElementKind.Text:
      if (change.color) out.color = change.color
      if (change.fontSize !== undefined) out.fontSize = change.fontSize
      break
    case ElementKind.Note:
      if (change.color) out.color = change.color
      if (change.fontSize !== undefined) out.fontSize = change.fontSize
      if (change.noteFill) out.fillColor = change.noteFill
      break
  }
  return out
}

/** The tool style that describes an element (what the style panel shows when it is selected). */
export function styleOf(el: BoardElement, base: ToolStyle): ToolStyle {
  const s = { ...base, opacity: el.opacity ?? 1 }
  switch (el.kind) {
    case ElementKind.Stroke:
      return { ...s, color: el.color, width: el.width, highlighter: el.highlighter === true }
    case ElementKind.Rect:
    case ElementKind.Ellipse:
      return {
        ...s,
        color: el.strokeColor,
        width: el.strokeWidth / SHAPE_WIDTH_FACTOR,
        dashed: el.dashed,
        fill: el.fillColor,
        fontSize: el.labelFontSize ?? ELEMENT_DEFAULTS.labelFontSize,
      }
    case ElementKind.Line:
    case ElementKind.Arrow:
      return {
        ...s,
        color: el.strokeColor,
        width: el.strokeWidth / SHAPE_WIDTH_FACTOR,
        dashed: el.dashed,
        fontSize: el.labelFontSize ?? ELEMENT_DEFAULTS.labelFontSize,
        ...(el.kind === ElementKind.Arrow ? { route: el.route } : {}),
      }
    case ElementKind.Text:
      return { ...s, color: el.color, fontSize: el.fontSize }
    case ElementKind.Note:
      return { ...s, color: el.color, fontSize: el.fontSize, noteFill: el.fillColor }
    default:
      return s
  }
}
