import { CloseReason } from '../../../shared/sync/protocol'
import { Role } from '../../../shared/sync/session'
import type { Credential } from './peerSocket'

/** What a board's share asks of joiners. */
export interface ShareTerms {
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
 * Decides a hello (docs/protocol.md, "Sessions"). `credential` is what the socket's handshake proved (a wrong
 * key never gets this far: the handshake closes it with BadToken). `rejoinRole` is the role of the earlier
 * participant whose rejoin secret the hello carries, when it carries a valid one.
 */
export function decideAdmission(
  credential: Credential,
  share: ShareTerms | undefined,
  rejoinRole: Role | undefined,
): Admission {
  if (credential === 'owner') return { kind: 'welcome', role: Role.Host }
  // Not shared: only this computer can reach the host, and everyone on it is its user.
  if (!share) return { kind: 'welcome', role: Role.Editor }
  if (rejoinRole !== undefined) return { kind: 'welcome', role: rejoinRole }
  if (share.locked)
    return { kind: 'refuse', code: CloseReason.Locked, reason: 'The session is locked to new joiners.' }
  if (credential === 'link' || !share.approval) return { kind: 'welcome', role: Role.Editor }
  return { kind: 'knock' }
}
