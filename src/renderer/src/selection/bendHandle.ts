import { Circle } from 'konva/lib/shapes/Circle'
import type { Transformer } from 'konva/lib/shapes/Transformer'
import { ArrowRoute, type BoardElement, ElementKind, type LineShape } from '../../../shared/board'
import { arrowMidpoint } from '../../../shared/elements/arrowRoute'
import { ACCENT } from './selectionShapes'

/** The handle's radius, screen px; a press this close (plus a little slack) grabs it. */
const HANDLE_PX = 5
const GRAB_PX = 8

type Point = { x: number; y: number }

const CORNER_ANCHORS = ['top-left', 'top-right', 'bottom-left', 'bottom-right']
const ALL_ANCHORS = [...CORNER_ANCHORS, 'top-center', 'middle-right', 'middle-left', 'bottom-center']

/** Whether an element gets a bend handle when it is the only one selected: an unlocked arrow that is not elbow. */
export function bendable(el: BoardElement | undefined): el is LineShape {
  return (
    el?.kind === ElementKind.Arrow && !el.locked && el.route !== ArrowRoute.Elbow && el.points.length === 4
  )
}

/**
 * The midpoint handle of a selected arrow (as tldraw's): a small circle halfway along its path; dragging it bends
 * the arrow (tools/selectTool.ts). Its size stays the same on screen whatever the zoom.
 */
export class BendHandle {
  readonly node = new Circle({
    visible: false,
    listening: false,
    fill: '#ffffff',
    stroke: ACCENT,
    perfectDrawEnabled: false,
  })
  private id: string | undefined
  private at: Point = { x: 0, y: 0 }

  /**
   * Shows the handle on `el` (or hides it for anything else), `zoom` screen px per board unit. While it shows, the
   * Transformer's side anchors, which would sit on it, are left out.
   */
  place(el: BoardElement | undefined, zoom: number, transformer: Transformer): void {
    const anchors = bendable(el) ? CORNER_ANCHORS : ALL_ANCHORS
    if (transformer.enabledAnchors().length !== anchors.length) transformer.enabledAnchors(anchors)
    if (!bendable(el)) {
      this.id = undefined
      this.node.visible(false)
      return
    }
    this.id = el.id
    this.at = arrowMidpoint(el)
    this.node.setAttrs({ ...this.at, radius: HANDLE_PX / zoom, strokeWidth: 1.5 / zoom, visible: true })
  }

  /** The arrow whose handle is under a board point, if any. */
  arrowAt(p: Point, zoom: number): string | undefined {
    if (!this.id || !this.node.visible()) return undefined
    return Math.hypot(p.x - this.at.x, p.y - this.at.y) <= GRAB_PX / zoom ? this.id : undefined
  }

  hide(): void {
    this.node.visible(false)
  }
}
