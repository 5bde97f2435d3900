/**
 * Encrypted fan-out against the plain one and a bare relay (issue 9, item 6): N peers on one board, some
 * drawing at a fixed rate, the others only receiving. The host runs in its own process (bench/fanout/host.ts)
 * so its CPU time is measured alone; the peers are light (receivers count frames without opening them once
 * the board is synced) so the load generator is not the limit.
 */
import { type ChildProcess, fork } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { it } from 'vitest'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { Board } from '../src/shared/board'
import { secureSocket } from '../src/shared/secure/clientSocket'
import {
  controlFrame,
  readFrame,
  syncStep1Frame,
  syncStep2Frame,
  updateFrame,
} from '../src/shared/sync/frames'
import type { BoardSocket } from '../src/shared/sync/socket'
import { frameBytes } from '../src/shared/sync/socket'
import { ms, report } from './report'

type Mode = 'bare' | 'plain' | 'noble' | 'native'
const MODES: Mode[] = ['bare', 'plain', 'noble', 'native']
// A fresh 144-bit token, as the host makes them (a chosen one must pass the strength check).
const TOKEN = randomBytes(18).toString('base64url')
const JITI = fileURLToPath(new URL('../node_modules/jiti/lib/jiti-cli.mjs', import.meta.url))
const HOST = fileURLToPath(new URL('./fanout/host.ts', import.meta.url))
// Each drawer sends for this long; the run then waits for the relay to drain (bounded by DRAIN_MS).
const SEND_MS = 2000
const DRAIN_MS = 15_000
// Peers, drawers and each drawer's updates per second: 2 and 10 peers push the host hard, 50 peers with 10
// drawing at one chunk per 60 Hz frame is the classroom.
const RUNS = [
  { peers: 2, drawers: 1, rate: 5000 },
  { peers: 10, drawers: 2, rate: 1000 },
  { peers: 50, drawers: 10, rate: 60 },
]

interface HostChild {
  url: string
  /** The host process's CPU time so far, in ms. */
  cpu(): Promise<number>
  close(): Promise<void>
}

function ask<T>(child: ChildProcess, message: string, key: string): Promise<T> {
  return new Promise((ok, fail) => {
    child.once('exit', (code) => fail(new Error(`the bench host exited (${code})`)))
    const on = (m: Record<string, unknown>) => {
      if (key in m) {
        child.off('message', on)
        ok(m[key] as T)
      }
    }
    child.on('message', on)
    if (message) child.send(message)
  })
}

async function startHostChild(mode: Mode): Promise<HostChild> {
  const child = fork(JITI, [HOST, mode, TOKEN], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
  const url = await ask<string>(child, '', 'url')
  return {
    url,
    cpu: async () => {
      const { user, system } = await ask<{ user: number; system: number }>(child, 'cpu', 'cpu')
      return (user + system) / 1000
    },
    close: async () => {
      await ask(child, 'close', 'closed')
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

interface Peer {
  ready: Promise<void>
  received: number
  lastAt: number
  /** From now on count what arrives; a receiver stops opening frames (only relayed updates reach it). */
  count(light: boolean): void
  send(frame: Uint8Array): void
  close(): void
}

function peer(url: string, mode: Mode, clientId: number): Peer {
  const ws = new WebSocket(url, { perMessageDeflate: false })
  ws.on('error', () => {})
  ws.binaryType = 'arraybuffer'
  const raw = ws as unknown as BoardSocket
  const socket =
    mode === 'plain' || mode === 'bare' ? raw : secureSocket(raw, { mode: 'link', secret: TOKEN })
  let counting = false
  const self: Peer = {
    ready: Promise.resolve(),
    received: 0,
    lastAt: 0,
    count(light) {
      if (light || mode === 'bare')
        ws.onmessage = () => {
          self.received++
          self.lastAt = performance.now()
        }
      counting = true
    },
    send: (frame) => socket.send(frame),
    close: () => ws.terminate(),
  }
  self.ready = new Promise<void>((ok) => {
    if (mode === 'bare') {
      ws.once('open', () => ok())
      return
    }
    const empty = new Y.Doc()
    socket.onopen = () =>
      socket.send(controlFrame({ type: 'hello', name: 'p', color: '#000000', awarenessId: clientId }))
    socket.onmessage = ({ data }) => {
      const frame = readFrame(frameBytes(data) ?? new Uint8Array())
      // Answer the host's SyncStep1 (so our updates are not held) and ask for its state: its SyncStep2 means synced.
      if (frame.type === 'sync-step1') {
        socket.send(syncStep2Frame(empty, frame.stateVector))
        socket.send(syncStep1Frame(empty))
      } else if (frame.type === 'sync-step2') ok()
      else if (frame.type === 'update' && counting) {
        self.received++
        self.lastAt = performance.now()
      }
    }
  })
  return self
}

const sleep = (t: number) => new Promise((ok) => setTimeout(ok, t))

async function fanout(mode: Mode, run: (typeof RUNS)[number]) {
  const host = await startHostChild(mode)
  const perDrawer = Math.round((run.rate * SEND_MS) / 1000)
  try {
    const peers = Array.from({ length: run.peers }, (_, i) => peer(host.url, mode, 1000 + i))
    await Promise.all(peers.map((p) => p.ready))
    const drawers = peers.slice(0, run.drawers)
    const updates = drawers.map((_, i) => strokesOf(1000 + i, perDrawer).map((u) => updateFrame(u)))
    // Let the joins' participant lists and syncs settle before counting.
    await sleep(500)
    for (const [i, p] of peers.entries()) p.count(i >= run.drawers)
    const cpu0 = await host.cpu()
    const start = performance.now()
    const sent = drawers.map(() => 0)
    while (sent.some((s) => s < perDrawer)) {
      const due = Math.min(perDrawer, Math.floor(((performance.now() - start) / 1000) * run.rate))
      drawers.forEach((d, i) => {
        const list = updates[i] as Uint8Array[]
        while ((sent[i] as number) < due) d.send(list[(sent[i] as number)++] as Uint8Array)
      })
      await sleep(5)
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
    for (const p of peers) p.close()
    return {
      delivered,
      deliveredPercent: (delivered / expected) * 100,
      perSecond: delivered / ((last - start) / 1000),
      cpuPer1000: (cpu / delivered) * 1000,
    }
  } finally {
    await host.close()
  }
}

it('encrypted fan-out: bare relay, plain, secure with @noble, secure with native crypto', async () => {
  const figures: Record<string, number | string> = {
    loadAverageBefore: readFileSync('/proc/loadavg', 'utf8').trim(),
  }
  for (const run of RUNS) {
    const results = {} as Record<Mode, Awaited<ReturnType<typeof fanout>>>
    // Modes run back to back for each N, so each ratio compares runs under about the same load.
    for (const mode of MODES) results[mode] = await fanout(mode, run)
    const bare = results.bare
    for (const mode of MODES) {
      const r = results[mode]
      const key = `n${run.peers}_${mode}`
      figures[`${key}_deliveredPerSecond`] = Math.round(r.perSecond)
      figures[`${key}_deliveredPercent`] = ms(r.deliveredPercent)
      figures[`${key}_hostCpuMsPer1000`] = ms(r.cpuPer1000)
      figures[`${key}_cpuTimesBare`] = ms(r.cpuPer1000 / bare.cpuPer1000)
      if (mode === 'noble' || mode === 'native')
        figures[`${key}_cpuTimesPlain`] = ms(r.cpuPer1000 / results.plain.cpuPer1000)
    }
  }
  figures.loadAverageAfter = readFileSync('/proc/loadavg', 'utf8').trim()
  report('fanout', figures)
})
