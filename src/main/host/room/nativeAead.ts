/**
 * ChaCha20-Poly1305 from Node's crypto (OpenSSL) for the host's side of the secure channel: several times
 * faster per frame than @noble's JavaScript, with the same bytes on the wire (docs/decisions.md).
 */
import { createCipheriv, createDecipheriv, createSecretKey } from 'node:crypto'
import { AEAD_TAG_BYTES, type Aead } from '../../../shared/secure/aead'

const ALGORITHM = 'chacha20-poly1305'
// One options object for every call: the tag length is part of the wire format.
const OPTIONS = { authTagLength: AEAD_TAG_BYTES } as const

/** Node's native ChaCha20-Poly1305 as the sealed channel's AEAD; each key becomes one KeyObject, once. */
export const nativeAead: Aead = {
  name: 'native',
  key(bytes) {
    // A KeyObject is made once per socket and direction; OpenSSL still needs a cipher context per nonce.
    const key = createSecretKey(bytes)
    return {
      sealInto(nonce, aad, plaintext, out) {
        const cipher = createCipheriv(ALGORITHM, key, nonce, OPTIONS)
        cipher.setAAD(aad, { plaintextLength: plaintext.length })
        const body = cipher.update(plaintext)
        cipher.final()
        out.set(body)
        out.set(cipher.getAuthTag(), plaintext.length)
      },
      open(nonce, aad, sealed) {
        if (sealed.length < AEAD_TAG_BYTES) return undefined
        const length = sealed.length - AEAD_TAG_BYTES
        const decipher = createDecipheriv(ALGORITHM, key, nonce, OPTIONS)
        decipher.setAAD(aad, { plaintextLength: length })
        decipher.setAuthTag(sealed.subarray(length))
        const plain = decipher.update(sealed.subarray(0, length))
        try {
          decipher.final()
        } catch {
          return undefined
        }
        return plain
      },
    }
  },
}
