import { parseSessionAddress } from '../../../shared/sessionAddress'
import type { Bridge, DiscoveredSessionInfo, SaveBoardOutcome, SessionList } from './bridge'

/** The bridge for a browser served by a host: files go through the host's HTTP API or a download. */
export class WebBridge implements Bridge {
  async saveBoard(_boardId: string, name: string, bytes: Uint8Array): Promise<SaveBoardOutcome> {
    // Built from this page's replica, so it works while the host is away.
    const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/octet-stream' }))
    const a = document.createElement('a')
    a.href = url
    a.download = `${name || 'board'}.lanvas`
    document.body.append(a)
    a.click()
    a.remove()
    setTimeout(() => URL.revokeObjectURL(url), 10_000)
    // A download: the browser says where it went.
    return { ok: true }
  }

  async openBoard(): Promise<{ id: string; name?: string } | { error: string } | null> {
    const file = await pickFile('.lanvas,.png,.svg')
    if (!file) return null
    const name = file.name.replace(/\.(lanvas|png|svg)$/i, '')
    try {
      const res = await fetch(`/api/boards?name=${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: await file.arrayBuffer(),
      })
      const body = (await res.json().catch(() => ({}))) as { id?: unknown; name?: unknown; error?: unknown }
      if (res.ok && typeof body.id === 'string') return { id: body.id, name: String(body.name ?? name) }
      return {
        error: typeof body.error === 'string' ? body.error : `Could not open ${file.name} (${res.status}).`,
      }
    } catch {
      return { error: `Could not open ${file.name}: the host did not answer.` }
    }
  }

  /** Asks the host that served this page what it sees on the network. */
  async discoverSessions(): Promise<SessionList> {
    const res = await fetch('/api/sessions')
    if (!res.ok) return { discovery: false, sessions: [] }
    const body = (await res.json()) as { discovery?: unknown; sessions?: unknown }
    const sessions = Array.isArray(body.sessions)
      ? body.sessions.filter(isDiscoveredSession).map((s) => ({
          ...s,
          approval: s.approval === true,
          // A count only when it is one: the host read it from another host on the network.
          participants:
            typeof s.participants === 'number' && Number.isSafeInteger(s.participants) && s.participants >= 0
              ? s.participants
              : undefined,
        }))
      : []
    return { discovery: body.discovery === true, sessions }
  }

  async joinSession(url: string): Promise<{ error: string } | null> {
    // Never navigate to an address that is not a LAN session, whoever asks (the app's main process checks too).
    const target = parseSessionAddress(url)
    if ('error' in target) return target
    location.href = target.url
    return null
  }
}

function isDiscoveredSession(v: unknown): v is DiscoveredSessionInfo {
  if (typeof v !== 'object' || v === null) return false
  const s = v as Record<string, unknown>
  return (
    typeof s.name === 'string' &&
    typeof s.hostName === 'string' &&
    typeof s.boardName === 'string' &&
    Array.isArray(s.addresses) &&
    s.addresses.every((a) => typeof a === 'string') &&
    typeof s.port === 'number'
  )
}

/** Lets the user pick one file; resolves null when the picker is dismissed. */
function pickFile(accept: string): Promise<File | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input')
    input.type = 'file'
    input.accept = accept
    input.style.display = 'none'
    input.addEventListener('change', () => {
      resolve(input.files?.[0] ?? null)
      input.remove()
    })
    input.addEventListener('cancel', () => {
      resolve(null)
      input.remove()
    })
    document.body.append(input)
    input.click()
  })
}
