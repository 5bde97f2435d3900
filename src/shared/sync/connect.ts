/**
 * A board replica connected to its host: the client engine (client.ts) on a reconnecting socket
 * (reconnect.ts), on the secure channel unless told otherwise. This is what the renderer, the tests and the
 * bench connect with; the renderer only adds the browser's WebSocket and timers.
 */
import type * as awarenessProtocol from 'y-protocols/awareness'
import type { Board } from '../board'
import { type SecureCredential, secureSocket } from '../secure/clientSocket'
import { type EngineSocket, type HostAction, type Identity, SyncClient, UnreadableFrame } from './client'
import type { CursorChannel } from './cursors'
import type { BoardOverview } from './overview'
import { PacedInbox, type PaintPacing } from './paintPacing'
import type { BoardPreview } from './preview'
import { CloseReason, SYNC_PART_BYTES } from './protocol'
import { ReconnectingSocket } from './reconnect'
import type { Knock, Participant, Role, SessionInfo, Standby, StandbyFacts } from './session'
import type { BoardSocket, Timers } from './socket'

/** A large edit shows "Sending…" while at least this much of it waits for the host's allowance (one part). */
const SENDING_SHOWN_BYTES = SYNC_PART_BYTES

export type { HostAction, Identity } from './client'

/**
 * connecting: a socket is opening or waiting for its welcome; knocking: the host is asked to let us in;
 * connected: welcomed; offline: waiting to retry; closed: for good.
 */
export type ConnectionStatus = 'connecting' | 'knocking' | 'connected' | 'offline' | 'closed'

export interface ConnectOptions {
  /** ws://host:port/sync/<boardId>?v=<PROTOCOL_VERSION> */
  url: string
  board: Board
  awareness: awarenessProtocol.Awareness
  /** Cursors as presence deltas: this replica's own goes out through it, the others' come in (optional). */
  cursors?: CursorChannel
  /**
   * Asks the host for a view preview of the area the page opens at and holds what comes until the board has come
   * (preview.ts); without it none is asked.
   */
  preview?: BoardPreview
  /**
   * Asks the host for the board's overview (one picture of the whole board) and holds it until the board has come
   * (overview.ts); without it none is asked.
   */
  overview?: BoardOverview
  /**
   * The page's screen: the parts of a streamed board wait until it painted what came before them (paintPacing.ts),
   * so that the preview, the overview and the person's own view changes show in the frame after they come. Without
   * it (Node, tests of the engine) every message is handled as it comes.
   */
  pacing?: PaintPacing
  /** Opens a socket: the browser's WebSocket, `ws` in Node, or one end of an in-memory pair. */
  createSocket: (url: string) => BoardSocket
  /** The platform's timers (retries wait on them). */
  timers: Timers
  /** The name and colour the others see; "Guest" in grey by default. */
  identity?: Identity
  /** The join token from the link (#join=...): enters as an editor. Without it a shared board knocks. */
  token?: string
  /** The host's own key (#owner=...): enters as the host. */
  ownerKey?: string
  /** A rejoin secret from an earlier connection to this board (kept by the page): back in with that role. */
  rejoin?: string
  /**
   * Speak the protocol without the secure channel. Only a host's loopback listener accepts that (its own
   * computer's pages); tests use it to show what the secure channel hides.
   */
  plain?: boolean
  /** Where to report an update from the host that could not be applied. */
  log?: (line: string) => void
  /**
   * Milliseconds the host may be unreachable before the session's standbys are tried in turn (default
   * FAILOVER_AFTER_MS; docs/protocol.md, "Failover").
   */
  failoverAfterMs?: number
}

/** How long a host may be gone before a replica looks for the session's next host. */
export const FAILOVER_AFTER_MS = 3000
/** While looking for the next host, the places are tried at most this far apart. */
const FAILOVER_RETRY_MS = 1000

/** A live connection of one board replica to its host. */
export interface BoardConnection {
  readonly status: ConnectionStatus
  /** True once the host's SyncStep2 arrived on the current socket (false again while reconnecting). */
  readonly synced: boolean
  /**
   * While the host streams a large board to this replica: the share of it received so far, 0 to 1 (1 once
   * the stream ended); undefined before a stream and when the board came in one frame. Every change is told
   * through onProgress; onSession hears only when a stream starts and when it ends (a page's UI renders again
   * then, not for each of a hundred parts).
   */
  readonly progress: number | undefined
  /**
   * While a large edit of this replica waits for the host's allowance (outbox.ts): the share of it sent so far,
   * 0 to 1; undefined when nothing large waits. Told as progress is (onProgress; onSession when it starts and ends).
   */
  readonly sending: number | undefined
  /** Close code and reason of the last socket close (why the connection is 'closed' or 'offline'). */
  readonly closeCode: number | undefined
  readonly closeReason: string | undefined
  /** Our role once welcomed (kept while reconnecting). */
  readonly role: Role | undefined
  readonly participantId: string | undefined
  /** The session the board is shared in; undefined while it is not shared (or before the welcome). */
  readonly session: SessionInfo | undefined
  /** Everyone in the session, ourselves included (empty while not connected). */
  readonly participants: Participant[]
  /** People waiting to be let in; only the host role is told. */
  readonly knocks: Knock[]
  readonly locked: boolean
  /** The join links to hand out; only the host role is told. */
  readonly joinLinks: string[]
  /**
   * While knocking: the 6-digit code of this secure channel; the host's knock card shows the same one unless
   * somebody sits in the middle.
   */
  readonly comparisonCode: string | undefined
  /** Why the host cannot write the board to its disk, while it cannot. */
  readonly saveProblem: string | undefined
  /** Our way back in with our role (given at the welcome); a page keeps it to come back after a reload. */
  readonly rejoin: string | undefined
  /** The host made a new link: the one this page was opened with no longer works (we stay in by rejoin). */
  readonly linkReplaced: boolean
  /** Sockets that failed since the host last welcomed this replica (the screen says "Reconnecting (3)"). */
  readonly attempts: number
  /** Who takes over if the host goes, in order, as the host last said. */
  readonly succession: Standby[]
  /** The standby now hosting the session, once the first host left and this replica moved to it. */
  readonly movedTo: Standby | undefined
  /** What this replica needs to host the session itself (after offerStandby, once the host accepted). */
  readonly standbyFacts: StandbyFacts | undefined
  /** Offers to host the session on `port` if the host goes (editors that proved the join token only). */
  offerStandby(port: number): void
  /** Calls back on every change of status or of synced; returns the unsubscribe function. */
  onStatus(cb: (status: ConnectionStatus) => void): () => void
  /**
   * Calls back when role, participantId, session, participants, knocks, locked or joinLinks change, and when a
   * streamed board starts and ends coming (progress).
   */
  onSession(cb: () => void): () => void
  /** Calls back on every change of progress; returns the unsubscribe function. */
  onProgress(cb: () => void): () => void
  /** Sends a host action (admit, refuse, set-role, kick, lock); false when not connected as the host. */
  control(action: HostAction): boolean
  /** Resolves when synced; rejects when the connection closes for good first. */
  whenSynced(): Promise<void>
  /** Updates sent on the current socket that the host has not yet written to its disk. */
  readonly unsaved: number
  /**
   * Calls back with the updates the host reports saved (MessageType.Saved): from then on they survive a
   * crash of the host. Returns the unsubscribe function.
   */
  onSaved(cb: (updates: Uint8Array[]) => void): () => void
  /** Ends the connection for good (no reconnect). */
  close(): void
}

const GUEST: Identity = { name: 'Guest', color: '#868e96' }

/**
 * Connects a board replica to a host and keeps it connected: y-protocols sync and awareness in both
 * directions, reconnecting with backoff after an unexpected close.
 */
export function connectBoard(options: ConnectOptions): BoardConnection {
  // The token or owner key is proved by the secure handshake; it never travels itself.
  let credential: SecureCredential =
    options.ownerKey !== undefined
      ? { mode: 'owner', secret: options.ownerKey }
      : options.token !== undefined
        ? { mode: 'link', secret: options.token }
        : { mode: 'knock' }
  const statusListeners = new Set<(status: ConnectionStatus) => void>()
  const sessionListeners = new Set<() => void>()
  const progressListeners = new Set<() => void>()
  const savedListeners = new Set<(updates: Uint8Array[]) => void>()
  const syncWaiters = new Set<{ resolve: () => void; reject: (e: Error) => void }>()
  let status: ConnectionStatus = 'connecting'
  let synced = false
  let progress: number | undefined
  let sending: number | undefined
  let closeCode: number | undefined
  let closeReason: string | undefined

  const closedError = (): Error =>
    new Error(`The connection to the board is closed (${closeCode ?? ''} ${closeReason ?? ''}).`)

  const setStatus = (next: ConnectionStatus, nextSynced: boolean): void => {
    if (next === status && nextSynced === synced) return
    status = next
    synced = nextSynced
    if (synced) {
      for (const w of syncWaiters) w.resolve()
      syncWaiters.clear()
    }
    if (status === 'closed') {
      for (const w of syncWaiters) w.reject(closedError())
      syncWaiters.clear()
    }
    for (const cb of [...statusListeners]) cb(status)
  }

  const engine = new SyncClient(
    options.board.doc,
    options.awareness,
    options.identity ?? GUEST,
    {
      phase(phase) {
        if (phase === 'knocking') setStatus('knocking', false)
        else if (phase === 'welcomed') {
          if (tried !== target) {
            // The session's next host: from now on this is where the replica reconnects.
            target = tried
            movedTo = tried.standby
          }
          stopLooking()
          attempts = 0
          // A stream cut short by a lost socket starts over on this one (or the board comes in one frame).
          progress = undefined
          setStatus('connected', false)
        } else if (phase === 'synced') {
          socket.resetBackoff()
          setStatus('connected', true)
        }
      },
      session() {
        // The old token would now fail the handshake; the rejoin secret alone brings us back, as it does a knocker.
        if (engine.state.linkReplaced && credential.mode === 'link') credential = { mode: 'knock' }
        for (const cb of [...sessionListeners]) cb()
      },
      saved(updates) {
        for (const cb of [...savedListeners]) cb(updates)
      },
      error(error) {
        options.log?.(`An update from the host could not be applied: ${String(error)}`)
      },
      progress(received, total) {
        const started = progress === undefined
        progress = total > 0 ? received / total : 1
        for (const cb of [...progressListeners]) cb()
        if (started || progress >= 1) for (const cb of [...sessionListeners]) cb()
      },
      sending({ sent, total }) {
        // Only what waits long enough to see: a frame or two behind the allowance leaves within a blink.
        const next = total >= SENDING_SHOWN_BYTES && sent < total ? sent / total : undefined
        const shownChanged = (next === undefined) !== (sending === undefined)
        sending = next
        for (const cb of [...progressListeners]) cb()
        if (shownChanged) for (const cb of [...sessionListeners]) cb()
      },
    },
    options.rejoin,
    options.cursors,
    options.preview,
    options.timers,
    options.overview,
  )

  // Failover: the host's URL now, and, once it has been gone FAILOVER_AFTER_MS, the places tried in turn.
  let target: { url: string; standby?: Standby } = { url: options.url }
  let candidates: { url: string; standby?: Standby }[] | undefined
  let tried: { url: string; standby?: Standby } = target
  let attempt = 0
  let failoverTimer: unknown
  let movedTo: Standby | undefined
  let attempts = 0
  const stopLooking = (): void => {
    if (failoverTimer !== undefined) options.timers.clearTimeout(failoverTimer)
    failoverTimer = undefined
    candidates = undefined
    socket.capDelay(undefined)
  }
  const startLooking = (): void => {
    // The host's own windows prove its owner key, which no standby holds: they wait for their host.
    if (failoverTimer !== undefined || candidates || credential.mode === 'owner') return
    const own = engine.state.participantId
    const standbys = engine.state.succession.filter((s) => s.participantId !== own)
    if (standbys.length === 0) return
    failoverTimer = options.timers.setTimeout(() => {
      failoverTimer = undefined
      candidates = [target, ...standbys.map((standby) => ({ url: urlAt(options.url, standby), standby }))]
      attempt = 0
      socket.resetBackoff()
      socket.capDelay(FAILOVER_RETRY_MS)
    }, options.failoverAfterMs ?? FAILOVER_AFTER_MS)
  }

  const handle = (data: unknown): void => {
    try {
      engine.receive(data)
    } catch (error) {
      if (!(error instanceof UnreadableFrame)) throw error
      // Start over on a fresh socket; the sync handshake there repairs the rest.
      socket.restart(CloseReason.InvalidMessage, `Unreadable frame from the host: ${error.message}`)
    }
  }
  const inbox = options.pacing ? new PacedInbox(options.pacing, handle) : undefined

  const socket = new ReconnectingSocket<EngineSocket>(
    () => {
      tried = candidates ? (candidates[attempt++ % candidates.length] ?? target) : target
      const raw = options.createSocket(tried.url)
      return options.plain ? raw : secureSocket(raw, credential)
    },
    {
      connecting: () => setStatus('connecting', false),
      // Open means the secure handshake is done.
      open: (s) => {
        inbox?.reset()
        engine.attach(s)
      },
      message: (data) => (inbox ? inbox.receive(data) : handle(data)),
      // HostNotVerified is this client's own verdict on the host, never something the network said.
      // A standby tried while looking for the next host ends nothing: whatever it says, the search goes on.
      trustsClose: (code) =>
        tried === target &&
        (code === CloseReason.HostNotVerified || engine.trustsClose(code, options.plain === true)),
      closed(code, reason, final) {
        closeCode = code
        closeReason = reason
        inbox?.reset()
        engine.detach()
        if (final) {
          stopLooking()
          engine.destroy()
          setStatus('closed', false)
        } else {
          attempts++
          startLooking()
          setStatus('offline', false)
        }
      },
    },
    options.timers,
  )

  const connection: BoardConnection = {
    get status() {
      return status
    },
    get synced() {
      return synced
    },
    get progress() {
      return progress
    },
    get sending() {
      return sending
    },
    get closeCode() {
      return closeCode
    },
    get closeReason() {
      return closeReason
    },
    get role() {
      return engine.state.role
    },
    get participantId() {
      return engine.state.participantId
    },
    get session() {
      return engine.state.session
    },
    get participants() {
      return engine.state.participants
    },
    get knocks() {
      return engine.state.knocks
    },
    get locked() {
      return engine.state.locked
    },
    get joinLinks() {
      return engine.state.joinLinks
    },
    get comparisonCode() {
      return engine.state.comparisonCode
    },
    get saveProblem() {
      return engine.state.saveProblem
    },
    get rejoin() {
      return engine.state.rejoin
    },
    get linkReplaced() {
      return engine.state.linkReplaced
    },
    get unsaved() {
      return engine.unsaved
    },
    get attempts() {
      return attempts
    },
    get succession() {
      return engine.state.succession
    },
    get movedTo() {
      return movedTo
    },
    get standbyFacts() {
      return engine.state.standbyFacts
    },
    offerStandby: (port) => engine.offerStandby(port),
    onStatus(cb) {
      statusListeners.add(cb)
      return () => statusListeners.delete(cb)
    },
    onSession(cb) {
      sessionListeners.add(cb)
      return () => sessionListeners.delete(cb)
    },
    onProgress(cb) {
      progressListeners.add(cb)
      return () => progressListeners.delete(cb)
    },
    onSaved(cb) {
      savedListeners.add(cb)
      return () => savedListeners.delete(cb)
    },
    control: (action) => engine.control(action),
    whenSynced() {
      if (synced) return Promise.resolve()
      if (status === 'closed') return Promise.reject(closedError())
      return new Promise((resolve, reject) => syncWaiters.add({ resolve, reject }))
    },
    close() {
      if (status !== 'closed') socket.close(1000, 'closed by the client')
    },
  }
  socket.start()
  return connection
}

/** The same socket URL at a standby's address and port. */
function urlAt(url: string, standby: Standby): string {
  const host = standby.address.includes(':') ? `[${standby.address}]` : standby.address
  return url.replace(/^(wss?:\/\/)[^/]+/, `$1${host}:${standby.port}`)
}
