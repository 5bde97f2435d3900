import { type RefObject, useCallback, useEffect } from 'react'
import type { Board } from '../../../shared/board'
import { rectsIntersect, visibleRect, zoomAround } from '../../../shared/geometry'
import type { BoardScene } from '../canvas/boardScene'
import { fitInView } from '../canvas/floatingUi'
import type { ViewportStore } from '../canvas/viewportStore'

/**
 * The view of a board: a new board starts at the origin and, once synced, shows its content if that is all
 * off-screen; zoom in and out about the middle, back to 100 %, and to fit the content. The content's bounds come
 * from the scene's index when the board is on screen (no element is read again), else from the board.
 */
export function useView(
  viewport: ViewportStore,
  board: Board | null,
  synced: boolean,
  scene: RefObject<BoardScene | null>,
) {
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
    const content = scene.current?.contentBounds() ?? board?.contentBounds()
    if (!content) return
    viewport.set(fitInView(viewport, content))
  }, [board, viewport, scene])
  return { zoomBy, resetZoom, zoomToFit }
}
