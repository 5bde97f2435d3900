import { type RefObject, useCallback, useEffect, useRef } from 'react'
import type { Board } from '../../../shared/board'
import {
  type Rect,
  rectsIntersect,
  unionRects,
  type Viewport,
  visibleRect,
  zoomAround,
} from '../../../shared/geometry'
import { rectContains } from '../../../shared/selection'
import type { BoardOverview } from '../../../shared/sync/overview'
import type { BoardScene } from '../canvas/boardScene'
import { fitInView } from '../canvas/floatingUi'
import type { ViewportStore } from '../canvas/viewportStore'

/**
 * The view of a board: a new board starts at the origin and, once synced, shows its content if that is all
 * off-screen; zoom in and out about the middle, back to 100 %, and to fit the content. The content's bounds come
 * from the scene's index when the board is on screen (no element is read again), else from the board. While a large
 * board opens they include the host's overview (its extent): a zoom to fit made before the overview came fits again
 * when it comes, unless the view was moved since. Without an overview (a host with none at hand), a zoom to fit made
 * while the board comes follows it: each part that reaches past what was fitted fits again, unless the view was
 * moved since, so that the fit ends on the whole board.
 */
export function useView(
  viewport: ViewportStore,
  board: Board | null,
  synced: boolean,
  scene: RefObject<BoardScene | null>,
  overview?: BoardOverview,
) {
  /** The view the last zoom to fit set, while the board is opening (a fit made before the overview came). */
  const fitted = useRef<Viewport | undefined>(undefined)
  /** The content's bounds that view fitted. */
  const fittedTo = useRef<Rect | undefined>(undefined)
  /** Whether the board is still coming (its parts, or the host's overview of it). */
  const opening = useRef(false)
  opening.current = !synced || (overview !== undefined && !overview.ended)
  const content = useCallback((): Rect | undefined => {
    const own = scene.current?.contentBounds() ?? board?.contentBounds()
    const extent = overview?.image?.rect
    return extent ? unionRects(own ? [own, extent] : [extent]) : own
  }, [board, scene, overview])

  useEffect(() => {
    if (!board) return
    viewport.set({ x: 0, y: 0, zoom: 1 })
  }, [board, viewport])

  useEffect(() => {
    if (!board || !synced) return
    const content = scene.current?.contentBounds() ?? board.contentBounds()
    const { width, height } = viewport.screenSize()
    if (content && !rectsIntersect(content, visibleRect(viewport.get(), width, height)))
      viewport.set(fitInView(viewport, content))
  }, [board, synced, viewport, scene])

  const zoomBy = useCallback(
    (factor: number) => {
      const { width, height } = viewport.screenSize()
      const view = viewport.get()
      viewport.set(zoomAround(view, view.zoom * factor, width / 2, height / 2))
    },
    [viewport],
  )
  const resetZoom = useCallback(() => {
    const { width, height } = viewport.screenSize()
    viewport.set(zoomAround(viewport.get(), 1, width / 2, height / 2))
  }, [viewport])
  const zoomToFit = useCallback(() => {
    const rect = content()
    if (!rect) return
    viewport.set(fitInView(viewport, rect))
    fitted.current = opening.current ? viewport.get() : undefined
    fittedTo.current = rect
  }, [viewport, content])

  // The board came further than a zoom to fit made while it opens, the view untouched since: fit again.
  const follow = useCallback(() => {
    const was = fitted.current
    const to = fittedTo.current
    if (!was || !to || !sameView(was, viewport.get())) return
    const rect = content()
    if (!rect || rectContains(to, rect)) return
    viewport.set(fitInView(viewport, rect))
    fitted.current = viewport.get()
    fittedTo.current = rect
  }, [viewport, content])
  useEffect(() => {
    if (!board) return
    if (synced) {
      // The last part may have come with the end of the join.
      follow()
      if (!overview || overview.ended) fitted.current = undefined
      return
    }
    // After the scene's observers (its index) took the part in.
    board.doc.on('afterTransaction', follow)
    return () => board.doc.off('afterTransaction', follow)
  }, [board, synced, overview, follow])

  // The overview came after a zoom to fit, the view untouched since: fit again, now to the board's extent.
  useEffect(() => {
    if (!overview) return
    return overview.onChange(() => {
      const was = fitted.current
      if (!overview.image) {
        if (overview.ended) fitted.current = undefined
        return
      }
      if (!was || !sameView(was, viewport.get())) return
      const rect = content()
      if (rect) viewport.set(fitInView(viewport, rect))
      fitted.current = undefined
    })
  }, [overview, viewport, content])
  return { zoomBy, resetZoom, zoomToFit }
}

function sameView(a: Viewport, b: Viewport): boolean {
  return a.x === b.x && a.y === b.y && a.zoom === b.zoom
}
