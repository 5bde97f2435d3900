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
import { BoardGuard } from '../../shared/validate/boardGuard'
import { newSecret } from './access'
import { decideAdmission } from './admission'
import {
  DEFAULT_LIMITS,
  type HostLimits,
  PeerAllowance,
  PeerBacklog,
  type SendKind,
  type Traffic,
} from './limits'
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
  /** Update frames (Update, SyncStep2) received from this socket, counted in arrival order. */
  updates: number
  /** Those not yet reported saved, in arrival order, with the journal position once applied (held: none yet). */
  unsaved: { count: number; position: number | undefined }[]
  /** Its message and byte rates, and what it has not read yet (src/main/host/limits.ts). */
  allowance: PeerAllowance
  backlog: PeerBacklog
  /** True from the host's SyncStep1 until the peer's SyncStep2: its updates may build on edits still to come. */
  awaitingStep2: boolean
  /** Updates that build on edits the host has not seen yet, kept until the peer's SyncStep2. */
  held: Uint8Array[]
  heldBytes: number
}

/** The backlog figures of a board's sockets (BoardRoom.backlogs). */
export interface BacklogFigures {
  sockets: {
    participantId?: string
    bufferedAmount: number
    relayed: number
    peak: number
    dropped: number
  }[]
  /** The largest relayed backlog any socket of the board had, gone ones included. */
  peak: number
  /** Sockets closed with TooSlow. */
  closedSlow: number
}

/** Ends a socket with a close code from deep inside message handling. */
class Closing extends Error {
  constructor(
    readonly code: CloseReason,
    message: string,
  ) {
    super(message)
  }
}

// A slow peer closed with TooSlow may not read its close frame either; its backlog is freed after this.
const SLOW_CLOSE_GRACE_MS = 5000

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
  /** Update frames (by their bytes) that arrived and wait to be applied or saved. */
  private readonly frames = new WeakMap<Uint8Array, { count: number; position: number | undefined }>()
  private locked = false
  private closed = false
  private limits: HostLimits = DEFAULT_LIMITS
  /** Checks every update from a peer against the board schema before it is applied (created on first use). */
  private guard: BoardGuard | undefined
  /** The largest backlog of sockets that are gone, and how many were closed as too slow. */
  private readonly slowest = { peak: 0, closed: 0 }

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
      this.sendControl(peer, { type: 'session', ...(session ? { session } : {}), ...links })
    }
  }

  /** The secret a secure handshake must prove: the owner key, or the join token while the board is shared. */
  secretFor(mode: 'link' | 'owner'): string | undefined {
    return mode === 'owner' ? this.ownerKey : this.share?.token
  }

  /** Takes a newly connected socket; it must say hello (a Control message) before anything else. */
  join(socket: PeerSocket, limits: HostLimits = this.limits): void {
    this.limits = limits
    if (this.closed) {
      socket.close(CloseReason.BoardClosed, 'This board is closed.')
      return
    }
    // Room for every participant to reconnect while its old socket is not yet noticed as dead, and knocks.
    if (this.peers.size >= 2 * limits.maxParticipants + MAX_KNOCKS) {
      socket.close(CloseReason.Full, 'This board has as many people as it takes; try again later.')
      return
    }
    const peer: Peer = {
      socket,
      state: 'hello',
      awarenessIds: new Set(),
      updates: 0,
      unsaved: [],
      allowance: new PeerAllowance(limits),
      backlog: new PeerBacklog(socket, limits),
      awaitingStep2: false,
      held: [],
      heldBytes: 0,
    }
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
    this.slowest.peak = Math.max(this.slowest.peak, peer.backlog.peak)
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

  /**
   * What each socket has not read yet and the most it ever had, the largest backlog any socket of this board
   * reached, and how many were closed as too slow (bytes; for tests and the bench).
   */
  backlogs(): BacklogFigures {
    const sockets = [...this.peers.values()].map((p) => ({
      participantId: p.participant?.id,
      bufferedAmount: p.socket.bufferedAmount,
      relayed: p.backlog.relayed,
      peak: p.backlog.peak,
      dropped: p.backlog.dropped,
    }))
    const peak = Math.max(this.slowest.peak, ...sockets.map((s) => s.peak))
    return { sockets, peak, closedSlow: this.slowest.closed }
  }

  private handleMessage(peer: Peer, bytes: Uint8Array): void {
    try {
      const decoder = decoding.createDecoder(bytes)
      const type = decoding.readVarUint(decoder)
      const refused = peer.allowance.admit(trafficOf(type, bytes, decoder.pos), bytes.byteLength)
      if (refused)
        throw new Closing(refused.tooLarge ? CloseReason.TooLarge : CloseReason.RateLimited, refused.reason)
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
      if (error instanceof Closing) {
        this.log(`board ${this.id}: closing a socket (${error.code}): ${error.message}`)
        this.end(peer, error.code, error.message)
      } else this.refuse(peer, `Invalid message: ${(error as Error).message}`)
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
      this.sendControl(peer, { type: 'knock-pending' })
      this.broadcastParticipants()
    }
  }

  private welcome(peer: Peer, role: Role): void {
    const participant = peer.participant as Participant
    const guests = this.participants().filter((p) => p.role !== Role.Host && p.id !== participant.id)
    // The host's own windows always get in: a full board must not lock out the person running it.
    if (role !== Role.Host && guests.length >= this.limits.maxParticipants) {
      this.end(
        peer,
        CloseReason.Full,
        `This board has ${guests.length} people, as many as it takes; try later.`,
      )
      return
    }
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
    this.sendControl(peer, {
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
    if (known.length > 0) this.send(peer, awarenessMessage(this.awareness, known))
  }

  private setRole(peer: Peer, role: Role): void {
    const participant = peer.participant as Participant
    const wasViewer = participant.role === Role.Viewer
    participant.role = role
    const entry = peer.rejoin && this.rejoins.get(peer.rejoin)
    if (entry) entry.role = role
    this.sendControl(peer, { type: 'role', role })
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
      this.sendControl(peer, { type: 'participants', participants, knocks: visible, locked: this.locked })
    }
  }

  private sendSyncStep1(peer: Peer): void {
    const sync = encoding.createEncoder()
    encoding.writeVarUint(sync, MessageType.Sync)
    syncProtocol.writeSyncStep1(sync, this.doc)
    // Until its answer, the peer's updates may build on edits it made offline (they come in its SyncStep2).
    peer.awaitingStep2 = true
    this.send(peer, encoding.toUint8Array(sync))
  }

  private handleSync(peer: Peer, decoder: decoding.Decoder): void {
    const kind = decoding.readVarUint(decoder)
    if (kind === syncProtocol.messageYjsSyncStep1) {
      const reply = encoding.createEncoder()
      encoding.writeVarUint(reply, MessageType.Sync)
      syncProtocol.readSyncStep1(decoder, reply, this.doc)
      this.send(peer, encoding.toUint8Array(reply), 'reply')
    } else if (kind === syncProtocol.messageYjsSyncStep2 || kind === syncProtocol.messageYjsUpdate) {
      const update = decoding.readVarUint8Array(decoder)
      const step2 = kind === syncProtocol.messageYjsSyncStep2
      // Viewers watch: whatever their client sends is dropped, never applied nor relayed.
      if (peer.participant?.role === Role.Viewer) {
        if (step2) peer.awaitingStep2 = false
        return
      }
      this.receivedFrame(peer, update)
      this.applyFrom(peer, update, step2)
    } else throw new Error(`unknown sync message ${kind}`)
  }

  /**
   * Applies a peer's update once the board guard has checked it (src/shared/validate): a bad one closes the
   * peer with InvalidMessage or TooLarge and never touches the board. An update that builds on edits the peer
   * has yet to send in its SyncStep2 waits for it.
   */
  private applyFrom(peer: Peer, update: Uint8Array, step2: boolean): void {
    this.guard ??= this.newGuard()
    // A live update carries its sender's own edits; a SyncStep2 may carry others' it saw before a restart.
    const others = new Set<number>()
    if (!step2)
      for (const p of this.peers.values())
        if (
          p !== peer &&
          p.state === 'in' &&
          p.participant &&
          p.participant.awarenessId !== peer.participant?.awarenessId
        )
          others.add(p.participant.awarenessId)
    const verdict = this.guard.check(update, others)
    if (!verdict.ok) {
      if (verdict.problem === 'missing' && peer.awaitingStep2 && !step2) {
        peer.held.push(update)
        peer.heldBytes += update.byteLength
        if (peer.held.length > this.limits.maxHeldUpdates || peer.heldBytes > this.limits.maxHeldBytes)
          throw new Closing(
            CloseReason.InvalidMessage,
            'Too many edits that build on edits this host has not seen.',
          )
        return
      }
      const code = verdict.problem === 'too-large' ? CloseReason.TooLarge : CloseReason.InvalidMessage
      throw new Closing(code, `The host refused an edit: ${verdict.reason}.`)
    }
    Y.applyUpdate(this.doc, update, peer.socket)
    verdict.commit()
    const store = this.doc.store
    if (store.pendingStructs || store.pendingDs) {
      // The guard lets nothing through that Yjs cannot place; should something slip by, it is not kept.
      store.pendingStructs = null
      store.pendingDs = null
      throw new Closing(CloseReason.InvalidMessage, 'The host refused an edit: it does not fit the board.')
    }
    this.noteApplied(update)
    if (step2) {
      peer.awaitingStep2 = false
      const held = peer.held.splice(0)
      peer.heldBytes = 0
      for (const u of held) this.applyFrom(peer, u, false)
    }
  }

  private newGuard(): BoardGuard {
    const store = this.doc.store
    if (store.pendingStructs || store.pendingDs) {
      // Left by the board's file: Yjs could never place it, and peers' edits must not be blamed for it.
      this.log(`board ${this.id}: dropping parts of the board file that build on missing edits`)
      store.pendingStructs = null
      store.pendingDs = null
    }
    return new BoardGuard(this.doc, this.limits.guard)
  }

  private readonly handleDocUpdate = (update: Uint8Array, origin: unknown): void => {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MessageType.Sync)
    syncProtocol.writeUpdate(encoder, update)
    const message = encoding.toUint8Array(encoder)
    for (const peer of this.peers.values())
      if (peer.state === 'in' && peer.socket !== origin) this.send(peer, message)
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
      // A frame still held (waiting for the peer's SyncStep2) holds back the ones after it.
      let next = peer.unsaved[0]
      while (next?.position !== undefined && next.position <= this.savedPosition) {
        count = next.count
        peer.unsaved.shift()
        next = peer.unsaved[0]
      }
      if (count !== undefined) this.send(peer, savedMessage(count))
    }
  }

  /** Numbers an update frame as it arrives: acks count frames in the order the client sent them. */
  private receivedFrame(peer: Peer, update: Uint8Array): void {
    const frame: Peer['unsaved'][number] = { count: ++peer.updates, position: undefined }
    peer.unsaved.push(frame)
    this.frames.set(update, frame)
  }

  /** An update frame is in the board: it is saved once the journal is on disk up to here. */
  private noteApplied(update: Uint8Array): void {
    const frame = this.frames.get(update)
    if (!frame) return
    frame.position = this.journalEnd
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
      if (peer.state === 'in' && peer.socket !== origin) this.send(peer, message, 'volatile')
  }

  private sendControl(peer: Peer, message: HostControl): void {
    this.send(peer, controlFrame(message))
  }

  /**
   * Sends a frame unless the peer is too far behind: presence is dropped for a peer with a backlog, and a
   * peer that stopped reading is closed (TooSlow) before its backlog grows the host's memory.
   */
  private send(peer: Peer, message: Uint8Array, kind: SendKind = 'reliable'): void {
    // A socket that is closing gets nothing more; it re-syncs from SyncStep1 when it reconnects.
    const socket = peer.socket
    if (socket.readyState !== socket.OPEN) return
    const decision = peer.backlog.decide(kind)
    if (decision === 'drop') return
    if (decision === 'close') {
      const behind = Math.round(peer.backlog.relayed / 1024)
      this.log(`board ${this.id}: closing a socket that stopped reading (${behind} KB behind)`)
      this.slowest.closed++
      this.end(peer, CloseReason.TooSlow, `You fell ${behind} KB behind the board; reconnecting catches up.`)
      setTimeout(() => socket.terminate(), SLOW_CLOSE_GRACE_MS).unref()
      return
    }
    if (kind === 'reply') socket.send(message, peer.backlog.reply(message.byteLength))
    else socket.send(message)
  }
}

/** What a frame is, for its rate and size limits: read from its type (and a Sync frame's kind) only. */
function trafficOf(type: number, bytes: Uint8Array, at: number): Traffic {
  if (type === MessageType.Control) return 'control'
  if (type === MessageType.Awareness) return 'awareness'
  // A SyncStep1 (kind 0) makes the host encode a diff of the whole board; updates are edits.
  return type === MessageType.Sync && bytes[at] === syncProtocol.messageYjsSyncStep1 ? 'sync-request' : 'edit'
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

function toBytes(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data))
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}
