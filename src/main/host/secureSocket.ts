import { EventEmitter } from 'node:events'
import type { WebSocket } from 'ws'
import { errorMessage } from '../../shared/errors'
import { CloseReason } from '../../shared/protocol'
import { HostHandshake, type SecretFor } from '../../shared/secure/handshake'
import type { SealedChannel } from '../../shared/secure/sealed'
import { SecureChannelError, SecureFrame } from '../../shared/secure/wire'
import type { FailedHandshakes } from './failedHandshakes'

/** What a peer proved in its handshake: the owner key, the join token, or nothing (plain or knocking). */
export type Credential = 'owner' | 'link' | 'none'

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
}

const CONNECTING = 0

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data)
  if (data instanceof ArrayBuffer) return Buffer.from(data)
  return data
}

/**
 * A board socket as a room sees it: the `ws` socket with the secure channel taken off (or a plain loopback
 * socket as it is). Emits 'message' (Buffer, isBinary) with protocol frames only, 'close' and 'error'.
 * Until the handshake is done it reports CONNECTING and emits nothing.
 */
export class PeerSocket extends EventEmitter {
  readonly OPEN = 1
  /** Known from the first protocol frame on. */
  credential: Credential = 'none'
  /** The code the knocker's screen shows (secure knocks only). */
  comparisonCode: string | undefined
  private state: 'first' | 'handshake' | 'secure' | 'plain' | 'failed' = 'first'
  private readonly handshake: HostHandshake
  private channel: SealedChannel | undefined

  constructor(
    private readonly ws: WebSocket,
    private readonly options: PeerOptions,
  ) {
    super()
    this.handshake = new HostHandshake(options.secretFor)
    ws.binaryType = 'nodebuffer'
    ws.on('message', (data: Buffer, isBinary) => this.receive(toBuffer(data), isBinary))
    ws.on('close', (code, reason) => this.emit('close', code, reason.toString()))
    ws.on('error', (error) => this.emit('error', error))
  }

  get readyState(): number {
    const secureOrPlain = this.state === 'secure' || this.state === 'plain'
    return !secureOrPlain && this.ws.readyState === this.ws.OPEN ? CONNECTING : this.ws.readyState
  }

  /** Bytes queued to the peer and not yet written to the network. */
  get bufferedAmount(): number {
    return this.ws.bufferedAmount
  }

  /**
   * Sends one protocol frame (sealed on the secure channel); nothing before the handshake is done. `written`
   * is called once the frame has left the host's buffers (the slow-peer check excuses replies until then).
   */
  send(frame: Uint8Array, written?: () => void): void {
    if (this.state === 'secure' && this.channel) this.ws.send(this.channel.seal(frame), written)
    else if (this.state === 'plain') this.ws.send(frame, written)
  }

  /** Closes the WebSocket with a code and reason (close frames are not sealed: they carry no board content). */
  close(code?: number, reason?: string): void {
    this.ws.close(code, reason)
  }

  /** Drops the connection at once, without a close handshake. */
  terminate(): void {
    this.ws.terminate()
  }

  private receive(bytes: Buffer, isBinary: boolean): void {
    if (this.state === 'plain') {
      this.emit('message', bytes, isBinary)
      return
    }
    let frame: Uint8Array | undefined
    try {
      frame = this.step(bytes, isBinary)
    } catch (error) {
      this.fail(error)
      return
    }
    if (frame) this.emit('message', Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength), true)
  }

  /** Advances the handshake or opens a sealed frame; returns a protocol frame to hand on, if any. */
  private step(bytes: Buffer, isBinary: boolean): Uint8Array | undefined {
    const fail = (why: string) => new SecureChannelError(CloseReason.SecureChannel, why)
    if (this.state === 'failed') return undefined
    const bytesView = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    if (this.state === 'first' && !(isBinary && bytesView[0] === SecureFrame.ClientHello)) {
      if (!this.options.plainAllowed)
        throw fail('This host speaks only the encrypted Lanvas protocol on the network.')
      this.state = 'plain'
      this.emit('message', bytes, isBinary)
      return undefined
    }
    if (!isBinary) throw fail('Text frames are not part of the Lanvas protocol.')
    switch (this.state) {
      case 'first':
        if (this.options.failedHandshakes.blocked(this.options.address))
          throw new SecureChannelError(
            CloseReason.RateLimited,
            'Too many wrong keys from your address; try again in a minute.',
          )
        this.state = 'handshake'
        this.ws.send(this.handshake.onClientHello(bytesView))
        return undefined
      case 'handshake': {
        const { reply, secured } = this.handshake.onClientProof(bytesView)
        this.ws.send(reply)
        this.channel = secured.channel
        this.credential = secured.mode === 'knock' ? 'none' : secured.mode
        if (secured.mode === 'knock') this.comparisonCode = secured.code
        this.state = 'secure'
        return undefined
      }
      default:
        return this.channel?.open(bytesView)
    }
  }

  private fail(error: unknown): void {
    const code = error instanceof SecureChannelError ? error.code : CloseReason.SecureChannel
    const reason = errorMessage(error)
    if (code === CloseReason.BadToken) this.options.failedHandshakes.fail(this.options.address)
    this.options.log(`closing a socket from ${this.options.address}: ${reason}`)
    this.state = 'failed'
    this.ws.close(code, reason.slice(0, 120))
  }
}
