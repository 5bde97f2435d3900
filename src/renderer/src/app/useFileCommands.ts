import { useCallback } from 'react'
import type { Board } from '../../../shared/board'
import { encodeBoardFile } from '../../../shared/boardFile'
import { errorMessage } from '../../../shared/errors'
import type { Bridge } from '../bridge'
import type { Say } from './useMessages'

/** Saving and opening board files through the platform's bridge, saying how it went. */
export function useFileCommands(
  bridge: Bridge,
  boardId: string | null,
  board: Board | null,
  name: string,
  say: Say,
  rememberName: (id: string, name: string) => void,
) {
  const save = useCallback(async () => {
    if (!boardId || !board) return
    try {
      // From this page's replica: saving works when the host is gone.
      const saved = await bridge.saveBoard(boardId, name || 'board', encodeBoardFile(board.doc))
      if (saved.ok) {
        if (saved.path) say('info', `Saved to ${saved.path}`)
      } else if (saved.reason === 'failed') say('error', saved.message)
    } catch (err) {
      say('error', `Could not save the board: ${errorMessage(err)}`)
    }
  }, [bridge, boardId, board, name, say])

  const open = useCallback(async () => {
    try {
      const result = await bridge.openBoard()
      if (!result) return
      if ('error' in result) say('error', result.error)
      else {
        if (result.name) rememberName(result.id, result.name)
        location.hash = `board=${encodeURIComponent(result.id)}`
      }
    } catch (err) {
      say('error', `Could not open the board: ${errorMessage(err)}`)
    }
  }, [bridge, say, rememberName])

  return { save, open }
}
