import { useCallback, useEffect, useRef, useState } from 'react'
import type { SessionInfo } from '../../../shared/sync/session'
import { boardChoiceAnswered, fetchBoardChoice, takeBoardChoiceAhead } from '../session/boardChoiceAhead'
import { readJoinFragment } from '../session/joinTarget'
import type { Say } from './useMessages'

/**
 * Which board this page shows: the URL fragment's, else the shared session's board, else the host's default board;
 * and its name as far as this page knows it. `served` is what the host that served this page says about its
 * session, before (or without) joining it.
 */
export function useBoardChoice(say: Say) {
  const [fragment, setFragment] = useState(readJoinFragment)
  // The host's answer, when it came before the first render (asked as the page started): the board joins at once.
  const [boardId, setBoardId] = useState<string | null>(
    () => fragment.boardId ?? boardChoiceAnswered()?.board.id ?? null,
  )
  const [name, setName] = useState('')
  const [served, setServed] = useState<SessionInfo | undefined>(() => boardChoiceAnswered()?.served)
  const names = useRef(new Map<string, string>())
  // The board the host's answer chose (boardId was null until it came): that answer holds its name already.
  const chosen = useRef<string | null>(null)

  useEffect(() => {
    const onHash = () => {
      const next = readJoinFragment()
      setFragment(next)
      setBoardId(next.boardId ?? null)
    }
    window.addEventListener('hashchange', onHash)
    return () => window.removeEventListener('hashchange', onHash)
  }, [])

  useEffect(() => {
    setName((boardId && names.current.get(boardId)) || '')
    // Chosen by the answer that just came (to a page that rendered before it came): not asked again at once.
    if (boardId !== null && boardId === chosen.current) {
      chosen.current = null
      return
    }
    let alive = true
    const pick = async () => {
      const choice = await (takeBoardChoiceAhead() ?? fetchBoardChoice())
      if (alive) setServed(choice.served)
      return choice.board
    }
    pick()
      .then((b) => {
        names.current.set(b.id, b.name)
        if (!alive) return
        if (!boardId) {
          chosen.current = b.id
          setBoardId(b.id)
        }
        if (!boardId || boardId === b.id) setName(b.name)
      })
      .catch(
        (err: Error) => alive && !boardId && say('error', `Could not reach the board host: ${err.message}`),
      )
    return () => {
      alive = false
    }
  }, [boardId, say])

  /** Remembers a board's name before the page switches to it (an opened file). */
  const rememberName = useCallback((id: string, boardName: string) => {
    names.current.set(id, boardName)
  }, [])
  return { fragment, boardId, name, served, rememberName }
}
