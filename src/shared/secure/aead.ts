/**
 * The AEAD the sealed channel uses (ChaCha20-Poly1305, RFC 8439), as an interface: the browser runs @noble's
 * JavaScript below, the host passes Node's native one (src/main/host/room/nativeAead.ts). Both produce the
 * same bytes for the same key, nonce and associated data, so either side can run either.
 */
import { chacha20poly1305 } from '@noble/ciphers/chacha.js'

/** Bytes of a ChaCha20-Poly1305 key. */
export const AEAD_KEY_BYTES = 32
/** Bytes of its nonce. */
export const AEAD_NONCE_BYTES = 12
/** Bytes of its Poly1305 tag. */
export const AEAD_TAG_BYTES = 16

/** One key, set up once (per socket and direction) and used for every frame under it. */
export interface AeadKey {
  /** Writes ciphertext ‖ tag of `plaintext` into `out` (exactly plaintext.length + 16 bytes). */
  sealInto(nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array, out: Uint8Array): void
  /** The plaintext of ciphertext ‖ tag, or undefined when it fails authentication. */
  open(nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array | undefined
}

/** A ChaCha20-Poly1305 implementation: turns key bytes into an AeadKey. */
export interface Aead {
  /** Which implementation (for the bench and logs). */
  readonly name: string
  key(bytes: Uint8Array): AeadKey
}

/** @noble/ciphers in JavaScript: runs anywhere, the browser included. */
export const nobleAead: Aead = {
  name: 'noble',
  key(bytes) {
    // noble borrows the key by reference: keep our own copy so the caller may wipe or reuse theirs.
    const key = bytes.slice()
    return {
      sealInto(nonce, aad, plaintext, out) {
        chacha20poly1305(key, nonce, aad).encrypt(plaintext, out)
      },
      open(nonce, aad, sealed) {
        try {
          return chacha20poly1305(key, nonce, aad).decrypt(sealed)
        } catch {
          return undefined
        }
      },
    }
  },
}
