import { fitInFreeArea } from '../../../shared/freeArea'
import type { Rect, Viewport } from '../../../shared/geometry'
import type { ViewportStore } from './viewportStore'

// The floating bars and panels over the canvas (title, toolbar, actions, style panel, zoom, banners...); dialogs
// sit on a scrim and the context menu goes away on its own, so neither is in the way of what is fitted.
const FLOATING = '.panel:not(.dialog):not(.selection-menu), .canvas-options'

/** The rectangles of the floating UI over the canvas, in the canvas's pixels. */
export function floatingRects(): Rect[] {
  const canvas = document.querySelector('[data-testid="board-canvas"]')?.getBoundingClientRect()
  const left = canvas?.left ?? 0
  const top = canvas?.top ?? 0
  const rects: Rect[] = []
  for (const el of document.querySelectorAll(FLOATING)) {
    if (el.closest('.scrim')) continue
    const r = el.getBoundingClientRect()
    if (r.width === 0 || r.height === 0) continue
    rects.push({ minX: r.left - left, minY: r.top - top, maxX: r.right - left, maxY: r.bottom - top })
  }
  return rects
}

/** The view that shows `content` whole where no toolbar or panel covers it. */
export function fitInView(viewport: ViewportStore, content: Rect): Viewport {
  const { width, height } = viewport.screenSize()
  return fitInFreeArea(content, width, height, floatingRects())
}
