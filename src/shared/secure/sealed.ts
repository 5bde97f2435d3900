/**
 * One direction pair of the secure channel after the handshake: every protocol frame is sealed with
 * ChaCha20-Poly1305 under a per-direction key, numbered by a counter that is both the nonce and part of the
 * authenticated header. TCP delivers frames once and in order, so any other counter is an attack (replay,
 * reordering, a dropped frame) and closes the socket.
 */
import { chacha20poly1305 } from '@noble/ciphers/chacha.js'
import { CloseReason } from '../sync/protocol'
import { SecureChannelError, SecureFrame } from './wire'

/** Kind byte + 8-byte big-endian counter. */
const HEADER_BYTES = 9
/** Poly1305 tag. */
const TAG_BYTES = 16

/** Bytes a sealed frame adds to the protocol frame it carries. */
export const SEAL_OVERHEAD = HEADER_BYTES + TAG_BYTES

function header(counter: number): Uint8Array {
  const h = new Uint8Array(HEADER_BYTES)
  h[0] = SecureFrame.Sealed
  const view = new DataView(h.buffer)
  view.setUint32(1, Math.floor(counter / 2 ** 32))
  view.setUint32(5, counter >>> 0)
  return h
}

/** ChaCha20-Poly1305's 12-byte nonce: 4 zero bytes, then the counter (each key is used by one side only). */
function nonce(h: Uint8Array): Uint8Array {
  const n = new Uint8Array(12)
  n.set(h.subarray(1), 4)
  return n
}

/** Seals what one side sends and opens what it receives, checking the order of every frame. */
export class SealedChannel {
  private sent = 0
  private expected = 0

  constructor(
    private readonly sendKey: Uint8Array,
    private readonly receiveKey: Uint8Array,
  ) {}

  /** A protocol frame as a sealed frame. */
  seal(frame: Uint8Array): Uint8Array {
    const h = header(this.sent++)
    const sealed = chacha20poly1305(this.sendKey, nonce(h), h).encrypt(frame)
    const out = new Uint8Array(HEADER_BYTES + sealed.length)
    out.set(h)
    out.set(sealed, HEADER_BYTES)
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
    let frame: Uint8Array
    try {
      frame = chacha20poly1305(this.receiveKey, nonce(h), h).decrypt(sealed.subarray(HEADER_BYTES))
    } catch {
      throw fail(`Frame ${counter} failed authentication (altered on the way, or another key).`)
    }
    this.expected++
    return frame
  }
}
