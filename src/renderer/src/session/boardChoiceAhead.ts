// Which board the page shows, asked of its host as the page's script starts (src/renderer/src/startup.ts) rather
// than once React has rendered: both questions at once, answered while the rest of the script loads.
import type { SessionInfo } from '../../../shared/sync/session'
import { fetchDefaultBoard } from './boardId'
import { fetchSessionInfo } from './joinTarget'

/** What the host that served the page says: the session it shares (if any), else its default board. */
export interface BoardChoice {
  served: SessionInfo | undefined
  board: { id: string; name: string }
}

/** Asks the host for the shared session and its default board at once; the session's board wins. */
export async function fetchBoardChoice(): Promise<BoardChoice> {
  const defaultBoard = fetchDefaultBoard()
  // Not needed when the host shares a session: its failure must not surface then.
  defaultBoard.catch(() => {})
  const served = await fetchSessionInfo()
  if (served) return { served, board: { id: served.boardId, name: served.boardName } }
  return { served, board: await defaultBoard }
}

let ahead: Promise<BoardChoice> | undefined
let answered: BoardChoice | undefined

/** Starts asking (once, as the page starts). */
export function askBoardChoiceAhead(): void {
  ahead ??= fetchBoardChoice()
  ahead.then(
    (choice) => {
      answered = choice
    },
    () => {},
  )
}

/** The answer asked ahead, if it came before the first render (read once: a later choice asks afresh). */
export function boardChoiceAnswered(): BoardChoice | undefined {
  return answered
}

/** The question asked ahead, taken once (the first board choice); undefined after, or if none was asked. */
export function takeBoardChoiceAhead(): Promise<BoardChoice> | undefined {
  const taken = ahead
  ahead = undefined
  return taken
}
