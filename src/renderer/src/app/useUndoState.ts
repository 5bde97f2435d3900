import { useEffect, useState } from 'react'
import type { Board } from '../../../shared/board'

/** Whether this person can undo or redo now (each person undoes only their own edits); re-renders on change. */
export function useUndoState(board: Board | null) {
  const [history, setHistory] = useState({ canUndo: false, canRedo: false })
  useEffect(() => {
    if (!board) return
    const um = board.undoManager
    const update = () => setHistory({ canUndo: um.undoStack.length > 0, canRedo: um.redoStack.length > 0 })
    update()
    um.on('stack-item-added', update)
    um.on('stack-item-popped', update)
    um.on('stack-cleared', update)
    return () => {
      um.off('stack-item-added', update)
      um.off('stack-item-popped', update)
      um.off('stack-cleared', update)
    }
  }, [board])
  return history
}
