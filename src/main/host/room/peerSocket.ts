import { errorMessage } from '../../../shared/errors'
import type { Aead } from '../../../shared/secure/aead'
import { HostHandshake, type SecretFor } from '../../../shared/secure/handshake'
import type { SealedChannel } from '../../../shared/secure/sealed'
import { modeOfByte, SecureChannelError, SecureFrame } from '../../../shared/secure/wire'
import { controlFrame } from '../../../shared/sync/frames'
import { CloseReason } from '../../../shared/sync/protocol'
import { frameBytes, type HostSocket, SocketState } from '../../../shared/sync/socket'
import type { FailedHandshakes } from '../failedHandshakes'
import { nativeAead } from './nativeAead'

/** What a peer proved in its handshake: the owner key, the join token, or nothing (plain or knocking). */
export type Credential = 'owner' | 'link' | 'none'

/** A socket as a room sees it: protocol frames in and out, and what its handshake proved. */
export interface RoomSocket extends HostSocket {
  /** Known from the first protocol frame on. */
  readonly credential: Credential
  /** The code the knocker's screen shows (secure knocks only). */
  readonly comparisonCode: string | undefined
  /** The peer's network address, for budgets per address (pending handshakes, knocks). */
  readonly address: string
  /** Says the close inside the channel (a `closing` message), then closes with that code and reason. */
  closeAnnounced(code: number, reason: string): void
}

/** How a listener takes its peers. */
export interface PeerOptions {
  /** Plain frames are taken too (the loopback listener); the LAN listener speaks only the secure channel. */
  plainAllowed: boolean
  /** The owner key, or the shared board's join token (undefined while it is not shared). */
  secretFor: SecretFor
  failedHandshakes: FailedHandshakes
  /** The peer's remote address, for the limit on failed handshakes. */
  address: string
  log: (line: string) => void
  /** Seals the secure channel; Node's native ChaCha20-Poly1305 unless given (the bench compares @noble's). */
  aead?: Aead
  /**
   * The connection's byte stream under the WebSocket (a net.Socket). Given, what is sent to the peer in one turn
   * of the event loop leaves when the turn ends: on the secure channel as one sealed frame (a SealedBatch when
   * there are several), on a plain socket as one writev; not one seal and one system call per frame.
   */
  stream?: CorkableStream
}

/**
 * The most a sealed batch holds before it is written: a turn's relay to one peer in a few frames, each far under
 * the frame cap (a frame larger than this goes alone).
 */
const BATCH_BYTES = 64 * 1024

/** What PeerSocket needs of a byte stream to hold writes until the end of a turn (node:net's Socket). */
export interface CorkableStream {
  cork(): void
  uncork(): void
  readonly destroyed: boolean
}

/**
 * A board socket as a room sees it: a raw socket (`ws`, or one end of an in-memory pair) with the secure
 * channel taken off, or a plain loopback socket as it is. Until the handshake is done it reports CONNECTING
 * and delivers nothing; afterwards `onmessage` gets protocol frames only (text frames as strings).
 */
export class PeerSocket implements RoomSocket {
  binaryType = 'arraybuffer'
  credential: Credential = 'none'
  comparisonCode: string | undefined
  onopen: ((ev: unknown) => void) | null = null
  onmessage: ((ev: { data: unknown }) => void) | null = null
  onclose: ((ev: { code: number; reason: string }) => void) | null = null
  onerror: ((ev: unknown) => void) | null = null
  readonly address: string
  private state: 'first' | 'handshake' | 'secure' | 'plain' | 'failed' = 'first'
  private readonly handshake: HostHandshake
  private channel: SealedChannel | undefined
  private corked = false
  // Frames sealed together at the end of this turn, and who waits for them to be written.
  private pending: Uint8Array[] = []
  private pendingBytes = 0
  private pendingWritten: ((error?: Error) => void)[] = []
  private flushScheduled = false

  constructor(
    private readonly raw: HostSocket,
    private readonly options: PeerOptions,
  ) {
    this.handshake = new HostHandshake(options.secretFor, options.aead ?? nativeAead)
    this.address = options.address
    raw.onmessage = (ev) => this.receive(ev.data)
    raw.onclose = (ev) => this.onclose?.({ code: ev.code, reason: String(ev.reason) })
    raw.onerror = (ev) => this.onerror?.(ev)
  }

  get readyState(): number {
    const secureOrPlain = this.state === 'secure' || this.state === 'plain'
    return !secureOrPlain && this.raw.readyState === SocketState.Open
      ? SocketState.Connecting
      : this.raw.readyState
  }

  /**
   * Bytes queued to the peer and not yet written to the network, the frames held for this turn's sealed batch
   * included: the slow-peer check runs before each send, and must not see a turn's relay only once it is sealed.
   */
  get bufferedAmount(): number {
    return this.raw.bufferedAmount + this.pendingBytes
  }

  /**
   * Sends one protocol frame (sealed on the secure channel); nothing before the handshake is done. `written`
   * is called once the frame has left the host's buffers (the slow-peer check excuses replies until then).
   */
  send(frame: Uint8Array, written?: (error?: Error) => void): void {
    if (this.state === 'secure' && this.channel) {
      if (!this.options.stream) this.raw.send(this.channel.seal(frame), written)
      else this.queue(frame, written)
    } else if (this.state === 'plain') {
      this.holdWrites()
      this.raw.send(frame, written)
    }
  }

  /** Holds a frame for the sealed batch of this turn (written at once past BATCH_BYTES). */
  private queue(frame: Uint8Array, written?: (error?: Error) => void): void {
    if (this.pending.length > 0 && this.pendingBytes + frame.length > BATCH_BYTES) this.flush()
    this.pending.push(frame)
    this.pendingBytes += frame.length
    if (written) this.pendingWritten.push(written)
    if (this.flushScheduled) return
    this.flushScheduled = true
    setImmediate(() => {
      this.flushScheduled = false
      this.flush()
    })
  }

  /** Seals what this turn held as one frame and writes it. */
  private flush(): void {
    const frames = this.pending
    if (frames.length === 0 || !this.channel) return
    const callbacks = this.pendingWritten
    this.pending = []
    this.pendingBytes = 0
    this.pendingWritten = []
    const done =
      callbacks.length === 0
        ? undefined
        : (error?: Error) => {
            for (const c of callbacks) c(error)
          }
    if (this.raw.readyState === SocketState.Open) this.raw.send(this.channel.sealBatch(frames), done)
    else done?.(new Error('The socket closed before its frames were written.'))
  }

  /**
   * Corks the stream until this turn of the event loop ends: a relay turn sends one frame per update to every
   * peer, and several updates arrive in one turn under load; each peer then gets one writev for all of them
   * (the system call per frame per peer was the largest cost of fan-out after the host's own work).
   */
  private holdWrites(): void {
    const stream = this.options.stream
    if (!stream || this.corked || stream.destroyed) return
    this.corked = true
    stream.cork()
    setImmediate(() => {
      this.corked = false
      stream.uncork()
    })
  }

  /** Closes the socket with a code and reason (close frames are not sealed: they carry no board content). */
  close(code?: number, reason?: string): void {
    // What this turn held goes first (a `closing` message among it).
    this.flush()
    this.raw.close(code, reason)
  }

  /**
   * Says the close inside the channel, then closes: clients believe a final close code only when the host
   * announced it so (a close frame alone could be forged on the network).
   */
  closeAnnounced(code: number, reason: string): void {
    if (this.readyState === SocketState.Open) this.send(controlFrame({ type: 'closing', code, reason }))
    // Close reasons are limited to 123 bytes by the WebSocket protocol.
    this.close(code, reason.slice(0, 120))
  }

  /** Drops the connection at once, without a close handshake. */
  terminate(): void {
    this.raw.terminate()
  }

  private receive(data: unknown): void {
    if (this.state === 'plain') {
      this.onmessage?.({ data })
      return
    }
    let frame: Uint8Array | undefined
    try {
      frame = this.step(data)
    } catch (error) {
      this.fail(error)
      return
    }
    if (frame) this.onmessage?.({ data: frame })
  }

  /** Advances the handshake or opens a sealed frame; returns a protocol frame to hand on, if any. */
  private step(data: unknown): Uint8Array | undefined {
    const fail = (why: string) => new SecureChannelError(CloseReason.SecureChannel, why)
    if (this.state === 'failed') return undefined
    const bytes = frameBytes(data)
    if (this.state === 'first' && !(bytes && bytes[0] === SecureFrame.ClientHello)) {
      if (!this.options.plainAllowed)
        throw fail('This host speaks only the encrypted Lanvas protocol on the network.')
      this.state = 'plain'
      this.onmessage?.({ data })
      return undefined
    }
    if (!bytes) throw fail('Text frames are not part of the Lanvas protocol.')
    switch (this.state) {
      case 'first':
        if (this.options.failedHandshakes.blocked(this.options.address, modeOfByte(bytes[2] ?? -1)))
          throw new SecureChannelError(
            CloseReason.RateLimited,
            'Too many wrong keys from your address; try again in a minute.',
          )
        this.state = 'handshake'
        this.raw.send(this.handshake.onClientHello(bytes))
        return undefined
      case 'handshake': {
        const { reply, secured } = this.handshake.onClientProof(bytes)
        this.raw.send(reply)
        this.channel = secured.channel
        this.credential = secured.mode === 'knock' ? 'none' : secured.mode
        if (secured.mode === 'knock') this.comparisonCode = secured.code
        this.state = 'secure'
        return undefined
      }
      default:
        return this.channel?.open(bytes)
    }
  }

  private fail(error: unknown): void {
    const code = error instanceof SecureChannelError ? error.code : CloseReason.SecureChannel
    const reason = errorMessage(error)
    if (code === CloseReason.BadToken)
      this.options.failedHandshakes.fail(this.options.address, this.handshake.mode)
    this.options.log(`closing a socket from ${this.options.address}: ${reason}`)
    this.state = 'failed'
    this.raw.close(code, reason.slice(0, 120))
  }
}
