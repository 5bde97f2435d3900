import { useCallback, useEffect, useRef } from 'react'
import type { Board } from '../../../shared/board'
import { type Rect, rectsIntersect, visibleRect, zoomAround } from '../../../shared/geometry'
import { fitInView } from '../canvas/floatingUi'
import type { ViewportStore } from '../canvas/viewportStore'

/**
 * The view of a board: a new board starts at the origin and, once synced, shows its content if that is all
 * off-screen; zoom in and out about the middle, back to 100 %, and to fit the content. `contentBounds` says where
 * the content is without reading the board (the scene's index), or undefined to read it from the board.
 */
export function useView(
  viewport: ViewportStore,
  board: Board | null,
  synced: boolean,
  contentBounds: () => Rect | undefined = () => undefined,
) {
  // Read through a ref: a new function each render must not re-run the effects below.
  const boundsRef = useRef(contentBounds)
  boundsRef.current = contentBounds
  const boundsOf = useCallback((board: Board) => boundsRef.current() ?? board.contentBounds(), [])
  useEffect(() => {
    if (!board) return
    viewport.set({ x: 0, y: 0, zoom: 1 })
  }, [board, viewport])

  useEffect(() => {
    if (!board || !synced) return
    const content = boundsOf(board)
    const { width, height } = viewport.screenSize()
    if (content && !rectsIntersect(content, visibleRect(viewport.get(), width, height)))
      viewport.set(fitInView(viewport, content))
  }, [board, synced, viewport, boundsOf])

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
    const content = board && boundsOf(board)
    if (!content) return
    viewport.set(fitInView(viewport, content))
  }, [board, viewport, boundsOf])
  return { zoomBy, resetZoom, zoomToFit }
}
