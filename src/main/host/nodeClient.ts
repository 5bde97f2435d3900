/**
 * A board client in Node: src/shared/sync's connection over `ws` and Node's timers. The tests, the bench
 * and a host that follows another host's session connect with it.
 */
import WebSocket from 'ws'
import { type BoardConnection, type ConnectOptions, connectBoard } from '../../shared/sync/connect'
import type { BoardSocket, Timers } from '../../shared/sync/socket'

/** Node's timers as the sync core takes them. */
export const nodeTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  random: Math.random,
}

/** Opens a `ws` socket that swallows its own error events (a close always follows one). */
export function nodeSocket(url: string, options?: WebSocket.ClientOptions): WebSocket {
  const ws = new WebSocket(url, options)
  ws.on('error', () => {})
  return ws
}

/** Connects a board replica to a host from Node (`ws`, Node's timers) unless told otherwise. */
export function connectBoardFromNode(
  options: Omit<ConnectOptions, 'createSocket' | 'timers'> & Partial<ConnectOptions>,
): BoardConnection {
  return connectBoard({
    createSocket: (url) => nodeSocket(url) as unknown as BoardSocket,
    timers: nodeTimers,
    ...options,
  })
}
