import { randomBytes } from 'node:crypto'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { CloseReason, MessageType } from '../../shared/protocol'
import {
  type ClientControl,
  controlFrame,
  type HostControl,
  type Knock,
  type Participant,
  parseClientControl,
  Role,
  type SessionInfo,
} from '../../shared/session'
import { newSecret } from './access'
import { decideAdmission } from './admission'
import type { PeerSocket } from './secureSocket'

/** How a board is shared on the network, as its room needs to know it. */
export interface RoomShare {
  token: string
  approval: boolean
  /** The session as it describes itself, less the lock, which the room holds. */
  describe: () => Omit<SessionInfo, 'locked'>
  joinLinks: string[]
}

// A socket that has not said hello by then is not a Lanvas client.
const HELLO_TIMEOUT_MS = 10_000
// Knocks waiting at once; more are refused so nobody can flood the host's list.
const MAX_KNOCKS = 16
// Rejoin secrets remembered per board; the oldest are forgotten first.
const MAX_REJOINS = 1024

type Hello = Extract<ClientControl, { type: 'hello' }>

/** One socket of the board: waiting for its hello, knocking, or in the session as a participant. */
interface Peer {
  socket: PeerSocket
  state: 'hello' | 'knocking' | 'in'
  /** Set from the hello on; its role counts once the peer is in. */
  participant?: Participant
  rejoin?: string
  /** The awareness client ids this socket announced (removed when it closes). */
  awarenessIds: Set<number>
  helloTimer?: ReturnType<typeof setTimeout>
  /** Update frames (Update, SyncStep2) applied from this socket, and the journal position each needs saved. */
  updates: number
  unsaved: { count: number; position: number }[]
}

/**
 * One live board on the host: its Y.Doc, the people connected to it (participants, knocks, roles), and the
 * sync and presence it relays between them. Nothing but control messages reaches a socket before its welcome.
 */
export class BoardRoom {
  readonly doc = new Y.Doc()
  readonly awareness: awarenessProtocol.Awareness
  private readonly peers = new Map<PeerSocket, Peer>()
  /** rejoin secret -> the participant it let in, and that participant's current role. */
  private readonly rejoins = new Map<string, { participantId: string; role: Role }>()
  private share: RoomShare | undefined
  /** The journal position after the last update, and the one known to be on disk (see saved()). */
  private journalEnd = 0
  private savedPosition = 0
  private locked = false
  private closed = false

  constructor(
    readonly id: string,
    initialUpdate: Uint8Array | undefined,
    /** Called with every update applied to the board; returns the journal position after it. */
    private readonly onChange: (update: Uint8Array) => number | undefined,
    private readonly log: (line: string) => void,
    private readonly ownerKey: string,
  ) {
    if (initialUpdate) Y.applyUpdate(this.doc, initialUpdate)
    this.awareness = new awarenessProtocol.Awareness(this.doc)
    // The host is no participant: it relays presence but has none of its own.
    this.awareness.setLocalState(null)
    this.doc.on('update', this.handleDocUpdate)
    this.awareness.on('update', this.handleAwarenessUpdate)
  }

  /** Number of sockets connected to this board, welcomed or not. */
  get clientCount(): number {
    return this.peers.size
  }

  /** The people in the session. */
  participants(): Participant[] {
    return [...this.peers.values()].flatMap((p) => (p.state === 'in' && p.participant ? [p.participant] : []))
  }

  /** The session this board is shared in, or undefined when it is not shared. */
  sessionInfo(): SessionInfo | undefined {
    return this.share && { ...this.share.describe(), locked: this.locked }
  }

  /** Shares the board on the network (or stops, with undefined) and tells everyone in it. */
  setShare(share: RoomShare | undefined): void {
    this.share = share
    if (!share) this.locked = false
    const session = this.sessionInfo()
    for (const peer of this.peers.values()) {
      if (peer.state !== 'in') continue
      const links = peer.participant?.role === Role.Host ? { joinLinks: share?.joinLinks ?? [] } : {}
      sendControl(peer.socket, { type: 'session', ...(session ? { session } : {}), ...links })
    }
  }

  /** The secret a secure handshake must prove: the owner key, or the join token while the board is shared. */
  secretFor(mode: 'link' | 'owner'): string | undefined {
    return mode === 'owner' ? this.ownerKey : this.share?.token
  }

  /** Takes a newly connected socket; it must say hello (a Control message) before anything else. */
  join(socket: PeerSocket): void {
    if (this.closed) {
      socket.close(CloseReason.BoardClosed, 'This board is closed.')
      return
    }
    const peer: Peer = { socket, state: 'hello', awarenessIds: new Set(), updates: 0, unsaved: [] }
    peer.helloTimer = setTimeout(() => this.refuse(peer, 'No hello from this client.'), HELLO_TIMEOUT_MS)
    this.peers.set(socket, peer)
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) {
        this.refuse(peer, 'Text frames are not part of the Lanvas protocol.')
        return
      }
      this.handleMessage(peer, toBytes(data))
    })
    socket.on('close', () => this.leave(peer))
    socket.on('error', (error: Error) => this.log(`board ${this.id}: socket error: ${error.message}`))
  }

  /** Closes every socket of this board with a reason; the room takes no more sockets. */
  close(code: number = CloseReason.BoardClosed, reason = 'The host closed this board.'): void {
    if (this.closed) return
    this.closed = true
    for (const peer of [...this.peers.values()]) {
      peer.socket.close(code, reason)
      this.leave(peer)
    }
    this.doc.off('update', this.handleDocUpdate)
    this.awareness.off('update', this.handleAwarenessUpdate)
    this.awareness.destroy()
  }

  private leave(peer: Peer): void {
    if (this.peers.get(peer.socket) !== peer) return
    this.peers.delete(peer.socket)
    clearTimeout(peer.helloTimer)
    if (peer.awarenessIds.size > 0)
      awarenessProtocol.removeAwarenessStates(this.awareness, [...peer.awarenessIds], null)
    if (peer.state !== 'hello' && !this.closed) this.broadcastParticipants()
  }

  /** Ends a socket with a close code (the peer leaves at once, without waiting for the close handshake). */
  private end(peer: Peer, code: number, reason: string): void {
    // Close reasons are limited to 123 bytes by the WebSocket protocol.
    peer.socket.close(code, reason.slice(0, 120))
    this.leave(peer)
  }

  private refuse(peer: Peer, reason: string): void {
    this.log(`board ${this.id}: closing a socket: ${reason}`)
    this.end(peer, CloseReason.InvalidMessage, reason)
  }

  private handleMessage(peer: Peer, bytes: Uint8Array): void {
    try {
      const decoder = decoding.createDecoder(bytes)
      const type = decoding.readVarUint(decoder)
      if (type === MessageType.Control) {
        const message = parseClientControl(decoding.readVarString(decoder))
        if (!message) throw new Error('not a valid control message')
        this.handleControl(peer, message)
        return
      }
      if (type !== MessageType.Sync && type !== MessageType.Awareness)
        throw new Error(`unknown message type ${type}`)
      if (peer.state !== 'in') throw new Error('sync before the welcome')
      if (type === MessageType.Sync) this.handleSync(peer, decoder)
      else {
        const update = decoding.readVarUint8Array(decoder)
        // A client speaks for its own cursor only, the one it named in its hello.
        const own = peer.participant?.awarenessId
        if (!awarenessClients(update).every((id) => id === own))
          throw new Error('awareness of another client')
        awarenessProtocol.applyAwarenessUpdate(this.awareness, update, peer.socket)
      }
    } catch (error) {
      this.refuse(peer, `Invalid message: ${(error as Error).message}`)
    }
  }

  private handleControl(peer: Peer, message: ClientControl): void {
    if (message.type === 'hello') {
      if (peer.state !== 'hello') throw new Error('a second hello')
      this.handleHello(peer, message)
      return
    }
    if (peer.state !== 'in' || peer.participant?.role !== Role.Host)
      throw new Error(`${message.type} is for the host only`)
    if (message.type === 'lock') {
      this.locked = message.locked
      this.broadcastParticipants()
      return
    }
    const target = [...this.peers.values()].find((p) => p.participant?.id === message.participantId)
    // Somebody who left meanwhile, or the host itself: nothing to do.
    if (!target || target.participant?.role === Role.Host) return
    if (message.type === 'admit' && target.state === 'knocking') this.welcome(target, message.role)
    else if (message.type === 'refuse' && target.state === 'knocking')
      this.end(target, CloseReason.Refused, 'The host did not let you in.')
    else if (message.type === 'set-role' && target.state === 'in') this.setRole(target, message.role)
    else if (message.type === 'kick' && target.state === 'in') {
      if (target.rejoin) this.rejoins.delete(target.rejoin)
      this.end(target, CloseReason.Kicked, 'The host removed you from the session.')
    }
  }

  private handleHello(peer: Peer, hello: Hello): void {
    clearTimeout(peer.helloTimer)
    const earlier = hello.rejoin === undefined ? undefined : this.rejoins.get(hello.rejoin)
    const terms = this.share && {
      approval: this.share.approval,
      locked: this.locked,
    }
    const decision = decideAdmission(peer.socket.credential, terms, earlier?.role)
    const id = earlier?.participantId ?? randomBytes(9).toString('base64url')
    peer.participant = {
      id,
      name: hello.name,
      color: hello.color,
      role: Role.Viewer,
      awarenessId: hello.awarenessId,
    }
    if (earlier) peer.rejoin = hello.rejoin
    if (decision.kind === 'refuse') {
      this.log(`board ${this.id}: refused ${hello.name}: ${decision.reason}`)
      this.end(peer, decision.code, decision.reason)
    } else if (decision.kind === 'welcome') this.welcome(peer, decision.role)
    else if (this.knocks().length >= MAX_KNOCKS)
      this.end(peer, CloseReason.RateLimited, 'Too many people are waiting to join; try again soon.')
    else {
      peer.state = 'knocking'
      sendControl(peer.socket, { type: 'knock-pending' })
      this.broadcastParticipants()
    }
  }

  private welcome(peer: Peer, role: Role): void {
    const participant = peer.participant as Participant
    participant.role = role
    // The same person on a new socket (the old one not yet noticed as dead): the new one wins.
    for (const other of this.peers.values())
      if (other !== peer && other.participant?.id === participant.id)
        this.end(other, 1001, 'Replaced by a new connection.')
    peer.state = 'in'
    peer.rejoin ??= newSecret()
    this.rejoins.delete(peer.rejoin)
    this.rejoins.set(peer.rejoin, { participantId: participant.id, role })
    if (this.rejoins.size > MAX_REJOINS) this.rejoins.delete(this.rejoins.keys().next().value as string)
    const session = this.sessionInfo()
    sendControl(peer.socket, {
      type: 'welcome',
      participantId: participant.id,
      role,
      rejoin: peer.rejoin,
      ...(session ? { session } : {}),
      ...(role === Role.Host ? { joinLinks: this.share?.joinLinks ?? [] } : {}),
    })
    this.broadcastParticipants()
    this.sendSyncStep1(peer)
    const known = [...this.awareness.getStates().keys()]
    if (known.length > 0) send(peer.socket, awarenessMessage(this.awareness, known))
  }

  private setRole(peer: Peer, role: Role): void {
    const participant = peer.participant as Participant
    const wasViewer = participant.role === Role.Viewer
    participant.role = role
    const entry = peer.rejoin && this.rejoins.get(peer.rejoin)
    if (entry) entry.role = role
    sendControl(peer.socket, { type: 'role', role })
    this.broadcastParticipants()
    // A former viewer may hold edits the host never took; asking for its state brings them in now.
    if (wasViewer && role !== Role.Viewer) this.sendSyncStep1(peer)
  }

  private knocks(): Knock[] {
    return [...this.peers.values()].flatMap((p) =>
      p.state === 'knocking' && p.participant
        ? [
            {
              id: p.participant.id,
              name: p.participant.name,
              color: p.participant.color,
              // The knocker's screen shows the same code unless somebody sits in the middle.
              ...(p.socket.comparisonCode ? { code: p.socket.comparisonCode } : {}),
            },
          ]
        : [],
    )
  }

  private broadcastParticipants(): void {
    const participants = this.participants()
    const knocks = this.knocks()
    for (const peer of this.peers.values()) {
      if (peer.state !== 'in') continue
      const visible = peer.participant?.role === Role.Host ? knocks : []
      sendControl(peer.socket, { type: 'participants', participants, knocks: visible, locked: this.locked })
    }
  }

  private sendSyncStep1(peer: Peer): void {
    const sync = encoding.createEncoder()
    encoding.writeVarUint(sync, MessageType.Sync)
    syncProtocol.writeSyncStep1(sync, this.doc)
    send(peer.socket, encoding.toUint8Array(sync))
  }

  private handleSync(peer: Peer, decoder: decoding.Decoder): void {
    const kind = decoding.readVarUint(decoder)
    if (kind === syncProtocol.messageYjsSyncStep1) {
      const reply = encoding.createEncoder()
      encoding.writeVarUint(reply, MessageType.Sync)
      syncProtocol.readSyncStep1(decoder, reply, this.doc)
      send(peer.socket, encoding.toUint8Array(reply))
    } else if (kind === syncProtocol.messageYjsSyncStep2 || kind === syncProtocol.messageYjsUpdate) {
      const update = decoding.readVarUint8Array(decoder)
      // Viewers watch: whatever their client sends is dropped, never applied nor relayed.
      if (peer.participant?.role === Role.Viewer) return
      // Decoded on an empty scratch document first: bytes Yjs cannot read never reach the board.
      const scratch = new Y.Doc()
      try {
        Y.applyUpdate(scratch, update)
      } finally {
        scratch.destroy()
      }
      Y.applyUpdate(this.doc, update, peer.socket)
      this.noteApplied(peer)
    } else throw new Error(`unknown sync message ${kind}`)
  }

  private readonly handleDocUpdate = (update: Uint8Array, origin: unknown): void => {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MessageType.Sync)
    syncProtocol.writeUpdate(encoder, update)
    const message = encoding.toUint8Array(encoder)
    for (const peer of this.peers.values())
      if (peer.state === 'in' && peer.socket !== origin) send(peer.socket, message)
    const position = this.onChange(update)
    if (position !== undefined) this.journalEnd = position
  }

  /**
   * The journal is on disk up to `position`: each peer is told how many of its update frames are now safe
   * from a crash (MessageType.Saved, docs/protocol.md "Saved").
   */
  saved(position: number): void {
    this.savedPosition = Math.max(this.savedPosition, position)
    for (const peer of this.peers.values()) {
      let count: number | undefined
      while (peer.unsaved.length > 0 && (peer.unsaved[0]?.position ?? 0) <= this.savedPosition)
        count = peer.unsaved.shift()?.count
      if (count !== undefined) send(peer.socket, savedMessage(count))
    }
  }

  /** Counts an update frame of a peer; it is acknowledged once the journal holds everything up to now. */
  private noteApplied(peer: Peer): void {
    peer.updates++
    const last = peer.unsaved[peer.unsaved.length - 1]
    // Frames waiting on the same position need one entry: the ack names the highest count.
    if (last && last.position === this.journalEnd) last.count = peer.updates
    else peer.unsaved.push({ count: peer.updates, position: this.journalEnd })
    if (this.journalEnd <= this.savedPosition) this.saved(this.savedPosition)
  }

  private readonly handleAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const from = this.peers.get(origin as PeerSocket)
    if (from) {
      for (const id of added) from.awarenessIds.add(id)
      for (const id of updated) from.awarenessIds.add(id)
      for (const id of removed) from.awarenessIds.delete(id)
    }
    const changed = [...added, ...updated, ...removed]
    const message = awarenessMessage(this.awareness, changed)
    for (const peer of this.peers.values())
      if (peer.state === 'in' && peer.socket !== origin) send(peer.socket, message)
  }
}

/** The client ids an awareness update speaks for (its encoding: count, then id, clock, state per client). */
function awarenessClients(update: Uint8Array): number[] {
  const decoder = decoding.createDecoder(update)
  const count = decoding.readVarUint(decoder)
  const ids: number[] = []
  for (let i = 0; i < count; i++) {
    ids.push(decoding.readVarUint(decoder))
    decoding.readVarUint(decoder)
    decoding.readVarString(decoder)
  }
  return ids
}

function awarenessMessage(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Awareness)
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients))
  return encoding.toUint8Array(encoder)
}

function savedMessage(count: number): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Saved)
  encoding.writeVarUint(encoder, count)
  return encoding.toUint8Array(encoder)
}

function sendControl(socket: PeerSocket, message: HostControl): void {
  send(socket, controlFrame(message))
}

function send(socket: PeerSocket, message: Uint8Array): void {
  // A socket that is closing gets nothing more; it re-syncs from SyncStep1 when it reconnects.
  if (socket.readyState === socket.OPEN) socket.send(message)
}

function toBytes(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data))
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}
