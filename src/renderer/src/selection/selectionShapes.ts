import type { Context } from 'konva/lib/Context'
import { Group } from 'konva/lib/Group'
import { Shape } from 'konva/lib/Shape'
import { Rect as KonvaRect } from 'konva/lib/shapes/Rect'
import { type BoardElement, ElementKind } from '../../../shared/board'
import { inkPadding, localBox, nodeTransform } from '../../../shared/elements/transform'
import type { Rect } from '../../../shared/geometry'

/** Smallest side (board units) of a selection box, so a straight line or a dot can still be resized. */
const MIN_BOX = 4
/** Selection colour (the app's accent). */
export const ACCENT = '#4f46e5'
/** Lock badge size, screen px. */
const BADGE_PX = 18

/**
 * Places a proxy exactly as its element: the same transform, a box around its shape; an outline when asked. A pen
 * stroke's box takes in its ink, which grows with it; a shape's is its geometry (where its outline is centred, an
 * arrow's points), since a resize scales that and not the outline's width: the handle is where the edge goes.
 */
export function placeProxy(node: Shape, el: BoardElement, outline: boolean): void {
  const box = localBox(el)
  const pad = el.kind === ElementKind.Stroke ? inkPadding(el) : 0
  const w = Math.max(MIN_BOX, box.width + 2 * pad)
  const h = Math.max(MIN_BOX, box.height + 2 * pad)
  const self = { x: box.x + box.width / 2 - w / 2, y: box.y + box.height / 2 - h / 2, width: w, height: h }
  node.setAttrs({ ...nodeTransform(el, box), skewX: 0, skewY: 0, outline })
  // Konva's Transformer measures a node by its self rect: the element's box, not the shape's drawing.
  node.getSelfRect = () => self
}

/**
 * The outlines of the proxies that ask for one, as one path: one node to draw whatever the number of elements (a
 * Konva node per outline cost 20 ms a frame for 3,000 of them). Proxies are invisible; this reads their transforms.
 */
export function drawOutlines(ctx: Context, shape: Shape, proxies: Iterable<Shape>): void {
  const zoom = shape.getStage()?.scaleX() ?? 1
  ctx.beginPath()
  for (const node of proxies) {
    if (!node.getAttr('outline')) continue
    const t = node.getTransform()
    const r = node.getSelfRect()
    const corners = [
      t.point({ x: r.x, y: r.y }),
      t.point({ x: r.x + r.width, y: r.y }),
      t.point({ x: r.x + r.width, y: r.y + r.height }),
      t.point({ x: r.x, y: r.y + r.height }),
    ]
    ctx.moveTo(corners[0]?.x ?? 0, corners[0]?.y ?? 0)
    for (const c of [...corners.slice(1), corners[0]]) ctx.lineTo(c?.x ?? 0, c?.y ?? 0)
  }
  ctx.setAttr('strokeStyle', ACCENT)
  ctx.setAttr('lineWidth', 1 / zoom)
  ctx.stroke()
}

/** A small padlock at the top-right corner of a locked element's bounds, `k` board units per screen pixel. */
export function lockBadge(r: Rect, k: number): Group {
  const g = new Group({ x: r.maxX, y: r.minY, scaleX: k, scaleY: k, listening: false })
  g.add(
    new KonvaRect({
      x: -BADGE_PX / 2,
      y: -BADGE_PX / 2,
      width: BADGE_PX,
      height: BADGE_PX,
      cornerRadius: 5,
      fill: '#ffffff',
      stroke: '#868e96',
      strokeWidth: 1,
    }),
    new Shape({
      stroke: '#495057',
      fill: '#495057',
      strokeWidth: 1.5,
      sceneFunc: (ctx, shape) => {
        // Shackle, then body.
        ctx.beginPath()
        ctx.arc(0, -2, 3, Math.PI, 0)
        ctx.moveTo(3, -2)
        ctx.lineTo(3, 0)
        ctx.moveTo(-3, -2)
        ctx.lineTo(-3, 0)
        ctx.strokeShape(shape)
        ctx.beginPath()
        ctx.rect(-4.5, 0, 9, 6)
        ctx.fillShape(shape)
      },
    }),
  )
  return g
}
