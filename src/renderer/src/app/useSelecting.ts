import { type RefObject, useCallback, useEffect, useMemo } from 'react'
import type { Board } from '../../../shared/board'
import type { BoardScene } from '../canvas/boardScene'
import type { ViewportStore } from '../canvas/viewportStore'
import { selectionActions } from '../selection/actions'
import { SelectionStore } from '../selection/selectionStore'
import { useSelectionClipboard } from '../selection/useSelectionClipboard'
import type { Say } from './useMessages'

/**
 * What the select tool (V) has picked, and the edits of it; a selection belongs to one board, so opening another
 * drops it. Only what shows the selection re-renders with it. A paste picks the select tool (`onPasted`).
 */
export function useSelecting(
  board: Board | null,
  viewport: ViewportStore,
  scene: RefObject<BoardScene | null>,
  viewOnly: boolean,
  say: Say,
  onPasted: () => void,
) {
  const selection = useMemo(() => new SelectionStore(), [])
  useEffect(() => {
    if (board) return () => selection.clear()
  }, [selection, board])
  const actions = useMemo(
    () =>
      board
        ? selectionActions({
            board,
            store: selection,
            viewport,
            query: () => scene.current,
            readOnly: () => viewOnly,
            say,
          })
        : null,
    [board, selection, viewport, scene, viewOnly, say],
  )
  useSelectionClipboard(actions, viewport, onPasted)
  const hasSelection = useCallback(() => selection.get().length > 0, [selection])
  return { selection, actions, hasSelection }
}
