import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import type { Board } from '../../../shared/board'
import { type BoardSocket, CloseReason, MessageType } from '../../../shared/protocol'
import { type SecureCredential, secureSocket } from '../../../shared/secure/clientSocket'
import {
  type ClientControl,
  controlFrame,
  type HostControl,
  type Knock,
  type Participant,
  parseHostControl,
  Role,
  type SessionInfo,
} from '../../../shared/session'

/**
 * connecting: a socket is opening or waiting for its welcome; knocking: the host is asked to let us in;
 * connected: welcomed; offline: waiting to retry; closed: for good.
 */
export type ConnectionStatus = 'connecting' | 'knocking' | 'connected' | 'offline' | 'closed'

/** Who this person is to the others. */
export interface Identity {
  name: string
  /** #rrggbb */
  color: string
}

/** Control messages the host role sends (the host closes the socket of anyone else who sends them). */
export type HostAction = Exclude<ClientControl, { type: 'hello' }>

export interface ConnectOptions {
  /** ws://host:port/sync/<boardId>?v=<PROTOCOL_VERSION> */
  url: string
  board: Board
  awareness: awarenessProtocol.Awareness
  /** Opens a socket; the browser's WebSocket by default, `ws` in Node. */
  createSocket?: (url: string) => BoardSocket
  /** The name and colour the others see; "Guest" in grey by default. */
  identity?: Identity
  /** The join token from the link (#join=...): enters as an editor. Without it a shared board knocks. */
  token?: string
  /** The host's own key (#owner=...): enters as the host. */
  ownerKey?: string
  /**
   * Speak the protocol without the secure channel. Only a host's loopback listener accepts that (its own
   * computer's pages); tests use it to show what the secure channel hides.
   */
  plain?: boolean
}

/** A live connection of one board replica to its host. */
export interface BoardConnection {
  readonly status: ConnectionStatus
  /** True once the host's SyncStep2 arrived on the current socket (false again while reconnecting). */
  readonly synced: boolean
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
  /** Calls back on every change of status or of synced; returns the unsubscribe function. */
  onStatus(cb: (status: ConnectionStatus) => void): () => void
  /** Calls back when role, participantId, session, participants, knocks, locked or joinLinks change. */
  onSession(cb: () => void): () => void
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

/** Close codes after which retrying cannot help: the host refused this client or this board. */
const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CloseReason.VersionMismatch,
  CloseReason.BadToken,
  CloseReason.Kicked,
  CloseReason.UnknownBoard,
  CloseReason.BoardClosed,
  CloseReason.Locked,
  CloseReason.Refused,
  CloseReason.HostNotVerified,
  // The host refused something this replica holds; it would send it again on every retry.
  CloseReason.InvalidMessage,
  CloseReason.TooLarge,
])

const GUEST: Identity = { name: 'Guest', color: '#868e96' }

/** First retry delay after an unexpected close; doubled per failed attempt... */
export const RECONNECT_BASE_MS = 250
/** ...up to this, so a host that comes back is found within seconds. */
export const RECONNECT_MAX_MS = 5000

const OPEN = 1

/**
 * Connects a board replica to a host over one WebSocket and keeps it connected: y-protocols sync and
 * awareness in both directions, reconnecting with backoff after an unexpected close.
 */
export function connectBoard(options: ConnectOptions): BoardConnection {
  const { url, board, awareness } = options
  const doc = board.doc
  const createSocket = options.createSocket ?? ((u: string) => new WebSocket(u) as unknown as BoardSocket)
  const identity = options.identity ?? GUEST
  // The token or owner key is proved by the secure handshake; it never travels itself.
  const credential: SecureCredential =
    options.ownerKey !== undefined
      ? { mode: 'owner', secret: options.ownerKey }
      : options.token !== undefined
        ? { mode: 'link', secret: options.token }
        : { mode: 'knock' }
  const listeners = new Set<(status: ConnectionStatus) => void>()
  const sessionListeners = new Set<() => void>()
  const syncWaiters = new Set<{ resolve: () => void; reject: (e: Error) => void }>()
  // A plain socket has no comparison code.
  let socket: (BoardSocket & { readonly comparisonCode?: string }) | undefined
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  let attempts = 0
  // Given by the host's welcome; sent back on reconnect to keep our role, even in a locked session.
  let rejoin: string | undefined
  // True from the welcome until the socket closes: sync and presence flow only then.
  let welcomed = false
  // Update frames sent on this socket and not yet reported saved; `saved` of them were reported before.
  let unsavedUpdates: Uint8Array[] = []
  let savedCount = 0
  const savedListeners = new Set<(updates: Uint8Array[]) => void>()
  // This object is the transaction origin of everything the host sends, so it is not echoed back.
  const origin = {}

  const connection: BoardConnection = {
    status: 'connecting',
    synced: false,
    closeCode: undefined,
    closeReason: undefined,
    role: undefined,
    participantId: undefined,
    session: undefined,
    participants: [],
    knocks: [],
    locked: false,
    joinLinks: [],
    comparisonCode: undefined,
    onStatus(cb) {
      listeners.add(cb)
      return () => listeners.delete(cb)
    },
    onSession(cb) {
      sessionListeners.add(cb)
      return () => sessionListeners.delete(cb)
    },
    control(action) {
      if (!welcomed || state.role !== Role.Host) return false
      send(controlFrame(action))
      return true
    },
    get unsaved() {
      return unsavedUpdates.length
    },
    onSaved(cb) {
      savedListeners.add(cb)
      return () => savedListeners.delete(cb)
    },
    whenSynced() {
      if (state.synced) return Promise.resolve()
      if (state.status === 'closed') return Promise.reject(closedError())
      return new Promise((resolve, reject) => syncWaiters.add({ resolve, reject }))
    },
    close() {
      if (state.status === 'closed') return
      finish(1000, 'closed by the client')
    },
  }
  const state = connection as {
    -readonly [K in keyof BoardConnection]: BoardConnection[K]
  }

  const changeSession = (changes: Partial<BoardConnection>): void => {
    Object.assign(state, changes)
    for (const cb of [...sessionListeners]) cb()
  }

  const closedError = (): Error =>
    new Error(`The connection to the board is closed (${state.closeCode ?? ''} ${state.closeReason ?? ''}).`)

  const update = (status: ConnectionStatus, synced: boolean): void => {
    if (status === state.status && synced === state.synced) return
    state.status = status
    state.synced = synced
    if (synced) {
      for (const w of syncWaiters) w.resolve()
      syncWaiters.clear()
    }
    if (status === 'closed') {
      for (const w of syncWaiters) w.reject(closedError())
      syncWaiters.clear()
    }
    for (const cb of [...listeners]) cb(status)
  }

  const send = (message: Uint8Array): void => {
    if (socket && socket.readyState === OPEN) socket.send(message)
  }

  /** Sends a Sync frame that carries an update (Update or SyncStep2); the host counts these in its acks. */
  const sendUpdateFrame = (message: Uint8Array, update: Uint8Array): void => {
    if (!socket || socket.readyState !== OPEN) return
    socket.send(message)
    unsavedUpdates.push(update)
  }

  const handleSaved = (count: number): void => {
    const newly = count - savedCount
    if (newly <= 0 || newly > unsavedUpdates.length) throw new Error('a saved count that does not add up')
    savedCount = count
    const updates = unsavedUpdates.splice(0, newly)
    for (const cb of [...savedListeners]) cb(updates)
  }

  const handleMessage = (data: unknown): void => {
    const bytes =
      data instanceof ArrayBuffer
        ? new Uint8Array(data)
        : ArrayBuffer.isView(data)
          ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
          : undefined
    if (!bytes) return
    const decoder = decoding.createDecoder(bytes)
    const type = decoding.readVarUint(decoder)
    if (type === MessageType.Control) {
      const message = parseHostControl(decoding.readVarString(decoder))
      if (!message) throw new Error('invalid control message')
      handleControl(message)
    } else if (!welcomed) {
      throw new Error('sync before the welcome')
    } else if (type === MessageType.Sync) {
      const reply = encoding.createEncoder()
      encoding.writeVarUint(reply, MessageType.Sync)
      const kind = syncProtocol.readSyncMessage(decoder, reply, doc, origin)
      // A viewer's state is of no use to the host (it drops it), so a viewer does not answer with it.
      if (encoding.length(reply) > 1 && state.role !== Role.Viewer) {
        const message = encoding.toUint8Array(reply)
        if (kind === syncProtocol.messageYjsSyncStep1) sendUpdateFrame(message, updateIn(message))
        else send(message)
      }
      if (kind === syncProtocol.messageYjsSyncStep2) {
        attempts = 0
        update(state.status, true)
      }
    } else if (type === MessageType.Awareness) {
      awarenessProtocol.applyAwarenessUpdate(awareness, decoding.readVarUint8Array(decoder), origin)
    } else if (type === MessageType.Saved) {
      handleSaved(decoding.readVarUint(decoder))
    }
  }

  const handleControl = (message: HostControl): void => {
    switch (message.type) {
      case 'welcome':
        welcomed = true
        rejoin = message.rejoin
        changeSession({
          role: message.role,
          participantId: message.participantId,
          session: message.session,
          locked: message.session?.locked ?? false,
          joinLinks: message.joinLinks ?? [],
          comparisonCode: undefined,
        })
        update('connected', false)
        sendSyncStep1()
        if (awareness.getLocalState() !== null) send(awarenessMessage([awareness.clientID]))
        break
      case 'knock-pending':
        changeSession({ comparisonCode: socket?.comparisonCode })
        update('knocking', false)
        break
      case 'participants':
        changeSession({
          participants: message.participants,
          knocks: message.knocks,
          locked: message.locked,
          session: state.session && { ...state.session, locked: message.locked },
        })
        break
      case 'role':
        changeSession({ role: message.role })
        break
      case 'session':
        changeSession({
          session: message.session,
          locked: message.session?.locked ?? false,
          ...(state.role === Role.Host ? { joinLinks: message.joinLinks ?? [] } : {}),
        })
        break
    }
  }

  const sendSyncStep1 = (): void => {
    const step1 = encoding.createEncoder()
    encoding.writeVarUint(step1, MessageType.Sync)
    syncProtocol.writeSyncStep1(step1, doc)
    send(encoding.toUint8Array(step1))
  }

  const sendHello = (): void => {
    send(
      controlFrame({
        type: 'hello',
        name: identity.name,
        color: identity.color,
        awarenessId: awareness.clientID,
        ...(rejoin !== undefined ? { rejoin } : {}),
      }),
    )
  }

  const open = (): void => {
    retryTimer = undefined
    update('connecting', false)
    const raw = createSocket(url)
    const s = options.plain ? raw : secureSocket(raw, credential)
    socket = s
    s.binaryType = 'arraybuffer'
    s.onopen = () => {
      if (socket !== s) return
      // Open means the secure handshake is done. The host answers only once it knows who we are: hello first.
      sendHello()
    }
    s.onmessage = (ev) => {
      if (socket !== s) return
      try {
        handleMessage(ev.data)
      } catch {
        // A frame this client cannot read: start over on a fresh socket, the sync handshake repairs the rest.
        s.close(CloseReason.InvalidMessage, 'unreadable frame from the host')
      }
    }
    s.onerror = () => {}
    s.onclose = (ev) => {
      if (socket !== s) return
      socket = undefined
      state.closeCode = ev.code
      state.closeReason = ev.reason
      leaveSession()
      if (FINAL_CLOSE_CODES.has(ev.code)) {
        finish(ev.code, ev.reason)
        return
      }
      const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** attempts)
      attempts++
      // Jitter spreads the retries of many clients after a host restart.
      retryTimer = setTimeout(open, delay * (0.5 + Math.random() * 0.5))
      update('offline', false)
    }
  }

  const finish = (code: number, reason: string): void => {
    if (retryTimer) clearTimeout(retryTimer)
    retryTimer = undefined
    const s = socket
    socket = undefined
    state.closeCode = code
    state.closeReason = reason
    doc.off('update', handleDocUpdate)
    awareness.off('update', handleAwarenessUpdate)
    if (s) {
      s.onclose = null
      s.onmessage = null
      s.onopen = null
      s.close(1000)
    }
    leaveSession()
    update('closed', false)
  }

  /** The socket is gone: nobody else is with us until the next welcome. */
  const leaveSession = (): void => {
    welcomed = false
    // Counts are per socket. What the host did not report saved is sent again by the next sync handshake.
    unsavedUpdates = []
    savedCount = 0
    if (state.comparisonCode !== undefined) state.comparisonCode = undefined
    dropRemotePresence()
    if (state.participants.length > 0 || state.knocks.length > 0)
      changeSession({ participants: [], knocks: [] })
  }

  const awarenessMessage = (clients: number[]): Uint8Array => {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MessageType.Awareness)
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients))
    return encoding.toUint8Array(encoder)
  }

  const dropRemotePresence = (): void => {
    const others = [...awareness.getStates().keys()].filter((id) => id !== awareness.clientID)
    if (others.length > 0) awarenessProtocol.removeAwarenessStates(awareness, others, origin)
  }

  const handleDocUpdate = (update: Uint8Array, updateOrigin: unknown): void => {
    // Offline or before the welcome, edits wait for the next sync handshake; a viewer's are never sent.
    if (updateOrigin === origin || !welcomed || state.role === Role.Viewer) return
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MessageType.Sync)
    syncProtocol.writeUpdate(encoder, update)
    sendUpdateFrame(encoding.toUint8Array(encoder), update)
  }

  const handleAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    updateOrigin: unknown,
  ): void => {
    if (updateOrigin === origin || !welcomed) return
    const own = [...added, ...updated, ...removed].filter((id) => id === awareness.clientID)
    if (own.length > 0) send(awarenessMessage(own))
  }

  doc.on('update', handleDocUpdate)
  awareness.on('update', handleAwarenessUpdate)
  open()
  return connection
}

/** The update a SyncStep2 frame carries (type Sync, then messageYjsSyncStep2, then the update). */
function updateIn(syncStep2Frame: Uint8Array): Uint8Array {
  const decoder = decoding.createDecoder(syncStep2Frame)
  decoding.readVarUint(decoder)
  decoding.readVarUint(decoder)
  return decoding.readVarUint8Array(decoder)
}
