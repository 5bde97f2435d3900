import { x25519 } from '@noble/curves/ed25519.js'
import { describe, expect, it } from 'vitest'
import { errorMessage } from '../../src/shared/errors'
import {
  ClientHandshake,
  HostHandshake,
  type SecretFor,
  type Secured,
} from '../../src/shared/secure/handshake'
import {
  commitment,
  comparisonCode,
  ephemeralKey,
  handshakeKeys,
  preSharedKey,
  proof,
  sharedSecret,
  transcriptHash,
} from '../../src/shared/secure/keys'
import {
  SECURE_VERSION,
  SecureChannelError,
  SecureFrame,
  type SecureMode,
} from '../../src/shared/secure/wire'
import { CloseReason } from '../../src/shared/sync/protocol'

const TOKEN = 'join-token-0123456789ab'
const OWNER = 'owner-key-0123456789abcd'
const hostSecrets: SecretFor = (mode) => (mode === 'owner' ? OWNER : TOKEN)

/** Runs the four handshake frames between a client and a host, as the sockets would. */
function handshake(client: ClientHandshake, host: HostHandshake): { client: Secured; host: Secured } {
  const hostHello = host.onClientHello(client.hello())
  const clientProof = client.onHostHello(hostHello)
  const { reply, secured } = host.onClientProof(clientProof)
  return { client: client.onHostProof(reply), host: secured }
}

/** What a failing step throws: the close code and reason the socket would get. */
function failure(step: () => unknown): { code: number; message: string } {
  try {
    step()
  } catch (error) {
    expect(error).toBeInstanceOf(SecureChannelError)
    return { code: (error as SecureChannelError).code, message: errorMessage(error) }
  }
  throw new Error('expected the step to fail')
}

const text = (s: string) => new TextEncoder().encode(s)

describe('the secure handshake', () => {
  it.each<[SecureMode, string | undefined]>([
    ['link', TOKEN],
    ['owner', OWNER],
    ['knock', undefined],
  ])('round trips in %s mode: both sides seal and open, and show the same code', (mode, secret) => {
    const { client, host } = handshake(new ClientHandshake(mode, secret), new HostHandshake(hostSecrets))
    expect(host.mode).toBe(mode)
    expect(client.code).toMatch(/^[0-9]{6}$/)
    expect(client.code).toBe(host.code)
    const up = client.channel.seal(text('hello host'))
    expect(new TextDecoder().decode(host.channel.open(up))).toBe('hello host')
    const down = host.channel.seal(text('hello client'))
    expect(new TextDecoder().decode(client.channel.open(down))).toBe('hello client')
    // Ciphertext: the plain bytes are nowhere in the frame.
    expect(Buffer.from(up).includes(Buffer.from('hello host'))).toBe(false)
  })

  it('gives fresh keys and codes every time (ephemeral keys)', () => {
    const a = handshake(new ClientHandshake('link', TOKEN), new HostHandshake(hostSecrets))
    const b = handshake(new ClientHandshake('link', TOKEN), new HostHandshake(hostSecrets))
    const frame = text('same text')
    expect(Buffer.from(a.client.channel.seal(frame)).equals(Buffer.from(b.client.channel.seal(frame)))).toBe(
      false,
    )
    expect(() => b.host.channel.open(a.client.channel.seal(frame))).toThrow(SecureChannelError)
  })

  it('refuses a client with a wrong token or owner key (BadToken), before any frame is sealed', () => {
    const wrongLink = new ClientHandshake('link', 'not-the-token-0123456789')
    const host = new HostHandshake(hostSecrets)
    const proofFrame = wrongLink.onHostHello(host.onClientHello(wrongLink.hello()))
    expect(failure(() => host.onClientProof(proofFrame))).toEqual({
      code: CloseReason.BadToken,
      message: 'This join link is not valid (any more).',
    })
    const wrongOwner = new ClientHandshake('owner', TOKEN)
    const host2 = new HostHandshake(hostSecrets)
    const proof2 = wrongOwner.onHostHello(host2.onClientHello(wrongOwner.hello()))
    expect(failure(() => host2.onClientProof(proof2)).code).toBe(CloseReason.BadToken)
  })

  it('refuses a link handshake while the host has no token (not shared)', () => {
    const host = new HostHandshake((mode) => (mode === 'owner' ? OWNER : undefined))
    expect(failure(() => host.onClientHello(new ClientHandshake('link', TOKEN).hello())).code).toBe(
      CloseReason.BadToken,
    )
  })

  it('lets a client tell a rogue host that does not hold the token (HostNotVerified)', () => {
    // The rogue speaks the protocol perfectly with the token it has, and never checks the client's proof.
    const client = new ClientHandshake('link', TOKEN)
    const hello = client.hello()
    const rogue = ephemeralKey()
    const proofFrame = client.onHostHello(Uint8Array.of(SecureFrame.HostHello, ...rogue.public))
    const clientPublic = proofFrame.slice(1, 33)
    const transcript = transcriptHash('link', hello.slice(3), rogue.public, clientPublic)
    const keys = handshakeKeys(
      sharedSecret(rogue.secret, clientPublic),
      preSharedKey('link', 'the-rogue-own-token-xyz'),
      transcript,
    )
    const rogueProof = Uint8Array.of(SecureFrame.HostProof, ...proof(keys.hostProof, transcript))
    const refused = failure(() => client.onHostProof(rogueProof))
    expect(refused.code).toBe(CloseReason.HostNotVerified)
    expect(refused.message).toMatch(/could not prove it holds the key of your link/)
  })

  it('checks the client key against its commitment', () => {
    const host = new HostHandshake(hostSecrets)
    const honest = new ClientHandshake('knock')
    const other = new ClientHandshake('knock')
    const hostHello = host.onClientHello(honest.hello())
    // A different key than the one committed to: the commitment is what stops a man in the middle grinding codes.
    const swapped = other.onHostHello(hostHello)
    expect(failure(() => host.onClientProof(swapped))).toEqual({
      code: CloseReason.SecureChannel,
      message: 'The client key does not match its commitment.',
    })
  })

  it('refuses a low-order public key, an unknown version, an unknown mode and frames out of turn', () => {
    const client = new ClientHandshake('knock')
    client.hello()
    expect(
      failure(() => client.onHostHello(new Uint8Array(33).fill(0, 1).fill(SecureFrame.HostHello, 0, 1))).code,
    ).toBe(CloseReason.SecureChannel)
    const hello = new ClientHandshake('knock').hello()
    const other = hello.slice()
    other[1] = SECURE_VERSION + 1
    expect(failure(() => new HostHandshake(hostSecrets).onClientHello(other)).code).toBe(
      CloseReason.VersionMismatch,
    )
    const mode9 = hello.slice()
    mode9[2] = 9
    expect(failure(() => new HostHandshake(hostSecrets).onClientHello(mode9)).message).toBe(
      'Unknown handshake mode 9.',
    )
    expect(failure(() => new HostHandshake(hostSecrets).onClientHello(hello.slice(0, 20))).code).toBe(
      CloseReason.SecureChannel,
    )
    expect(failure(() => new HostHandshake(hostSecrets).onClientProof(hello)).code).toBe(
      CloseReason.SecureChannel,
    )
    expect(failure(() => new ClientHandshake('knock').onHostProof(new Uint8Array(33))).code).toBe(
      CloseReason.SecureChannel,
    )
  })
})

describe('sealed frames', () => {
  const pair = () => handshake(new ClientHandshake('link', TOKEN), new HostHandshake(hostSecrets))

  it('rejects a frame altered anywhere: header, ciphertext or tag', () => {
    const { client, host } = pair()
    const frame = client.channel.seal(text('stroke at 12345.678'))
    for (const at of [3, 12, frame.length - 1]) {
      const { client: c, host: h } = pair()
      const sealed = c.channel.seal(text('stroke at 12345.678'))
      sealed[at] = (sealed[at] as number) ^ 0x01
      const refused = failure(() => h.channel.open(sealed))
      expect(refused.code).toBe(CloseReason.SecureChannel)
    }
    expect(host.channel.open(frame).length).toBe(19)
  })

  it('names a frame by its counter low byte only (18 bytes a frame); the whole counter is the nonce', () => {
    const { client, host } = pair()
    const sealed: Uint8Array[] = []
    for (let i = 0; i < 257; i++) sealed.push(client.channel.seal(text(`point ${i}`)))
    expect((sealed[0] as Uint8Array).length - text('point 0').length).toBe(18)
    // Frame 256 bears frame 0's low byte: sent in its place (frames 0-255 dropped), it fails authentication.
    expect((sealed[256] as Uint8Array)[1]).toBe((sealed[0] as Uint8Array)[1])
    expect(failure(() => host.channel.open(sealed[256] as Uint8Array)).message).toBe(
      'Frame 0 failed authentication (altered on the way, or another key).',
    )
    const { client: c2, host: h2 } = pair()
    const again: Uint8Array[] = []
    for (let i = 0; i < 300; i++) again.push(c2.channel.seal(text(`point ${i}`)))
    for (let i = 0; i < 299; i++) h2.channel.open(again[i] as Uint8Array)
    expect(failure(() => h2.channel.open(again[290] as Uint8Array)).message).toBe(
      'Frame 290 came again or late (replayed or reordered).',
    )
    expect(new TextDecoder().decode(h2.channel.open(again[299] as Uint8Array))).toBe('point 299')
  })

  it('says which: altered, replayed, reordered or dropped', () => {
    const { client, host } = pair()
    const first = client.channel.seal(text('one'))
    const second = client.channel.seal(text('two'))
    const third = client.channel.seal(text('three'))
    const tampered = second.slice()
    tampered[20] = (tampered[20] as number) ^ 0xff
    expect(failure(() => host.channel.open(second)).message).toBe(
      'Frame 1 came before frame 0 (dropped or reordered).',
    )
    host.channel.open(first)
    expect(failure(() => host.channel.open(first)).message).toBe(
      'Frame 0 came again or late (replayed or reordered).',
    )
    expect(failure(() => host.channel.open(tampered)).message).toBe(
      'Frame 1 failed authentication (altered on the way, or another key).',
    )
    host.channel.open(second)
    expect(new TextDecoder().decode(host.channel.open(third))).toBe('three')
    // A frame of the other direction (another key) replayed back to its sender is refused too.
    const down = host.channel.seal(text('down'))
    expect(failure(() => host.channel.open(down)).code).toBe(CloseReason.SecureChannel)
    expect(failure(() => host.channel.open(text('plain'))).message).toBe(
      'A frame that is not sealed on the secure channel.',
    )
  })
})

describe('the comparison code against a man in the middle', () => {
  it('differs on the two screens when a relay runs two separate exchanges (knock)', () => {
    const codes = new Set<string>()
    let same = 0
    for (let i = 0; i < 50; i++) {
      // Mallory is the host to the knocker and a knocker to the host.
      const knocker = new ClientHandshake('knock')
      const mallory = { asHost: new HostHandshake(hostSecrets), asClient: new ClientHandshake('knock') }
      const host = new HostHandshake(hostSecrets)
      const toKnocker = handshake(knocker, mallory.asHost)
      const toHost = handshake(mallory.asClient, host)
      // Each leg agrees with itself: the proofs alone cannot reveal Mallory when knocking...
      expect(toKnocker.client.code).toBe(toKnocker.host.code)
      // ...but the knocker's screen and the host's knock card show different codes.
      if (toKnocker.client.code === toHost.host.code) same++
      codes.add(toKnocker.client.code)
    }
    expect(same).toBe(0)
    expect(codes.size).toBeGreaterThan(45)
  })

  it('cannot complete either leg with a link: Mallory holds no token', () => {
    const client = new ClientHandshake('link', TOKEN)
    const mallory = new HostHandshake(() => 'mallory-guess-0123456789')
    const proofFrame = client.onHostHello(mallory.onClientHello(client.hello()))
    expect(failure(() => mallory.onClientProof(proofFrame)).code).toBe(CloseReason.BadToken)
    const asClient = new ClientHandshake('link', 'mallory-guess-0123456789')
    const host = new HostHandshake(hostSecrets)
    const p = asClient.onHostHello(host.onClientHello(asClient.hello()))
    expect(failure(() => host.onClientProof(p)).code).toBe(CloseReason.BadToken)
  })

  it('spreads codes over six digits', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 200; i++) {
      const t = transcriptHash(
        'knock',
        commitment(ephemeralKey().public),
        new Uint8Array(32),
        new Uint8Array(32),
      )
      seen.add(comparisonCode(t))
    }
    expect(seen.size).toBeGreaterThan(195)
    for (const code of seen) expect(code).toMatch(/^[0-9]{6}$/)
  })
})

describe('ephemeral keys', () => {
  it("are fresh X25519 pairs whose public key is the secret's, as the curve's own key generation gives it", () => {
    const a = ephemeralKey()
    const b = ephemeralKey()
    expect(a.secret).not.toEqual(b.secret)
    expect(a.public).toEqual(x25519.getPublicKey(a.secret))
    expect(b.public).toEqual(x25519.getPublicKey(b.secret))
    // Both sides reach the same secret from each other's public key.
    expect(sharedSecret(a.secret, b.public)).toEqual(sharedSecret(b.secret, a.public))
  })
})
