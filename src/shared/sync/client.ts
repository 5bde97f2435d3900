/**
 * The client engine: one board replica's side of the protocol on one open socket at a time (hello, welcome,
 * knock, sync handshake, live updates, presence, save acknowledgements, session state). Which socket, and
 * when to open another, is reconnect.ts's job; connect.ts puts the two together. Over 400 lines because every
 * frame type's handling reads and changes the one socket's state (phase, welcome, stream, pacing); the frame codec
 * (frames.ts), live ink (liveInk.ts), the preview (preview.ts) and the pacing (outbox.ts) live beside it.
 */
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { platform } from '../platform'
import type { CursorChannel } from './cursors'
import { widenDeletes } from './deleteRanges'
import {
  awarenessFrame,
  controlFrame,
  cursorFrame,
  type Frame,
  FrameError,
  readFrame,
  readMessage,
  syncPartFrame,
  syncStep1Frame,
  syncStep2Frame,
  syncStep2UpdateFrame,
  trafficOf,
  updateFrame,
  withCursor,
} from './frames'
import { InkChannel, InkError } from './liveInk'
import { Outbox, type Outgoing, type SendingProgress } from './outbox'
import { type BoardOverview, overviewProblem } from './overview'
import { type BoardPreview, type PreviewElement, previewProblem } from './preview'
import { SYNC_PART_BYTES } from './protocol'
import {
  type ClientControl,
  type HostControl,
  type Knock,
  type Participant,
  parseHostControl,
  Role,
  type SessionInfo,
  type Standby,
  type StandbyFacts,
} from './session'
import { type BoardSocket, frameBytes, SocketState, type Timers } from './socket'
import { SPLIT_UPDATE_BYTES, updateInParts } from './splitUpdate'
import { estimateLacking, syncParts } from './syncParts'

/** Who this person is to the others. */
export interface Identity {
  name: string
  /** #rrggbb */
  color: string
}

/** Control messages the host role sends (the host closes the socket of anyone else who sends them). */
export type HostAction = Exclude<ClientControl, { type: 'hello' } | { type: 'standby-offer' }>

/** What the engine knows of the session it is in. */
export interface SessionState {
  /** Our role once welcomed (kept while reconnecting). */
  role: Role | undefined
  participantId: string | undefined
  /** The session the board is shared in; undefined while it is not shared (or before the welcome). */
  session: SessionInfo | undefined
  /** Everyone in the session, ourselves included (empty while not connected). */
  participants: Participant[]
  /** People waiting to be let in; only the host role is told. */
  knocks: Knock[]
  locked: boolean
  /** The join links to hand out; only the host role is told. */
  joinLinks: string[]
  /** While knocking: the 6-digit code of this secure channel. */
  comparisonCode: string | undefined
  /** Why the host cannot save the board right now, while it cannot (nothing new is acknowledged meanwhile). */
  saveProblem: string | undefined
  /** Given by the welcome, sent back in every hello: our way back in with our role, also after a host restart. */
  rejoin: string | undefined
  /** The host made a new link: the token this replica was opened with no longer opens the session. */
  linkReplaced: boolean
  /** Who takes over if the host goes, in the order every replica was told, and the session's epoch. */
  succession: Standby[]
  epoch: number
  /** What this replica needs to host the session, once the host accepted its standby offer. */
  standbyFacts: StandbyFacts | undefined
}

/** Where the engine is on the current socket. */
export type EnginePhase = 'hello' | 'knocking' | 'welcomed' | 'synced'

/** What the engine tells its owner. */
export interface EngineEvents {
  /** The phase on the current socket changed. */
  phase(phase: EnginePhase): void
  /** Something in the session state changed. */
  session(): void
  /** The host reports these updates saved: from now on they survive a crash of the host. */
  saved(updates: Uint8Array[]): void
  /** An update from the host could not be applied (an observer of the board threw). */
  error?(error: unknown): void
  /**
   * The host streams the board (a large board, in parts): bytes received of the total, as each part comes;
   * called with received === total when the SyncStep2 that ends the stream arrived.
   */
  progress?(received: number, total: number): void
  /**
   * Edits wait for the host's allowance (outbox.ts): bytes sent of those queued since nothing waited; called with
   * sent === total === 0 once nothing waits any more (or the socket that was to take them is gone).
   */
  sending?(progress: SendingProgress): void
}

/** An update frame waiting in the outbox: its update, and the frame when it is not a plain Update. */
interface WaitingUpdate extends Outgoing {
  update: Uint8Array
  /** A SyncPart or SyncStep2; a plain update is framed when it leaves (as live ink if it is that). */
  frame?: Uint8Array
  /** Not yet merged with anything: may leave as an Ink frame. */
  ink: boolean
}

/** Small edits made while a large one waits are merged up to this size (fewer messages when it has left). */
export const MERGE_WAITING_BYTES = 64 * 1024

/** A socket as the engine uses it; a secure one also has the code its handshake derived. */
export type EngineSocket = BoardSocket & { readonly comparisonCode?: string }

/** Thrown for a frame from the host that this client cannot read or must not accept. */
export class UnreadableFrame extends Error {}

/** One board replica's protocol engine. */
export class SyncClient {
  readonly state: SessionState = {
    role: undefined,
    participantId: undefined,
    session: undefined,
    participants: [],
    knocks: [],
    locked: false,
    joinLinks: [],
    comparisonCode: undefined,
    saveProblem: undefined,
    rejoin: undefined,
    linkReplaced: false,
    succession: [],
    epoch: 0,
    standbyFacts: undefined,
  }
  private socket: EngineSocket | undefined
  private phaseNow: EnginePhase = 'hello'
  // Update frames sent on this socket and not yet reported saved; `savedCount` of them were reported before.
  private unsavedUpdates: Uint8Array[] = []
  private savedCount = 0
  // The transaction origin of everything the host sends, so it is not echoed back.
  private readonly origin = {}
  private detached = false
  // Proves to the host, on every socket, that this replica is the one that first used its client id.
  private readonly clientKey = newClientKey()
  // Whether any socket of this replica was ever welcomed, and the close the host announced on this one.
  private welcomedOnce = false
  private announcedClose: number | undefined
  // The port this replica offers to host on, offered again after every welcome.
  private standbyPort: number | undefined
  // The streamed SyncStep2 on this socket, while its parts come: bytes so far and in all.
  private stream: { received: number; total: number } | undefined
  /** Live ink out and in on the current socket (liveInk.ts). */
  private inkOut = new InkChannel()
  private inkIn = new InkChannel()
  /** Whether the hello on this socket asked the host for a view preview (only then may one come). */
  private previewAsked = false
  /** Whether the hello on this socket asked the host for the board's overview (only then may one come). */
  private overviewAsked = false
  /** Whether a preview on this socket started the opening bar (the board's SyncStep2 then ends it). */
  private previewShown = false
  /** Whether this socket's host takes a SyncStep2 in parts (its welcome said `syncParts`). */
  private hostTakesParts = false
  /** Update frames paced to the host's allowance (outbox.ts); without timers, everything leaves at once. */
  private readonly outbox: Outbox<WaitingUpdate> | undefined
  /**
   * Transactions open now that are not the host's. Yjs encodes each transaction's update anew for the document's
   * 'update' listeners; the engine needs it only for edits of this replica, so it listens only while one of
   * those is open: the parts of a large board (46 MB on 100,000 strokes) are not written a second time.
   */
  private readonly ownOpen = new Set<Y.Transaction>()
  private listening = false

  constructor(
    private readonly doc: Y.Doc,
    private readonly awareness: awarenessProtocol.Awareness,
    private readonly identity: Identity,
    private readonly events: EngineEvents,
    /** A rejoin secret kept from an earlier page or run (the page's storage), sent in the first hello. */
    rejoin?: string,
    /** Where this replica's cursor comes from and others' go to, as presence deltas (MessageType.Cursor). */
    private readonly cursors?: CursorChannel,
    /** Where a view preview goes (the page draws it until the board came); without it none is asked. */
    private readonly preview?: BoardPreview,
    /** Timers to pace large edits to the host's allowance with (outbox.ts); without them nothing is paced. */
    timers?: Timers,
    /** Where the board's overview goes (the page draws it until the board came); without it none is asked. */
    private readonly overview?: BoardOverview,
  ) {
    this.state.rejoin = rejoin
    if (timers)
      this.outbox = new Outbox(
        timers,
        (item) => this.deliver(item),
        () => Math.max(0, this.state.participants.length - 1),
        (progress) => this.events.sending?.(progress),
        undefined,
        () => this.socket?.bufferedAmount ?? 0,
      )
    doc.on('beforeTransaction', this.handleTransactionStart)
    doc.on('afterTransactionCleanup', this.handleTransactionEnd)
    this.listen(true)
    awareness.on('update', this.handleAwarenessUpdate)
    cursors?.bind((cursor) => {
      if (this.welcomed) this.send(cursorFrame(0, cursor))
    })
  }

  get phase(): EnginePhase {
    return this.phaseNow
  }

  /** Update frames sent on the current socket that the host has not yet reported saved. */
  get unsaved(): number {
    return this.unsavedUpdates.length + (this.outbox?.waiting ?? 0)
  }

  /**
   * Whether a close with this final code may end the connection for good: only when the host announced it
   * inside the channel, or on a plain socket, or before this replica was ever let in (a wrong link, a gone
   * board: the person should hear it at once). Otherwise it may be forged, and is retried as a lost connection.
   */
  trustsClose(code: number, plain: boolean): boolean {
    return plain || !this.welcomedOnce || this.announcedClose === code
  }

  /** Starts the protocol on a socket that just opened: the host answers only once it knows who we are. */
  attach(socket: EngineSocket): void {
    this.socket = socket
    // Ink frames continue the last one on the same socket: a new socket starts from none.
    this.inkOut = new InkChannel()
    this.inkIn = new InkChannel()
    this.announcedClose = undefined
    // The host's allowance is per socket: a new one starts full.
    this.outbox?.reset()
    // Only a replica that never had the board asks: a reconnecting one already shows it.
    const view = this.preview && !this.preview.ended && !this.welcomedOnce ? this.preview.view() : undefined
    this.previewAsked = view !== undefined
    this.overviewAsked = this.overview !== undefined && !this.overview.ended && !this.welcomedOnce
    this.send(
      controlFrame({
        type: 'hello',
        name: this.identity.name,
        color: this.identity.color,
        awarenessId: this.awareness.clientID,
        ...(this.state.rejoin !== undefined ? { rejoin: this.state.rejoin } : {}),
        clientKey: this.clientKey,
        ...(view ? { preview: view } : {}),
        ...(this.overviewAsked ? { overview: true } : {}),
      }),
    )
  }

  /** The socket is gone: nobody else is with us until the next welcome. */
  detach(): void {
    this.socket = undefined
    this.setPhase('hello')
    // Counts are per socket. What the host did not report saved is sent again by the next sync handshake.
    this.unsavedUpdates = []
    this.savedCount = 0
    // What waited for the allowance is in the document: the next sync handshake sends it (in parts if large).
    this.outbox?.reset()
    this.stream = undefined
    // What a lost socket left of the board shows as it is; a preview of it would go stale.
    this.preview?.end()
    this.overview?.end()
    this.previewAsked = false
    this.overviewAsked = false
    this.previewShown = false
    this.state.comparisonCode = undefined
    this.dropRemotePresence()
    if (this.state.participants.length > 0 || this.state.knocks.length > 0)
      this.change({ participants: [], knocks: [] })
  }

  /** Stops listening to the replica for good. */
  destroy(): void {
    if (this.detached) return
    this.detached = true
    this.detach()
    this.doc.off('beforeTransaction', this.handleTransactionStart)
    this.doc.off('afterTransactionCleanup', this.handleTransactionEnd)
    this.listen(false)
    this.awareness.off('update', this.handleAwarenessUpdate)
    this.cursors?.bind(undefined)
  }

  /** Sends a host action; false when not connected as the host. */
  control(action: HostAction): boolean {
    if (!this.welcomed || this.state.role !== Role.Host) return false
    this.send(controlFrame(action))
    return true
  }

  /**
   * Offers to host the session on `port` if the host goes (a headless standby or the desktop app); sent now
   * when welcomed and again after every welcome. The host accepts it from editors that proved the token only.
   */
  offerStandby(port: number): void {
    this.standbyPort = port
    if (this.welcomed) this.send(controlFrame({ type: 'standby-offer', port }))
  }

  /** Handles one frame from the host; throws UnreadableFrame for one it cannot read or accept. */
  receive(data: unknown): void {
    const bytes = frameBytes(data)
    if (!bytes) throw new UnreadableFrame('a text frame from the host')
    let frames: Frame[]
    try {
      frames = readMessage(bytes)
    } catch (error) {
      throw new UnreadableFrame(error instanceof FrameError ? error.message : 'an unreadable frame')
    }
    for (const frame of frames) this.handleFrame(frame)
  }

  private handleFrame(frame: Frame): void {
    if (frame.type === 'control') {
      const message = parseHostControl(frame.json)
      if (!message) throw new UnreadableFrame('an invalid control message')
      this.handleControl(message)
      return
    }
    if (!this.welcomed) throw new UnreadableFrame('sync before the welcome')
    switch (frame.type) {
      case 'sync-step1':
        // A viewer's state is of no use to the host (it drops it), so a viewer does not answer with it.
        if (this.state.role !== Role.Viewer) this.answerSyncStep1(frame.stateVector)
        break
      case 'sync-part': {
        // Only before this socket's SyncStep2, and adding up to no more than the total it announced.
        const received = (this.stream?.received ?? 0) + frame.update.byteLength
        if (this.phaseNow === 'synced' || received > frame.total)
          throw new UnreadableFrame('a sync part outside a streamed sync')
        this.stream = { received, total: frame.total }
        this.apply(frame.update)
        this.events.progress?.(received, frame.total)
        break
      }
      case 'sync-step2':
      case 'update':
        this.apply(frame.update)
        if (frame.type === 'sync-step2') {
          const stream = this.stream
          this.stream = undefined
          // The board is all here: what the preview showed, the document now holds (or no longer does).
          this.preview?.end()
          this.overview?.end()
          if (stream) this.events.progress?.(stream.total, stream.total)
          // A board small enough for one SyncStep2 after a preview: the bar the preview started ends here.
          else if (this.previewShown) this.events.progress?.(1, 1)
          this.previewShown = false
          this.setPhase('synced')
        }
        break
      case 'preview': {
        // Only asked for, before the board itself (its first part or its SyncStep2), and checked as any edit is.
        if (!this.previewAsked || this.phaseNow === 'synced' || this.stream)
          throw new UnreadableFrame('a view preview this page did not ask for')
        const problem = previewProblem(frame.elements)
        if (problem) throw new UnreadableFrame(`a view preview with a bad stroke: ${problem}`)
        this.preview?.add(frame.elements as PreviewElement[])
        // The board is on its way: the opening bar shows from now on, at 0 % until its first part.
        this.previewShown = true
        this.events.progress?.(0, 1)
        break
      }
      case 'overview': {
        // Only asked for, before the board is all here (a host drawing it when the page joined sends it once
        // drawn, between the parts); a bad one is passed over (it only stands in for the board).
        const problem =
          !this.overviewAsked || this.phaseNow === 'synced'
            ? 'an overview this page did not ask for, or after the board came'
            : overviewProblem(frame)
        if (problem) {
          platform().warn(`Ignored the host's overview: ${problem}.`)
          break
        }
        this.overview?.set({ rect: frame.rect, png: frame.png })
        // The board is on its way: the opening bar shows from now on, at 0 % until its first part.
        if (!this.stream) {
          this.previewShown = true
          this.events.progress?.(0, 1)
        }
        break
      }
      case 'awareness':
        awarenessProtocol.applyAwarenessUpdate(this.awareness, frame.update, this.origin)
        break
      case 'saved':
        this.handleSaved(frame.count)
        break
      case 'cursor':
        this.cursors?.received(frame.client, frame.cursor)
        break
      case 'ink': {
        let update: Uint8Array
        try {
          update = this.inkIn.update(frame.ink)
        } catch (error) {
          throw new UnreadableFrame(error instanceof InkError ? error.message : 'an unreadable ink frame')
        }
        this.apply(update)
        break
      }
    }
  }

  private get welcomed(): boolean {
    return this.phaseNow === 'welcomed' || this.phaseNow === 'synced'
  }

  private apply(update: Uint8Array): void {
    try {
      Y.applyUpdate(this.doc, update, this.origin)
    } catch (error) {
      // As y-protocols does: an observer of the board that throws must not cut the connection.
      this.events.error?.(error)
    }
  }

  private handleControl(message: HostControl): void {
    switch (message.type) {
      case 'welcome':
        this.welcomedOnce = true
        this.change({
          rejoin: message.rejoin,
          role: message.role,
          participantId: message.participantId,
          session: message.session,
          locked: message.session?.locked ?? false,
          joinLinks: message.joinLinks ?? [],
          comparisonCode: undefined,
        })
        this.hostTakesParts = message.syncParts === true
        if (message.allowance) this.outbox?.allow(message.allowance)
        this.setPhase('welcomed')
        this.send(syncStep1Frame(this.doc))
        if (this.standbyPort !== undefined)
          this.send(controlFrame({ type: 'standby-offer', port: this.standbyPort }))
        if (this.awareness.getLocalState() !== null)
          this.send(awarenessFrame(this.awareness, [this.awareness.clientID]))
        if (this.cursors && this.cursors.local.kind !== 'off') this.send(cursorFrame(0, this.cursors.local))
        break
      case 'knock-pending':
        this.change({ comparisonCode: this.socket?.comparisonCode })
        this.setPhase('knocking')
        break
      case 'participants':
        this.change({
          participants: message.participants,
          knocks: message.knocks,
          locked: message.locked,
          session: this.state.session && { ...this.state.session, locked: message.locked },
        })
        break
      case 'role':
        this.change({ role: message.role })
        break
      case 'closing':
        this.announcedClose = message.code
        break
      case 'storage':
        this.change({ saveProblem: message.problem })
        break
      case 'succession':
        this.change({ succession: message.standbys, epoch: message.epoch })
        break
      case 'standby': {
        const { type: _, ...facts } = message
        this.change({ standbyFacts: facts })
        break
      }
      case 'session':
        this.change({
          session: message.session,
          locked: message.session?.locked ?? false,
          ...(this.state.role === Role.Host ? { joinLinks: message.joinLinks ?? [] } : {}),
          ...(message.newLink ? { linkReplaced: true } : {}),
        })
        break
    }
  }

  private handleSaved(count: number): void {
    const newly = count - this.savedCount
    if (newly <= 0 || newly > this.unsavedUpdates.length)
      throw new UnreadableFrame('a saved count that does not add up')
    this.savedCount = count
    this.events.saved(this.unsavedUpdates.splice(0, newly))
  }

  private change(changes: Partial<SessionState>): void {
    Object.assign(this.state, changes)
    this.events.session()
  }

  private setPhase(phase: EnginePhase): void {
    if (phase === this.phaseNow) return
    this.phaseNow = phase
    this.events.phase(phase)
  }

  private send(frame: Uint8Array): boolean {
    const s = this.socket
    if (!s || s.readyState !== SocketState.Open) return false
    // The host counts edits and control messages against the socket's allowance, presence apart.
    const traffic = trafficOf(frame)
    if (traffic !== 'awareness' && traffic !== 'cursor')
      this.outbox?.spent(frame.byteLength, traffic === 'edit')
    s.send(frame)
    return true
  }

  /** Sends a frame that carries an update (Update, SyncPart or SyncStep2); the host counts these in its acks. */
  private sendUpdateFrame(frame: Uint8Array, update: Uint8Array): void {
    if (this.send(frame)) this.unsavedUpdates.push(update)
  }

  /** Sends a frame from the outbox, whose allowance it already spent. */
  private deliver(item: WaitingUpdate): void {
    const s = this.socket
    if (!s || s.readyState !== SocketState.Open) return
    const frame =
      item.frame ?? (item.ink ? this.inkOut.frame(item.update) : undefined) ?? updateFrame(item.update)
    s.send(frame)
    this.unsavedUpdates.push(item.update)
  }

  /**
   * Answers the host's SyncStep1 with what it lacks: one SyncStep2, or, past SPLIT_UPDATE_BYTES and when the host
   * takes it (welcome.syncParts), SyncParts of about a MiB and the SyncStep2 with the deletions, paced as any edit.
   */
  private answerSyncStep1(stateVector: Uint8Array): void {
    if (this.outbox && this.hostTakesParts && estimateLacking(this.doc, stateVector) > this.splitAbove) {
      const { parts, last, bytes } = syncParts(this.doc, stateVector, SYNC_PART_BYTES)
      const item = (frame: Uint8Array, update: Uint8Array): WaitingUpdate => ({
        frame,
        update,
        bytes: frame.byteLength,
        ink: false,
      })
      this.outbox.offer([
        ...parts.map((part) => item(syncPartFrame(bytes, part), part)),
        item(syncStep2UpdateFrame(last), last),
      ])
      return
    }
    const reply = syncStep2Frame(this.doc, stateVector)
    const update = updateOf(reply)
    if (!this.outbox || this.outbox.mayGo(reply.byteLength, true)) this.sendUpdateFrame(reply, update)
    else this.outbox.offer([{ frame: reply, update, bytes: reply.byteLength, ink: false }])
  }

  /**
   * Past this an edit, or the answer to the host's SyncStep1, goes in parts: SPLIT_UPDATE_BYTES, or less for a host
   * with a smaller allowance than the default (outbox.splitAbove).
   */
  private get splitAbove(): number {
    return Math.min(SPLIT_UPDATE_BYTES, this.outbox?.splitAbove ?? SPLIT_UPDATE_BYTES)
  }

  /** Sends a local edit, in parts when large, now when the allowance takes it and otherwise once it does. */
  private sendEdit(parts: Uint8Array[]): void {
    const outbox = this.outbox
    const [first] = parts
    if (!first) return
    if (parts.length === 1 && (!outbox || outbox.mayGo(first.byteLength, true))) {
      // A cursor waiting to go out rides along: the edit and the pointer of this frame in one message.
      const cursor = this.cursors?.take()
      const frame = this.inkOut.frame(first) ?? updateFrame(first)
      this.sendUpdateFrame(cursor ? withCursor(frame, cursorFrame(0, cursor)) : frame, first)
      return
    }
    if (!outbox) {
      for (const part of parts) this.sendUpdateFrame(updateFrame(part), part)
      return
    }
    const tail = outbox.tail
    if (parts.length === 1 && tail && !tail.frame && tail.bytes + first.byteLength <= MERGE_WAITING_BYTES) {
      // Drawing while a large edit waits: one update, not one message per stroke chunk, once it may go.
      const update = Y.mergeUpdates([tail.update, first])
      outbox.replaceTail({ update, bytes: update.byteLength, ink: false })
      return
    }
    outbox.offer(parts.map((update) => ({ update, bytes: update.byteLength + 8, ink: parts.length === 1 })))
  }

  private dropRemotePresence(): void {
    const others = [...this.awareness.getStates().keys()].filter((id) => id !== this.awareness.clientID)
    if (others.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, others, this.origin)
  }

  /** Listens to the document's updates (Yjs then encodes each transaction's), or stops. */
  private listen(on: boolean): void {
    if (on === this.listening) return
    this.listening = on
    if (on) this.doc.on('update', this.handleDocUpdate)
    else this.doc.off('update', this.handleDocUpdate)
  }

  // A transaction starts: listen for its update unless it is the host's and no other of this replica is open (a
  // transaction started inside another's observers is cleaned up after it, and Yjs asks for listeners then).
  private readonly handleTransactionStart = (transaction: Y.Transaction): void => {
    if (transaction.origin !== this.origin) this.ownOpen.add(transaction)
    this.listen(this.ownOpen.size > 0)
  }

  private readonly handleTransactionEnd = (transaction: Y.Transaction): void => {
    this.ownOpen.delete(transaction)
  }

  private readonly handleDocUpdate = (
    update: Uint8Array,
    updateOrigin: unknown,
    _doc?: Y.Doc,
    transaction?: Y.Transaction,
  ): void => {
    // Offline or before the welcome, edits wait for the next sync handshake; a viewer's are never sent.
    if (updateOrigin === this.origin || !this.welcomed || this.state.role === Role.Viewer) return
    // A large delete goes as a few delete ranges, not one per element (./deleteRanges.ts); an edit too large for one
    // frame (a paste of tens of thousands of strokes) goes as several updates.
    const edit = widenDeletes(this.doc, update, transaction)
    this.sendEdit(updateInParts(this.doc, edit, SYNC_PART_BYTES, this.splitAbove))
  }

  private readonly handleAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    updateOrigin: unknown,
  ): void => {
    if (updateOrigin === this.origin || !this.welcomed) return
    const own = [...added, ...updated, ...removed].filter((id) => id === this.awareness.clientID)
    if (own.length > 0) this.send(awarenessFrame(this.awareness, own))
  }
}

/** The update a SyncStep2 frame carries. */
function updateOf(syncStep2: Uint8Array): Uint8Array {
  const frame = readFrame(syncStep2)
  return frame.type === 'sync-step2' ? frame.update : new Uint8Array()
}

/** 128 random bits as 32 hex characters. */
function newClientKey(): string {
  const bytes = new Uint8Array(16)
  crypto.getRandomValues(bytes)
  let out = ''
  for (const b of bytes) out += b.toString(16).padStart(2, '0')
  return out
}
