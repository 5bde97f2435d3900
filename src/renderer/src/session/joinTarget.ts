import type { SessionInfo } from '../../../shared/sync/session'

/** How this page was opened, from its URL fragment (never sent to a server). */
export interface JoinFragment {
  /** #join=TOKEN: joined through a link, enters as an editor. */
  token?: string
  /** #owner=KEY: the host's own window. */
  ownerKey?: string
  /** #knock: joined from the session list, the host is asked. */
  knock: boolean
  /** #board=ID */
  boardId?: string
}

/** Reads the page's fragment: `#join=TOKEN`, `#owner=KEY`, `#knock`, `#board=ID`, in any combination. */
export function readJoinFragment(hash = location.hash): JoinFragment {
  const params = new URLSearchParams(hash.replace(/^#/, ''))
  const token = params.get('join') || undefined
  const ownerKey = params.get('owner') || undefined
  const boardId = params.get('board') || undefined
  return { token, ownerKey, knock: params.has('knock'), boardId }
}

/** Whether the page joins somebody's session (and should ask the person's name first). */
export function joinsSession(f: JoinFragment): boolean {
  return f.token !== undefined || f.knock
}

/** The session the host that served this page shares, or undefined when it shares none. */
export async function fetchSessionInfo(): Promise<SessionInfo | undefined> {
  try {
    const res = await fetch('/api/session')
    if (!res.ok) return undefined
    const body = (await res.json()) as Partial<SessionInfo>
    if (typeof body.boardId !== 'string' || typeof body.sessionId !== 'string') return undefined
    return body as SessionInfo
  } catch {
    return undefined
  }
}
