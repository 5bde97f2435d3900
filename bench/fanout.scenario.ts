/**
 * Fan-out (issue 9, items 6 and 9): N peers on one board, up to 10 of them drawing at a fixed rate, relayed by a
 * bare `ws` relay and the y-websocket server (the baselines), then by Lanvas plain (loopback listener) and
 * encrypted (LAN listener). Each host runs in its own process (bench/fanout/host.ts, one per mode, kept for
 * every N), so its CPU time is the host's alone. Drawers and two timing receivers open every frame and time
 * it from its send (latency); every other peer is a light receiver that counts updates on the raw TCP stream
 * (frames, and the count a sealed batch carries in its clear header) once it has joined, so the load generator is not the limit at N = 100.
 */
import { type ChildProcess, fork } from 'node:child_process'
import type { Socket } from 'node:net'
import { fileURLToPath } from 'node:url'
import { it } from 'vitest'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { Board } from '../src/shared/board'
import { secureSocket } from '../src/shared/secure/clientSocket'
import { SecureFrame } from '../src/shared/secure/wire'
import {
  controlFrame,
  readFrame,
  syncStep1Frame,
  syncStep2Frame,
  updateFrame,
} from '../src/shared/sync/frames'
import type { BoardSocket } from '../src/shared/sync/socket'
import { frameBytes } from '../src/shared/sync/socket'
import type { FanoutMode } from './fanout/host'
import { benchSize, type Figures, ms, percentile, report } from './report'
import { benchToken } from './token'

const MODES: FanoutMode[] = ['bare', 'ywebsocket', 'plain', 'secure']
const MODE_NAMES: Record<FanoutMode, string> = {
  bare: 'bare ws relay',
  ywebsocket: 'y-websocket server',
  plain: 'Lanvas plain',
  secure: 'Lanvas encrypted',
}
const TOKEN = benchToken()
const JITI = fileURLToPath(new URL('../node_modules/jiti/lib/jiti-cli.mjs', import.meta.url))
const HOST = fileURLToPath(new URL('./fanout/host.ts', import.meta.url))
// LANVAS_BENCH_PROFILE=<dir>: each host process writes a V8 CPU profile there (node --cpu-prof).
const PROFILE = process.env.LANVAS_BENCH_PROFILE
// Each drawer sends for this long; the run then waits for the relay to drain (bounded by DRAIN_MS).
const SEND_MS = benchSize(3000, 500)
const DRAIN_MS = benchSize(15_000, 2000)
// Peers that open and time every frame besides the drawers (the others only count frames).
const TIMING_RECEIVERS = 2
// N peers, how many draw, and each drawer's updates a second. A pen sends one chunk per 60 Hz frame: at N = 50
// and 100 ten people draw at that rate (the classroom); N = 2 and 10 push the host harder per peer.
// --quick runs N = 2 and 50 (N = 100 and 10 are most of the time: the joins, the runs); the full run has all four.
const RUNS = (
  process.env.LANVAS_BENCH_FANOUT_N?.split(',').map(Number) ?? benchSize([2, 10, 50, 100], [2, 50])
).map((peers) => ({
  peers,
  drawers: Math.min(10, peers === 2 ? 1 : peers === 10 ? 5 : 10),
  rate: peers === 2 ? 1000 : peers === 10 ? 120 : 60,
}))
const ONLY = process.env.LANVAS_BENCH_FANOUT_MODES?.split(',') as FanoutMode[] | undefined

interface HostChild {
  url: string
  /** The host process's CPU time so far, in ms. */
  cpu(): Promise<number>
  close(): Promise<void>
}

function ask<T>(child: ChildProcess, message: string, key: string): Promise<T> {
  return new Promise((ok, fail) => {
    const exited = (code: number | null) => fail(new Error(`the bench host exited (${code})`))
    child.once('exit', exited)
    const on = (m: Record<string, unknown>) => {
      if (key in m) {
        child.off('message', on)
        child.off('exit', exited)
        ok(m[key] as T)
      }
    }
    child.on('message', on)
    if (message) child.send(message)
  })
}

async function startHostChild(mode: FanoutMode): Promise<HostChild> {
  const execArgv = PROFILE ? ['--cpu-prof', '--cpu-prof-dir', PROFILE] : []
  const child = fork(JITI, [HOST, mode, TOKEN], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    execArgv,
  })
  const url = await ask<string>(child, '', 'url')
  return {
    url,
    cpu: async () => {
      const { user, system } = await ask<{ user: number; system: number }>(child, 'cpu', 'cpu')
      return (user + system) / 1000
    },
    close: async () => {
      const gone = new Promise((ok) => child.once('exit', ok))
      await ask(child, 'close', 'closed')
      await gone
    },
  }
}

/** A drawer's updates made in advance under its own client id: 12 per stroke, as the pen makes them. */
function strokesOf(clientId: number, count: number): Uint8Array[] {
  const doc = new Y.Doc()
  doc.clientID = clientId
  const updates: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => updates.push(u))
  const board = new Board(doc, 'd')
  const points = Array.from({ length: 32 }, (_, i) => [i * 1.5, i * 0.75, 0.5]).flat()
  while (updates.length < count) {
    const id = board.beginStroke({ color: '#1e1e1e', width: 4 }, [0, 0, 0.5])
    for (let i = 0; i < 10; i++) board.appendPoints(id, points)
    board.finishStroke(id)
  }
  return updates.slice(0, count)
}

/** Which update this is, from any relay (each re-encodes differently): its first client and clock. */
function updateKey(update: Uint8Array): string | undefined {
  for (const [client, clock] of Y.parseUpdateMeta(update).from) return `${client}:${clock}`
  return undefined
}

/**
 * Counts the updates in the server's binary WebSocket frames on a raw TCP stream without decoding or opening them
 * (server frames are unmasked: a 2-byte header, a 2- or 8-byte length when the 7-bit one is 126 or 127, then the
 * payload). A frame is one update, but a SealedBatch says in its clear header how many frames it seals.
 */
function updateCounter(onUpdates: (count: number) => void): (chunk: Buffer) => void {
  let header: number[] = []
  let peek: number[] = []
  let length = -1
  let binary = false
  let skip = 0
  const PEEK = 12
  const done = () => {
    if (binary) {
      let count = 1
      if (peek[0] === SecureFrame.SealedBatch) {
        count = 0
        for (let i = 9, scale = 1; i < peek.length; i++, scale *= 128) {
          count += ((peek[i] as number) & 0x7f) * scale
          if ((peek[i] as number) < 0x80) break
        }
      }
      onUpdates(count)
    }
    header = []
    peek = []
    length = -1
  }
  return (chunk) => {
    let i = 0
    while (i < chunk.length) {
      if (skip > 0) {
        const n = Math.min(skip, chunk.length - i)
        skip -= n
        i += n
        continue
      }
      if (length < 0) {
        header.push(chunk[i++] as number)
        if (header.length < 2) continue
        const short = (header[1] as number) & 0x7f
        const need = short === 126 ? 4 : short === 127 ? 10 : 2
        if (header.length < need) continue
        length = short
        if (short === 126) length = ((header[2] as number) << 8) | (header[3] as number)
        else if (short === 127) length = header.slice(2, 10).reduce((a, b) => a * 256 + b, 0)
        binary = ((header[0] as number) & 0x0f) === 0x2
        if (length === 0) done()
        continue
      }
      const want = Math.min(PEEK, length)
      if (peek.length < want) {
        peek.push(chunk[i++] as number)
        if (peek.length < want) continue
      }
      skip = length - peek.length
      done()
    }
  }
}

type Kind = 'drawer' | 'timer' | 'light'

interface Peer {
  ready: Promise<void>
  received: number
  lastAt: number
  /** From now on count what arrives. */
  count(): void
  send(frame: Uint8Array): void
  close(): void
}

interface Clock {
  /** When each update (by updateKey) was sent. */
  sentAt: Map<string, number>
  latencies: number[]
}

function peer(url: string, mode: FanoutMode, clientId: number, kind: Kind, clock: Clock): Peer {
  const ws = new WebSocket(url, { perMessageDeflate: false })
  ws.on('error', () => {})
  ws.binaryType = 'arraybuffer'
  const raw = ws as unknown as BoardSocket
  const socket = mode === 'secure' ? secureSocket(raw, { mode: 'link', secret: TOKEN }) : raw
  let counting = false
  const arrived = (frame: Uint8Array) => {
    if (!counting) return
    const parsed = readFrame(frame)
    if (parsed.type !== 'update') return
    const key = updateKey(parsed.update)
    // y-websocket echoes a sender's own updates back to it.
    if (key?.startsWith(`${clientId}:`)) return
    const now = performance.now()
    self.received++
    self.lastAt = now
    const sent = key === undefined ? undefined : clock.sentAt.get(key)
    if (sent !== undefined) clock.latencies.push(now - sent)
  }
  const self: Peer = {
    ready: Promise.resolve(),
    received: 0,
    lastAt: 0,
    count() {
      counting = true
      if (kind !== 'light') return
      // A light receiver stops reading frames through `ws` and only counts them on the TCP stream.
      const tcp = (ws as unknown as { _socket: Socket })._socket
      tcp.removeAllListeners('data')
      tcp.on(
        'data',
        updateCounter((count) => {
          self.received += count
          self.lastAt = performance.now()
        }),
      )
    },
    send: (frame) => socket.send(frame),
    close: () => ws.terminate(),
  }
  self.ready = new Promise<void>((ok) => {
    if (mode === 'bare' || mode === 'ywebsocket') {
      ws.once('open', () => ok())
      ws.on('message', (data: ArrayBuffer) => arrived(new Uint8Array(data)))
      return
    }
    const empty = new Y.Doc()
    socket.onopen = () =>
      socket.send(controlFrame({ type: 'hello', name: 'p', color: '#000000', awarenessId: clientId }))
    socket.onmessage = ({ data }) => {
      const bytes = frameBytes(data) ?? new Uint8Array()
      const frame = readFrame(bytes)
      // Answer the host's SyncStep1 (so our updates are not held) and ask for its state: its SyncStep2 means synced.
      if (frame.type === 'sync-step1') {
        socket.send(syncStep2Frame(empty, frame.stateVector))
        socket.send(syncStep1Frame(empty))
      } else if (frame.type === 'sync-step2') ok()
      else arrived(bytes)
    }
  })
  return self
}

const sleep = (t: number) => new Promise((ok) => setTimeout(ok, t))

interface RunFigures {
  deliveredPercent: number
  deliveredPerSecond: number
  latencyP50Ms: number
  latencyP99Ms: number
  hostCpuMsPer1000: number
}

async function fanout(
  mode: FanoutMode,
  host: HostChild,
  run: (typeof RUNS)[number],
  firstClient: number,
): Promise<RunFigures> {
  const perDrawer = Math.round((run.rate * SEND_MS) / 1000)
  const clock: Clock = { sentAt: new Map(), latencies: [] }
  const kindOf = (i: number): Kind =>
    i < run.drawers ? 'drawer' : i < run.drawers + TIMING_RECEIVERS ? 'timer' : 'light'
  const peers: Peer[] = []
  try {
    // Joined in groups, as a classroom arrives, so no handshake waits behind a hundred others.
    for (let i = 0; i < run.peers; i += 25) {
      const group = Array.from({ length: Math.min(25, run.peers - i) }, (_, k) =>
        peer(host.url, mode, firstClient + i + k, kindOf(i + k), clock),
      )
      peers.push(...group)
      await Promise.all(group.map((p) => p.ready))
    }
    const drawers = peers.slice(0, run.drawers)
    const updates = drawers.map((_, i) => strokesOf(firstClient + i, perDrawer))
    const frames = updates.map((list) => list.map((u) => updateFrame(u)))
    const keys = updates.map((list) => list.map((u) => updateKey(u) ?? ''))
    // Let the joins' participant lists and syncs settle before counting.
    await sleep(benchSize(300, 150))
    for (const p of peers) p.count()
    const cpu0 = await host.cpu()
    const start = performance.now()
    const sent = drawers.map(() => 0)
    while (sent.some((s) => s < perDrawer)) {
      const due = Math.min(perDrawer, Math.floor(((performance.now() - start) / 1000) * run.rate))
      drawers.forEach((d, i) => {
        while ((sent[i] as number) < due) {
          const k = sent[i] as number
          clock.sentAt.set(keys[i]?.[k] as string, performance.now())
          d.send(frames[i]?.[k] as Uint8Array)
          sent[i] = k + 1
        }
      })
      await sleep(4)
    }
    const expected = run.drawers * perDrawer * (run.peers - 1)
    const total = () => peers.reduce((s, p) => s + p.received, 0)
    let seen = total()
    let quietSince = performance.now()
    while (
      total() < expected &&
      performance.now() - quietSince < 1000 &&
      performance.now() - start < SEND_MS + DRAIN_MS
    ) {
      await sleep(50)
      if (total() !== seen) {
        seen = total()
        quietSince = performance.now()
      }
    }
    const cpu = (await host.cpu()) - cpu0
    const delivered = total()
    const last = Math.max(...peers.map((p) => p.lastAt))
    return {
      deliveredPercent: ms((delivered / expected) * 100),
      deliveredPerSecond: Math.round(delivered / ((last - start) / 1000)),
      latencyP50Ms: ms(percentile(clock.latencies, 50)),
      latencyP99Ms: ms(percentile(clock.latencies, 99)),
      hostCpuMsPer1000: ms((cpu / Math.max(1, delivered)) * 1000),
    }
  } finally {
    for (const p of peers) p.close()
    // Let the host see them go before the next run joins.
    await sleep(benchSize(200, 100))
  }
}

it('fan-out: bare relay and y-websocket (baselines), Lanvas plain and encrypted, N = 2, 10, 50, 100', async () => {
  const byMode = Object.fromEntries(MODES.map((m) => [m, {} as Figures])) as Record<FanoutMode, Figures>
  const modes = ONLY ?? MODES
  // One host process per mode for the whole scenario (a start costs seconds on a loaded machine); each run's
  // peers use client ids no earlier run used, so every update is new to the board.
  const hosts = await Promise.all(modes.map((m) => startHostChild(m)))
  try {
    for (const [r, run] of RUNS.entries()) {
      // Modes back to back for each N, so each ratio compares runs under about the same load.
      for (const [m, mode] of modes.entries()) {
        const began = performance.now()
        const figures = await fanout(mode, hosts[m] as HostChild, run, 1000 * (r + 1))
        console.log(`fan-out N = ${run.peers}, ${mode}: ${Math.round(performance.now() - began)} ms`)
        const prefix = `n${run.peers} (${run.drawers}x${run.rate}/s)`
        for (const [k, v] of Object.entries(figures)) byMode[mode][`${prefix} ${k}`] = v
      }
    }
  } finally {
    await Promise.all(hosts.map((h) => h.close()))
  }
  const baseline = (m: FanoutMode) => ({ name: MODE_NAMES[m], figures: byMode[m] })
  report('fanout-plain', byMode.plain, [baseline('bare'), baseline('ywebsocket')])
  report('fanout', byMode.secure, [baseline('bare'), baseline('ywebsocket'), baseline('plain')])
})
