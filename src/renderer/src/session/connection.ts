/** The browser's side of the sync core: src/shared/sync's connection over the page's WebSocket and timers. */
import {
  type BoardConnection,
  type ConnectOptions,
  connectBoard as connectWith,
} from '../../../shared/sync/connect'
import type { BoardSocket, Timers } from '../../../shared/sync/socket'
import { screenPacing } from '../canvas/screenPacing'

export type { BoardConnection, ConnectionStatus, HostAction, Identity } from '../../../shared/sync/connect'

const browserTimers: Timers = {
  setTimeout: (callback, ms) => window.setTimeout(callback, ms),
  clearTimeout: (handle) => window.clearTimeout(handle as number),
  random: Math.random,
}

/** Connects a board replica to its host over the browser's WebSocket. */
export function connectBoard(
  options: Omit<ConnectOptions, 'createSocket' | 'timers'> & Partial<ConnectOptions>,
): BoardConnection {
  return connectWith({
    createSocket: (url) => new WebSocket(url) as unknown as BoardSocket,
    timers: browserTimers,
    // An update the board could not take is worth a line in the console, never a dropped connection.
    log: (line) => console.warn(line),
    // A large board's parts wait for the screen: what came before each (and the person's view) shows first.
    pacing: screenPacing,
    ...options,
  })
}
