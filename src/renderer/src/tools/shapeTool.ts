import type { Board, BoardElement, ElementAttrs, ShapeKind } from '../../../shared/board'
import { ArrowRoute, ElementKind } from '../../../shared/board'
import { DEFAULT_BEND_RATIO } from '../../../shared/elements/arrowRoute'
import type { CanvasTool } from './gesture'
import { shapeTarget } from './hitTarget'
import { SHAPE_WIDTH_FACTOR, type ToolStyle } from './style'

/** A drag that draws a rectangle, ellipse, line or arrow; peers see it grow. */
export interface ShapeGesture {
  /** Moves the free corner or end to a board point; `shift` keeps ratios (boxes) or snaps angles (lines). */
  move(x: number, y: number, shift: boolean): void
  end(): void
  /** The element drawn, once the drag has moved far enough to make one. */
  readonly id: string | undefined
}

/** What a shape drag needs from the canvas: which element a point is over, for arrows to attach to. */
export interface ShapeTarget {
  /** The topmost element an arrow may attach to (see isBindable) whose box holds the point, if any. */
  bindableAt(x: number, y: number): BoardElement | undefined
  /** Board units per screen pixel now. */
  unitsPerPixel(): number
}

/** Line angles snap to multiples of this with Shift held (degrees). */
export const ANGLE_SNAP = 15
/** A drag shorter than this (screen px) draws nothing: it was a click. */
const MIN_DRAG_PX = 3

/** Kinds an arrow end attaches to. */
export const BINDABLE_KINDS: ReadonlySet<string> = new Set([
  ElementKind.Rect,
  ElementKind.Ellipse,
  ElementKind.Text,
  ElementKind.Note,
  ElementKind.Image,
])

/** Whether an arrow end may attach to an element: a shape, text, note or image that is not locked. */
export function isBindable(el: BoardElement): boolean {
  return BINDABLE_KINDS.has(el.kind) && !el.locked
}

/** The element an arrow end attaches to at a point, if any. */
export function bindingAt(target: ShapeTarget, x: number, y: number): string | undefined {
  return target.bindableAt(x, y)?.id
}

/** The free end of a line from (x0, y0) toward (x, y), its angle snapped to ANGLE_SNAP degrees. */
export function snapAngle(x0: number, y0: number, x: number, y: number): { x: number; y: number } {
  const len = Math.hypot(x - x0, y - y0)
  const step = (ANGLE_SNAP * Math.PI) / 180
  const angle = Math.round(Math.atan2(y - y0, x - x0) / step) * step
  return { x: x0 + len * Math.cos(angle), y: y0 + len * Math.sin(angle) }
}

/** The box from a drag's start to (x, y); with `square` its sides are equal (the longer one wins). */
export function dragBox(x0: number, y0: number, x: number, y: number, square: boolean) {
  let w = x - x0
  let h = y - y0
  if (square) {
    const side = Math.max(Math.abs(w), Math.abs(h))
    w = Math.sign(w || 1) * side
    h = Math.sign(h || 1) * side
  }
  return { x: Math.min(x0, x0 + w), y: Math.min(y0, y0 + h), width: Math.abs(w), height: Math.abs(h) }
}

/** Starts drawing a shape of `kind` from a board point; nothing is on the board until the drag moves. */
export function startShape(
  board: Board,
  kind: ShapeKind,
  style: ToolStyle,
  target: ShapeTarget,
  x0: number,
  y0: number,
): ShapeGesture {
  const line = kind === ElementKind.Line || kind === ElementKind.Arrow
  const startBinding = kind === ElementKind.Arrow ? bindingAt(target, x0, y0) : undefined
  const look: ElementAttrs = {
    strokeColor: style.color,
    strokeWidth: Math.max(0.5, style.width * SHAPE_WIDTH_FACTOR),
    dashed: style.dashed,
    opacity: style.opacity,
    ...(line ? {} : { fillColor: style.fill }),
    ...(kind === ElementKind.Arrow && style.route ? { route: style.route } : {}),
  }
  const curved = kind === ElementKind.Arrow && style.route === ArrowRoute.Curved
  let id: string | undefined
  let last = { x: x0, y: y0, shift: false }

  const geometry = (x: number, y: number, shift: boolean): ElementAttrs => {
    if (!line) return dragBox(x0, y0, x, y, shift)
    const end = shift ? snapAngle(x0, y0, x, y) : { x, y }
    const points = [0, 0, end.x - x0, end.y - y0]
    // A curved arrow is drawn as an arc from the start: its bend grows with it.
    const bend = curved ? { bend: Math.round(DEFAULT_BEND_RATIO * Math.hypot(end.x - x0, end.y - y0)) } : {}
    return { x: x0, y: y0, points, startBinding: startBinding ?? null, ...bend }
  }

  return {
    get id() {
      return id
    },
    move(x, y, shift) {
      last = { x, y, shift }
      if (id === undefined) {
        if (Math.hypot(x - x0, y - y0) < MIN_DRAG_PX * target.unitsPerPixel()) return
        id = board.addShape(kind, { ...look, ...geometry(x, y, shift) })
        return
      }
      board.updateElement(id, geometry(x, y, shift))
    },
    end() {
      if (id === undefined || kind !== ElementKind.Arrow) return
      const endBinding = bindingAt(target, last.x, last.y)
      if (endBinding && endBinding !== startBinding)
        board.updateElement(id, { ...geometry(last.x, last.y, last.shift), endBinding })
    },
  }
}

/** The tool that drags out shapes of one kind (R, O, L, A); Shift keeps ratios or snaps angles. */
export function shapeTool(kind: ShapeKind): CanvasTool {
  return {
    cursor: 'crosshair',
    down(input, { board, scene, viewport, style }) {
      if (!scene) return null
      const target = shapeTarget(scene, () => viewport.get().zoom)
      const shape = startShape(board, kind, style, target, input.x, input.y)
      return {
        move: (p) => shape.move(p.x, p.y, p.shift),
        up: () => shape.end(),
        cancel: () => shape.end(),
      }
    },
  }
}
