/**
 * The host side of bench/fanout.scenario.ts, in its own process so that its CPU time is the host's alone:
 * a bare `ws` relay, the y-websocket server (the standard Yjs relay), or a Lanvas host whose board is reached
 * plain on the loopback listener or over the secure LAN listener. Run by jiti; talks over IPC.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebSocketServer } from 'ws'
import { PROTOCOL_VERSION } from '../../src/shared/sync/protocol'

/** Who relays: the two baselines, then Lanvas plain and encrypted. */
export type FanoutMode = 'bare' | 'ywebsocket' | 'plain' | 'secure'

// jiti runs this file with its own arguments first: ours follow the file's name.
const args = process.argv.slice(process.argv.findIndex((a) => a.endsWith('host.ts')) + 1)
const mode = args[0] as FanoutMode
const token = args[1] ?? ''
const send = (message: unknown) => process.send?.(message)

interface Relay {
  url: string
  close: () => Promise<void>
}

async function listen(
  onConnection: (ws: import('ws').WebSocket, req: import('http').IncomingMessage) => void,
) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false })
  await new Promise<void>((ok) => wss.once('listening', ok))
  wss.on('connection', onConnection)
  const { port } = wss.address() as { port: number }
  return { wss, port, close: () => new Promise<void>((ok) => wss.close(() => ok())) }
}

async function bare(): Promise<Relay> {
  // The least a relay can do: every binary message to every other socket, as it came.
  const server = await listen((ws) => {
    ws.on('message', (data, isBinary) => {
      for (const other of server.wss.clients)
        if (other !== ws && other.readyState === 1) other.send(data, { binary: isBinary })
    })
  })
  return { url: `ws://127.0.0.1:${server.port}/`, close: server.close }
}

async function yWebsocket(): Promise<Relay> {
  // y-websocket 2.1.0's own server code (bin/utils): one Y.Doc per room, every update applied and broadcast.
  const { setupWSConnection } = createRequire(import.meta.url)('y-websocket/bin/utils') as {
    setupWSConnection: (ws: unknown, req: unknown, options?: { docName?: string }) => void
  }
  const server = await listen((ws, req) => setupWSConnection(ws, req, { docName: 'bench' }))
  return { url: `ws://127.0.0.1:${server.port}/bench`, close: server.close }
}

async function lanvas(): Promise<Relay> {
  // Imported here: the y-websocket process must load only y-websocket's own (CommonJS) Yjs.
  const { startHost } = await import('../../src/main/host/server')
  const dir = await mkdtemp(join(tmpdir(), 'lanvas-bench-fanout-'))
  // A classroom from one address at bench rates: lift the per-socket rates and the per-address caps.
  const unlimited = { perSecond: 1e9, burst: 1e9 }
  const host = await startHost({
    port: 0,
    boardPath: join(dir, 'b.lanvas'),
    rendererDir: join(dir, 'none'),
    limits: {
      messages: unlimited,
      bytes: unlimited,
      syncRequests: unlimited,
      maxParticipants: 1000,
      maxPendingPerAddress: 1000,
      maxConnectionsPerAddress: 1000,
      maxLoopbackConnections: 1000,
      maxConnections: 2000,
    },
  })
  let port = host.port
  if (mode === 'secure') {
    // Approval off: a link joiner is an editor at once, as a plain socket on the loopback listener is.
    const share = await host.share({ bind: '127.0.0.1', port: 0, advertise: false, token, approval: false })
    port = share.port
  }
  return {
    url: `ws://127.0.0.1:${port}/sync/${host.defaultBoardId}?v=${PROTOCOL_VERSION}`,
    close: async () => {
      await host.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

{
  const server = await (mode === 'bare' ? bare() : mode === 'ywebsocket' ? yWebsocket() : lanvas())
  process.on('message', async (message) => {
    if (message === 'cpu') send({ cpu: process.cpuUsage() })
    else if (message === 'close') {
      await server.close()
      send({ closed: true })
      process.exit(0)
    }
  })
  send({ url: server.url })
}
