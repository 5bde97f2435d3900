import { mkdtemp, rm } from 'node:fs/promises'
import { type Socket, connect as tcpConnect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach } from 'vitest'
import WebSocket from 'ws'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { nodeTimers } from '../../src/main/host/nodeClient'
import { type Host, type HostOptions, type ShareOptions, startHost } from '../../src/main/host/server'
import { Board } from '../../src/shared/board'
import { type SecureCredential, secureSocket } from '../../src/shared/secure/clientSocket'
import { type BoardConnection, type ConnectOptions, connectBoard } from '../../src/shared/sync/connect'
import {
  controlFrame,
  type Frame,
  readMessage,
  syncStep2Frame,
  updateFrame,
} from '../../src/shared/sync/frames'
import { PROTOCOL_VERSION } from '../../src/shared/sync/protocol'
import { type ClientControl, type HostControl, parseHostControl } from '../../src/shared/sync/session'
import { type BoardSocket, frameBytes } from '../../src/shared/sync/socket'

/** A fresh temporary folder; removed by the returned cleanup. */
export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'lanvas-test-'))
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true })
}

/** For a describe whose tests each work in a fresh temporary folder (`dir`), removed after the test. */
export function eachTempDir(): { readonly dir: string } {
  let dir = ''
  beforeEach(async () => {
    dir = await tempDir()
  })
  afterEach(async () => {
    await removeDir(dir)
  })
  return {
    get dir() {
      return dir
    },
  }
}

/** A host on a free loopback port with fast autosave, serving `rendererDir` (missing by default). */
export function startTestHost(dir: string, overrides: Partial<HostOptions> = {}) {
  return startHost({
    port: 0,
    boardPath: join(dir, 'board.lanvas'),
    rendererDir: join(dir, 'no-renderer'),
    autosave: { quietMs: 20, maxDelayMs: 100 },
    ...overrides,
  })
}

/** What eachTestHost gives the tests of a describe. */
export interface TestHostScope {
  /** This test's own temporary folder (the host's board is board.lanvas in it). */
  readonly dir: string
  /** Starts this test's host in `dir` (closed after the test). */
  start(overrides?: Partial<HostOptions>): Promise<Host>
  /** Connects a client (destroyed after the test). */
  connect(url: string, name: string, options?: ClientOptions): TestClient
  /** Opens a raw protocol socket, as `rawPeer` (cut after the test, before the host closes). */
  raw(...args: Parameters<typeof rawPeer>): RawPeer
}

/**
 * For a describe whose tests each run one host: a fresh temporary folder before each test, and after it the
 * clients made through `connect` destroyed, the raw sockets cut, the host closed and the folder removed.
 */
export function eachTestHost(): TestHostScope {
  // Registered first, so its after hook runs last (after hooks run in reverse): the folder goes once the host is closed.
  const folder = eachTempDir()
  let host: Host | undefined
  const clients: TestClient[] = []
  const raws: RawPeer[] = []
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy()
    for (const r of raws.splice(0)) r.ws.terminate()
    await host?.close()
    host = undefined
  })
  return {
    get dir() {
      return folder.dir
    },
    async start(overrides = {}) {
      host = await startTestHost(folder.dir, overrides)
      return host
    },
    connect(url, name, options = {}) {
      const client = connectClient(url, name, options)
      clients.push(client)
      return client
    },
    raw(...args) {
      const peer = rawPeer(...args)
      raws.push(peer)
      return peer
    },
  }
}

/** The sync URL of a board on a host. */
export function syncUrl(port: number, boardId: string, version = PROTOCOL_VERSION): string {
  return `ws://127.0.0.1:${port}/sync/${boardId}?v=${version}`
}

/** Shares a host's board on loopback only: a free port, no mDNS (tests never touch the real network). */
export function shareOnLoopback(host: Host, options: ShareOptions = {}) {
  return host.share({ bind: '127.0.0.1', port: 0, advertise: false, ...options })
}

export interface TestClient {
  board: Board
  awareness: Awareness
  connection: BoardConnection
  /** Cuts the current socket as a network failure would (the client reconnects by itself). */
  dropSocket(): void
  /** While false, every socket the client opens fails at once, as with the network gone. */
  setOnline(online: boolean): void
  destroy(): void
}

export type ClientOptions = Partial<
  Pick<ConnectOptions, 'identity' | 'token' | 'ownerKey' | 'plain' | 'rejoin' | 'overview'>
> & {
  /** An existing replica to connect (its board and awareness), e.g. a board kept after its host left. */
  replica?: { board: Board; awareness: Awareness }
  /** Connect through this loopback TCP port (a recording proxy) while the URL still names the host. */
  via?: number
  /** The Origin header a page served from there sends (a browser always sends one; Node clients none). */
  origin?: string
}

/** `ws` options that route a socket through a loopback TCP port (the Host header still names the URL's host). */
function routedThrough(via: number | undefined): WebSocket.ClientOptions | undefined {
  return via === undefined ? undefined : { createConnection: () => tcpConnect(via, '127.0.0.1') }
}

const NOWHERE = 'ws://127.0.0.1:9/'

/** A real Yjs client connected over a real `ws` socket, as the renderer connects in a browser. */
export function connectClient(url: string, name: string, options: ClientOptions = {}): TestClient {
  const doc = options.replica?.board.doc ?? new Y.Doc()
  const board = options.replica?.board ?? new Board(doc, name)
  const awareness = options.replica?.awareness ?? new Awareness(doc)
  let online = true
  let current: WebSocket | undefined
  const connection = connectBoard({
    url,
    board,
    awareness,
    identity: options.identity ?? { name, color: '#336699' },
    token: options.token,
    ownerKey: options.ownerKey,
    rejoin: options.rejoin,
    plain: options.plain,
    overview: options.overview,
    timers: nodeTimers,
    createSocket: (u) => {
      const routed = online ? routedThrough(options.via) : undefined
      current = new WebSocket(
        online ? u : NOWHERE,
        options.origin ? { ...routed, origin: options.origin } : routed,
      )
      current.on('error', () => {})
      return current as unknown as BoardSocket
    },
  })
  return {
    board,
    awareness,
    connection,
    dropSocket: () => current?.terminate(),
    setOnline(value) {
      online = value
      if (!value) current?.terminate()
    },
    destroy() {
      connection.close()
      awareness.destroy()
      board.destroy()
      doc.destroy()
    },
  }
}

/** Whether two boards hold exactly the same document. */
export function sameState(a: Board, b: Board): boolean {
  return Buffer.from(Y.encodeStateVector(a.doc)).equals(Buffer.from(Y.encodeStateVector(b.doc)))
}

type Hello = Extract<ClientControl, { type: 'hello' }>

/** A socket that speaks the protocol by hand, to send what a well-behaved client never would. */
export interface RawPeer {
  /** The raw socket under the secure channel (its frames are sealed). */
  ws: WebSocket
  /** Its replica, kept in sync with what the host sends. */
  doc: Y.Doc
  /** Every control message the host sent, in order. */
  controls: HostControl[]
  /** How the host ended the socket. */
  closed: Promise<{ code: number; reason: string }>
  /** The welcome, once it came. */
  welcome(): Extract<HostControl, { type: 'welcome' }> | undefined
  sendControl(message: ClientControl): void
  /** Sends a Yjs update as a Sync Update frame. */
  sendUpdate(update: Uint8Array): void
  /** Sends any bytes as one protocol frame (sealed on the secure channel), once the channel is open. */
  sendFrame(frame: Uint8Array): void
  /** The secure channel's comparison code (undefined on a plain socket). */
  comparisonCode(): string | undefined
  /** The state vectors of the host's SyncStep1s, in order (kept unanswered when `answer` is false). */
  syncStep1s: Uint8Array[]
  /** The update of every Update frame the host sent, in order, as it came over the wire. */
  updates: Uint8Array[]
}

/** The hello of a raw peer; `token` and `ownerKey` choose what its secure handshake proves. */
export type RawHello = Partial<Hello> & { token?: string; ownerKey?: string }

/**
 * Opens a raw protocol socket on the secure channel (or plain, for a loopback listener); once the channel is
 * open it says `hello` (with these fields), unless hello is null.
 */
export function rawPeer(
  url: string,
  hello: RawHello | null = {},
  options: { plain?: boolean; localAddress?: string; connect?: () => Socket; answer?: boolean } = {},
): RawPeer {
  const { token, ownerKey, ...fields } = hello ?? {}
  const credential: SecureCredential =
    ownerKey !== undefined
      ? { mode: 'owner', secret: ownerKey }
      : token !== undefined
        ? { mode: 'link', secret: token }
        : { mode: 'knock' }
  const ws = new WebSocket(url, {
    ...(options.localAddress ? { localAddress: options.localAddress } : {}),
    // The test's own TCP socket under the WebSocket (to pause its reading, as a peer that stops reading).
    ...(options.connect ? { createConnection: options.connect } : {}),
  })
  ws.on('error', () => {})
  const raw = ws as unknown as BoardSocket
  const socket = options.plain ? raw : secureSocket(raw, credential)
  const doc = new Y.Doc()
  const controls: HostControl[] = []
  const syncStep1s: Uint8Array[] = []
  const updates: Uint8Array[] = []
  // Frames asked for before the channel is open wait for it.
  let queue: Uint8Array[] | undefined = []
  const send = (bytes: Uint8Array) => {
    if (queue) queue.push(bytes)
    else if (socket.readyState === 1) socket.send(bytes)
  }
  socket.onopen = () => {
    if (hello)
      socket.send(
        controlFrame({ type: 'hello', name: 'raw', color: '#000000', awarenessId: doc.clientID, ...fields }),
      )
    for (const bytes of queue ?? []) socket.send(bytes)
    queue = undefined
  }
  socket.onmessage = ({ data }) => {
    // An Update may carry its sender's cursor after it (one message): the cursor is of no use here.
    const [frame] = readMessage(frameBytes(data) ?? new Uint8Array()) as [Frame]
    if (frame.type === 'control') {
      const message = parseHostControl(frame.json)
      if (message) controls.push(message)
    } else if (frame.type === 'sync-step1') {
      syncStep1s.push(frame.stateVector)
      if (options.answer !== false) send(syncStep2Frame(doc, frame.stateVector))
    } else if (frame.type === 'sync-step2' || frame.type === 'update') {
      if (frame.type === 'update') updates.push(frame.update)
      Y.applyUpdate(doc, frame.update, 'host')
    }
  }
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.onclose = ({ code, reason }) => resolve({ code, reason })
  })
  return {
    ws,
    doc,
    controls,
    closed,
    syncStep1s,
    updates,
    welcome: () => controls.find((c): c is Extract<HostControl, { type: 'welcome' }> => c.type === 'welcome'),
    sendControl: (message) => send(controlFrame(message)),
    sendFrame: send,
    comparisonCode: () =>
      'comparisonCode' in socket ? (socket.comparisonCode as string | undefined) : undefined,
    sendUpdate: (update) => send(updateFrame(update)),
  }
}
