// The board's element kinds as plain data (docs/board-format.md). Readers in ./read.ts turn Y.Maps into these.

/** Kinds of element a board holds. */
export const ElementKind = {
  Stroke: 'stroke',
  Rect: 'rect',
  Ellipse: 'ellipse',
  Line: 'line',
  Arrow: 'arrow',
  Text: 'text',
  Note: 'note',
  Image: 'image',
  Frame: 'frame',
} as const
export type ElementKind = (typeof ElementKind)[keyof typeof ElementKind]

/** Kinds drawn as a box (x, y top-left, width, height). */
export type BoxKind = typeof ElementKind.Rect | typeof ElementKind.Ellipse
/** Kinds drawn as a polyline of points relative to x, y. */
export type LineKind = typeof ElementKind.Line | typeof ElementKind.Arrow
/** Kinds `Board.addShape` makes. */
export type ShapeKind = BoxKind | LineKind

/** How an arrow runs between its ends: along its points, as one curve, or in right-angled segments. */
export const ArrowRoute = {
  Straight: 'straight',
  Curved: 'curved',
  Elbow: 'elbow',
} as const
export type ArrowRoute = (typeof ArrowRoute)[keyof typeof ArrowRoute]

/** The fill of a shape or note that has none. */
export const NO_FILL = 'none'

/** Where an element sits and how it is turned: keys every element has. */
export interface Placement {
  /** Board units: top-left of a box, origin of a stroke's or line's points. */
  x: number
  y: number
  /** Degrees, clockwise, about the centre of the element's box. */
  rotation: number
}

/** Keys every element has (missing keys of older boards read as their defaults). */
export interface ElementBase extends Placement {
  id: string
  author: string
  /** 0..1. */
  opacity: number
  /** A locked element cannot be selected, moved or erased. */
  locked: boolean
  /** Elements sharing a group id are selected and moved together. */
  groupId?: string
}

export interface StrokeStyle {
  /** CSS colour, #rrggbb. */
  color: string
  /** Nominal ink width in board units at full pressure. */
  width: number
}

/**
 * A stroke as read from the board. `points` are in the stroke's own frame (relative to x, y, before scale and
 * rotation); strokes drawn with the pen have x = y = 0, rotation 0 and scale 1, so their points are board points.
 */
export interface Stroke extends StrokeStyle, ElementBase {
  kind: typeof ElementKind.Stroke
  /** Flat [x, y, pressure, ...]. */
  points: Float32Array
  /** False while its author is still drawing it. */
  done: boolean
  /** Translucent ink drawn under the ink it crosses. */
  highlighter: boolean
  scaleX: number
  scaleY: number
}

/** Outline style shared by shapes. */
export interface ShapeStyle {
  strokeColor: string
  strokeWidth: number
  dashed: boolean
}

/** Text written inside a shape or on an arrow (docs/board-format.md); ./label.ts lays it out. */
export interface ShapeLabel {
  /** Absent when the shape has none; never empty. */
  label?: string
  /** #rrggbb; absent: the shape's outline colour. */
  labelColor?: string
  /** Absent: ELEMENT_DEFAULTS.labelFontSize. */
  labelFontSize?: number
}

/** A rectangle or an ellipse inscribed in its box. */
export interface BoxShape extends ElementBase, ShapeStyle, ShapeLabel {
  kind: BoxKind
  width: number
  height: number
  /** #rrggbb or 'none'. */
  fillColor: string
}

/** A line or arrow through points relative to x, y. */
export interface LineShape extends ElementBase, ShapeStyle, ShapeLabel {
  kind: LineKind
  /** Flat [x0, y0, x1, y1, ...] relative to x, y. */
  points: number[]
  startArrow: boolean
  endArrow: boolean
  /** Id of the element the start point is attached to. */
  startBinding?: string
  endBinding?: string
  /** Arrows only (lines are always straight); see elements/curve.ts and elements/elbow.ts. */
  route: ArrowRoute
  /** How far a curved arrow's middle stands off its chord, board units; positive bulges left of start → end. */
  bend: number
}

export interface TextElement extends ElementBase {
  kind: typeof ElementKind.Text
  text: string
  fontSize: number
  color: string
  /** Wrapping width in board units; 0 grows with the text. */
  width: number
  fontFamily: string
}

/** A sticky note: a filled square whose text wraps inside it. */
export interface NoteElement extends ElementBase {
  kind: typeof ElementKind.Note
  text: string
  width: number
  height: number
  fillColor: string
  fontSize: number
  color: string
}

export interface ImageElement extends ElementBase {
  kind: typeof ElementKind.Image
  /** sha-256 of the bytes, hex; the bytes are in the board's `assets` map. */
  assetId: string
  width: number
  height: number
}

/**
 * A frame: a named area (x, y top-left, width, height, never turned) whose members are the elements wholly inside
 * it (./frame.ts); moving it moves them, and it can be exported or gone to on its own.
 */
export interface FrameElement extends ElementBase {
  kind: typeof ElementKind.Frame
  width: number
  height: number
  /** Shown above its top-left corner. */
  name: string
}

/** Any element, as read from the board. */
export type BoardElement =
  | Stroke
  | BoxShape
  | LineShape
  | TextElement
  | NoteElement
  | ImageElement
  | FrameElement

/** An image's bytes as stored once per board. */
export interface ImageAsset {
  id: string
  mime: string
  bytes: Uint8Array
  width: number
  height: number
}

/** Limits on what one element may hold; the board refuses more. */
export const STROKE_LIMITS = { maxPoints: 20_000, minWidth: 0.5, maxWidth: 200 } as const

/** Bounds every number of an element must keep. */
export const ELEMENT_LIMITS = {
  /** Largest |x|, |y| of a position or point, board units. */
  maxCoordinate: 1e7,
  /** Largest width or height, board units. */
  maxSize: 1e6,
  minStrokeWidth: 0.5,
  maxStrokeWidth: 200,
  minFontSize: 4,
  maxFontSize: 512,
  /** Scale factors stay within this range (either sign) so that a shape never collapses to nothing. */
  minScale: 0.01,
  maxScale: 1000,
  /** Characters in one text or note. */
  maxTextLength: 100_000,
  /** Points of one line or arrow. */
  maxLinePoints: 1000,
  /** Characters in a frame's name. */
  maxNameLength: 200,
} as const

/** Image caps: bytes per image (the message limit is 8 MB) and the pixel size a decoder must accept. */
// maxPixels is per side (as browsers cap canvases); maxArea caps what one decoded image costs (64 Mpx, 256 MB RGBA).
export const IMAGE_LIMITS = {
  maxBytes: 5 * 1024 * 1024,
  maxPixels: 16384,
  maxArea: 64 * 1024 * 1024,
} as const

/** Image types a board stores (what every browser and the headless export can decode). */
export const IMAGE_MIMES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const

/** Defaults of new elements and of keys older boards lack. */
export const ELEMENT_DEFAULTS = {
  strokeColor: '#1e1e1e',
  fillColor: NO_FILL,
  strokeWidth: 2,
  fontSize: 24,
  fontFamily: 'sans-serif',
  noteFill: '#ffec99',
  noteSize: 200,
  noteFontSize: 20,
  /** A label's size: a text's, so that the style panel's sizes apply to both. */
  labelFontSize: 24,
} as const
