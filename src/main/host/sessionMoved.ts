/**
 * Whether a shared board's session moved to a standby while this host was away (docs/protocol.md, "Failover"):
 * the standbys its session file lists are asked, all at once, whether they host it with a higher epoch. The CLI
 * then follows the session (src/main/host/follow.ts); sharing the board again refuses to start a second copy.
 */
import { hostPort } from './access'
import { readSessionFile, sessionPathOf } from './sessionFile'

// How long a standby has to answer "I host this session" (all are asked at once, so this is the whole wait): a
// busy computer answers slowly, and a probe that gives up too soon would start a second copy of the session.
const PROBE_TIMEOUT_MS = 3000

/** The session at `address:port` as its host describes it (GET /api/session), or undefined when none answers. */
export async function probeSession(
  address: string,
  port: number,
): Promise<{ sessionId: string; epoch: number } | undefined> {
  try {
    const res = await fetch(`http://${hostPort(address, port)}/api/session`, {
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    })
    if (!res.ok) return undefined
    const body = (await res.json()) as { sessionId?: unknown; epoch?: unknown }
    if (typeof body.sessionId !== 'string') return undefined
    return { sessionId: body.sessionId, epoch: typeof body.epoch === 'number' ? body.epoch : 0 }
  } catch {
    return undefined
  }
}

/** Whether a board's saved session was taken over by a standby meanwhile: where it is hosted now, if so. */
export async function sessionHostedElsewhere(
  boardPath: string,
): Promise<{ link: string; address: string; port: number } | undefined> {
  let saved: Awaited<ReturnType<typeof readSessionFile>>
  try {
    saved = await readSessionFile(sessionPathOf(boardPath))
  } catch {
    return undefined
  }
  if (!saved?.standbys?.length) return undefined
  const session = saved
  const standbys = saved.standbys
  // Asked all at once: the slowest answer is the whole wait, however many standbys are listed.
  const answers = await Promise.all(standbys.map((s) => probeSession(s.address, s.port)))
  const at = answers.findIndex(
    (a) => a && a.sessionId === session.sessionId && a.epoch > (session.epoch ?? 0),
  )
  const s = standbys[at]
  return (
    s && {
      link: `http://${hostPort(s.address, s.port)}/#join=${session.token}`,
      address: s.address,
      port: s.port,
    }
  )
}
