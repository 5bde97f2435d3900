// Editing a shape's or an arrow's label in place (issue 13): which shape a double-click means, and where the
// editor's textarea goes so that its words sit where the scene draws them (shared/elements/label.ts).
import type { BoardElement } from '../../../shared/board'
import {
  holdsLabel,
  type LabelledElement,
  labelFrame,
  labelLines,
  labelStyle,
} from '../../../shared/elements/label'
import { LINE_HEIGHT } from '../../../shared/elements/text'
import { nodeTransform, toBoard } from '../../../shared/elements/transform'
import { ElementKind } from '../../../shared/elements/types'
import { hitsElement } from '../../../shared/selection'
import { type ElementQuery, elementAt } from '../selection/elementQuery'
import type { ViewportStore } from './viewportStore'

/** Whether an element has words the in-place editor edits: a text, a note, or a shape's or arrow's label. */
export function editsInPlace(el: BoardElement): boolean {
  return !el.locked && (el.kind === ElementKind.Text || el.kind === ElementKind.Note || holdsLabel(el))
}

/** How near (screen px) a double-click must be to a line or arrow to edit its label. */
export const LABEL_HIT_PX = 6

/**
 * The shape whose label a double-click at a board point edits: the topmost unlocked rectangle or ellipse the point
 * is inside (filled or not), or line or arrow the point is on (or on its label); undefined elsewhere.
 */
export function labelTargetAt(
  query: ElementQuery,
  x: number,
  y: number,
  tolerance: number,
): string | undefined {
  const accept = (e: BoardElement) => {
    if (e.locked || !holdsLabel(e)) return false
    if (e.kind === ElementKind.Rect || e.kind === ElementKind.Ellipse) return true
    return hitsElement(e, x, y, tolerance, 'ink')
  }
  return elementAt(query, x, y, tolerance, { mode: 'box', accept })?.id
}

/**
 * Lays the editor's textarea over where a label is drawn: its lines wrapped at the label's width and centred, the
 * block centred on the label's centre, moved, turned and zoomed with the shape.
 */
export function placeLabelEditor(
  area: HTMLTextAreaElement,
  el: LabelledElement,
  viewport: ViewportStore,
): void {
  const style = labelStyle(el)
  const frame = labelFrame(el)
  const lines = Math.max(1, labelLines(el, area.value).length)
  const height = lines * style.fontSize * LINE_HEIGHT
  const t = nodeTransform(el)
  const corner = toBoard(t, frame.cx - frame.wrapWidth / 2, frame.cy - height / 2)
  const origin = viewport.toScreen(corner.x, corner.y)
  const s = area.style
  s.transform = `translate(${origin.x}px, ${origin.y}px) rotate(${t.rotation}deg) scale(${viewport.get().zoom})`
  s.fontSize = `${style.fontSize}px`
  s.fontFamily = style.fontFamily
  s.lineHeight = String(LINE_HEIGHT)
  s.color = style.color
  s.opacity = String(el.opacity)
  s.padding = '0'
  s.width = `${frame.wrapWidth}px`
  s.height = `${height}px`
  s.background = 'transparent'
  s.whiteSpace = 'pre-wrap'
  s.textAlign = 'center'
}
