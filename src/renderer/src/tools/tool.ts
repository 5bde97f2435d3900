/** The tools of the toolbar, each with its keyboard key. */
export const Tool = {
  Select: 'select',
  Pen: 'pen',
  Eraser: 'eraser',
  Hand: 'hand',
  Laser: 'laser',
  Rectangle: 'rectangle',
  Ellipse: 'ellipse',
  Line: 'line',
  Arrow: 'arrow',
  Text: 'text',
  Note: 'note',
  Image: 'image',
  Frame: 'frame',
} as const
export type Tool = (typeof Tool)[keyof typeof Tool]

/** The Excalidraw/tldraw keys. */
export const TOOL_KEYS: Record<string, Tool> = {
  v: Tool.Select,
  p: Tool.Pen,
  e: Tool.Eraser,
  h: Tool.Hand,
  k: Tool.Laser,
  r: Tool.Rectangle,
  o: Tool.Ellipse,
  l: Tool.Line,
  a: Tool.Arrow,
  t: Tool.Text,
  n: Tool.Note,
  i: Tool.Image,
  f: Tool.Frame,
  // Digits pick tools in Excalidraw's order (its 3, the diamond, is our sticky note).
  '1': Tool.Select,
  '2': Tool.Rectangle,
  '3': Tool.Note,
  '4': Tool.Ellipse,
  '5': Tool.Arrow,
  '6': Tool.Line,
  '7': Tool.Pen,
  '8': Tool.Text,
  '9': Tool.Image,
  '0': Tool.Eraser,
}

/** Tools that change the board: a viewer cannot pick them. */
export const WRITING_TOOLS: ReadonlySet<Tool> = new Set([
  Tool.Pen,
  Tool.Eraser,
  Tool.Rectangle,
  Tool.Ellipse,
  Tool.Line,
  Tool.Arrow,
  Tool.Text,
  Tool.Note,
  Tool.Image,
  Tool.Frame,
])

/** Tools that draw a shape by dragging. */
export const SHAPE_TOOLS = {
  [Tool.Rectangle]: 'rect',
  [Tool.Ellipse]: 'ellipse',
  [Tool.Line]: 'line',
  [Tool.Arrow]: 'arrow',
} as const

/** Ink colours of the palette: dark first, then the common highlighter hues. */
export const PALETTE = [
  '#1e1e1e',
  '#e03131',
  '#f08c00',
  '#2f9e44',
  '#1971c2',
  '#6741d9',
  '#c2255c',
  '#868e96',
] as const

/** Pen widths in board units: fine, medium, bold, marker. */
export const WIDTHS = [2, 4, 8, 16] as const

/** Eraser radius in screen pixels, so it feels the same at every zoom. */
export const ERASER_RADIUS_PX = 10

/** A pointer sample in board units. */
export interface InputPoint {
  x: number
  y: number
  pressure: number
}
