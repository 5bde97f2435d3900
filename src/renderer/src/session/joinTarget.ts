import { normalizeName } from '../../../shared/names'
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

/** Parses a fragment: `#join=TOKEN`, `#owner=KEY`, `#knock`, `#board=ID`, in any combination. */
export function parseJoinFragment(hash: string): JoinFragment {
  const params = new URLSearchParams(hash.replace(/^#/, ''))
  const token = params.get('join') || undefined
  const ownerKey = params.get('owner') || undefined
  const boardId = params.get('board') || undefined
  return { token, ownerKey, knock: params.has('knock'), boardId }
}

// The secrets this page was opened with, kept for its whole life (reconnects, "Try again") in memory only: in the
// address bar, the history or storage, a page later served at this address (an impostor's) could read them.
const secrets: { token?: string; ownerKey?: string } = {}
// The owner key may also outlive a reload, but only on loopback, where no other computer can serve this origin.
const OWNER_KEY_ITEM = 'lanvas.ownerKey'
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])

function storedOwnerKey(): string | undefined {
  try {
    return (LOOPBACK.has(location.hostname) && sessionStorage.getItem(OWNER_KEY_ITEM)) || undefined
  } catch {
    return undefined
  }
}

function storeOwnerKey(key: string): void {
  try {
    if (LOOPBACK.has(location.hostname)) sessionStorage.setItem(OWNER_KEY_ITEM, key)
  } catch {
    // Storage off: the key lasts for this page only.
  }
}

/**
 * Reads the page's fragment and takes its secrets out of the address bar at once (history.replaceState, so the
 * tab's back/forward history keeps no copy either): `#join=` becomes `#knock` (a reload asks the host; nothing secret is left to
 * reload), `#owner=` goes. The secrets stay in memory, so the returned fragment still carries them.
 */
export function readJoinFragment(): JoinFragment {
  const fragment = parseJoinFragment(location.hash)
  if (fragment.token || fragment.ownerKey) {
    // A new link replaces the secrets of the previous one.
    secrets.token = fragment.token
    secrets.ownerKey = fragment.ownerKey
    if (fragment.ownerKey) storeOwnerKey(fragment.ownerKey)
    const kept = new URLSearchParams(location.hash.replace(/^#/, ''))
    kept.delete('join')
    kept.delete('owner')
    if (fragment.token) kept.set('knock', '')
    const hash = [...kept].map(([k, v]) => (v ? `${k}=${encodeURIComponent(v)}` : k)).join('&')
    history.replaceState(history.state, '', `${location.pathname}${location.search}${hash ? `#${hash}` : ''}`)
  }
  secrets.ownerKey ??= storedOwnerKey()
  return { ...fragment, token: secrets.token, ownerKey: secrets.ownerKey }
}

/** Whether the page joins somebody's session (and should ask the person's name first). */
export function joinsSession(f: JoinFragment): boolean {
  return f.token !== undefined || f.knock
}

/** The session the host that served this page shares, or undefined when it shares none. */
export async function fetchSessionInfo(): Promise<SessionInfo | undefined> {
  try {
    const res = await fetch('/api/session')
    // 204: the host shares nothing.
    if (!res.ok || res.status === 204) return undefined
    const body = (await res.json()) as Partial<SessionInfo>
    if (typeof body.boardId !== 'string' || typeof body.sessionId !== 'string') return undefined
    // Whoever answers at this address wrote these names: shown only once normalised.
    const name = (v: unknown) => (typeof v === 'string' ? normalizeName(v) : '')
    return {
      ...(body as SessionInfo),
      name: name(body.name),
      boardName: name(body.boardName),
      hostName: name(body.hostName),
    }
  } catch {
    return undefined
  }
}
