import { cleanDisplayName } from '../../../shared/names'

/** The host's default board, asked of the host that served this page. */
export async function fetchDefaultBoard(): Promise<{ id: string; name: string }> {
  const res = await fetch('/api/boards/default')
  if (!res.ok) throw new Error(`The host has no default board (${res.status}).`)
  const body = (await res.json()) as { id?: unknown; name?: unknown }
  if (typeof body.id !== 'string') throw new Error('The host answered without a board id.')
  return { id: body.id, name: cleanDisplayName(body.name, 'Untitled board') }
}

/** The WebSocket URL of a board on the host that served this page. */
export function syncUrl(boardId: string, version: number): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  return `${scheme}://${location.host}/sync/${encodeURIComponent(boardId)}?v=${version}`
}
