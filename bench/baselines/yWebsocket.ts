/**
 * The y-websocket server (2.1.0, `y-websocket/bin/utils`: the standard Yjs relay) in this process, and its own
 * client (`WebsocketProvider`), as the baseline for late join and live latency on the same board.
 */
import { createRequire } from 'node:module'
import WebSocket, { WebSocketServer } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

const utils = createRequire(import.meta.url)('y-websocket/bin/utils') as {
  setupWSConnection: (ws: unknown, req: unknown, options?: { docName?: string }) => void
  getYDoc: (name: string) => Y.Doc
  docs: Map<string, Y.Doc & { destroy(): void }>
}

export interface YWebsocketServer {
  url: string
  close(): Promise<void>
}

/** Starts a y-websocket server on loopback whose room `room` starts with `state` (a Yjs update). */
export async function startYWebsocket(room: string, state?: Uint8Array): Promise<YWebsocketServer> {
  if (state) Y.applyUpdate(utils.getYDoc(room), state)
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false })
  await new Promise<void>((ok) => wss.once('listening', ok))
  wss.on('connection', (ws, req) => utils.setupWSConnection(ws, req, { docName: room }))
  const { port } = wss.address() as { port: number }
  return {
    url: `ws://127.0.0.1:${port}`,
    close: async () => {
      for (const c of wss.clients) c.terminate()
      await new Promise<void>((ok) => wss.close(() => ok()))
      utils.docs.get(room)?.destroy()
      utils.docs.delete(room)
    },
  }
}

/** A y-websocket client on `doc`; resolves once it is synced with the server. */
export async function connectYWebsocket(server: YWebsocketServer, room: string, doc: Y.Doc) {
  const provider = new WebsocketProvider(server.url, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  })
  await new Promise<void>((ok) => provider.once('sync', (synced: boolean) => synced && ok()))
  return provider
}
