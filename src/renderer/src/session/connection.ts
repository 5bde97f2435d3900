import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import type { Board } from '../../../shared/board'
import { type BoardSocket, CloseReason, MessageType } from '../../../shared/protocol'

/** connecting: a socket is opening; connected: open; offline: waiting to retry; closed: for good. */
export type ConnectionStatus = 'connecting' | 'connected' | 'offline' | 'closed'

export interface ConnectOptions {
  /** ws://host:port/sync/<boardId>?v=<PROTOCOL_VERSION> */
  url: string
  board: Board
  awareness: awarenessProtocol.Awareness
  /** Opens a socket; the browser's WebSocket by default, `ws` in Node. */
  createSocket?: (url: string) => BoardSocket
}

/** A live connection of one board replica to its host. */
export interface BoardConnection {
  readonly status: ConnectionStatus
  /** True once the host's SyncStep2 arrived on the current socket (false again while reconnecting). */
  readonly synced: boolean
  /** Close code and reason of the last socket close (why the connection is 'closed' or 'offline'). */
  readonly closeCode: number | undefined
  readonly closeReason: string | undefined
  /** Calls back on every change of status or of synced; returns the unsubscribe function. */
  onStatus(cb: (status: ConnectionStatus) => void): () => void
  /** Resolves when synced; rejects when the connection closes for good first. */
  whenSynced(): Promise<void>
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
])

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
  const listeners = new Set<(status: ConnectionStatus) => void>()
  const syncWaiters = new Set<{ resolve: () => void; reject: (e: Error) => void }>()
  let socket: BoardSocket | undefined
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  let attempts = 0
  // This object is the transaction origin of everything the host sends, so it is not echoed back.
  const origin = {}

  const connection: BoardConnection = {
    status: 'connecting',
    synced: false,
    closeCode: undefined,
    closeReason: undefined,
    onStatus(cb) {
      listeners.add(cb)
      return () => listeners.delete(cb)
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
    status: ConnectionStatus
    synced: boolean
    closeCode: number | undefined
    closeReason: string | undefined
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
    if (type === MessageType.Sync) {
      const reply = encoding.createEncoder()
      encoding.writeVarUint(reply, MessageType.Sync)
      const kind = syncProtocol.readSyncMessage(decoder, reply, doc, origin)
      if (encoding.length(reply) > 1) send(encoding.toUint8Array(reply))
      if (kind === syncProtocol.messageYjsSyncStep2) {
        attempts = 0
        update(state.status, true)
      }
    } else if (type === MessageType.Awareness) {
      awarenessProtocol.applyAwarenessUpdate(awareness, decoding.readVarUint8Array(decoder), origin)
    }
  }

  const open = (): void => {
    retryTimer = undefined
    update('connecting', false)
    const s = createSocket(url)
    socket = s
    s.binaryType = 'arraybuffer'
    s.onopen = () => {
      if (socket !== s) return
      update('connected', false)
      const step1 = encoding.createEncoder()
      encoding.writeVarUint(step1, MessageType.Sync)
      syncProtocol.writeSyncStep1(step1, doc)
      send(encoding.toUint8Array(step1))
      if (awareness.getLocalState() !== null) send(awarenessMessage([awareness.clientID]))
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
      dropRemotePresence()
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
    dropRemotePresence()
    update('closed', false)
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
    if (updateOrigin === origin) return
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MessageType.Sync)
    syncProtocol.writeUpdate(encoder, update)
    send(encoding.toUint8Array(encoder))
  }

  const handleAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    updateOrigin: unknown,
  ): void => {
    if (updateOrigin === origin) return
    const own = [...added, ...updated, ...removed].filter((id) => id === awareness.clientID)
    if (own.length > 0) send(awarenessMessage(own))
  }

  doc.on('update', handleDocUpdate)
  awareness.on('update', handleAwarenessUpdate)
  open()
  return connection
}
