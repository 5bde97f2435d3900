import type { Bridge } from './bridge'

/** The bridge for a browser served by a host: files go through the host's HTTP API. */
export class WebBridge implements Bridge {
  async saveBoard(boardId: string, name: string): Promise<string | null> {
    const a = document.createElement('a')
    a.href = `/api/boards/${encodeURIComponent(boardId)}/file`
    a.download = `${name || 'board'}.lanvas`
    document.body.append(a)
    a.click()
    a.remove()
    return null
  }

  async openBoard(): Promise<{ id: string; name?: string } | { error: string } | null> {
    const file = await pickFile('.lanvas')
    if (!file) return null
    const name = file.name.replace(/\.lanvas$/i, '')
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
