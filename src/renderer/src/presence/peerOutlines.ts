import { type BoardElement, elementRect } from '../../../shared/board'
import { type Rect, rectsIntersect, type Viewport, visibleRect } from '../../../shared/geometry'
import type { PeerPresence } from './presence'

/** Gap between an element and a peer's outline of it, screen px. */
const OUTLINE_GAP_PX = 4
// Two people selecting one element: their outlines nest rather than hide each other.
/** Extra gap for each further person outlining the same element, screen px. */
const OUTLINE_STEP_PX = 3
/** Outline width, screen px. */
const OUTLINE_WIDTH_PX = 2
const TAG_FONT = '500 11px system-ui, sans-serif'
const TAG_HEIGHT_PX = 16
const TAG_PAD_PX = 5

/** One person's outlines as this screen shows them: screen-pixel rectangles and where the name tag sits. */
export interface PeerOutlines {
  clientId: number
  name: string
  color: string
  rects: Rect[]
  tag: { x: number; y: number }
}

// The scene reads a new object whenever an element changes, so a rect cached by object is never stale.
const rects = new WeakMap<BoardElement, Rect>()
function boundsOf(el: BoardElement): Rect {
  let r = rects.get(el)
  if (!r) {
    r = elementRect(el)
    rects.set(el, r)
  }
  return r
}

/** The outlines of every peer's selected elements that are in view, in screen pixels. */
export function peerOutlines(
  peers: readonly PeerPresence[],
  element: (id: string) => BoardElement | undefined,
  view: Viewport,
  width: number,
  height: number,
): PeerOutlines[] {
  const seen = visibleRect(view, width, height)
  const taken = new Map<string, number>()
  const out: PeerOutlines[] = []
  for (const peer of peers) {
    const shown: Rect[] = []
    for (const id of peer.selection) {
      const el = element(id)
      if (!el) continue
      const r = boundsOf(el)
      if (!rectsIntersect(r, seen)) continue
      const nth = taken.get(id) ?? 0
      taken.set(id, nth + 1)
      const gap = OUTLINE_GAP_PX + nth * OUTLINE_STEP_PX
      shown.push({
        minX: (r.minX - view.x) * view.zoom - gap,
        minY: (r.minY - view.y) * view.zoom - gap,
        maxX: (r.maxX - view.x) * view.zoom + gap,
        maxY: (r.maxY - view.y) * view.zoom + gap,
      })
    }
    if (shown.length === 0) continue
    const tag = {
      x: Math.min(...shown.map((r) => r.minX)),
      y: Math.min(...shown.map((r) => r.minY)),
    }
    out.push({ clientId: peer.clientId, name: peer.user.name, color: peer.user.color, rects: shown, tag })
  }
  return out
}

/** Draws outlines and name tags (above each person's top-left outline corner) on a cleared 2D context. */
export function drawPeerOutlines(
  ctx: CanvasRenderingContext2D,
  all: readonly PeerOutlines[],
  tagText: string,
): void {
  ctx.lineWidth = OUTLINE_WIDTH_PX
  ctx.font = TAG_FONT
  ctx.textBaseline = 'middle'
  for (const peer of all) {
    ctx.strokeStyle = peer.color
    ctx.beginPath()
    for (const r of peer.rects) ctx.rect(r.minX, r.minY, r.maxX - r.minX, r.maxY - r.minY)
    ctx.stroke()
  }
  // Tags after every outline, so no outline crosses a name.
  for (const peer of all) {
    const w = ctx.measureText(peer.name).width + 2 * TAG_PAD_PX
    const x = peer.tag.x - OUTLINE_WIDTH_PX / 2
    const y = Math.max(0, peer.tag.y - TAG_HEIGHT_PX)
    ctx.fillStyle = peer.color
    ctx.beginPath()
    ctx.roundRect(x, y, w, TAG_HEIGHT_PX, [4, 4, 4, 0])
    ctx.fill()
    ctx.fillStyle = tagText
    ctx.fillText(peer.name, x + TAG_PAD_PX, y + TAG_HEIGHT_PX / 2 + 0.5)
  }
}
