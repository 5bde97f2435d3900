/** The tools of the toolbar, each with its keyboard key. */
export const Tool = { Pen: 'pen', Eraser: 'eraser', Hand: 'hand', Laser: 'laser' } as const
export type Tool = (typeof Tool)[keyof typeof Tool]

export const TOOL_KEYS: Record<string, Tool> = { p: Tool.Pen, e: Tool.Eraser, h: Tool.Hand, k: Tool.Laser }

/** Tools that change the board: a viewer cannot pick them. */
export const WRITING_TOOLS: ReadonlySet<Tool> = new Set([Tool.Pen, Tool.Eraser])

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
