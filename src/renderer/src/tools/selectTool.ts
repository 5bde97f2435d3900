import {
  ArrowRoute,
  type Board,
  type BoardElement,
  type ElementAttrs,
  type LineShape,
} from '../../../shared/board'
import { bendToward } from '../../../shared/elements/arrowRoute'
import type { Rect } from '../../../shared/geometry'
import {
  clickSelection,
  marqueeSelection,
  moveSelection,
  rectFromCorners,
  type SnapTargets,
  shapesBounds,
  snapMove,
  withFrameMembers,
  withGroups,
} from '../../../shared/selection'
import { elementAt, finishedIn, groupMates } from '../selection/elementQuery'
import type { SelectionLayer } from '../selection/selectionLayer'
import type { SelectionStore } from '../selection/selectionStore'
import { snapOptions, snapTargetsFor } from '../selection/snapping'
import type { CanvasTool, Gesture, ToolContext } from './gesture'

/** How close (screen px) a click must come to an element to pick it. */
const HIT_PX = 5
/** How far (screen px) a press must travel before it is a drag and not a click. */
const DRAG_PX = 3

type Point = { x: number; y: number }

/** What the select tool works with; without a selection store or layer it does nothing. */
interface Selecting {
  board: Board
  scene: NonNullable<ToolContext['scene']>
  layer: SelectionLayer
  store: SelectionStore
  zoom: number
  viewport: ToolContext['viewport']
}

function selecting(ctx: ToolContext): Selecting | null {
  const { board, scene, selection: layer, store } = ctx
  if (!scene || !layer || !store) return null
  return { board, scene, layer, store, zoom: ctx.viewport.get().zoom, viewport: ctx.viewport }
}

/** The unlocked element under a board point (locked ones let clicks through). */
function unlockedAt(s: Selecting, p: Point): BoardElement | undefined {
  return elementAt(s.scene, p.x, p.y, HIT_PX / s.zoom)
}

/**
 * A drag of what is selected: drawn live by the layer, written to the board once, at the end. Its edges and centres
 * snap to those of the other elements in view (or the grid) unless Ctrl/Cmd is held (snapping.ts).
 */
function moveGesture(s: Selecting, origin: Point): Gesture {
  // Proxies for a selection made by this very press.
  s.layer.refresh()
  // A frame carries what is in it.
  const ids = withFrameMembers(s.board, s.scene, s.store.get()).filter((id) => !s.scene.element(id)?.locked)
  let box: Rect | undefined
  let targets: SnapTargets | undefined
  let dx = 0
  let dy = 0
  let dragging = false
  const end = () => {
    if (!dragging) return
    s.layer.guides.clear()
    moveSelection(s.board, ids, dx, dy, s.scene)
    s.layer.endMove()
  }
  return {
    move: (p) => {
      dx = p.x - origin.x
      dy = p.y - origin.y
      if (!dragging) {
        if (Math.hypot(dx, dy) * s.zoom < DRAG_PX) return
        dragging = true
        s.layer.beginMove(ids)
        // What to snap to is read once, when the press becomes a drag (not on a click).
        box = shapesBounds(ids.flatMap((id) => s.scene.element(id) ?? []))
        if (box) targets = snapTargetsFor(s.scene, s.viewport, new Set(ids), box)
      }
      if (box && targets && !p.mod) {
        const snapped = snapMove(box, dx, dy, targets, snapOptions(s.zoom))
        dx = snapped.dx
        dy = snapped.dy
        s.layer.guides.show(snapped.guides)
      } else s.layer.guides.clear()
      s.layer.moveBy(dx, dy)
    },
    up: end,
    cancel: end,
  }
}

/**
 * A drag of a lone arrow's midpoint handle: the arrow bends so that its middle follows the pointer (a straight arrow
 * becomes curved), written to the board as it goes so that peers see it bend; one undo step.
 */
function bendGesture(s: Selecting, id: string): Gesture {
  s.board.beginAction()
  return {
    move: (p) => {
      const arrow = s.board.readElement(id) as LineShape | undefined
      if (!arrow) return
      const attrs: ElementAttrs = { bend: Math.round(bendToward(arrow, p) * 100) / 100 }
      if (arrow.route !== ArrowRoute.Curved) attrs.route = ArrowRoute.Curved
      s.board.updateElement(id, attrs)
    },
    up: () => {},
    cancel: () => {},
  }
}

/** A marquee from empty paper: it takes what is wholly inside, with the rest of their groups, added to `base`. */
function marqueeGesture(s: Selecting, origin: Point, base: readonly string[]): Gesture {
  s.layer.marqueeHolds(base)
  let rect = rectFromCorners(origin, origin)
  let frame = 0
  let held = base
  // What the marquee holds is worked out once a frame, however often the pointer moves.
  const select = () => {
    frame = 0
    const inside = finishedIn(s.scene, rect)
    const els = marqueeSelection(inside, rect, []).flatMap((id) => s.scene.element(id) ?? [])
    held = [...new Set([...base, ...withGroups(els, groupMates(s.board, s.scene, els))])]
    s.layer.marqueeHolds(held)
  }
  const end = () => {
    cancelAnimationFrame(frame)
    if (frame) select()
    s.layer.endMarquee()
    s.store.set(held)
    s.layer.refresh()
  }
  return {
    move: (p) => {
      rect = rectFromCorners(origin, p)
      s.layer.showMarquee(rect)
      if (!frame) frame = requestAnimationFrame(select)
    },
    up: end,
    cancel: end,
  }
}

/**
 * The select tool (V): a click picks the topmost element (its whole group), Shift adds or removes it; a drag from a
 * selected element (or inside the selection's box) moves the selection, a drag from empty paper draws a marquee.
 * Its layer (selectionLayer.ts) draws the handles, outlines and marquee; a press on a handle is Konva's.
 */
export const selectTool: CanvasTool = {
  cursor: 'default',
  leavesToKonva: (input, ctx) =>
    ctx.selection?.bendHandleAt(input) === undefined &&
    ctx.selection?.ownsPointer({ x: input.screenX, y: input.screenY }) === true,
  down(input, ctx) {
    const s = selecting(ctx)
    if (!s) return null
    const bending = s.layer.bendHandleAt(input)
    if (bending && !ctx.readOnly && !input.shift) return bendGesture(s, bending)
    const hit = unlockedAt(s, input)
    const current = s.store.get()
    if (hit) {
      const mates = groupMates(s.board, s.scene, [hit])
      if (input.shift || !current.includes(hit.id))
        s.store.set(clickSelection(current, hit, input.shift, mates))
      if (!s.store.has(hit.id) || ctx.readOnly) return null
      return moveGesture(s, input)
    }
    if (!input.shift && s.layer.inSelectionBox(input) && !ctx.readOnly) return moveGesture(s, input)
    if (!input.shift) s.store.clear()
    return marqueeGesture(s, input, input.shift ? current : [])
  },
  // A move cursor over what a press would drag.
  hover(input, ctx) {
    const s = selecting(ctx)
    if (s)
      s.layer.showMoveCursor(
        s.layer.bendHandleAt(input) === undefined &&
          (unlockedAt(s, input) !== undefined || s.layer.inSelectionBox(input)),
      )
  },
  // Right-click: the menu for a locked element (to unlock it) or for the selection, which the click joins.
  contextMenu(input, ctx, client) {
    const s = selecting(ctx)
    if (!s) return
    const under = elementAt(s.scene, input.x, input.y, HIT_PX / s.zoom, { includeLocked: true })
    const locked = under?.locked ? under : undefined
    if (!locked) {
      const hit = unlockedAt(s, input)
      if (hit && !s.store.has(hit.id))
        s.store.set(clickSelection([], hit, false, groupMates(s.board, s.scene, [hit])))
      else if (!hit && !s.layer.inSelectionBox(input)) s.store.clear()
    }
    s.store.setMenu({ x: client.x, y: client.y, lockedId: locked?.id })
  },
}
