/**
 * The secure channel's handshake, as two pure state machines (no sockets): the client sends ClientHello,
 * the host HostHello, the client ClientProof, the host HostProof; then both hold a SealedChannel.
 * docs/protocol.md, "Secure channel", gives the reasons for each step.
 */
import { equalBytes } from '@noble/ciphers/utils.js'
import { CloseReason } from '../sync/protocol'
import { type Aead, nobleAead } from './aead'
import {
  commitment,
  comparisonCode,
  ephemeralKey,
  handshakeKeys,
  preSharedKey,
  proof,
  sharedSecret,
  transcriptHash,
} from './keys'
import { SealedChannel } from './sealed'
import {
  KEY_BYTES,
  MODE_BYTE,
  modeOfByte,
  SECURE_VERSION,
  SecureChannelError,
  SecureFrame,
  type SecureMode,
} from './wire'

/** A finished handshake: the channel, and the code both screens show (meaningful when knocking). */
export interface Secured {
  channel: SealedChannel
  mode: SecureMode
  code: string
}

/** Checks a handshake frame's kind and length; returns its body. */
function body(frame: Uint8Array, kind: SecureFrame, length: number, what: string): Uint8Array {
  if (frame[0] !== kind || frame.length !== 1 + length)
    throw new SecureChannelError(CloseReason.SecureChannel, `Expected the ${what} of the secure handshake.`)
  return frame.subarray(1)
}

function sharedOrFail(secret: Uint8Array, theirs: Uint8Array): Uint8Array {
  try {
    return sharedSecret(secret, theirs)
  } catch {
    throw new SecureChannelError(CloseReason.SecureChannel, 'The handshake key is not a valid X25519 key.')
  }
}

/** The client's side: proves `secret` (the link's token or the owner key) unless knocking. */
export class ClientHandshake {
  private readonly key = ephemeralKey()
  private readonly commit = commitment(this.key.public)
  private pending?: { transcript: Uint8Array; hostProof: Uint8Array; channel: SealedChannel; code: string }

  constructor(
    readonly mode: SecureMode,
    private readonly secret?: string,
    private readonly aead: Aead = nobleAead,
  ) {}

  /** The first frame: version, mode, and the commitment to our ephemeral key. */
  hello(): Uint8Array {
    return Uint8Array.of(SecureFrame.ClientHello, SECURE_VERSION, MODE_BYTE[this.mode], ...this.commit)
  }

  /** Takes HostHello; returns ClientProof to send. The comparison code is known from here on. */
  onHostHello(frame: Uint8Array): Uint8Array {
    if (this.pending) throw new SecureChannelError(CloseReason.SecureChannel, 'A second HostHello.')
    const hostPublic = body(frame, SecureFrame.HostHello, KEY_BYTES, 'HostHello')
    const dh = sharedOrFail(this.key.secret, hostPublic)
    const transcript = transcriptHash(this.mode, this.commit, hostPublic, this.key.public)
    const keys = handshakeKeys(dh, preSharedKey(this.mode, this.secret), transcript)
    this.pending = {
      transcript,
      hostProof: keys.hostProof,
      channel: new SealedChannel(keys.clientToHost, keys.hostToClient, this.aead),
      code: comparisonCode(transcript),
    }
    const ours = proof(keys.clientProof, transcript)
    return Uint8Array.of(SecureFrame.ClientProof, ...this.key.public, ...ours)
  }

  /** The code both screens show, once HostHello arrived. */
  get code(): string | undefined {
    return this.pending?.code
  }

  /** Takes HostProof; a host that cannot prove the same key is not the host of the link. */
  onHostProof(frame: Uint8Array): Secured {
    const pending = this.pending
    if (!pending) throw new SecureChannelError(CloseReason.SecureChannel, 'HostProof before HostHello.')
    const theirs = body(frame, SecureFrame.HostProof, KEY_BYTES, 'HostProof')
    if (!equalBytes(theirs, proof(pending.hostProof, pending.transcript)))
      throw new SecureChannelError(
        CloseReason.HostNotVerified,
        this.mode === 'knock'
          ? 'The host did not finish the secure handshake.'
          : 'This host could not prove it holds the key of your link: it is not the host that gave it.',
      )
    return { channel: pending.channel, mode: this.mode, code: pending.code }
  }
}

/** Where the host finds the secret a client must prove: undefined when that mode cannot get in. */
export type SecretFor = (mode: Exclude<SecureMode, 'knock'>) => string | undefined

/** The host's side: answers a ClientHello, then checks the client's proof. */
export class HostHandshake {
  private readonly key = ephemeralKey()
  private hello?: { mode: SecureMode; commit: Uint8Array; psk: Uint8Array }

  /** `aead` seals the channel: the host passes Node's native ChaCha20-Poly1305, same bytes as @noble's. */
  constructor(
    private readonly secretFor: SecretFor,
    private readonly aead: Aead = nobleAead,
  ) {}

  /** The mode the client asked for, once its hello arrived. */
  get mode(): SecureMode | undefined {
    return this.hello?.mode
  }

  /** Takes ClientHello; returns HostHello to send. */
  onClientHello(frame: Uint8Array): Uint8Array {
    if (frame[0] === SecureFrame.ClientHello && frame.length >= 2 && frame[1] !== SECURE_VERSION)
      throw new SecureChannelError(
        CloseReason.VersionMismatch,
        `This host speaks secure channel ${SECURE_VERSION}, the client ${frame[1]}.`,
      )
    const b = body(frame, SecureFrame.ClientHello, 2 + KEY_BYTES, 'ClientHello')
    const mode = modeOfByte(b[1] as number)
    if (!mode) throw new SecureChannelError(CloseReason.SecureChannel, `Unknown handshake mode ${b[1]}.`)
    let secret: string | undefined
    if (mode !== 'knock') {
      secret = this.secretFor(mode)
      if (secret === undefined)
        throw new SecureChannelError(CloseReason.BadToken, 'This join link is not valid (any more).')
    }
    this.hello = { mode, commit: b.slice(2), psk: preSharedKey(mode, secret) }
    return Uint8Array.of(SecureFrame.HostHello, ...this.key.public)
  }

  /** Takes ClientProof; returns HostProof to send and the channel. A wrong proof is a wrong secret. */
  onClientProof(frame: Uint8Array): { reply: Uint8Array; secured: Secured } {
    const hello = this.hello
    if (!hello) throw new SecureChannelError(CloseReason.SecureChannel, 'ClientProof before ClientHello.')
    const b = body(frame, SecureFrame.ClientProof, 2 * KEY_BYTES, 'ClientProof')
    const clientPublic = b.slice(0, KEY_BYTES)
    if (!equalBytes(commitment(clientPublic), hello.commit))
      throw new SecureChannelError(CloseReason.SecureChannel, 'The client key does not match its commitment.')
    const dh = sharedOrFail(this.key.secret, clientPublic)
    const transcript = transcriptHash(hello.mode, hello.commit, this.key.public, clientPublic)
    const keys = handshakeKeys(dh, hello.psk, transcript)
    if (!equalBytes(b.subarray(KEY_BYTES), proof(keys.clientProof, transcript)))
      throw new SecureChannelError(
        CloseReason.BadToken,
        hello.mode === 'owner'
          ? 'This is not the key of this host.'
          : 'This join link is not valid (any more).',
      )
    return {
      reply: Uint8Array.of(SecureFrame.HostProof, ...proof(keys.hostProof, transcript)),
      secured: {
        channel: new SealedChannel(keys.hostToClient, keys.clientToHost, this.aead),
        mode: hello.mode,
        code: comparisonCode(transcript),
      },
    }
  }
}
