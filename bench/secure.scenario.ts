import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { it } from 'vitest'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { connectBoardFromNode as connectBoard } from '../src/main/host/nodeClient'
import { nativeAead } from '../src/main/host/room/nativeAead'
import { startHost } from '../src/main/host/server'
import { Board } from '../src/shared/board'
import { type Aead, nobleAead } from '../src/shared/secure/aead'
import { ClientHandshake, HostHandshake } from '../src/shared/secure/handshake'
import { SEAL_OVERHEAD } from '../src/shared/secure/sealed'
import { PROTOCOL_VERSION } from '../src/shared/sync/protocol'
import { benchSize, median, ms, percentile, report } from './report'
import { benchToken } from './token'

const TOKEN = benchToken()
// Strokes drawn per throughput run, each 10 chunks of 32 points (12 updates with its start and end).
const STROKES = benchSize(200, 50)
// Quick: a fifth of the bytes sealed, fewer handshakes, joins and relay runs.
const SCALE = benchSize(1, 0.2)
const HANDSHAKES = benchSize(200, 40)
const JOIN_ROUNDS = benchSize(40, 8)
const DRAW_ROUNDS = benchSize(5, 2)

/** The four handshake frames in memory: the CPU cost of one handshake on both sides together. */
function handshakeInMemory(): void {
  const client = new ClientHandshake('link', TOKEN)
  const host = new HostHandshake(() => TOKEN)
  const proof = client.onHostHello(host.onClientHello(client.hello()))
  client.onHostProof(host.onClientProof(proof).reply)
}

/** Seal and open throughput of one direction with `aead` on both sides, in MB/s, for frames of `size` bytes. */
function sealOpenMBps(size: number, totalBytes: number, aead: Aead = nobleAead): number {
  const client = new ClientHandshake('link', TOKEN, aead)
  const host = new HostHandshake(() => TOKEN, aead)
  const proof = client.onHostHello(host.onClientHello(client.hello()))
  const { reply, secured } = host.onClientProof(proof)
  const sender = client.onHostProof(reply).channel
  const frame = new Uint8Array(size).fill(7)
  const count = Math.ceil(totalBytes / size)
  const start = performance.now()
  for (let i = 0; i < count; i++) secured.channel.open(sender.seal(frame))
  return (count * size) / 1e6 / ((performance.now() - start) / 1000)
}

function connect(url: string, board: Board, secret: { token?: string; ownerKey?: string; plain?: boolean }) {
  return connectBoard({
    url,
    board,
    awareness: new Awareness(board.doc),
    ...secret,
  })
}

/** One person draws `strokes` strokes of 10 chunks of 32 points; resolves to the time until the other has them. */
async function drawThrough(url: string, secret: { token?: string; plain?: boolean }, strokes: number) {
  const a = new Board(new Y.Doc(), 'a')
  const b = new Board(new Y.Doc(), 'b')
  const aConn = connect(url, a, secret)
  const bConn = connect(url, b, secret)
  await Promise.all([aConn.whenSynced(), bConn.whenSynced()])
  const points = Array.from({ length: 32 }, (_, i) => [i * 1.5, i * 0.75, 0.5]).flat()
  let last = ''
  const done = new Promise<void>((ok) => {
    const check = () => {
      if (last && (b.getStroke(last)?.points.length ?? 0) >= (1 + 10 * 32) * 3) {
        b.doc.off('update', check)
        ok()
      }
    }
    b.doc.on('update', check)
  })
  const start = performance.now()
  for (let s = 0; s < strokes; s++) {
    const id = a.beginStroke({ color: '#1e1e1e', width: 4 }, [0, 0, 0.5])
    if (s === strokes - 1) last = id
    for (let i = 0; i < 10; i++) a.appendPoints(id, points)
    a.finishStroke(id)
  }
  await done
  const took = performance.now() - start
  aConn.close()
  bConn.close()
  return { took, messages: strokes * 12 }
}

/** Time from opening a socket to being synced, `n` times. */
async function joinTimes(url: string, secret: { token?: string; plain?: boolean }, n: number) {
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    const board = new Board(new Y.Doc(), 'j')
    const start = performance.now()
    const c = connect(url, board, secret)
    await c.whenSynced()
    times.push(performance.now() - start)
    c.close()
  }
  return times
}

it('the secure channel: handshake time and throughput cost', async () => {
  for (let i = 0; i < 20; i++) handshakeInMemory()
  const handshakes: number[] = []
  for (let i = 0; i < HANDSHAKES; i++) {
    const t = performance.now()
    handshakeInMemory()
    handshakes.push(performance.now() - t)
  }
  sealOpenMBps(1024, 4e6 * SCALE)
  sealOpenMBps(1024, 4e6 * SCALE, nativeAead)
  const small = sealOpenMBps(200, 20e6 * SCALE)
  const medium = sealOpenMBps(4096, 50e6 * SCALE)
  const large = sealOpenMBps(256 * 1024, 100e6 * SCALE)
  const nativeSmall = sealOpenMBps(200, 20e6 * SCALE, nativeAead)
  const nativeMedium = sealOpenMBps(4096, 50e6 * SCALE, nativeAead)
  const nativeLarge = sealOpenMBps(256 * 1024, 100e6 * SCALE, nativeAead)

  const dir = await mkdtemp(join(tmpdir(), 'lanvas-bench-secure-'))
  // The host's per-socket rates would (rightly) close a client sending 2000 chunks at once: lift them here.
  const unlimited = { perSecond: 1e9, burst: 1e9 }
  const host = await startHost({
    port: 0,
    boardPath: join(dir, 'b.lanvas'),
    rendererDir: join(dir, 'none'),
    limits: { messages: unlimited, bytes: unlimited, syncRequests: unlimited },
  })
  try {
    const plainUrl = `ws://127.0.0.1:${host.port}/sync/${host.defaultBoardId}?v=${PROTOCOL_VERSION}`
    // Approval off: a plain socket on this computer's listener enters as an editor, as a link joiner does over
    // the LAN listener. Plain and secure runs alternate, so both see the same load on a shared machine.
    const share = await host.share({
      bind: '127.0.0.1',
      port: 0,
      advertise: false,
      token: TOKEN,
      approval: false,
    })
    const lanUrl = `ws://127.0.0.1:${share.port}/sync/${host.defaultBoardId}?v=${PROTOCOL_VERSION}`
    const plain = { plain: true }
    const secure = { token: TOKEN }
    await joinTimes(plainUrl, plain, 5)
    await joinTimes(lanUrl, secure, 5)
    const plainJoins: number[] = []
    const secureJoins: number[] = []
    for (let i = 0; i < JOIN_ROUNDS; i++) {
      plainJoins.push(...(await joinTimes(plainUrl, plain, 1)))
      secureJoins.push(...(await joinTimes(lanUrl, secure, 1)))
    }
    const plainDraw: number[] = []
    const secureDraw: number[] = []
    let messages = 0
    for (let i = 0; i < DRAW_ROUNDS; i++) {
      const run = await drawThrough(plainUrl, plain, STROKES)
      plainDraw.push(run.took)
      messages = run.messages
      secureDraw.push((await drawThrough(lanUrl, secure, STROKES)).took)
    }

    const rate = (t: number) => Math.round(messages / (t / 1000))
    // The host's native seal against @noble's JavaScript, and the secure listener against the plain one.
    report(
      'secure-channel',
      {
        handshakeCpuMedianMs: ms(median(handshakes)),
        handshakeCpuP95Ms: ms(percentile(handshakes, 95)),
        sealOpen200BytesMBps: ms(nativeSmall),
        sealOpen4KiBMBps: ms(nativeMedium),
        sealOpen256KiBMBps: ms(nativeLarge),
        sealPlusOpen200BytesMicroseconds: ms(200 / nativeSmall),
        bytesAddedPerFrame: SEAL_OVERHEAD,
        joinUntilSyncedMedianMs: ms(median(secureJoins)),
        relayedUpdatesPerSecond: rate(median(secureDraw)),
      },
      [
        {
          name: '@noble seal (JavaScript)',
          figures: {
            sealOpen200BytesMBps: ms(small),
            sealOpen4KiBMBps: ms(medium),
            sealOpen256KiBMBps: ms(large),
            sealPlusOpen200BytesMicroseconds: ms(200 / small),
          },
        },
        {
          name: 'Lanvas plain',
          figures: {
            joinUntilSyncedMedianMs: ms(median(plainJoins)),
            relayedUpdatesPerSecond: rate(median(plainDraw)),
          },
        },
      ],
    )
  } finally {
    await host.close()
    await rm(dir, { recursive: true, force: true })
  }
})
