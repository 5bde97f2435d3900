import { useEffect, useRef, useState } from 'react'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { Board } from '../../../shared/board'
import { CursorChannel } from '../../../shared/sync/cursors'
import { BoardOverview } from '../../../shared/sync/overview'
import { BoardPreview } from '../../../shared/sync/preview'
import { PROTOCOL_VERSION } from '../../../shared/sync/protocol'
import type { Knock, Participant, Role, SessionInfo } from '../../../shared/sync/session'
import { syncUrl } from './boardId'
import { type ConnectionStatus, connectBoard, type HostAction } from './connection'
import type { Identity } from './identity'

export type { ConnectionStatus, HostAction } from './connection'

/** How to join: who this person is and the secret the page was opened with, if any. */
export interface JoinOptions {
  identity: Identity
  token?: string
  ownerKey?: string
}

export interface BoardSession {
  boardId: string
  board: Board
  awareness: Awareness
  /** Cursors as presence deltas (the own one out, the others' in). */
  cursors: CursorChannel
  /** The strokes in view the host sent ahead of a large board, drawn read-only until the board has come. */
  preview: BoardPreview
  /** The host's picture of a large board, drawn under the scene until the board has come. */
  overview: BoardOverview
  status: ConnectionStatus
  synced: boolean
  /**
   * While the host streams a large board to this page: how much of it came, 0 to 1 (1 once it all came), as it
   * was when the stream started or ended; `progressNow` and `onProgress` follow it part by part.
   */
  progress?: number
  /** How much of a streamed board came now (undefined before a stream). */
  progressNow(): number | undefined
  /** Calls back as each part of a streamed board comes; returns the unsubscribe function. */
  onProgress(cb: () => void): () => void
  /**
   * While a large edit of this page waits for the host's allowance: how much of it left, 0 to 1, as it was when it
   * started or ended waiting; `sendingNow` and `onProgress` follow it part by part.
   */
  sending?: number
  /** How much of a waiting large edit left now (undefined when none waits). */
  sendingNow(): number | undefined
  /** Why the host ended the connection for good, when status is 'closed'. */
  closedBecause?: string
  closeCode?: number
  /** This person's role; undefined until the host said it (or when the host shares no session). */
  role?: Role
  participantId?: string
  info?: SessionInfo
  participants: Participant[]
  knocks: Knock[]
  locked: boolean
  /** The join links, for the host's own window only. */
  joinLinks: string[]
  /** While knocking: the code the host's knock card shows too (secure channel). */
  comparisonCode?: string
  /** Why the host cannot write the board to its disk, while it cannot. */
  saveProblem?: string
  /** The host made a new link: the one this page was opened with no longer works (this page stays in). */
  linkReplaced: boolean
  /** Failed attempts to reach the host since it last let this page in. */
  attempts: number
  /** Who takes over if the host leaves (their names, in order). */
  standbys: string[]
  /** The host left and this page moved to the session's next host: its name. */
  movedTo?: string
  /** Edits sent that the host has not yet reported on its disk. */
  unsaved(): number
  /** Sends a host action (admit, refuse, set-role, kick, lock); the host ignores them from anyone else. */
  control(message: HostAction): void
  /**
   * Connects again on a fresh socket with the secrets this page holds ("Try again"): never a reload, which would
   * fetch the page again from whoever answers at the address now.
   */
  reconnect(): void
}

// The rejoin secret the host gave this page, per board (localStorage is per origin: per host and port). A reload, or
// the host restarting meanwhile, then comes back with the same role without knocking again.
const REJOIN_ITEM = 'lanvas.rejoin.'

function storedRejoin(boardId: string): string | undefined {
  try {
    return localStorage.getItem(REJOIN_ITEM + boardId) || undefined
  } catch {
    return undefined
  }
}

function storeRejoin(boardId: string, rejoin: string | undefined): void {
  try {
    if (rejoin && localStorage.getItem(REJOIN_ITEM + boardId) !== rejoin)
      localStorage.setItem(REJOIN_ITEM + boardId, rejoin)
  } catch {
    // Storage off: the secret lasts for this page only.
  }
}

/** Joins a board on the host that served this page: a fresh replica and connection per board id. */
export function useBoardSession(boardId: string | null, join: JoinOptions | null): BoardSession | null {
  const [session, setSession] = useState<BoardSession | null>(null)
  const [attempt, setAttempt] = useState(0)
  // The identity at connect time goes in the hello; later changes travel through presence only.
  const identityRef = useRef(join?.identity)
  identityRef.current = join?.identity
  const ready = join !== null
  const token = join?.token
  const ownerKey = join?.ownerKey

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new attempt ("Try again") is a new connection and replica.
  useEffect(() => {
    if (!boardId || !ready) return
    const doc = new Y.Doc()
    const board = new Board(doc, `client-${doc.clientID}`)
    const awareness = new Awareness(doc)
    const cursors = new CursorChannel()
    // The page opens a board at the origin at 100 % (useView): that area of the screen is what it asks first.
    const preview = new BoardPreview(() => ({ minX: 0, minY: 0, maxX: innerWidth, maxY: innerHeight }))
    // And a picture of the whole board, which zoom to fit shows while the board's parts come.
    const overview = new BoardOverview()
    const connection = connectBoard({
      preview,
      overview,
      url: syncUrl(boardId, PROTOCOL_VERSION),
      board,
      awareness,
      cursors,
      identity: identityRef.current,
      token,
      ownerKey,
      rejoin: storedRejoin(boardId),
    })
    const read = (): BoardSession => {
      const status = connection.status
      return {
        boardId,
        board,
        awareness,
        cursors,
        preview,
        overview,
        status,
        synced: connection.synced,
        ...(connection.progress !== undefined ? { progress: connection.progress } : {}),
        ...(connection.sending !== undefined ? { sending: connection.sending } : {}),
        closeCode: status === 'closed' || status === 'offline' ? connection.closeCode : undefined,
        closedBecause:
          status === 'closed'
            ? connection.closeReason || `the host closed it (${connection.closeCode ?? 'no code'})`
            : undefined,
        role: connection.role,
        participantId: connection.participantId,
        info: connection.session,
        participants: connection.participants,
        knocks: connection.knocks,
        locked: connection.locked,
        joinLinks: connection.joinLinks,
        comparisonCode: connection.comparisonCode,
        saveProblem: connection.saveProblem,
        linkReplaced: connection.linkReplaced,
        attempts: connection.attempts,
        standbys: connection.succession.map((s) => s.name),
        ...(connection.movedTo ? { movedTo: connection.movedTo.name } : {}),
        unsaved: () => connection.unsaved,
        progressNow: () => connection.progress,
        sendingNow: () => connection.sending,
        onProgress: (cb) => connection.onProgress(cb),
        control: (message) => {
          connection.control(message)
        },
        reconnect: () => setAttempt((n) => n + 1),
      }
    }
    const refresh = () => {
      storeRejoin(boardId, connection.rejoin)
      setSession(read())
    }
    refresh()
    const offStatus = connection.onStatus(refresh)
    const offSession = connection.onSession(refresh)
    let alive = true
    connection
      .whenSynced()
      .then(() => alive && refresh())
      .catch(() => {})
    return () => {
      alive = false
      offStatus()
      offSession()
      connection.close()
      awareness.destroy()
      board.destroy()
      doc.destroy()
    }
  }, [boardId, ready, token, ownerKey, attempt])

  return session && session.boardId === boardId ? session : null
}
