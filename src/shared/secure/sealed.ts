/**
 * One direction pair of the secure channel after the handshake: every protocol frame is sealed with
 * ChaCha20-Poly1305 under a per-direction key, numbered by a counter that is the nonce. TCP delivers frames once
 * and in order, so both sides know the counter: only its low byte travels (authenticated in the header), to say
 * which frame came instead of the expected one; any other counter is an attack (replay, reordering, a dropped
 * frame) and closes the socket. A frame that names the right low byte but is not the expected frame fails
 * authentication, since the nonce is the whole counter.
 */
import { CloseReason } from '../sync/protocol'
import { AEAD_NONCE_BYTES, AEAD_TAG_BYTES, type Aead, type AeadKey, nobleAead } from './aead'
import { SecureChannelError, SecureFrame } from './wire'

// One sample of ink a frame is a message of a few bytes: an 8-byte counter was a third of it (issue 9 item 8).
/** Kind byte + the counter's low byte. */
const HEADER_BYTES = 2
/** Poly1305 tag. */
const TAG_BYTES = AEAD_TAG_BYTES

/** Bytes a sealed frame adds to the protocol frame it carries. */
export const SEAL_OVERHEAD = HEADER_BYTES + TAG_BYTES

/** Bytes of `n` as a varuint (7 bits a byte, low first, as lib0 writes it). */
function varuintBytes(n: number): number {
  let bytes = 1
  while (n >= 0x80) {
    n = Math.floor(n / 0x80)
    bytes++
  }
  return bytes
}

/** Writes `n` as a varuint at `at`; returns the position after it. */
function writeVaruint(out: Uint8Array, at: number, n: number): number {
  while (n >= 0x80) {
    out[at++] = (n % 0x80) | 0x80
    n = Math.floor(n / 0x80)
  }
  out[at++] = n
  return at
}

/** Reads a varuint at `at` of `bytes`: [value, next position], or undefined past the end or beyond 2^53. */
function readVaruint(bytes: Uint8Array, at: number): [number, number] | undefined {
  let n = 0
  let scale = 1
  while (at < bytes.length && scale < 2 ** 53) {
    const b = bytes[at++] as number
    n += (b & 0x7f) * scale
    if (b < 0x80) return [n, at]
    scale *= 0x80
  }
  return undefined
}

/** Writes the header of frame `counter` into `h` (its first 2 bytes). */
function writeHeader(h: Uint8Array, counter: number): void {
  h[0] = SecureFrame.Sealed
  h[1] = counter % 256
}

/** ChaCha20-Poly1305's 12-byte nonce: 4 zero bytes, then the 8-byte big-endian counter (each key is used by one side only). */
function writeNonce(n: Uint8Array, counter: number): void {
  const view = new DataView(n.buffer, n.byteOffset, n.byteLength)
  view.setUint32(0, 0)
  view.setUint32(4, Math.floor(counter / 2 ** 32))
  view.setUint32(8, counter >>> 0)
}

const fail = (why: string) => new SecureChannelError(CloseReason.SecureChannel, why)

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
    writeNonce(this.sendNonce, this.sent)
    writeHeader(h, this.sent++)
    this.sendKey.sealInto(this.sendNonce, h, frame, out.subarray(HEADER_BYTES))
    return out
  }

  /**
   * Several protocol frames as one sealed frame (SealedBatch): one seal and one write for what a host relays to
   * a peer in one turn. The count is in the header (authenticated): it tells no more than separate frames would.
   */
  sealBatch(frames: readonly Uint8Array[]): Uint8Array {
    if (frames.length === 1) return this.seal(frames[0] as Uint8Array)
    let body = 0
    for (const f of frames) body += varuintBytes(f.length) + f.length
    const plaintext = new Uint8Array(body)
    let at = 0
    for (const f of frames) {
      at = writeVaruint(plaintext, at, f.length)
      plaintext.set(f, at)
      at += f.length
    }
    const headerBytes = HEADER_BYTES + varuintBytes(frames.length)
    const out = new Uint8Array(headerBytes + body + TAG_BYTES)
    const h = out.subarray(0, headerBytes)
    writeNonce(this.sendNonce, this.sent)
    writeHeader(h, this.sent++)
    h[0] = SecureFrame.SealedBatch
    writeVaruint(h, HEADER_BYTES, frames.length)
    this.sendKey.sealInto(this.sendNonce, h, plaintext, out.subarray(headerBytes))
    return out
  }

  /** The protocol frame inside a sealed frame; throws SecureChannelError when it is not the next one. */
  open(sealed: Uint8Array): Uint8Array {
    if (sealed[0] !== SecureFrame.Sealed || sealed.length < HEADER_BYTES + TAG_BYTES)
      throw fail('A frame that is not sealed on the secure channel.')
    return this.openBody(sealed, HEADER_BYTES)
  }

  /** The protocol frames inside a Sealed or SealedBatch frame, in order (what a client receives from its host). */
  openFrames(sealed: Uint8Array): Uint8Array[] {
    if (sealed[0] === SecureFrame.Sealed) return [this.open(sealed)]
    if (sealed[0] !== SecureFrame.SealedBatch) throw fail('A frame that is not sealed on the secure channel.')
    const count = readVaruint(sealed, HEADER_BYTES)
    if (!count || count[0] < 2 || sealed.length < count[1] + TAG_BYTES)
      throw fail('A sealed batch with a broken header.')
    const plaintext = this.openBody(sealed, count[1])
    const frames: Uint8Array[] = []
    let at = 0
    for (let i = 0; i < count[0]; i++) {
      const length = readVaruint(plaintext, at)
      if (!length || length[1] + length[0] > plaintext.length)
        throw fail('A sealed batch whose frames do not add up.')
      frames.push(plaintext.subarray(length[1], length[1] + length[0]))
      at = length[1] + length[0]
    }
    if (at !== plaintext.length) throw fail('A sealed batch whose frames do not add up.')
    return frames
  }

  /** Checks the counter of a sealed frame whose header is `headerBytes` long, and opens its body. */
  private openBody(sealed: Uint8Array, headerBytes: number): Uint8Array {
    // The frame the low byte names: the nearest counter to the expected one with that low byte.
    const ahead = ((sealed[1] as number) - (this.expected % 256) + 256) % 256
    const counter = this.expected + (ahead < 128 ? ahead : ahead - 256)
    if (counter < this.expected) throw fail(`Frame ${counter} came again or late (replayed or reordered).`)
    if (counter > this.expected)
      throw fail(`Frame ${counter} came before frame ${this.expected} (dropped or reordered).`)
    const h = sealed.subarray(0, headerBytes)
    writeNonce(this.receiveNonce, counter)
    const frame = this.receiveKey.open(this.receiveNonce, h, sealed.subarray(headerBytes))
    if (!frame) throw fail(`Frame ${counter} failed authentication (altered on the way, or another key).`)
    this.expected++
    return frame
  }
}
