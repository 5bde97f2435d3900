/**
 * A client's socket on the secure channel: wraps a raw BoardSocket (the browser's WebSocket or `ws`), runs
 * the handshake when it opens, and only then reports itself open; afterwards every frame is sealed and
 * opened on the way. The sync code above it sees the same BoardSocket as before.
 */
import { errorMessage } from '../errors'
import { CloseReason } from '../sync/protocol'
import { type BoardSocket, frameBytes } from '../sync/socket'
import { ClientHandshake, type Secured } from './handshake'
import { SecureChannelError, SecureFrame, type SecureMode } from './wire'

/** What the client proves: the link's token, the owner key, or nothing (it knocks). */
export type SecureCredential = { mode: 'knock' } | { mode: Exclude<SecureMode, 'knock'>; secret: string }

/** A BoardSocket on the secure channel. */
export interface SecureBoardSocket extends BoardSocket {
  /** The code both screens show, from the host's first answer on (shown while knocking). */
  readonly comparisonCode: string | undefined
}

const CONNECTING = 0
const OPEN = 1
const CLOSED = 3

/** Runs the secure channel over `raw`; the returned socket opens once the host proved itself. */
export function secureSocket(raw: BoardSocket, credential: SecureCredential): SecureBoardSocket {
  const handshake = new ClientHandshake(
    credential.mode,
    credential.mode === 'knock' ? undefined : credential.secret,
  )
  let secured: Secured | undefined
  // Set when this side ended the socket: the raw socket's own close event is then not reported again.
  let failed = false

  const fail = (code: number, reason: string): void => {
    if (failed) return
    failed = true
    raw.onmessage = null
    raw.onclose = null
    raw.close(code, reason.slice(0, 120))
    socket.onclose?.({ code, reason })
  }

  const socket: SecureBoardSocket = {
    binaryType: 'arraybuffer',
    get readyState() {
      if (failed) return CLOSED
      if (!secured && raw.readyState === OPEN) return CONNECTING
      return raw.readyState
    },
    get comparisonCode() {
      return handshake.code
    },
    get bufferedAmount() {
      return raw.bufferedAmount ?? 0
    },
    send(frame) {
      if (!secured || failed) throw new Error('The secure channel is not open.')
      raw.send(secured.channel.seal(frame))
    },
    close(code, reason) {
      if (failed) return
      raw.close(code, reason)
    },
    onopen: null,
    onmessage: null,
    onclose: null,
    onerror: null,
  }

  raw.binaryType = 'arraybuffer'
  raw.onopen = () => raw.send(handshake.hello())
  raw.onerror = (ev) => socket.onerror?.(ev)
  raw.onclose = (ev) => socket.onclose?.(ev)
  raw.onmessage = (ev) => {
    if (failed) return
    try {
      const bytes = frameBytes(ev.data)
      if (!bytes)
        throw new SecureChannelError(CloseReason.SecureChannel, 'A text frame on the secure channel.')
      if (secured) {
        // A host sends what it relays in one turn as one SealedBatch: hand the frames on one by one.
        for (const frame of secured.channel.openFrames(bytes)) {
          if (failed) return
          socket.onmessage?.({ data: frame })
        }
      } else if (bytes[0] === SecureFrame.HostHello) raw.send(handshake.onHostHello(bytes))
      else {
        secured = handshake.onHostProof(bytes)
        socket.onopen?.({})
      }
    } catch (error) {
      const secure = error instanceof SecureChannelError
      fail(secure ? error.code : CloseReason.SecureChannel, errorMessage(error))
    }
  }
  return socket
}
