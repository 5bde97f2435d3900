import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { WebSocket } from 'ws'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { CloseReason, MessageType } from '../../shared/protocol'

/** One live board on the host: its Y.Doc, the sockets connected to it, and the presence they relay. */
export class BoardRoom {
  readonly doc = new Y.Doc()
  readonly awareness: awarenessProtocol.Awareness
  /** socket -> the awareness client ids that socket has announced (removed when it closes). */
  private readonly sockets = new Map<WebSocket, Set<number>>()
  private closed = false

  constructor(
    readonly id: string,
    initialUpdate: Uint8Array | undefined,
    private readonly onChange: () => void,
    private readonly log: (line: string) => void,
  ) {
    if (initialUpdate) Y.applyUpdate(this.doc, initialUpdate)
    this.awareness = new awarenessProtocol.Awareness(this.doc)
    // The host is no participant: it relays presence but has none of its own.
    this.awareness.setLocalState(null)
    this.doc.on('update', this.handleDocUpdate)
    this.awareness.on('update', this.handleAwarenessUpdate)
  }

  /** Number of sockets connected to this board. */
  get clientCount(): number {
    return this.sockets.size
  }

  /** Serves a newly connected socket: starts the sync handshake and sends the presence known so far. */
  join(socket: WebSocket): void {
    if (this.closed) {
      socket.close(CloseReason.BoardClosed, 'This board is closed.')
      return
    }
    this.sockets.set(socket, new Set())
    socket.binaryType = 'nodebuffer'
    socket.on('message', (data, isBinary) => {
      if (!isBinary) {
        this.refuse(socket, 'Text frames are not part of the Lanvas protocol.')
        return
      }
      this.handleMessage(socket, toBytes(data))
    })
    socket.on('close', () => this.leave(socket))
    socket.on('error', (error) => this.log(`board ${this.id}: socket error: ${error.message}`))

    const sync = encoding.createEncoder()
    encoding.writeVarUint(sync, MessageType.Sync)
    syncProtocol.writeSyncStep1(sync, this.doc)
    send(socket, encoding.toUint8Array(sync))
    const known = [...this.awareness.getStates().keys()]
    if (known.length > 0) send(socket, awarenessMessage(this.awareness, known))
  }

  /** Closes every socket of this board with a reason; the room takes no more sockets. */
  close(code: number = CloseReason.BoardClosed, reason = 'The host closed this board.'): void {
    if (this.closed) return
    this.closed = true
    for (const socket of [...this.sockets.keys()]) {
      socket.close(code, reason)
      this.leave(socket)
    }
    this.doc.off('update', this.handleDocUpdate)
    this.awareness.off('update', this.handleAwarenessUpdate)
    this.awareness.destroy()
  }

  private leave(socket: WebSocket): void {
    const controlled = this.sockets.get(socket)
    if (!controlled) return
    this.sockets.delete(socket)
    if (controlled.size > 0) awarenessProtocol.removeAwarenessStates(this.awareness, [...controlled], null)
  }

  private refuse(socket: WebSocket, reason: string): void {
    this.log(`board ${this.id}: closing a socket: ${reason}`)
    // Close reasons are limited to 123 bytes by the WebSocket protocol.
    socket.close(CloseReason.InvalidMessage, reason.slice(0, 120))
    this.leave(socket)
  }

  private handleMessage(socket: WebSocket, bytes: Uint8Array): void {
    try {
      const decoder = decoding.createDecoder(bytes)
      const type = decoding.readVarUint(decoder)
      if (type === MessageType.Sync) this.handleSync(socket, decoder)
      else if (type === MessageType.Awareness) {
        const update = decoding.readVarUint8Array(decoder)
        awarenessProtocol.applyAwarenessUpdate(this.awareness, update, socket)
      } else throw new Error(`unknown message type ${type}`)
    } catch (error) {
      this.refuse(socket, `Invalid message: ${(error as Error).message}`)
    }
  }

  private handleSync(socket: WebSocket, decoder: decoding.Decoder): void {
    const kind = decoding.readVarUint(decoder)
    if (kind === syncProtocol.messageYjsSyncStep1) {
      const reply = encoding.createEncoder()
      encoding.writeVarUint(reply, MessageType.Sync)
      syncProtocol.readSyncStep1(decoder, reply, this.doc)
      send(socket, encoding.toUint8Array(reply))
    } else if (kind === syncProtocol.messageYjsSyncStep2 || kind === syncProtocol.messageYjsUpdate) {
      const update = decoding.readVarUint8Array(decoder)
      // Decoded on an empty scratch document first: bytes Yjs cannot read never reach the board.
      const scratch = new Y.Doc()
      try {
        Y.applyUpdate(scratch, update)
      } finally {
        scratch.destroy()
      }
      Y.applyUpdate(this.doc, update, socket)
    } else throw new Error(`unknown sync message ${kind}`)
  }

  private readonly handleDocUpdate = (update: Uint8Array, origin: unknown): void => {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MessageType.Sync)
    syncProtocol.writeUpdate(encoder, update)
    const message = encoding.toUint8Array(encoder)
    for (const socket of this.sockets.keys()) if (socket !== origin) send(socket, message)
    this.onChange()
  }

  private readonly handleAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const controlled = this.sockets.get(origin as WebSocket)
    if (controlled) {
      for (const id of added) controlled.add(id)
      for (const id of updated) controlled.add(id)
      for (const id of removed) controlled.delete(id)
    }
    const changed = [...added, ...updated, ...removed]
    const message = awarenessMessage(this.awareness, changed)
    for (const socket of this.sockets.keys()) if (socket !== origin) send(socket, message)
  }
}

function awarenessMessage(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Awareness)
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients))
  return encoding.toUint8Array(encoder)
}

function send(socket: WebSocket, message: Uint8Array): void {
  // A socket that is closing gets nothing more; it re-syncs from SyncStep1 when it reconnects.
  if (socket.readyState === socket.OPEN) socket.send(message)
}

function toBytes(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data))
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}
