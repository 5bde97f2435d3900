import { describe, expect, it } from 'vitest'
import { nativeAead } from '../../../../src/main/host/room/nativeAead'
import { errorMessage } from '../../../../src/shared/errors'
import { type Aead, nobleAead } from '../../../../src/shared/secure/aead'
import { ClientHandshake, HostHandshake, type Secured } from '../../../../src/shared/secure/handshake'
import { SealedChannel } from '../../../../src/shared/secure/sealed'
import { SecureChannelError } from '../../../../src/shared/secure/wire'
import { CloseReason } from '../../../../src/shared/sync/protocol'

const TOKEN = 'join-token-0123456789ab'
const text = (s: string) => new TextEncoder().encode(s)
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')
const bytes = (h: string) => new Uint8Array(Buffer.from(h, 'hex'))

/** A linked client on @noble and a host on `hostAead`, after the four handshake frames. */
function pair(hostAead: Aead, clientAead: Aead = nobleAead): { client: Secured; host: Secured } {
  const client = new ClientHandshake('link', TOKEN, clientAead)
  const host = new HostHandshake(() => TOKEN, hostAead)
  const { reply, secured } = host.onClientProof(client.onHostHello(host.onClientHello(client.hello())))
  return { client: client.onHostProof(reply), host: secured }
}

function refusal(step: () => unknown): { code: number; message: string } {
  try {
    step()
  } catch (error) {
    expect(error).toBeInstanceOf(SecureChannelError)
    return { code: (error as SecureChannelError).code, message: errorMessage(error) }
  }
  throw new Error('expected the step to fail')
}

describe("the host's native ChaCha20-Poly1305", () => {
  it('gives the RFC 8439 test vector (section 2.8.2), as @noble does', () => {
    const key = new Uint8Array(32).map((_, i) => 0x80 + i)
    const nonce = bytes('070000004041424344454647')
    const aad = bytes('50515253c0c1c2c3c4c5c6c7')
    const plain = text(
      "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
    )
    for (const aead of [nativeAead, nobleAead]) {
      const out = new Uint8Array(plain.length + 16)
      aead.key(key).sealInto(nonce, aad, plain, out)
      expect(hex(out.subarray(0, 16))).toBe('d31a8d34648e60db7b86afbc53ef7ec2')
      expect(hex(out.subarray(plain.length))).toBe('1ae10b594f09e26a7e902ecbd0600691')
      expect(hex(aead.key(key).open(nonce, aad, out) ?? new Uint8Array())).toBe(hex(plain))
    }
  })

  it('seals byte for byte as @noble does, at every size around the block and tag boundaries', () => {
    const send = new Uint8Array(32).map((_, i) => i * 7)
    const receive = new Uint8Array(32).map((_, i) => 255 - i)
    const native = new SealedChannel(send, receive, nativeAead)
    const noble = new SealedChannel(send, receive, nobleAead)
    for (const size of [0, 1, 15, 16, 17, 63, 64, 65, 200, 4096, 70_000]) {
      const frame = new Uint8Array(size).map((_, i) => (i * 31 + size) & 0xff)
      expect(hex(native.seal(frame))).toBe(hex(noble.seal(frame)))
    }
  })

  it('carries frames both ways between a native host and a @noble client', () => {
    const { client, host } = pair(nativeAead)
    for (let i = 0; i < 50; i++) {
      const up = text(`stroke ${i} `.repeat(i))
      expect(hex(host.channel.open(client.channel.seal(up)))).toBe(hex(up))
      const down = text(`relay ${i} `.repeat(i + 1))
      expect(hex(client.channel.open(host.channel.seal(down)))).toBe(hex(down))
    }
    // And the other way round: a native client of a @noble host.
    const swapped = pair(nobleAead, nativeAead)
    expect(hex(swapped.host.channel.open(swapped.client.channel.seal(text('up'))))).toBe(hex(text('up')))
    expect(hex(swapped.client.channel.open(swapped.host.channel.seal(text('down'))))).toBe(hex(text('down')))
  })

  it('refuses replayed, reordered, dropped and altered frames with the same reasons as @noble', () => {
    for (const side of ['host opens', 'client opens'] as const) {
      const { client, host } = pair(nativeAead)
      const [sender, receiver] = side === 'host opens' ? [client, host] : [host, client]
      const first = sender.channel.seal(text('one'))
      const second = sender.channel.seal(text('two'))
      const third = sender.channel.seal(text('three'))
      const reasons = (frame: Uint8Array) => refusal(() => receiver.channel.open(frame))
      expect(reasons(second)).toEqual({
        code: CloseReason.SecureChannel,
        message: 'Frame 1 came before frame 0 (dropped or reordered).',
      })
      receiver.channel.open(first)
      expect(reasons(first).message).toBe('Frame 0 came again or late (replayed or reordered).')
      for (const at of [0 + 3, 9, 10, second.length - 1]) {
        const altered = second.slice()
        altered[at] = (altered[at] as number) ^ 0x01
        expect(reasons(altered).message).toMatch(/^Frame (1|\d+) (failed authentication|came)/)
      }
      const badTag = second.slice()
      badTag[badTag.length - 1] = (badTag[badTag.length - 1] as number) ^ 0x80
      expect(reasons(badTag).message).toBe(
        'Frame 1 failed authentication (altered on the way, or another key).',
      )
      receiver.channel.open(second)
      expect(new TextDecoder().decode(receiver.channel.open(third))).toBe('three')
      // A frame sealed under the other direction's key is refused too.
      expect(reasons(receiver.channel.seal(text('back'))).code).toBe(CloseReason.SecureChannel)
      expect(reasons(text('plain')).message).toBe('A frame that is not sealed on the secure channel.')
    }
  })

  it('opens nothing when the tag is missing or the key is another', () => {
    const key = nativeAead.key(new Uint8Array(32).fill(1))
    const other = nativeAead.key(new Uint8Array(32).fill(2))
    const nonce = new Uint8Array(12)
    const out = new Uint8Array(3 + 16)
    key.sealInto(nonce, new Uint8Array(0), text('abc'), out)
    expect(key.open(nonce, new Uint8Array(0), out.subarray(0, 15))).toBeUndefined()
    expect(other.open(nonce, new Uint8Array(0), out)).toBeUndefined()
    expect(key.open(nonce, new Uint8Array(1), out)).toBeUndefined()
    expect(hex(key.open(nonce, new Uint8Array(0), out) ?? new Uint8Array())).toBe(hex(text('abc')))
  })
})
