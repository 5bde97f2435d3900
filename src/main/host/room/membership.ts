import { randomBytes } from 'node:crypto'
import { CloseReason } from '../../../shared/sync/protocol'
import {
  type ClientControl,
  type HostControl,
  KNOCK_UNANSWERED,
  type Knock,
  MAX_STANDBYS,
  type Participant,
  Role,
  type SessionInfo,
  type Standby,
} from '../../../shared/sync/session'
import { newSecret } from '../access'
import type { HostLimits } from '../limits'
import { rejoinHash, type SavedPerson } from '../sessionFile'
import { decideAdmission } from './admission'
import type { Peer } from './peer'

/** How a board is shared on the network, as its room needs to know it. */
export interface RoomShare {
  token: string
  approval: boolean
  /** The session as it describes itself, less the lock, which the room holds. */
  describe: () => Omit<SessionInfo, 'locked'>
  joinLinks: string[]
  /** People admitted in an earlier run of this session (its file), let back in by their rejoin secrets. */
  people?: SavedPerson[]
  /** Called whenever the people admitted (or their roles) change, to keep the session file current. */
  remember?: (people: SavedPerson[]) => void
  /** The host role asked for a new link: make a new token (share.ts), then call Membership.relink. */
  newLink?: () => void
  /** How many times this session changed host (0 for the first host); standbys take over as epoch + 1. */
  epoch?: number
  /**
   * Called when the succession list changes, to keep it in the session file (a returning host probes it).
   * Resolves once it is written: pages are told of a standby only then, so that whenever a page knows who takes
   * over, so does the file a returning host reads (a host killed in between would start a second copy).
   */
  succession?: (standbys: Standby[]) => Promise<void> | void
}

/** What membership asks of the room around it. */
export interface MembershipRoom {
  readonly id: string
  peers(): Iterable<Peer>
  limits(): HostLimits
  sendControl(peer: Peer, message: HostControl): void
  end(peer: Peer, code: number, reason: string): void
  /** The peer was welcomed: start the sync handshake and send it everyone's presence. */
  welcomed(peer: Peer): void
  /** A viewer became an editor: ask for the edits it may hold. */
  mayWrite(peer: Peer): void
  log(line: string): void
}

// Knocks waiting at once; more are refused so nobody can flood the host's list (per address: HostLimits).
const MAX_KNOCKS = 16
// Rejoin secrets remembered per board; the oldest are forgotten first.
const MAX_REJOINS = 1024
// Yjs client ids remembered with the key of the replica that first showed them; the oldest are forgotten first.
const MAX_CLIENT_KEYS = 4096

type Hello = Extract<ClientControl, { type: 'hello' }>
type HostAction = Exclude<ClientControl, { type: 'hello' } | { type: 'standby-offer' }>

/**
 * Who is in a board's session (docs/protocol.md, "Sessions"): hellos, knocks, welcomes, roles, the lock,
 * and the rejoin secrets that let people back in with their role after a dropped socket.
 */
export class Membership {
  /** hash of a rejoin secret -> the participant it let in, and that participant's current role. */
  private readonly rejoins = new Map<string, { participantId: string; role: Role }>()
  /** Yjs client id (a hello's awarenessId) -> the key of the replica that first showed it (null: none given). */
  private readonly clientKeys = new Map<number, string | null>()
  private share: RoomShare | undefined
  private locked = false
  private standbyOffers = 0
  // The succession list as last told, so that it is sent (and written down) only when it changes.
  private lastSuccession = ''
  /** The succession list being written to the session file: pages hear of it once it is written. */
  private successionWriting: Promise<void> | undefined

  constructor(private readonly room: MembershipRoom) {}

  /** The people in the session. */
  participants(): Participant[] {
    return [...this.room.peers()].flatMap((p) => (p.state === 'in' && p.participant ? [p.participant] : []))
  }

  /** The session this board is shared in, or undefined when it is not shared. */
  sessionInfo(): SessionInfo | undefined {
    return this.share && { ...this.share.describe(), locked: this.locked }
  }

  /** The join token while the board is shared. */
  get token(): string | undefined {
    return this.share?.token
  }

  /** Shares the board on the network (or stops, with undefined) and tells everyone in it. */
  setShare(share: RoomShare | undefined): void {
    this.share = share
    if (!share) this.locked = false
    // Known from the session's file: whoever shows one of these secrets again is back with their role.
    for (const p of share?.people ?? []) this.remember(p.rejoinHash, p.participantId, p.role)
    this.tellSession(false)
    if (share?.people) this.saveRejoins()
  }

  /**
   * The share has a new join token (the host made a new link): links given before stop working, and only the
   * people in the session now keep their way back in. Everyone in is told.
   */
  relink(token: string, joinLinks: string[]): void {
    if (!this.share) return
    this.share = { ...this.share, token, joinLinks }
    const inNow = new Set(this.participants().map((p) => p.id))
    for (const [hash, entry] of this.rejoins) if (!inNow.has(entry.participantId)) this.rejoins.delete(hash)
    this.tellSession(true)
    this.saveRejoins()
  }

  private tellSession(newLink: boolean): void {
    const session = this.sessionInfo()
    for (const peer of this.room.peers()) {
      if (peer.state !== 'in') continue
      const links = peer.participant?.role === Role.Host ? { joinLinks: this.share?.joinLinks ?? [] } : {}
      this.room.sendControl(peer, {
        type: 'session',
        ...(session ? { session } : {}),
        ...links,
        ...(newLink ? { newLink: true } : {}),
      })
    }
  }

  private remember(hash: string, participantId: string, role: Role): void {
    this.rejoins.delete(hash)
    this.rejoins.set(hash, { participantId, role })
    if (this.rejoins.size > MAX_REJOINS) this.rejoins.delete(this.rejoins.keys().next().value as string)
  }

  /** The session's guests and their roles, as the session file and standbys keep them. */
  private people(): SavedPerson[] {
    const people: SavedPerson[] = []
    // The host role comes back with the owner key; its rejoin secrets are never written down.
    for (const [hash, { participantId, role }] of this.rejoins)
      if (role !== Role.Host) people.push({ rejoinHash: hash, participantId, role })
    return people
  }

  /** Hands the session's guests and their roles to the share (the session file) and to every standby. */
  private saveRejoins(): void {
    this.share?.remember?.(this.people())
    for (const peer of this.room.peers()) if (peer.standby && peer.state === 'in') this.tellStandby(peer)
  }

  /**
   * A participant offers to host the session if the host goes. Only an editor that proved the join token may:
   * it could open the session anyway; a knocker or a viewer never learns enough to impersonate the host.
   */
  offerStandby(peer: Peer, port: number): void {
    const role = peer.participant?.role
    if (!this.share || peer.state !== 'in' || role !== Role.Editor || peer.socket.credential !== 'link') {
      this.room.log(
        `board ${this.room.id}: ignored a standby offer from ${peer.participant?.name ?? 'someone'}: only editors with the link may`,
      )
      return
    }
    peer.standby = { port, since: peer.standby?.since ?? ++this.standbyOffers }
    this.tellStandby(peer)
    this.broadcast()
  }

  private tellStandby(peer: Peer): void {
    const info = this.sessionInfo()
    if (!info) return
    this.room.sendControl(peer, {
      type: 'standby',
      sessionId: info.sessionId,
      name: info.name,
      boardId: info.boardId,
      approval: info.approval,
      epoch: this.share?.epoch ?? 0,
      people: this.people(),
    })
  }

  /** Who takes over if the host goes: editors with the link that offered, in the order they offered. */
  succession(): Standby[] {
    if (!this.share) return []
    return [...this.room.peers()]
      .filter((p) => p.state === 'in' && p.standby && p.participant?.role === Role.Editor)
      .sort((a, b) => (a.standby?.since ?? 0) - (b.standby?.since ?? 0))
      .slice(0, MAX_STANDBYS)
      .map((p) => ({
        participantId: p.participant?.id as string,
        name: p.participant?.name as string,
        address: plainAddress(p.socket.address),
        port: p.standby?.port as number,
      }))
  }

  /** A peer's hello: welcome it, let it knock, or refuse it. */
  hello(peer: Peer, hello: Hello): void {
    if (peer.state !== 'hello') throw new Error('a second hello')
    clearTimeout(peer.helloTimer)
    const earlier = hello.rejoin === undefined ? undefined : this.rejoins.get(rejoinHash(hello.rejoin))
    const terms = this.share && { approval: this.share.approval, locked: this.locked }
    const decision = decideAdmission(peer.socket.credential, terms, earlier?.role)
    peer.participant = {
      id: earlier?.participantId ?? randomBytes(9).toString('base64url'),
      name: hello.name,
      color: hello.color,
      role: Role.Viewer,
      awarenessId: hello.awarenessId,
    }
    if (earlier) peer.rejoin = hello.rejoin
    const key = this.clientKeys.get(hello.awarenessId)
    if (key !== undefined && (key === null || key !== hello.clientKey)) {
      // Writing under another person's client id would make the board drop their real edits as duplicates.
      this.room.log(`board ${this.room.id}: refused ${hello.name}: a client id that belongs to someone else`)
      this.room.end(
        peer,
        CloseReason.InvalidMessage,
        'That client id belongs to someone else in this session.',
      )
      return
    }
    this.clientKeys.delete(hello.awarenessId)
    this.clientKeys.set(hello.awarenessId, hello.clientKey ?? null)
    if (this.clientKeys.size > MAX_CLIENT_KEYS)
      this.clientKeys.delete(this.clientKeys.keys().next().value as number)
    if (decision.kind === 'refuse') {
      this.room.log(`board ${this.room.id}: refused ${hello.name}: ${decision.reason}`)
      this.room.end(peer, decision.code, decision.reason)
    } else if (decision.kind === 'welcome') this.welcome(peer, decision.role)
    else if (this.knocks().length >= MAX_KNOCKS)
      this.room.end(peer, CloseReason.RateLimited, 'Too many people are waiting to join; try again soon.')
    else if (
      this.knocks().filter((k) => k.from === peer.socket.address).length >=
      this.room.limits().maxKnocksPerAddress
    )
      this.room.end(peer, CloseReason.RateLimited, 'Too many knocks from your address; wait for an answer.')
    else {
      peer.state = 'knocking'
      peer.knockTimer = setTimeout(() => {
        if (peer.state === 'knocking') this.room.end(peer, CloseReason.Refused, KNOCK_UNANSWERED)
      }, this.room.limits().knockTimeoutMs)
      peer.knockTimer.unref?.()
      this.room.sendControl(peer, { type: 'knock-pending' })
      this.broadcast()
    }
  }

  /** An action of the host role (admit, refuse, set-role, kick, lock); throws when `peer` is not the host. */
  act(peer: Peer, message: HostAction): void {
    if (peer.state !== 'in' || peer.participant?.role !== Role.Host)
      throw new Error(`${message.type} is for the host only`)
    if (message.type === 'lock') {
      this.locked = message.locked
      this.broadcast()
      return
    }
    if (message.type === 'new-link') {
      this.share?.newLink?.()
      return
    }
    const target = [...this.room.peers()].find((p) => p.participant?.id === message.participantId)
    // Somebody who left meanwhile, or the host itself: nothing to do.
    if (!target || target.participant?.role === Role.Host) return
    if (message.type === 'admit' && target.state === 'knocking') this.welcome(target, message.role)
    else if (message.type === 'refuse' && target.state === 'knocking')
      this.room.end(target, CloseReason.Refused, 'The host did not let you in.')
    else if (message.type === 'set-role' && target.state === 'in') this.setRole(target, message.role)
    else if (message.type === 'kick' && target.state === 'in') {
      if (target.rejoin) this.rejoins.delete(rejoinHash(target.rejoin))
      this.room.end(target, CloseReason.Kicked, 'The host removed you from the session.')
      this.saveRejoins()
    }
  }

  /** Whether a Yjs client id was shown in a hello to this board. */
  isTaken(client: number): boolean {
    return this.clientKeys.has(client)
  }

  /** Tells everyone in who is in (and the host role who knocks), and who takes over if the host goes. */
  broadcast(): void {
    const participants = this.participants()
    const knocks = this.knocks()
    const standbys = this.succession()
    const succession = JSON.stringify(standbys)
    if (succession !== this.lastSuccession) {
      this.lastSuccession = succession
      const written = this.share?.succession?.(standbys)
      if (written) {
        const writing = written.then(
          () => {
            if (this.successionWriting !== writing) return
            this.successionWriting = undefined
            this.tellSuccession()
          },
          () => {},
        )
        this.successionWriting = writing
      }
    }
    for (const peer of this.room.peers()) {
      if (peer.state !== 'in') continue
      const visible = peer.participant?.role === Role.Host ? knocks : []
      this.room.sendControl(peer, {
        type: 'participants',
        participants,
        knocks: visible,
        locked: this.locked,
      })
    }
    if (!this.successionWriting) this.tellSuccession()
  }

  /** Tells everyone in who takes over if the host goes (the list as written to the session file). */
  private tellSuccession(): void {
    const standbys = this.succession()
    const epoch = this.share?.epoch ?? 0
    for (const peer of this.room.peers())
      if (peer.state === 'in') this.room.sendControl(peer, { type: 'succession', epoch, standbys })
  }

  private welcome(peer: Peer, role: Role): void {
    const participant = peer.participant as Participant
    const guests = this.participants().filter((p) => p.role !== Role.Host && p.id !== participant.id)
    // The host's own windows always get in: a full board must not lock out the person running it.
    if (role !== Role.Host && guests.length >= this.room.limits().maxParticipants) {
      this.room.end(
        peer,
        CloseReason.Full,
        `This board has ${guests.length} people, as many as it takes; try later.`,
      )
      return
    }
    participant.role = role
    // The same person on a new socket (the old one not yet noticed as dead): the new one wins.
    for (const other of this.room.peers())
      if (other !== peer && other.participant?.id === participant.id)
        this.room.end(other, 1001, 'Replaced by a new connection.')
    peer.state = 'in'
    peer.rejoin ??= newSecret()
    const hash = rejoinHash(peer.rejoin)
    const before = this.rejoins.get(hash)
    this.remember(hash, participant.id, role)
    // Written when someone new is admitted; a reconnect with the same role changes nothing on disk.
    if (role !== Role.Host && before?.role !== role) this.saveRejoins()
    const session = this.sessionInfo()
    const limits = this.room.limits()
    this.room.sendControl(peer, {
      type: 'welcome',
      participantId: participant.id,
      role,
      rejoin: peer.rejoin,
      ...(session ? { session } : {}),
      ...(role === Role.Host ? { joinLinks: this.share?.joinLinks ?? [] } : {}),
      // Its answer to our SyncStep1 may come in parts (BoardRoom.handleSync, 'sync-part').
      syncParts: true,
      // What it may send us, so that it paces a large edit to it instead of being closed as a flood.
      allowance: { bytes: limits.bytes, messages: limits.messages, relay: limits.relayBytes },
    })
    this.broadcast()
    this.room.welcomed(peer)
  }

  private setRole(peer: Peer, role: Role): void {
    const participant = peer.participant as Participant
    const wasViewer = participant.role === Role.Viewer
    participant.role = role
    // A viewer may not take over; it offers again if it becomes an editor once more.
    if (role !== Role.Editor) peer.standby = undefined
    const entry = peer.rejoin && this.rejoins.get(rejoinHash(peer.rejoin))
    if (entry) entry.role = role
    this.saveRejoins()
    this.room.sendControl(peer, { type: 'role', role })
    this.broadcast()
    // A former viewer may hold edits the host never took; asking for its state brings them in now.
    if (wasViewer && role !== Role.Viewer) this.room.mayWrite(peer)
  }

  private knocks(): Knock[] {
    return [...this.room.peers()].flatMap((p) =>
      p.state === 'knocking' && p.participant
        ? [
            {
              id: p.participant.id,
              name: p.participant.name,
              color: p.participant.color,
              // The knocker's screen shows the same code unless somebody sits in the middle.
              ...(p.socket.comparisonCode ? { code: p.socket.comparisonCode } : {}),
              // The host's cards group knocks by where they come from.
              from: p.socket.address,
            },
          ]
        : [],
    )
  }
}

/** An address as a page connects to it: IPv4-mapped IPv6 (::ffff:10.0.0.2) as plain IPv4. */
function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address
}
