import { linePolyline, polylineDistanceSq } from '../elements/curve'
import { FRAME_LOOK, hitsFrameLabel } from '../elements/frame'
import { labelBox } from '../elements/label'
import { arrowHeadLength, inkPadding, localBox, nodeTransform, toLocal } from '../elements/transform'
import { type BoardElement, ElementKind, NO_FILL } from '../elements/types'
import { strokeHitsPoint } from '../geometry'

// The one per-kind hit test of the app (selection, eraser, text and shape tools), all in the element's own frame:
// the board point is mapped through the inverse of the element's placement (rotation and a stroke's scale), so a
// turned or stretched element is hit exactly where it is drawn.

/**
 * How a point must meet an element: `ink` on what is drawn (an outline without fill is hit only near its line, as
 * in Excalidraw), `box` anywhere in its box grown by its ink (what text editing and arrow binding want).
 */
export type HitMode = 'ink' | 'box'

/**
 * Whether a board point touches an element, `tolerance` board units being the slack a pointer gets (a few screen
 * pixels divided by the zoom). Ink (strokes, lines, arrows) is hit near its centre line, a filled shape anywhere
 * inside, an unfilled shape on its outline, and texts, notes and images anywhere in their box; in `box` mode every
 * kind is hit anywhere in its box.
 */
export function hitsElement(
  el: BoardElement,
  x: number,
  y: number,
  tolerance: number,
  mode: HitMode = 'ink',
): boolean {
  const box = localBox(el)
  const t = nodeTransform(el, box)
  const p = toLocal(t, x, y)
  // The slack in local units: a stretched stroke's frame is scaled, everything else is not.
  const slack = tolerance / Math.sqrt(Math.abs(t.scaleX * t.scaleY))
  if (mode === 'box') return inBox(p.x, p.y, box, slack + inkPadding(el))
  // A label is part of its shape: a click on its words picks the shape, even an unfilled one.
  const label = labelBox(el)
  if (label && inBox(p.x, p.y, label, slack)) return true
  switch (el.kind) {
    case ElementKind.Stroke:
      return strokeHitsPoint(el.points, p.x, p.y, el.width / 2 + slack)
    case ElementKind.Line:
    case ElementKind.Arrow: {
      const reach = el.strokeWidth / 2 + slack
      if (polylineDistanceSq(linePolyline(el), p.x, p.y) <= reach * reach) return true
      // An arrowhead is wider than its line: count the area around a tip that has one.
      const head = arrowHeadLength(el.strokeWidth)
      const n = el.points.length
      const near = (i: number) =>
        Math.hypot(p.x - (el.points[i] as number), p.y - (el.points[i + 1] as number)) <= head / 2 + slack
      return (el.startArrow && near(0)) || (el.endArrow && near(n - 2))
    }
    case ElementKind.Rect: {
      const edge = el.strokeWidth / 2 + slack
      if (!inBox(p.x, p.y, box, edge)) return false
      return el.fillColor !== NO_FILL || !inBox(p.x, p.y, box, -edge)
    }
    case ElementKind.Ellipse: {
      const edge = el.strokeWidth / 2 + slack
      const cx = box.x + box.width / 2
      const cy = box.y + box.height / 2
      const dx = p.x - cx
      const dy = p.y - cy
      const inEllipse = (rx: number, ry: number) => rx > 0 && ry > 0 && (dx / rx) ** 2 + (dy / ry) ** 2 <= 1
      const rx = box.width / 2
      const ry = box.height / 2
      if (!inEllipse(rx + edge, ry + edge)) return false
      return el.fillColor !== NO_FILL || !inEllipse(rx - edge, ry - edge)
    }
    case ElementKind.Frame: {
      // Like an unfilled rectangle (its outline), and its name: a press inside a frame reaches what is in it.
      if (hitsFrameLabel(el, x, y, slack)) return true
      const edge = FRAME_LOOK.strokeWidth / 2 + slack
      return inBox(p.x, p.y, box, edge) && !inBox(p.x, p.y, box, -edge)
    }
    default:
      return inBox(p.x, p.y, box, slack)
  }
}

function inBox(
  x: number,
  y: number,
  box: { x: number; y: number; width: number; height: number },
  grow: number,
): boolean {
  return (
    x >= box.x - grow && x <= box.x + box.width + grow && y >= box.y - grow && y <= box.y + box.height + grow
  )
}

/** How topElementAt looks: the hit mode (ink by default), and whether locked elements count. */
export interface HitOptions {
  mode?: HitMode
  includeLocked?: boolean
}

/**
 * The topmost element a board point touches, among `elements` given bottom to top (an index's candidates sorted
 * by z-order). Locked elements are passed over unless `includeLocked` is set: they cannot be picked for editing.
 */
export function topElementAt(
  elements: readonly BoardElement[],
  x: number,
  y: number,
  tolerance: number,
  { mode = 'ink', includeLocked = false }: HitOptions = {},
): BoardElement | undefined {
  for (let i = elements.length - 1; i >= 0; i--) {
    const el = elements[i] as BoardElement
    if (el.locked && !includeLocked) continue
    if (hitsElement(el, x, y, tolerance, mode)) return el
  }
  return undefined
}
