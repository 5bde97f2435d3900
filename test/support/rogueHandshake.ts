import type { WebSocket } from 'ws'
import {
  ephemeralKey,
  handshakeKeys,
  preSharedKey,
  proof,
  sharedSecret,
  transcriptHash,
} from '../../src/shared/secure/keys'
import { SecureFrame } from '../../src/shared/secure/wire'

/**
 * Makes a server socket answer a client's secure handshake as a rogue host would: with a link token of its own
 * (`token`, not the client's), never checking the client's proof. Frames after the handshake go to `after`.
 */
export function answerAsRogue(ws: WebSocket, token: string, after?: (frame: Buffer) => void): void {
  const key = ephemeralKey()
  let commit: Uint8Array | undefined
  ws.on('message', (data: Buffer) => {
    const frame = new Uint8Array(data)
    if (frame[0] === SecureFrame.ClientHello) {
      commit = frame.slice(3)
      ws.send(Uint8Array.of(SecureFrame.HostHello, ...key.public))
    } else if (frame[0] === SecureFrame.ClientProof && commit) {
      const clientPublic = frame.slice(1, 33)
      const transcript = transcriptHash('link', commit, key.public, clientPublic)
      const keys = handshakeKeys(
        sharedSecret(key.secret, clientPublic),
        preSharedKey('link', token),
        transcript,
      )
      ws.send(Uint8Array.of(SecureFrame.HostProof, ...proof(keys.hostProof, transcript)))
    } else after?.(data)
  })
}
