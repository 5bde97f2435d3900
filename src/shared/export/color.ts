import { type BoardElement, ElementKind, NO_FILL } from '../elements/types'
import type { ExportBackground } from './options'

/** The paper colour of a light board (the canvas background on screen). */
export const BOARD_PAPER = '#ffffff'

/**
 * A colour as the dark theme shows it: CSS `invert(93%) hue-rotate(180deg)` (Excalidraw's dark mode), so dark ink
 * becomes light, light paper becomes #121212, and hues stay recognisable.
 */
export function darkModeColor(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16)
  const inv = (c: number) => 0.93 - 0.86 * (c / 255)
  const r = inv((n >> 16) & 255)
  const g = inv((n >> 8) & 255)
  const b = inv(n & 255)
  // hue-rotate(180deg): the Filter Effects matrix with cos = -1, sin = 0.
  return toHex(
    -0.574 * r + 1.43 * g + 0.144 * b,
    0.426 * r + 0.43 * g + 0.144 * b,
    0.426 * r + 1.43 * g - 0.856 * b,
  )
}

/** An ink colour as exported: unchanged on a light board, adjusted on a dark one. */
export function inkColor(hex: string, dark: boolean): string {
  return dark ? darkModeColor(hex) : hex.toLowerCase()
}

/**
 * The background fill of an export (#rrggbb), or undefined for a transparent one; `paper` is the board's own
 * background colour (the board's `meta.background`, white when it never chose one).
 */
export function backgroundColor(
  background: ExportBackground,
  dark: boolean,
  paper = BOARD_PAPER,
): string | undefined {
  if (background === 'transparent') return undefined
  if (background === 'white') return '#ffffff'
  return inkColor(paper, dark)
}

/**
 * An element with its colours as exported: unchanged on a light board, through the dark theme on a dark one.
 * Images keep their pixels (a photo turned negative helps nobody; Excalidraw does the same).
 */
export function exportedElement(el: BoardElement, dark: boolean): BoardElement {
  if (!dark) return el
  const fill = (c: string) => (c === NO_FILL ? c : darkModeColor(c))
  // A label's own colour (without one it follows the outline, which turns below).
  if ('labelColor' in el && el.labelColor) el = { ...el, labelColor: darkModeColor(el.labelColor) }
  switch (el.kind) {
    case ElementKind.Stroke:
    case ElementKind.Text:
      return { ...el, color: darkModeColor(el.color) }
    case ElementKind.Rect:
    case ElementKind.Ellipse:
      return { ...el, strokeColor: darkModeColor(el.strokeColor), fillColor: fill(el.fillColor) }
    case ElementKind.Line:
    case ElementKind.Arrow:
      return { ...el, strokeColor: darkModeColor(el.strokeColor) }
    case ElementKind.Note:
      return { ...el, color: darkModeColor(el.color), fillColor: darkModeColor(el.fillColor) }
    default:
      return el
  }
}

function toHex(r: number, g: number, b: number): string {
  const c = (v: number) =>
    Math.round(Math.min(1, Math.max(0, v)) * 255)
      .toString(16)
      .padStart(2, '0')
  return `#${c(r)}${c(g)}${c(b)}`
}

/** A #rrggbb colour as 0..1 components (for PDF). */
export function rgbComponents(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16)
  return [((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255]
}
