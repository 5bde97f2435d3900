/**
 * The secure channel's key schedule: X25519 ephemeral keys (forward secrecy) mixed with a pre-shared key
 * derived from the link's token or the owner key, all through HKDF-SHA256. Pure functions over bytes.
 */
import { x25519 } from '@noble/curves/ed25519.js'
import { expand, extract, hkdf } from '@noble/hashes/hkdf.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils.js'
import { KEY_BYTES, MODE_BYTE, SECURE_VERSION, type SecureMode } from './wire'

/** Every hash and key derivation is labelled, so no value can be taken for another. */
const label = (what: string): Uint8Array => utf8ToBytes(`lanvas/${SECURE_VERSION} ${what}`)

/** Digits of the comparison code shown on both screens while knocking. */
export const CODE_DIGITS = 6

/**
 * A fresh ephemeral X25519 key pair; used for one handshake, then forgotten. The public key by the Montgomery
 * ladder from the base point, as `getSharedSecret` computes: noble's `keygen` goes through Edwards-curve tables
 * it builds on first use (a page's only handshake paid ~150 ms for them before its first stroke); same key.
 */
export function ephemeralKey(): { secret: Uint8Array; public: Uint8Array } {
  const secret = x25519.utils.randomSecretKey()
  return { secret, public: x25519.scalarMult(secret, x25519.GuBytes) }
}

/** The X25519 shared secret; throws on a low-order public key (an all-zero result). */
export function sharedSecret(ownSecret: Uint8Array, theirPublic: Uint8Array): Uint8Array {
  return x25519.getSharedSecret(ownSecret, theirPublic)
}

/** The pre-shared key of a mode: HKDF of the link's token or the owner key; all zeros when knocking. */
export function preSharedKey(mode: SecureMode, secret: string | undefined): Uint8Array {
  if (mode === 'knock' || secret === undefined) return new Uint8Array(KEY_BYTES)
  return hkdf(sha256, utf8ToBytes(secret), label('psk'), utf8ToBytes(mode), KEY_BYTES)
}

/** The client's commitment to its ephemeral key, sent before it sees the host's key. */
export function commitment(clientPublic: Uint8Array): Uint8Array {
  return sha256(concatBytes(label('commit'), clientPublic))
}

/** The hash of everything both sides said in the handshake; both proofs and the code are bound to it. */
export function transcriptHash(
  mode: SecureMode,
  commit: Uint8Array,
  hostPublic: Uint8Array,
  clientPublic: Uint8Array,
): Uint8Array {
  const header = new Uint8Array([SECURE_VERSION, MODE_BYTE[mode]])
  return sha256(concatBytes(label('transcript'), header, commit, hostPublic, clientPublic))
}

/** The keys one handshake yields. */
export interface HandshakeKeys {
  clientToHost: Uint8Array
  hostToClient: Uint8Array
  /** Keys of the two proofs (HMAC-SHA256 of the transcript hash). */
  clientProof: Uint8Array
  hostProof: Uint8Array
}

/** Derives the session keys from the X25519 secret, the pre-shared key and the transcript hash. */
export function handshakeKeys(dh: Uint8Array, psk: Uint8Array, transcript: Uint8Array): HandshakeKeys {
  const prk = extract(sha256, dh, psk)
  const okm = expand(sha256, prk, concatBytes(label('keys'), transcript), 4 * KEY_BYTES)
  const part = (i: number) => okm.slice(i * KEY_BYTES, (i + 1) * KEY_BYTES)
  return { clientToHost: part(0), hostToClient: part(1), clientProof: part(2), hostProof: part(3) }
}

/** A side's proof that it derived the same keys, and so knows the pre-shared key. */
export function proof(key: Uint8Array, transcript: Uint8Array): Uint8Array {
  return hmac(sha256, key, transcript)
}

/**
 * The short code people compare while knocking: 6 digits from the transcript hash. A man in the middle runs
 * two exchanges with different keys, so the two screens show different codes (1 in a million to match:
 * the client's commitment stops him from choosing his key after seeing the client's).
 */
export function comparisonCode(transcript: Uint8Array): string {
  const bytes = sha256(concatBytes(label('code'), transcript))
  // 48 bits reduced mod 10^6: the bias is below one in a billion.
  let n = 0
  for (let i = 0; i < 6; i++) n = n * 256 + (bytes[i] as number)
  return String(n % 10 ** CODE_DIGITS).padStart(CODE_DIGITS, '0')
}
