/**
 * The minimal sockets the sync code runs over. The browser's WebSocket, `ws` and the in-memory pair
 * (memorySocket.ts) all satisfy them, so the client engine and the host room are tested without a network
 * first and over real sockets second.
 */

/** WebSocket ready states, as both the browser and `ws` number them. */
export const SocketState = { Connecting: 0, Open: 1, Closing: 2, Closed: 3 } as const

/** What a client needs of a socket: send binary frames, close, and the four events. */
export interface BoardSocket {
  binaryType: string
  readonly readyState: number
  /** Bytes sent and not yet on the wire (the browser's WebSocket and `ws` have it): large edits wait for it. */
  readonly bufferedAmount?: number
  send(data: Uint8Array): void
  close(code?: number, reason?: string): void
  onopen: ((ev: unknown) => void) | null
  /** `data` is binary (ArrayBuffer or a view) for binary frames and a string for text frames. */
  onmessage: ((ev: { data: unknown }) => void) | null
  onclose: ((ev: { code: number; reason: string }) => void) | null
  onerror: ((ev: unknown) => void) | null
}

/**
 * What the host needs of a socket on top of that: what it has not written out yet, a call once a frame
 * left its buffers (slow readers are told from peers that asked for a lot), and a stop without handshake.
 */
export interface HostSocket extends BoardSocket {
  readonly bufferedAmount: number
  send(data: Uint8Array, written?: (error?: Error) => void): void
  terminate(): void
}

/** Timers, injected so that src/shared needs no platform and tests can run time by hand. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
  /** A number in [0, 1) for jitter; seeded in tests. */
  random(): number
}

/** The bytes of a binary frame as a socket delivers it, or undefined for a text frame. */
export function frameBytes(data: unknown): Uint8Array | undefined {
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  return undefined
}
