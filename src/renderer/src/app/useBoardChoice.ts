import { useCallback, useEffect, useRef, useState } from 'react'
import type { SessionInfo } from '../../../shared/sync/session'
import { fetchDefaultBoard } from '../session/boardId'
import { fetchSessionInfo, readJoinFragment } from '../session/joinTarget'
import type { Say } from './useMessages'

/**
 * Which board this page shows: the URL fragment's, else the shared session's board, else the host's default board;
 * and its name as far as this page knows it. `served` is what the host that served this page says about its
 * session, before (or without) joining it.
 */
export function useBoardChoice(say: Say) {
  const [fragment, setFragment] = useState(readJoinFragment)
  const [boardId, setBoardId] = useState<string | null>(() => fragment.boardId ?? null)
  const [name, setName] = useState('')
  const [served, setServed] = useState<SessionInfo | undefined>()
  const names = useRef(new Map<string, string>())

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
    let alive = true
    const pick = async () => {
      const shared = await fetchSessionInfo()
      if (alive) setServed(shared)
      if (shared) return { id: shared.boardId, name: shared.boardName }
      return fetchDefaultBoard()
    }
    pick()
      .then((b) => {
        names.current.set(b.id, b.name)
        if (!alive) return
        if (!boardId) setBoardId(b.id)
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
