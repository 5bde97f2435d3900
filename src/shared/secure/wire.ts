/**
 * The secure channel's wire format (docs/protocol.md, "Secure channel"). Every frame on a secure socket
 * starts with one of these kinds; plain protocol frames start with a MessageType (0-2), so a host can tell
 * the two apart from the first byte.
 */
import type { CloseReason } from '../sync/protocol'

/** Version of the handshake and frame layout, carried in the client's first frame. */
// 2: a sealed frame names its counter by the low byte only (the nonce is still the whole counter).
export const SECURE_VERSION = 2

/** The first byte of every frame on a secure socket. */
export const SecureFrame = {
  /** client -> host: version, mode, SHA-256 commitment to the client's ephemeral key. */
  ClientHello: 0x10,
  /** host -> client: the host's ephemeral X25519 public key. */
  HostHello: 0x11,
  /** client -> host: the client's ephemeral public key (opening the commitment) and its proof. */
  ClientProof: 0x12,
  /** host -> client: the host's proof. */
  HostProof: 0x13,
  /** either way after the handshake: the counter's low byte, then ChaCha20-Poly1305 ciphertext of one protocol frame. */
  Sealed: 0x14,
  /**
   * host -> client: the counter's low byte, a varuint count (2 or more), then ChaCha20-Poly1305 of that many protocol frames, each
   * a varuint length and its bytes: what the host relays to one peer in one turn of its event loop.
   */
  SealedBatch: 0x15,
} as const
export type SecureFrame = (typeof SecureFrame)[keyof typeof SecureFrame]

/**
 * What a client proves in the handshake: nothing (knock: people compare a code), the join token of the
 * link (#join=...), or the host's owner key (#owner=...).
 */
export type SecureMode = 'knock' | 'link' | 'owner'

/** The mode's byte in ClientHello. */
export const MODE_BYTE: Record<SecureMode, number> = { knock: 0, link: 1, owner: 2 }

/** The mode a ClientHello byte names, or undefined for an unknown byte. */
export function modeOfByte(byte: number): SecureMode | undefined {
  return (Object.keys(MODE_BYTE) as SecureMode[]).find((m) => MODE_BYTE[m] === byte)
}

/** Bytes of an X25519 public key, a SHA-256 digest and an HMAC-SHA256 proof. */
export const KEY_BYTES = 32

/** The secure channel failed: the socket closes with `code` and this message as its reason. */
export class SecureChannelError extends Error {
  constructor(
    readonly code: CloseReason,
    message: string,
  ) {
    super(message)
    this.name = 'SecureChannelError'
  }
}
