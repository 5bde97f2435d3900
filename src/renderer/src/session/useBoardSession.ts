import { useEffect, useState } from 'react'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { Board } from '../../../shared/board'
import { PROTOCOL_VERSION } from '../../../shared/protocol'
import { syncUrl } from './boardId'
import { connectBoard } from './connection'

export type ConnectionStatus = ReturnType<typeof connectBoard>['status']

export interface BoardSession {
  boardId: string
  board: Board
  awareness: Awareness
  status: ConnectionStatus
  synced: boolean
  /** Why the host ended the connection for good, when status is 'closed'. */
  closedBecause?: string
}

/** Joins a board on the host that served this page: a fresh replica and connection per board id. */
export function useBoardSession(boardId: string | null): BoardSession | null {
  const [session, setSession] = useState<BoardSession | null>(null)

  useEffect(() => {
    if (!boardId) return
    const doc = new Y.Doc()
    const board = new Board(doc, `client-${doc.clientID}`)
    const awareness = new Awareness(doc)
    const connection = connectBoard({ url: syncUrl(boardId, PROTOCOL_VERSION), board, awareness })
    let current: BoardSession = {
      boardId,
      board,
      awareness,
      status: connection.status,
      synced: connection.synced,
    }
    setSession(current)
    const offStatus = connection.onStatus((status) => {
      const closedBecause =
        status === 'closed'
          ? connection.closeReason || `the host closed it (${connection.closeCode ?? 'no code'})`
          : undefined
      current = { ...current, status, synced: connection.synced, closedBecause }
      setSession(current)
    })
    let alive = true
    connection
      .whenSynced()
      .then(() => {
        if (!alive) return
        current = { ...current, synced: true, status: connection.status }
        setSession(current)
      })
      .catch(() => {})
    return () => {
      alive = false
      offStatus()
      connection.close()
      awareness.destroy()
      board.destroy()
      doc.destroy()
    }
  }, [boardId])

  return session && session.boardId === boardId ? session : null
}
