/**
 * Keeps one socket open to a host: opens it, and after an unexpected close opens a new one with backoff and
 * jitter, until a close code says retrying cannot help or the owner closes it. It knows nothing of the
 * protocol above; the client engine (client.ts) gets each open socket and each close.
 */
import { CloseReason } from './protocol'
import { type BoardSocket, SocketState, type Timers } from './socket'

/** Close codes after which retrying cannot help: the host refused this client or this board. */
export const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set([
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

/** First retry delay after an unexpected close; doubled per failed attempt... */
export const RECONNECT_BASE_MS = 250
/** ...up to this, so a host that comes back is found within seconds. */
export const RECONNECT_MAX_MS = 5000

/** What the owner of a reconnecting socket hears. */
export interface ReconnectEvents<S extends BoardSocket> {
  /** A socket is being opened (a first attempt or a retry). */
  connecting(): void
  /** The socket is open; frames may be sent on it. */
  open(socket: S): void
  message(data: unknown): void
  /** The socket closed; `final` when no retry follows. */
  closed(code: number, reason: string, final: boolean): void
  /** Whether a final close code on this socket is to be believed (unset: always). */
  trustsClose?(code: number): boolean
}

/** One socket at a time to the same place, reopened after unexpected closes. */
export class ReconnectingSocket<S extends BoardSocket> {
  private socket: S | undefined
  private retryTimer: unknown
  private attempts = 0
  private ended = false
  /** Set when this side closed the socket to start over: its close is then retried whatever the code. */
  private restarting: S | undefined
  /** A lower ceiling for the retry delay while set (looking for the session's next host). */
  private delayCap: number | undefined

  constructor(
    private readonly openSocket: () => S,
    private readonly events: ReconnectEvents<S>,
    private readonly timers: Timers,
  ) {}

  /** Opens the first socket. */
  start(): void {
    if (!this.socket && !this.ended) this.open()
  }

  /** The open socket, if any. */
  get current(): S | undefined {
    return this.socket && this.socket.readyState === SocketState.Open ? this.socket : undefined
  }

  /** The socket being opened or open, if any (its handshake may still be running). */
  get pending(): S | undefined {
    return this.socket
  }

  /** The host answered as it should: the next failure starts again from the shortest delay. */
  resetBackoff(): void {
    this.attempts = 0
  }

  /** Retries at most `ms` apart until called with undefined (several places are tried in turn meanwhile). */
  capDelay(ms: number | undefined): void {
    this.delayCap = ms
  }

  /**
   * Closes the current socket with a code that tells the host why, and starts over on a fresh one (used for
   * a frame this side cannot read: the sync handshake on the next socket repairs the rest).
   */
  restart(code: number, reason: string): void {
    const s = this.socket
    if (!s || this.ended) return
    this.restarting = s
    s.close(code, reason.slice(0, 120))
  }

  /** Ends for good: no more retries, the socket is closed with 1000. */
  close(code = 1000, reason = 'closed by the client'): void {
    if (this.ended) return
    this.ended = true
    if (this.retryTimer !== undefined) this.timers.clearTimeout(this.retryTimer)
    this.retryTimer = undefined
    const s = this.socket
    this.socket = undefined
    if (s) {
      s.onclose = null
      s.onmessage = null
      s.onopen = null
      s.close(1000)
    }
    this.events.closed(code, reason, true)
  }

  private open(): void {
    this.retryTimer = undefined
    this.events.connecting()
    let s: S
    try {
      s = this.openSocket()
    } catch (error) {
      // A socket the platform will not even open (a page's Content-Security-Policy, a malformed address) is a
      // failed attempt like any other: the next one may go elsewhere (failover) or find the host back.
      this.retryLater(
        1006,
        `Could not open a socket: ${error instanceof Error ? error.message : String(error)}`,
      )
      return
    }
    this.socket = s
    s.binaryType = 'arraybuffer'
    s.onopen = () => {
      if (this.socket === s) this.events.open(s)
    }
    s.onmessage = (ev) => {
      if (this.socket === s) this.events.message(ev.data)
    }
    s.onerror = () => {}
    s.onclose = (ev) => {
      if (this.socket !== s) return
      this.socket = undefined
      const restart = this.restarting === s
      this.restarting = undefined
      if (!restart && FINAL_CLOSE_CODES.has(ev.code) && (this.events.trustsClose?.(ev.code) ?? true)) {
        this.ended = true
        this.events.closed(ev.code, ev.reason, true)
        return
      }
      this.retryLater(ev.code, ev.reason)
    }
  }

  private retryLater(code: number, reason: string): void {
    const delay = Math.min(this.delayCap ?? RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** this.attempts)
    this.attempts++
    // Jitter spreads the retries of many clients after a host restart.
    this.retryTimer = this.timers.setTimeout(() => this.open(), delay * (0.5 + this.timers.random() * 0.5))
    this.events.closed(code, reason, false)
  }
}
