/**
 * Whether a shared board's session moved to a standby while this host was away (docs/protocol.md, "Failover"):
 * the standbys its session file lists are asked, all at once, whether they host it with a higher epoch. The CLI
 * then follows the session (src/main/host/follow.ts); sharing the board again refuses to start a second copy.
 */
import { errorMessage } from '../../shared/errors'
import { hostPort } from './access'
import { readSessionFile, sessionPathOf } from './sessionFile'

// How long a standby has to answer "I host this session" (all are asked at once, so this is one round's wait): a
// busy computer answers slowly, and a probe that gives up too soon would start a second copy of the session.
const PROBE_TIMEOUT_MS = 3000
// Rounds of probes while some standby is there but does not answer in time (one that refuses is not asked again).
const PROBE_ROUNDS = 3

/** What a standby said to "do you host this session?": its session, or why there is no answer. */
export type ProbeAnswer =
  | { sessionId: string; epoch: number }
  | { none: 'refused' | 'timed out' | 'not a Lanvas host' }

/** The session at `address:port` as its host describes it (GET /api/session), or why none answers. */
export async function probeSession(address: string, port: number): Promise<ProbeAnswer> {
  try {
    const res = await fetch(`http://${hostPort(address, port)}/api/session`, {
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    })
    if (!res.ok) return { none: 'not a Lanvas host' }
    const body = (await res.json()) as { sessionId?: unknown; epoch?: unknown }
    if (typeof body.sessionId !== 'string') return { none: 'not a Lanvas host' }
    return { sessionId: body.sessionId, epoch: typeof body.epoch === 'number' ? body.epoch : 0 }
  } catch (error) {
    const name = (error as { name?: string }).name
    return { none: name === 'TimeoutError' || name === 'AbortError' ? 'timed out' : 'refused' }
  }
}

/**
 * Whether a board's saved session was taken over by a standby meanwhile: where it is hosted now, if so. `log`
 * hears why not (no standby listed, or what each listed standby answered), for the host's log.
 */
export async function sessionHostedElsewhere(
  boardPath: string,
  log: (line: string) => void = () => {},
): Promise<{ link: string; address: string; port: number } | undefined> {
  let saved: Awaited<ReturnType<typeof readSessionFile>>
  try {
    saved = await readSessionFile(sessionPathOf(boardPath))
  } catch (error) {
    // Sharing then sets the file aside and says why (share.ts): no standby can be asked.
    log(`the session file cannot be read, so no standby can be asked: ${errorMessage(error)}`)
    return undefined
  }
  if (!saved) return undefined
  if (!saved.standbys?.length) {
    log('the session file lists no standby: nobody can have taken the session over')
    return undefined
  }
  const session = saved
  let asked = saved.standbys
  for (let round = 1; round <= PROBE_ROUNDS; round++) {
    // Asked all at once: the slowest answer is the round's wait, however many standbys are listed.
    const answers = await Promise.all(asked.map((s) => probeSession(s.address, s.port)))
    const at = answers.findIndex(
      (a) => 'sessionId' in a && a.sessionId === session.sessionId && a.epoch > (session.epoch ?? 0),
    )
    const s = asked[at]
    if (s)
      return {
        link: `http://${hostPort(s.address, s.port)}/#join=${session.token}`,
        address: s.address,
        port: s.port,
      }
    log(
      `standbys asked whether they host the session (round ${round}): ${asked
        .map((s, i) => {
          const a = answers[i] as ProbeAnswer
          const said =
            'none' in a
              ? a.none
              : a.sessionId === session.sessionId
                ? `epoch ${a.epoch}, not a takeover`
                : 'another session'
          return `${hostPort(s.address, s.port)} ${said}`
        })
        .join(', ')}`,
    )
    // Only a standby that is there but busy may still answer; one that refused or hosts nothing will not.
    asked = asked.filter((_, i) => {
      const a = answers[i] as ProbeAnswer
      return 'none' in a && a.none === 'timed out'
    })
    if (asked.length === 0) return undefined
  }
  return undefined
}
