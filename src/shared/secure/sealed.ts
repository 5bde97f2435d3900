/**
 * One direction pair of the secure channel after the handshake: every protocol frame is sealed with
 * ChaCha20-Poly1305 under a per-direction key, numbered by a counter that is both the nonce and part of the
 * authenticated header. TCP delivers frames once and in order, so any other counter is an attack (replay,
 * reordering, a dropped frame) and closes the socket.
 */
import { CloseReason } from '../sync/protocol'
import { AEAD_NONCE_BYTES, AEAD_TAG_BYTES, type Aead, type AeadKey, nobleAead } from './aead'
import { SecureChannelError, SecureFrame } from './wire'

/** Kind byte + 8-byte big-endian counter. */
const HEADER_BYTES = 9
/** Poly1305 tag. */
const TAG_BYTES = AEAD_TAG_BYTES

/** Bytes a sealed frame adds to the protocol frame it carries. */
export const SEAL_OVERHEAD = HEADER_BYTES + TAG_BYTES

/** Writes the header of frame `counter` into `h` (its first 9 bytes). */
function writeHeader(h: Uint8Array, counter: number): void {
  h[0] = SecureFrame.Sealed
  const view = new DataView(h.buffer, h.byteOffset, HEADER_BYTES)
  view.setUint32(1, Math.floor(counter / 2 ** 32))
  view.setUint32(5, counter >>> 0)
}

/** ChaCha20-Poly1305's 12-byte nonce: 4 zero bytes, then the counter (each key is used by one side only). */
function writeNonce(n: Uint8Array, h: Uint8Array): void {
  n.set(h.subarray(1, HEADER_BYTES), 4)
}

/** Seals what one side sends and opens what it receives, checking the order of every frame. */
export class SealedChannel {
  private sent = 0
  private expected = 0
  // Keys are set up once per socket; the nonce buffers are reused because every call is synchronous.
  private readonly sendKey: AeadKey
  private readonly receiveKey: AeadKey
  private readonly sendNonce = new Uint8Array(AEAD_NONCE_BYTES)
  private readonly receiveNonce = new Uint8Array(AEAD_NONCE_BYTES)

  constructor(sendKey: Uint8Array, receiveKey: Uint8Array, aead: Aead = nobleAead) {
    this.sendKey = aead.key(sendKey)
    this.receiveKey = aead.key(receiveKey)
  }

  /** A protocol frame as a sealed frame. */
  seal(frame: Uint8Array): Uint8Array {
    const out = new Uint8Array(HEADER_BYTES + frame.length + TAG_BYTES)
    const h = out.subarray(0, HEADER_BYTES)
    writeHeader(h, this.sent++)
    writeNonce(this.sendNonce, h)
    this.sendKey.sealInto(this.sendNonce, h, frame, out.subarray(HEADER_BYTES))
    return out
  }

  /** The protocol frame inside a sealed frame; throws SecureChannelError when it is not the next one. */
  open(sealed: Uint8Array): Uint8Array {
    const fail = (why: string) => new SecureChannelError(CloseReason.SecureChannel, why)
    if (sealed[0] !== SecureFrame.Sealed || sealed.length < HEADER_BYTES + TAG_BYTES)
      throw fail('A frame that is not sealed on the secure channel.')
    const view = new DataView(sealed.buffer, sealed.byteOffset, HEADER_BYTES)
    const counter = view.getUint32(1) * 2 ** 32 + view.getUint32(5)
    if (counter < this.expected) throw fail(`Frame ${counter} came again or late (replayed or reordered).`)
    if (counter > this.expected)
      throw fail(`Frame ${counter} came before frame ${this.expected} (dropped or reordered).`)
    const h = sealed.subarray(0, HEADER_BYTES)
    writeNonce(this.receiveNonce, h)
    const frame = this.receiveKey.open(this.receiveNonce, h, sealed.subarray(HEADER_BYTES))
    if (!frame) throw fail(`Frame ${counter} failed authentication (altered on the way, or another key).`)
    this.expected++
    return frame
  }
}
