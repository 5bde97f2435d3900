import type { Participant, Role } from '../../../shared/sync/session'
import type { Identity } from '../session/identity'
import type { PeerPresence } from './presence'

/** One row of the participant list. */
export interface Person {
  key: string
  /** The host's id for them; absent when the host shares no session (then only presence is known). */
  participantId?: string
  /** Their awareness client id, when their presence is known (needed to follow them). */
  clientId?: number
  name: string
  color: string
  role?: Role
  you: boolean
}

const ROLE_ORDER: Record<string, number> = { host: 0, editor: 1, viewer: 2 }

/**
 * Everyone in the session: the host's participant list when there is one (it decides who is in), matched to
 * presence by awareness id for live names and following; else everyone whose presence is known.
 */
export function listPeople(
  participants: Participant[],
  ownParticipantId: string | undefined,
  peers: PeerPresence[],
  you: Identity,
  ownClientId: number | undefined,
): Person[] {
  const people: Person[] = []
  if (participants.length > 0) {
    for (const p of participants) {
      const isYou = p.id === ownParticipantId || (ownClientId !== undefined && p.awarenessId === ownClientId)
      const peer = peers.find((q) => q.clientId === p.awarenessId)
      people.push({
        key: p.id,
        participantId: p.id,
        clientId: isYou ? ownClientId : peer?.clientId,
        name: isYou ? you.name : (peer?.user.name ?? p.name),
        color: isYou ? you.color : (peer?.user.color ?? p.color),
        role: p.role,
        you: isYou,
      })
    }
  } else {
    people.push({ key: 'you', clientId: ownClientId, name: you.name, color: you.color, you: true })
    for (const q of peers)
      people.push({
        key: `c${q.clientId}`,
        clientId: q.clientId,
        name: q.user.name,
        color: q.user.color,
        you: false,
      })
  }
  return people.sort(
    (a, b) =>
      Number(b.you) - Number(a.you) ||
      (ROLE_ORDER[a.role ?? 'editor'] ?? 1) - (ROLE_ORDER[b.role ?? 'editor'] ?? 1) ||
      a.name.localeCompare(b.name),
  )
}
