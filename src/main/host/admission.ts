import { CloseReason } from '../../shared/protocol'
import { type ClientControl, Role } from '../../shared/session'
import { secretsMatch } from './access'

/** What a board's share asks of joiners. */
export interface ShareTerms {
  token: string
  /** Joining without the token knocks (true) or enters as an editor (false). */
  approval: boolean
  locked: boolean
}

/** Who the host lets in, given a hello. */
export type Admission =
  | { kind: 'welcome'; role: Role }
  | { kind: 'knock' }
  | { kind: 'refuse'; code: CloseReason; reason: string }

/**
 * Decides a hello (docs/protocol.md, "Sessions"). `rejoinRole` is the role of the earlier participant whose
 * rejoin secret the hello carries, when it carries a valid one.
 */
export function decideAdmission(
  hello: Extract<ClientControl, { type: 'hello' }>,
  ownerKey: string,
  share: ShareTerms | undefined,
  rejoinRole: Role | undefined,
): Admission {
  if (hello.ownerKey !== undefined) {
    if (secretsMatch(hello.ownerKey, ownerKey)) return { kind: 'welcome', role: Role.Host }
    return { kind: 'refuse', code: CloseReason.BadToken, reason: 'This is not the key of this host.' }
  }
  // Not shared: only this computer can reach the host, and everyone on it is its user.
  if (!share) return { kind: 'welcome', role: Role.Editor }
  if (rejoinRole !== undefined) return { kind: 'welcome', role: rejoinRole }
  if (hello.token !== undefined && !secretsMatch(hello.token, share.token))
    return { kind: 'refuse', code: CloseReason.BadToken, reason: 'This join link is not valid (any more).' }
  if (share.locked)
    return { kind: 'refuse', code: CloseReason.Locked, reason: 'The session is locked to new joiners.' }
  if (hello.token !== undefined || !share.approval) return { kind: 'welcome', role: Role.Editor }
  return { kind: 'knock' }
}
