/**
 * One live board on the host: its Y.Doc, its sockets, and the sync and presence it relays between them.
 * Who may be in is membership.ts's job, which frames are on disk saveLedger.ts's; this file checks and
 * applies edits and relays them, within the memory its peers may cost (backlogs). Nothing but control
 * messages reaches a socket before its welcome. Over 400 lines: the relay and the backlog it leaves are one job.
 */
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { applyBoardPayload, type BoardPayload } from '../../../shared/boardFile'
import { errorMessage } from '../../../shared/errors'
import { deletesOnly } from '../../../shared/sync/deleteRanges'
import {
  awarenessClients,
  awarenessFrame,
  controlFrame,
  cursorFrame,
  type Frame,
  readMessage,
  savedFrame,
  syncPartFrame,
  syncStep1Frame,
  syncStep2Frame,
  syncStep2UpdateFrame,
  trafficOf,
  updateFrame,
  withCursor,
} from '../../../shared/sync/frames'
import { InkChannel } from '../../../shared/sync/liveInk'
import { CloseReason, MAX_MESSAGE_BYTES, MAX_PREVIEW_BYTES } from '../../../shared/sync/protocol'
import {
  type HostControl,
  type Participant,
  parseClientControl,
  Role,
  type SessionInfo,
} from '../../../shared/sync/session'
import { frameBytes, SocketState } from '../../../shared/sync/socket'
import { estimateLacking, SyncPartCutter } from '../../../shared/sync/syncParts'
import { BoardGuard } from '../../../shared/validate/boardGuard'
import {
  DEFAULT_LIMITS,
  HostBacklog,
  type HostLimits,
  PeerAllowance,
  PeerBacklog,
  type SendKind,
} from '../limits'
import { Membership, type RoomShare } from './membership'
import { HostOverview } from './overview'
import { nextSlice, pageOpening, previewSent } from './pageOpening'
import type { Peer } from './peer'
import type { RoomSocket } from './peerSocket'
import { SaveLedger } from './saveLedger'
import { StrokeStarts } from './strokeStarts'
import {
  type KeptOpening,
  keptPreviewFrames,
  measureNear,
  openingToKeep,
  previewFrames,
  ReadyOrder,
} from './viewPreview'

export type { RoomShare } from './membership'

// Sockets of all addresses before their hello, at most (a bound on the host's memory, oldest out first).
const MAX_PENDING = 256
// Parts of a streamed SyncStep2 queued on a socket at once (written out before the next is queued).
const STREAM_IN_FLIGHT = 3
// Where a page opens a board (the origin at 100 %, a large screen): measured ahead for view first (indexStrokes).
const OPENING_VIEW = { minX: 0, minY: 0, maxX: 2560, maxY: 1600 }
// A slow peer closed with TooSlow may not read its close frame either; its backlog is freed after this.
const SLOW_CLOSE_GRACE_MS = 5000

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

/** A board already in a document (the host opened its file into it), and the size of the file's update. */
export interface OpenedDoc {
  doc: Y.Doc
  bytes: number
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

/** One live board on the host and the people connected to it. */
export class BoardRoom {
  readonly doc: Y.Doc
  readonly awareness: awarenessProtocol.Awareness
  private readonly peers = new Map<RoomSocket, Peer>()
  private readonly membership: Membership
  private readonly ledger = new SaveLedger()
  private closed = false
  /** While true, a leaving peer does not make the room tell everyone who is in (the caller does, once). */
  private quiet = false
  /** Why the board cannot be written to disk right now (told to everyone in, and to each newcomer). */
  private storageProblem: string | undefined
  private limits: HostLimits = DEFAULT_LIMITS
  /** The host's backlog across its boards (its own when the room runs alone, as in tests). */
  private hostBacklog = new HostBacklog()
  /** Checks every update from a peer against the board schema before it is applied (created on first use). */
  private guard: BoardGuard | undefined
  /** The size of the state the board was opened with: the guard's first estimate of the board's size. */
  private readonly openedBytes: number
  /** The largest backlog of sockets that are gone, and how many were closed as too slow. */
  private readonly slowest = { peak: 0, closed: 0 }
  /** Where the board's strokes start, for view first (built by indexStrokes, or at the first preview). */
  private starts: StrokeStarts | undefined
  private stopMeasuring: (() => void) | undefined
  /** The z-order of the strokes near where pages open, kept for the first joins' previews (./viewPreview.ts). */
  private ready: ReadyOrder | undefined
  /**
   * What the first joins' previews need, kept with the overview at the host's last start (./viewPreview.ts,
   * KeptOpening), while the board is as it was then: previews of views where pages open come from it, and the
   * host's own index waits until the first page has its preview. Dropped at the board's first edit.
   */
  private keptOpening: KeptOpening | undefined
  /** The index is waiting for the first page to open (indexStrokes with a kept opening). */
  private indexWaits = false
  /** Whether a preview went out from this room yet. */
  private firstPreviewSent = false
  /** The picture of the whole board a large board's joiners get before its parts (./overview.ts). */
  readonly overview: HostOverview
  /** A cursor that came with the update being applied: relayed in the same message as the update. */
  private riding: { from: RoomSocket; frame: Uint8Array } | undefined
  /**
   * A peer's update that only deletes, while it is applied: relayed and journaled as it came, its delete ranges as
   * few as the sender wrote them (src/shared/sync/deleteRanges.ts); Yjs's own update would hold a range per run of
   * structs it deleted here.
   */
  private applying: { from: RoomSocket; update: Uint8Array } | undefined

  constructor(
    readonly id: string,
    /**
     * The board: a document to take over as it is (the host's board file, already applied once, and the size
     * of that file's update), or an update to apply to a new one; undefined for a new, empty board.
     */
    initial: BoardPayload | OpenedDoc | undefined,
    /** Called with every update applied to the board; returns the journal position after it. */
    private readonly onChange: (update: Uint8Array) => number | undefined,
    private readonly log: (line: string) => void,
    private readonly ownerKey: string,
  ) {
    if (initial && 'doc' in initial) {
      this.doc = initial.doc
      this.openedBytes = initial.bytes
    } else {
      this.doc = new Y.Doc()
      if (initial) applyBoardPayload(this.doc, initial)
      this.openedBytes = initial?.update.byteLength ?? 0
    }
    this.awareness = new awarenessProtocol.Awareness(this.doc)
    this.overview = new HostOverview(
      this.doc,
      // A host that sends no overview (HostLimits.sendOverviews false) draws none.
      () =>
        this.limits.sendOverviews
          ? Math.min(this.limits.syncPartBytes, MAX_MESSAGE_BYTES)
          : Number.POSITIVE_INFINITY,
      (line) => log(`board ${id}: ${line}`),
      (frame) => this.overviewDrawn(frame),
      () => this.limits.overviewWorker,
      // Ink waits behind the picture step only when it goes from one page to another.
      () => this.peers.size >= 2,
    )
    this.overview.openingWith((whole) =>
      whole || this.ready?.current()
        ? openingToKeep(this.doc, this.starts, this.ready, OPENING_VIEW)
        : undefined,
    )
    // The host is no participant: it relays presence but has none of its own.
    this.awareness.setLocalState(null)
    this.doc.on('update', this.handleDocUpdate)
    this.awareness.on('update', this.handleAwarenessUpdate)
    this.membership = new Membership({
      id,
      peers: () => this.peers.values(),
      limits: () => this.limits,
      sendControl: (peer, message) => this.sendControl(peer, message),
      end: (peer, code, reason) => this.end(peer, code, reason),
      welcomed: (peer) => {
        if (this.storageProblem !== undefined)
          this.sendControl(peer, { type: 'storage', problem: this.storageProblem })
        this.sendSyncStep1(peer)
        const known = [...this.awareness.getStates().keys()]
        if (known.length > 0) this.send(peer, awarenessFrame(this.awareness, known))
      },
      mayWrite: (peer) => this.sendSyncStep1(peer),
      log,
    })
  }

  /** Number of sockets connected to this board, welcomed or not. */
  get clientCount(): number {
    return this.peers.size
  }

  /** The people in the session. */
  participants(): Participant[] {
    return this.membership.participants()
  }

  /** The session this board is shared in, or undefined when it is not shared. */
  sessionInfo(): SessionInfo | undefined {
    return this.membership.sessionInfo()
  }

  /** Shares the board on the network (or stops, with undefined) and tells everyone in it. */
  setShare(share: RoomShare | undefined): void {
    this.membership.setShare(share)
  }

  /** A new join token for the shared board (the host made a new link); see Membership.relink. */
  relink(token: string, joinLinks: string[]): void {
    this.membership.relink(token, joinLinks)
  }

  /** The secret a secure handshake must prove: the owner key, or the join token while the board is shared. */
  secretFor(mode: 'link' | 'owner'): string | undefined {
    return mode === 'owner' ? this.ownerKey : this.membership.token
  }

  /** Takes a newly connected socket; it must say hello (a Control message) before anything else. */
  join(socket: RoomSocket, limits: HostLimits = this.limits, hostBacklog?: HostBacklog): void {
    this.limits = limits
    if (hostBacklog) this.hostBacklog = hostBacklog
    if (this.closed) {
      socket.close(CloseReason.BoardClosed, 'This board is closed.')
      return
    }
    this.makeRoomForPending(socket.address)
    const peer: Peer = {
      socket,
      state: 'hello',
      awarenessIds: new Set(),
      allowance: new PeerAllowance(limits),
      backlog: new PeerBacklog(socket, limits),
      step2Expected: 0,
      held: [],
      heldBytes: 0,
      inkIn: new InkChannel(),
      inkOut: new InkChannel(),
    }
    // A slow client is not a wrong one: TryAgain lets it retry, and the slot is free meanwhile.
    peer.helloTimer = setTimeout(() => {
      this.log(`board ${this.id}: closing a socket: no hello within ${limits.helloTimeoutMs} ms`)
      this.end(peer, CloseReason.TryAgain, 'No hello from this client in time; try again.')
    }, limits.helloTimeoutMs)
    this.peers.set(socket, peer)
    socket.onmessage = ({ data }) => {
      const bytes = frameBytes(data)
      if (!bytes) this.refuse(peer, 'Text frames are not part of the Lanvas protocol.')
      else this.handleMessage(peer, bytes)
    }
    socket.onclose = () => this.leave(peer)
    socket.onerror = (error) => this.log(`board ${this.id}: socket error: ${errorMessage(error)}`)
  }

  /**
   * Starts indexing where the board's strokes start, a slice at a time, then measures the strokes where pages open
   * (view first), then draws the board's overview if it is large: called once the host listens, so that none of it
   * delays its start, and done before most first joins. `limits`: the host's, when no socket brought them yet (the
   * size of a sync part tells which boards are large enough for an overview).
   */
  indexStrokes(limits?: HostLimits): void {
    if (limits) this.limits = limits
    if (this.starts || this.closed || this.indexWaits) return
    if (this.keptOpening) {
      // The first page's preview comes from the kept opening: the index (about a second of CPU on a 100,000-stroke
      // board, with the measuring after it) waits until that page has it, as the overview drawing does for any
      // page (./pageOpening.ts). A page is expected: a host restarts with its window, or for the people it had.
      this.indexWaits = true
      pageOpening()
      void nextSlice({ heldMs: 0 }).then(() => {
        this.indexWaits = false
        this.buildIndex()
      })
      return
    }
    this.buildIndex()
  }

  /**
   * Takes up the opening kept with the overview (KeptOpening): only while the overview taken up shows the board as it
   * is (the board unchanged since both were kept).
   */
  restoreOpening(opening: KeptOpening | undefined): void {
    if (!opening || this.starts || !this.overview.fresh || this.overview.frame() === undefined) return
    this.keptOpening = opening
  }

  /** Builds the index of where strokes start now (see indexStrokes). */
  private buildIndex(): void {
    if (this.starts || this.closed) return
    this.starts = new StrokeStarts(this.doc, () => {
      if (this.closed) return
      const starts = this.starts as StrokeStarts
      this.stopMeasuring = measureNear(this.doc, starts, OPENING_VIEW, () => {
        if (this.closed) return
        const partBytes = Math.min(this.limits.syncPartBytes, MAX_MESSAGE_BYTES)
        this.ready = new ReadyOrder(this.doc, starts, OPENING_VIEW, partBytes, MAX_PREVIEW_BYTES)
        this.ready.make()
      })
      void this.overview.drawUntilEdited()
    })
  }

  /** Closes every socket of this board with a reason; the room takes no more sockets. */
  close(code: number = CloseReason.BoardClosed, reason = 'The host closed this board.'): void {
    if (this.closed) return
    this.closed = true
    for (const peer of [...this.peers.values()]) this.end(peer, code, reason)
    this.hostBacklog.report(this.id, 0)
    this.doc.off('update', this.handleDocUpdate)
    this.awareness.off('update', this.handleAwarenessUpdate)
    this.awareness.destroy()
    this.starts?.destroy()
    this.stopMeasuring?.()
    this.ready?.destroy()
    this.overview.destroy()
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

  /**
   * The journal is on disk up to `position`: each peer is told how many of its update frames are now safe
   * from a crash (MessageType.Saved, docs/protocol.md "Saved").
   */
  saved(position: number): void {
    for (const [peer, count] of this.ledger.saved(position))
      if (this.peers.get(peer.socket) === peer) this.send(peer, savedFrame(count))
  }

  /**
   * Pushes out the oldest sockets still before their hello, of this address and of all: half-open sockets
   * cannot keep anyone out (the owner's window included), and a fresh attempt always gets its turn.
   */
  private makeRoomForPending(address: string): void {
    const pending = [...this.peers.values()].filter((p) => p.state === 'hello')
    const mine = pending.filter((p) => p.socket.address === address)
    const out = [
      ...mine.slice(0, Math.max(0, mine.length - this.limits.maxPendingPerAddress + 1)),
      ...pending.slice(0, Math.max(0, pending.length - MAX_PENDING + 1)),
    ]
    for (const p of new Set(out)) {
      this.log(`board ${this.id}: closing a socket from ${p.socket.address} that never said hello`)
      this.end(p, CloseReason.RateLimited, 'Too many unfinished connections from your address.')
    }
  }

  /** The board's edits stop reaching the disk (a problem), or reach it again (undefined): everyone is told. */
  storageTrouble(problem: string | undefined): void {
    if (problem === this.storageProblem) return
    this.storageProblem = problem
    this.log(problem ? `board ${this.id}: NOT SAVED: ${problem}` : `board ${this.id}: saving again`)
    for (const peer of this.peers.values())
      if (peer.state === 'in') this.sendControl(peer, { type: 'storage', ...(problem ? { problem } : {}) })
  }

  private leave(peer: Peer): void {
    if (this.peers.get(peer.socket) !== peer) return
    this.peers.delete(peer.socket)
    this.ledger.forget(peer)
    this.slowest.peak = Math.max(this.slowest.peak, peer.backlog.peak)
    clearTimeout(peer.helloTimer)
    clearTimeout(peer.knockTimer)
    if (peer.awarenessIds.size > 0)
      awarenessProtocol.removeAwarenessStates(this.awareness, [...peer.awarenessIds], null)
    if (peer.state !== 'hello' && !this.closed && !this.quiet) this.membership.broadcast()
  }

  /** Ends a socket with a close code (the peer leaves at once, without waiting for the close handshake). */
  private end(peer: Peer, code: number, reason: string): void {
    // Said inside the channel first: a close frame alone could be forged, and clients only believe this one.
    peer.socket.closeAnnounced(code, reason)
    this.leave(peer)
  }

  private refuse(peer: Peer, reason: string): void {
    this.log(`board ${this.id}: closing a socket: ${reason}`)
    this.end(peer, CloseReason.InvalidMessage, reason)
  }

  private handleMessage(peer: Peer, bytes: Uint8Array): void {
    try {
      const refused = peer.allowance.admit(trafficOf(bytes), bytes.byteLength)
      if (refused)
        throw new Closing(refused.tooLarge ? CloseReason.TooLarge : CloseReason.RateLimited, refused.reason)
      const [read, cursor] = readMessage(bytes) as [Frame, Frame | undefined]
      // Live ink is an Update in a few bytes: from here on it is that update, checked and applied as any.
      const frame: Exclude<Frame, { type: 'ink' }> =
        read.type === 'ink' ? { type: 'update', update: peer.inkIn.update(read.ink) } : read
      if (cursor) {
        // An update with its sender's pointer: relayed together when the update goes out, else on its own.
        if (peer.state !== 'in' || cursor.type !== 'cursor') throw new Error('sync before the welcome')
        const relay = this.cursorOf(peer, cursor)
        this.riding = { from: peer.socket, frame: relay }
        try {
          this.handleSync(
            peer,
            frame as Exclude<Frame, { type: 'control' | 'saved' | 'ink' | 'preview' | 'overview' }>,
          )
        } catch (error) {
          this.riding = undefined
          throw error
        }
        // The update brought nothing new (or waits): the pointer goes on its own.
        if (this.riding) this.relayCursor(peer, relay)
        this.riding = undefined
        return
      }
      if (frame.type === 'control') {
        const message = parseClientControl(frame.json)
        if (!message) throw new Error('not a valid control message')
        if (message.type === 'hello') {
          peer.previewView = message.preview
          peer.overviewAsked = message.overview === true && this.limits.sendOverviews
          this.membership.hello(peer, message)
        } else if (message.type === 'standby-offer') this.membership.offerStandby(peer, message.port)
        else this.membership.act(peer, message)
        return
      }
      // Host-to-client messages only.
      if (frame.type === 'saved') throw new Error('unknown message type 3')
      if (frame.type === 'preview') throw new Error('unknown message type 7')
      if (frame.type === 'overview') throw new Error('unknown message type 8')
      if (peer.state !== 'in') throw new Error('sync before the welcome')
      this.handleSync(peer, frame)
    } catch (error) {
      if (error instanceof Closing) {
        this.log(`board ${this.id}: closing a socket (${error.code}): ${error.message}`)
        this.end(peer, error.code, error.message)
      } else this.refuse(peer, `Invalid message: ${errorMessage(error)}`)
    }
  }

  private handleSync(
    peer: Peer,
    frame: Exclude<Frame, { type: 'control' | 'saved' | 'ink' | 'preview' | 'overview' }>,
  ): void {
    switch (frame.type) {
      case 'awareness': {
        // A client speaks for its own cursor only, the one it named in its hello.
        const own = peer.participant?.awarenessId
        if (!awarenessClients(frame.update).every((id) => id === own))
          throw new Error('awareness of another client')
        awarenessProtocol.applyAwarenessUpdate(this.awareness, frame.update, peer.socket)
        return
      }
      case 'cursor':
        this.relayCursor(peer, this.cursorOf(peer, frame))
        return
      case 'sync-step1':
        this.answerSyncStep1(peer, frame.stateVector)
        return
      case 'sync-step2':
      case 'update': {
        // Only the SyncStep2 that answers the host's SyncStep1 counts as one; any other is a live update.
        const step2 = frame.type === 'sync-step2' && peer.step2Expected > 0
        if (step2) peer.step2Expected--
        this.receiveEdit(peer, frame.update, step2)
        return
      }
      case 'sync-part':
        // A part of the SyncStep2 that answers the host's SyncStep1 (welcome.syncParts): checked as that SyncStep2
        // is, under the same author rules; the SyncStep2 that ends the parts is the answer itself.
        if (peer.step2Expected === 0) throw new Error('a sync part outside an answer to SyncStep1')
        this.receiveEdit(peer, frame.update, true)
    }
  }

  /** An update a peer sent (held to a SyncStep2's author rules when `step2`): counted for its Saved, applied. */
  private receiveEdit(peer: Peer, update: Uint8Array, step2: boolean): void {
    // Viewers watch: whatever their client sends is dropped, never applied nor relayed.
    if (peer.participant?.role === Role.Viewer) return
    this.ledger.received(peer, update)
    this.applyFrom(peer, update, step2)
  }

  /** The Cursor frame to relay for a peer's cursor; throws for one in another client's name. */
  private cursorOf(peer: Peer, frame: Extract<Frame, { type: 'cursor' }>): Uint8Array {
    // A presence delta speaks for its sender only: 0 ("mine") or the id it named in its hello.
    const own = peer.participant?.awarenessId
    if (own === undefined || (frame.client !== 0 && frame.client !== own))
      throw new Error('a cursor of another client')
    return cursorFrame(own, frame.cursor)
  }

  private relayCursor(from: Peer, message: Uint8Array): void {
    for (const p of this.peers.values()) if (p !== from && p.state === 'in') this.send(p, message, 'volatile')
  }

  /**
   * Applies a peer's update once the board guard has checked it (src/shared/validate): a bad one closes the
   * peer with InvalidMessage or TooLarge and never touches the board. An update that builds on edits the peer
   * has yet to send in its SyncStep2 waits for it.
   */
  private applyFrom(peer: Peer, update: Uint8Array, step2: boolean): void {
    this.guard ??= this.newGuard()
    let recipients = 0
    for (const p of this.peers.values()) if (p !== peer && p.state === 'in') recipients++
    const tooDear = peer.allowance.relay(update.byteLength, recipients)
    if (tooDear) throw new Closing(CloseReason.RateLimited, tooDear)
    const verdict = this.guard.check(update, this.authorship(peer, step2))
    if (!verdict.ok) {
      if (verdict.problem === 'foreign' && step2)
        // Edits of someone connected now that the host lacks: theirs will come from them; try again then.
        throw new Closing(
          CloseReason.TryAgain,
          'Your board holds edits of someone who is still sending them; retrying.',
        )
      if (verdict.problem === 'missing' && peer.step2Expected > 0 && !step2) {
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
    this.applying = deletesOnly(update) ? { from: peer.socket, update } : undefined
    try {
      Y.applyUpdate(this.doc, update, peer.socket)
    } finally {
      this.applying = undefined
    }
    verdict.commit()
    const store = this.doc.store
    if (store.pendingStructs || store.pendingDs) {
      // The guard lets nothing through that Yjs cannot place; should something slip by, it is not kept.
      store.pendingStructs = null
      store.pendingDs = null
      throw new Closing(CloseReason.InvalidMessage, 'The host refused an edit: it does not fit the board.')
    }
    if (this.ledger.applied(update)) this.saved(this.ledger.onDisk)
    if (step2 && peer.step2Expected === 0) {
      const held = peer.held.splice(0)
      peer.heldBytes = 0
      for (const u of held) this.applyFrom(peer, u, false)
    }
  }

  /**
   * Under which Yjs client ids a peer may add edits the board lacks. A live update: its own id (its hello's
   * awarenessId) and ids nobody has used here. The SyncStep2 that answers the host: also edits of people
   * not connected now (someone's work from before a restart), never of someone connected, who sends their own.
   */
  private authorship(peer: Peer, step2: boolean): (client: number) => boolean {
    const own = peer.participant?.awarenessId
    if (!step2)
      return (client) =>
        client === own || (!this.membership.isTaken(client) && !this.doc.store.clients.has(client))
    const connected = new Set<number>()
    for (const p of this.peers.values())
      if (p.state === 'in' && p.participant && p.participant.id !== peer.participant?.id)
        connected.add(p.participant.awarenessId)
    return (client) => client === own || !connected.has(client)
  }

  private newGuard(): BoardGuard {
    const store = this.doc.store
    if (store.pendingStructs || store.pendingDs) {
      // Left by the board's file: Yjs could never place it, and peers' edits must not be blamed for it.
      this.log(`board ${this.id}: dropping parts of the board file that build on missing edits`)
      store.pendingStructs = null
      store.pendingDs = null
    }
    return new BoardGuard(this.doc, this.limits.guard, undefined, this.openedBytes)
  }

  /**
   * Sends a peer what it lacks of the board. Past one part (limits.syncPartBytes), as parts that each apply
   * on their own (MessageType.SyncPart), written out as the socket drains, then the SyncStep2 with the
   * deletions: no frame above the cap, a page that draws and shows progress as the board arrives, and the
   * host's memory holds one copy of the answer, not a socket buffer of it as well. What changes on the board
   * meanwhile reaches the peer as live updates, as it does after the SyncStep2.
   */
  private answerSyncStep1(peer: Peer, stateVector: Uint8Array): void {
    const partBytes = Math.min(this.limits.syncPartBytes, MAX_MESSAGE_BYTES)
    const view = peer.previewView
    const overviewAsked = peer.overviewAsked === true
    peer.previewView = undefined
    peer.overviewAsked = false
    // View first: the overview of the whole board (decoded by the page beside its preview), then the strokes where
    // the page opens, before anything of the board. The board follows in the next turn: a turn's frames leave at its end (sealed in one batch, or corked),
    // and cutting a large board's first parts takes its host a while, which the preview must not wait for.
    // A host that opened the board again unchanged answers from what it kept, before it has indexed the board.
    const kept =
      view && this.keptOpening && !this.starts?.complete
        ? keptPreviewFrames(this.doc, view, partBytes, MAX_PREVIEW_BYTES, this.keptOpening)
        : undefined
    if (view && !kept) this.buildIndex()
    const frames =
      kept ??
      (view ? previewFrames(this.doc, view, partBytes, MAX_PREVIEW_BYTES, this.starts, this.ready) : [])
    if (kept && !this.firstPreviewSent)
      this.log(
        `board ${this.id}: the first preview (${kept.length} frames) from the opening kept from before, the board not indexed yet`,
      )
    if (view) this.firstPreviewSent = true
    // The page's first strokes are on their way: the overview drawing goes on in a moment (./pageOpening.ts).
    if (view) previewSent()
    // The board's parts wait for a quick drawing of the overview (strokes added, the regions of a few changes drawn
    // again: milliseconds to a few hundred), at most HostLimits.quickOverviewWaitMs: the picture then comes before
    // them, not behind parts the page applies one by one.
    let before: Promise<unknown> | undefined
    if (overviewAsked) {
      const overview = this.overview.frame()
      if (overview) frames.unshift(overview)
      else {
        // Not drawn yet, or stale: drawn now, and sent to this joiner too if its board is still coming then.
        peer.overviewWaits = true
        const quick = this.overview.quick
        const drawn = this.overview.refresh()
        if (quick)
          before = Promise.race([
            drawn,
            new Promise((ok) => setTimeout(ok, this.limits.quickOverviewWaitMs).unref?.()),
          ])
      }
    }
    if (before || frames.length > 0) {
      // A newer SyncStep1 on the same socket (or the socket gone) meanwhile answers instead.
      const turn = {}
      peer.stream = turn
      const next = () => {
        if (peer.stream !== turn || this.peers.get(peer.socket) !== peer) return
        peer.stream = undefined
        this.streamBoard(peer, stateVector, partBytes)
      }
      if (before) {
        for (const frame of frames) this.send(peer, frame, 'reply')
        void before.then(next)
        return
      }
      // The board once the preview and the overview are written out (or at once in the next turn if not sent).
      frames.forEach((frame, i) => {
        const last = i === frames.length - 1
        if (!this.send(peer, frame, 'reply', last ? next : undefined) && last) setImmediate(next)
      })
      return
    }
    this.streamBoard(peer, stateVector, partBytes)
  }

  /** A fresh overview is drawn: it goes to the joiners that asked for one while the board is still coming to them. */
  private overviewDrawn(frame: Uint8Array): void {
    for (const peer of this.peers.values()) {
      if (!peer.overviewWaits) continue
      if (peer.stream === undefined) peer.overviewWaits = false
      else if (peer.state === 'in') {
        peer.overviewWaits = false
        this.send(peer, frame, 'reply')
      }
    }
  }

  /** Sends the board a peer lacks: one SyncStep2, or parts as the socket drains (see answerSyncStep1). */
  private streamBoard(peer: Peer, stateVector: Uint8Array, partBytes: number): void {
    // Cut a part at a time as the socket drains: the first leaves at once, however large the board.
    const cutter = new SyncPartCutter(this.doc, stateVector, partBytes)
    const first = cutter.next()
    if (!first || cutter.done) {
      // A board that fits in one part goes as it always did: one SyncStep2.
      this.send(peer, syncStep2Frame(this.doc, stateVector), 'reply')
      return
    }
    // A newer SyncStep1 on the same socket ends the older stream where it is.
    const stream = {}
    peer.stream = stream
    const socket = peer.socket
    // The total the progress bar shows is an estimate until the last part (one walk over the store, within a
    // few per cent); each part announces at least what has come and one byte more, as the client checks.
    const estimate = estimateLacking(this.doc, stateVector)
    let pending: Uint8Array | undefined = first
    let inFlight = 0
    const pump = (): void => {
      if (peer.stream !== stream || this.peers.get(socket) !== peer || socket.readyState !== SocketState.Open)
        return
      // A few parts queued at a time, the next one once one is written out: the socket's buffer never holds
      // the whole board as well, and presence and live edits go out between the parts.
      while (inFlight < STREAM_IN_FLIGHT && pending) {
        const part: Uint8Array = pending
        pending = cutter.next()
        const total = pending ? Math.max(estimate, cutter.bytes + 1) : cutter.bytes
        const frame = syncPartFrame(total, part)
        inFlight++
        const written = peer.backlog.reply(frame.byteLength)
        socket.send(frame, () => {
          written()
          inFlight--
          pump()
        })
      }
      if (!pending && peer.stream === stream) {
        peer.stream = undefined
        this.send(peer, syncStep2UpdateFrame(cutter.last()), 'reply')
      }
    }
    pump()
  }

  private sendSyncStep1(peer: Peer): void {
    // Until its answer, the peer's updates may build on edits it made offline (they come in its SyncStep2).
    peer.step2Expected++
    this.send(peer, syncStep1Frame(this.doc))
  }

  /**
   * Closes the peers furthest behind until the board's relayed backlog, and the host's, fit their caps: a
   * reader that stopped is dropped (it reconnects and resyncs) before it costs the host or the others.
   */
  private trimBacklog(): void {
    const peers = [...this.peers.values()].filter((p) => p.state === 'in')
    let board = 0
    for (const p of peers) board += p.backlog.relayed
    let host = this.hostBacklog.report(this.id, board)
    // The common case, every relay: within the caps, nothing to sort or close.
    if (board <= this.limits.boardBacklogBytes && host <= this.limits.hostBacklogBytes) return
    const byBacklog = peers.sort((a, b) => b.backlog.relayed - a.backlog.relayed)
    // One list of who is in goes out after all the closes, not one per close to everyone still behind.
    this.quiet = true
    let closed = 0
    for (const p of byBacklog) {
      if (board <= this.limits.boardBacklogBytes && host <= this.limits.hostBacklogBytes) break
      const behind = p.backlog.relayed
      if (behind === 0) break
      this.closeSlow(p)
      closed++
      board -= behind
      host = this.hostBacklog.report(this.id, board)
    }
    this.quiet = false
    if (closed > 0) this.membership.broadcast()
  }

  private readonly handleDocUpdate = (applied: Uint8Array, origin: unknown): void => {
    // The board is no longer the one the kept opening was of.
    this.keptOpening = undefined
    const received = this.applying
    // Only when all of it applied: a range the guard let by that Yjs keeps pending never goes to the others.
    const update =
      received && received.from === origin && !this.doc.store.pendingDs ? received.update : applied
    this.applying = undefined
    this.trimBacklog()
    const riding = this.riding?.from === origin ? this.riding : undefined
    if (riding) this.riding = undefined
    let plain: Uint8Array | undefined
    for (const peer of this.peers.values()) {
      if (peer.state !== 'in' || peer.socket === origin) continue
      // Live ink goes as an Ink frame continuing the last one this peer got; anything else as one shared Update.
      const message = peer.inkOut.frame(update)
      if (!message) {
        plain ??= riding ? withCursor(updateFrame(update), riding.frame) : updateFrame(update)
        this.send(peer, plain)
        continue
      }
      this.send(peer, riding ? withCursor(message, riding.frame) : message)
    }
    const position = this.onChange(update)
    if (position !== undefined) this.ledger.journalAt(position)
  }

  private readonly handleAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const from = this.peers.get(origin as RoomSocket)
    if (from) {
      for (const id of added) from.awarenessIds.add(id)
      for (const id of updated) from.awarenessIds.add(id)
      for (const id of removed) from.awarenessIds.delete(id)
    }
    const message = awarenessFrame(this.awareness, [...added, ...updated, ...removed])
    for (const peer of this.peers.values())
      if (peer.state === 'in' && peer.socket !== origin) this.send(peer, message, 'volatile')
  }

  /** Closes a peer that reads too slowly (TooSlow); its backlog is freed at once if it reads no more. */
  private closeSlow(peer: Peer): void {
    const socket = peer.socket
    const behind = Math.round(peer.backlog.relayed / 1024)
    this.log(`board ${this.id}: closing a socket that stopped reading (${behind} KB behind)`)
    this.slowest.closed++
    this.end(peer, CloseReason.TooSlow, `You fell ${behind} KB behind the board; reconnecting catches up.`)
    const grace = setTimeout(() => socket.terminate(), SLOW_CLOSE_GRACE_MS)
    grace.unref?.()
  }

  private sendControl(peer: Peer, message: HostControl): void {
    this.send(peer, controlFrame(message))
  }

  /**
   * Sends a frame unless the peer is too far behind: presence is dropped for a peer with a backlog, and a
   * peer that stopped reading is closed (TooSlow) before its backlog grows the host's memory. True when it was
   * sent; `written` is called once it left.
   */
  private send(peer: Peer, message: Uint8Array, kind: SendKind = 'reliable', written?: () => void): boolean {
    // A socket that is closing gets nothing more; it re-syncs from SyncStep1 when it reconnects.
    const socket = peer.socket
    if (socket.readyState !== SocketState.Open) return false
    const decision = peer.backlog.decide(kind)
    if (decision === 'drop') return false
    if (decision === 'close') {
      this.closeSlow(peer)
      return false
    }
    if (kind === 'reply') {
      const replied = peer.backlog.reply(message.byteLength)
      socket.send(
        message,
        written
          ? () => {
              replied()
              written()
            }
          : replied,
      )
    } else socket.send(message, written)
    return true
  }
}
