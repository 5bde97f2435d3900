/**
 * Large edits (issue 9, item 5): moving, restyling and deleting every stroke of a 10,000-stroke board (and of a
 * 100,000-stroke one at full size) with a real host on loopback. For each edit: the update's bytes, the
 * sender's CPU time, the host's guard check and apply (CPU time, on a replica of the host's board), the time until the peer's
 * board has the change, and how long a small edit waits while the host saves the big one. Baselines from the
 * same run: the same update through a bare `ws` relay and through the y-websocket server.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { it } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import { Awareness } from 'y-protocols/awareness'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { connectBoardFromNode as connectBoard } from '../src/main/host/nodeClient'
import { startHost } from '../src/main/host/server'
import { Board } from '../src/shared/board'
import { encodeBoardFile } from '../src/shared/boardFile'
import type { ElementEntry } from '../src/shared/elements/entry'
import { readPlace, readStroke } from '../src/shared/elements/read'
import { deleteSelection, moveSelection } from '../src/shared/selection'
import { widenDeletes } from '../src/shared/sync/deleteRanges'
import { PROTOCOL_VERSION } from '../src/shared/sync/protocol'
import { BoardGuard } from '../src/shared/validate/boardGuard'
import { makeBoard } from './boards'
import { benchSize, ms, report } from './report'

const require = createRequire(import.meta.url)
const { setupWSConnection } = require('y-websocket/bin/utils') as {
  setupWSConnection: (conn: WebSocket, req: unknown, options: { docName: string; gc: boolean }) => void
}

// Not among makeBoard's colours, so the sentinel stroke shows the restyle.
const RESTYLED = '#f08c00'
// --quick: 2,000 strokes keep this scenario to seconds (a delete costs Yjs time quadratic in the board's size).
const SIZES = benchSize([10_000, 100_000], [2_000])

type Edit = 'move' | 'restyle' | 'delete'
const EDITS: Edit[] = ['move', 'restyle', 'delete']

/** Makes one edit on every element of `board`, as the app does (one undo step). */
function perform(board: Board, edit: Edit, ids: string[]): void {
  if (edit === 'move') moveSelection(board, ids, 40, 25)
  else if (edit === 'restyle') {
    board.beginAction()
    board.updateElements(ids.map((id) => [id, { color: RESTYLED }] as const))
  } else deleteSelection(board, ids)
}

/** Whether `doc` shows the edit on the element `id` (one update carries the whole edit: one element tells). */
function shows(doc: Y.Doc, edit: Edit, id: string, x: number): boolean {
  const el = doc.getMap<ElementEntry>('elements').get(id)
  if (edit === 'delete') return el === undefined
  // The element as every reader sees it (a large move is a record in `moves`, not its own x; a large restyle a
  // record in `styles`, not its own colour; a finished stroke is a flat record, not a map).
  return edit === 'move' ? readPlace(id, el, doc)?.x === x : readStroke(id, el, doc)?.color === RESTYLED
}

/** Resolves with the time from `start` until `doc` shows the edit. */
function whenShown(doc: Y.Doc, edit: Edit, id: string, x: number, start: () => number): Promise<number> {
  return new Promise((ok) => {
    const check = () => {
      if (!shows(doc, edit, id, x)) return
      doc.off('afterTransaction', check)
      ok(performance.now() - start())
    }
    doc.on('afterTransaction', check)
  })
}

/** x of an element's map (0 when unset), the sentinel of a move. */
function xOf(doc: Y.Doc, id: string): number {
  return readPlace(id, doc.getMap<ElementEntry>('elements').get(id), doc)?.x ?? 0
}

/**
 * The CPU time of a synchronous piece of work (user + system of this process), in ms: on a machine shared with
 * other jobs, wall time mostly measures the others.
 */
function cpuMs(work: () => void): number {
  const start = process.cpuUsage()
  work()
  const used = process.cpuUsage(start)
  return (used.user + used.system) / 1000
}

interface Captured {
  edit: Edit
  /** The sender's board before the edit. */
  before: Uint8Array
  update: Uint8Array
  sentinel: string
  x: number
}

/** The edits through a real Lanvas host; returns the figures and the updates, for the baselines. */
async function throughLanvas(strokes: number, figures: Record<string, number | string>): Promise<Captured[]> {
  const dir = await mkdtemp(join(tmpdir(), 'lanvas-bench-edits-'))
  const boardPath = join(dir, 'big.lanvas')
  await writeFile(boardPath, encodeBoardFile(makeBoard(strokes).doc))
  // Saves only when the bench asks (host.flush()), so that each is measured on its own.
  const host = await startHost({
    port: 0,
    boardPath,
    rendererDir: join(dir, 'none'),
    autosave: { quietMs: 3_600_000, maxDelayMs: 3_600_000 },
  })
  const url = `${host.url.replace('http', 'ws')}sync/${host.defaultBoardId}?v=${PROTOCOL_VERSION}`
  const a = new Board(new Y.Doc(), 'a')
  const b = new Board(new Y.Doc(), 'b')
  const aConn = connectBoard({ url, board: a, awareness: new Awareness(a.doc) })
  const bConn = connectBoard({ url, board: b, awareness: new Awareness(b.doc) })
  const captured: Captured[] = []
  try {
    await Promise.all([aConn.whenSynced(), bConn.whenSynced()])
    const ids = a.elementIds()
    // Kept out of the edits: the small edit that measures how long the relay waits while the host saves.
    const probe = ids.pop() as string
    const sentinel = ids[ids.length - 1] as string
    for (const edit of EDITS) {
      const before = Y.encodeStateAsUpdate(a.doc)
      const x = xOf(a.doc, sentinel) + 40
      let update: Uint8Array | undefined
      const capture = (u: Uint8Array, origin: unknown) => {
        if (origin === a.localOrigin) update = u
      }
      a.doc.on('update', capture)
      let t0 = 0
      const seen = whenShown(b.doc, edit, sentinel, x, () => t0)
      t0 = performance.now()
      const senderMs = cpuMs(() => perform(a, edit, ids))
      const peerMs = await seen
      a.doc.off('update', capture)
      if (!update) throw new Error(`${edit}: no update`)
      // The baselines carry Yjs's own update; the host got what the client sends, a delete's ranges joined over
      // structs already deleted (src/shared/sync/deleteRanges.ts): the same after the edit as during it.
      const sent = widenDeletes(a.doc, update)
      captured.push({ edit, before, update, sentinel, x })

      // The host's save of the edit, and a one-element move sent as it starts: how long the relay waits.
      const px = xOf(a.doc, probe) + 1
      let t1 = 0
      const probeSeen = whenShown(b.doc, 'move', probe, px, () => t1)
      t1 = performance.now()
      a.updateElement(probe, { x: px })
      const saving = host.flush()
      const probeMs = await probeSeen
      await saving
      const saveMs = performance.now() - t1

      const host2 = hostWork(before, sent)
      figures[`${edit}UpdateKB`] = ms(sent.byteLength / 1024)
      figures[`${edit}DeleteRanges`] = deleteRanges(sent)
      figures[`${edit}SenderCpuMs`] = ms(senderMs)
      figures[`${edit}HostGuardCpuMs`] = ms(host2.guardMs)
      figures[`${edit}HostApplyCpuMs`] = ms(host2.applyMs)
      figures[`${edit}PeerSeesMs`] = ms(peerMs)
      figures[`${edit}SaveMs`] = ms(saveMs)
      figures[`${edit}SmallEditDuringSaveMs`] = ms(probeMs)
    }
    return captured
  } finally {
    aConn.close()
    bConn.close()
    await host.close()
    await rm(dir, { recursive: true, force: true })
  }
}

/** How many delete ranges an update carries, over all clients. */
function deleteRanges(update: Uint8Array): number {
  let ranges = 0
  for (const list of Y.decodeUpdate(update).ds.clients.values()) ranges += list.length
  return ranges
}

/** The host's guard check and apply of `update` on a replica of the board it was made on. */
function hostWork(before: Uint8Array, update: Uint8Array): { guardMs: number; applyMs: number } {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, before)
  const guard = new BoardGuard(doc)
  // The host measured its board when it first checked an edit (a peer's first sync), not on this one.
  guard.estimatedBytes()
  let verdict: ReturnType<BoardGuard['check']> | undefined
  const guardMs = cpuMs(() => {
    verdict = guard.check(update)
  })
  if (!verdict?.ok) throw new Error(`the guard refused the bench's edit: ${verdict?.reason}`)
  const applyMs = cpuMs(() => Y.applyUpdate(doc, update))
  doc.destroy()
  return { guardMs, applyMs }
}

/** A relay that sends every binary message to every other socket, as it came: the least a relay can do. */
async function bareRelay(): Promise<{ url: string; close: () => Promise<void> }> {
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    perMessageDeflate: false,
    maxPayload: 2 ** 30,
  })
  await new Promise<void>((ok) => wss.once('listening', ok))
  wss.on('connection', (ws) =>
    ws.on('message', (data, isBinary) => {
      for (const other of wss.clients)
        if (other !== ws && other.readyState === WebSocket.OPEN) other.send(data, { binary: isBinary })
    }),
  )
  const { port } = wss.address() as { port: number }
  return { url: `ws://127.0.0.1:${port}/`, close: () => new Promise((ok) => wss.close(() => ok())) }
}

/** The same updates through the bare relay: the receiver applies each to its replica. */
async function throughBareRelay(captured: Captured[], figures: Record<string, number | string>) {
  const relay = await bareRelay()
  const open = (ws: WebSocket) => new Promise((ok) => ws.once('open', ok))
  const sender = new WebSocket(relay.url, { maxPayload: 2 ** 30 })
  const receiver = new WebSocket(relay.url, { maxPayload: 2 ** 30 })
  try {
    await Promise.all([open(sender), open(receiver)])
    for (const c of captured) {
      const doc = new Y.Doc()
      Y.applyUpdate(doc, c.before)
      let t0 = 0
      const seen = whenShown(doc, c.edit, c.sentinel, c.x, () => t0)
      receiver.once('message', (data: Buffer) => Y.applyUpdate(doc, new Uint8Array(data)))
      t0 = performance.now()
      sender.send(c.update)
      figures[`${c.edit}BareRelayPeerSeesMs`] = ms(await seen)
      doc.destroy()
    }
  } finally {
    sender.close()
    receiver.close()
    await relay.close()
  }
}

/** The same updates through the y-websocket server: sender and receiver are y-websocket providers. */
async function throughYWebsocket(captured: Captured[], figures: Record<string, number | string>) {
  const server = createServer()
  const wss = new WebSocketServer({ server, maxPayload: 2 ** 30 })
  wss.on('connection', (conn, req) => setupWSConnection(conn, req, { docName: room, gc: true }))
  const room = `edits-${Date.now()}`
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  const { port } = server.address() as { port: number }
  const url = `ws://127.0.0.1:${port}`
  try {
    for (const c of captured) {
      const name = `${room}-${c.edit}`
      const a = new Y.Doc()
      Y.applyUpdate(a, c.before)
      const b = new Y.Doc()
      const options = { WebSocketPolyfill: WebSocket as never, disableBc: true }
      const pa = new WebsocketProvider(url, name, a, options)
      await new Promise<void>((ok) => pa.once('sync', () => ok()))
      const pb = new WebsocketProvider(url, name, b, options)
      await new Promise<void>((ok) => pb.once('sync', () => ok()))
      while (!b.getMap('elements').has(c.sentinel)) await new Promise((r) => setTimeout(r, 10))
      let t0 = 0
      const seen = whenShown(b, c.edit, c.sentinel, c.x, () => t0)
      t0 = performance.now()
      Y.applyUpdate(a, c.update)
      figures[`${c.edit}YWebsocketPeerSeesMs`] = ms(await seen)
      pa.destroy()
      pb.destroy()
      a.destroy()
      b.destroy()
    }
  } finally {
    for (const ws of wss.clients) ws.terminate()
    await new Promise<void>((ok) => wss.close(() => ok()))
    await new Promise<void>((ok) => server.close(() => ok()))
  }
}

for (const strokes of SIZES)
  it(`large edits on a ${strokes.toLocaleString('en')}-stroke board: move, restyle, delete all`, async () => {
    const figures: Record<string, number | string> = { strokes }
    const captured = await throughLanvas(strokes, figures)
    await throughBareRelay(captured, figures)
    await throughYWebsocket(captured, figures)
    for (const edit of EDITS) {
      const peer = figures[`${edit}PeerSeesMs`] as number
      figures[`${edit}VsBareRelay`] = ms(peer / (figures[`${edit}BareRelayPeerSeesMs`] as number))
      figures[`${edit}VsYWebsocket`] = ms(peer / (figures[`${edit}YWebsocketPeerSeesMs`] as number))
    }
    report(`edits-${strokes / 1000}k`, figures)
  }, 3_600_000)
