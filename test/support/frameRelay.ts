import { WebSocket, WebSocketServer } from 'ws'

/** A WebSocket relay on loopback in front of a listener: what someone in the middle of the network can do. */
export interface FrameRelay {
  port: number
  close(): Promise<void>
}

/**
 * Relays each socket opened to it to `target`, client frames as they are and each host frame through `onHostFrame`
 * (which may change its bytes in place: a bit flipped on the way). Frames a client sends before the upstream
 * socket opens wait for it.
 */
export async function frameRelay(target: string, onHostFrame: (frame: Buffer) => void): Promise<FrameRelay> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  server.on('connection', (downstream) => {
    const upstream = new WebSocket(target)
    upstream.on('error', () => {})
    const early: Buffer[] = []
    upstream.on('open', () => {
      for (const f of early.splice(0)) upstream.send(f)
    })
    downstream.on('message', (data: Buffer) =>
      upstream.readyState === WebSocket.OPEN ? upstream.send(data) : early.push(data),
    )
    upstream.on('message', (data: Buffer) => {
      const frame = Buffer.from(data)
      onHostFrame(frame)
      downstream.send(frame)
    })
    downstream.on('close', () => upstream.close())
    upstream.on('close', () => downstream.close())
  })
  if (!server.address()) await new Promise((resolve) => server.once('listening', resolve))
  return {
    port: (server.address() as { port: number }).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

/** Flips the lowest bit of a frame's last byte (inside a sealed frame's tag: the frame no longer authenticates). */
export function flipLastBit(frame: Buffer): void {
  frame[frame.length - 1] = (frame[frame.length - 1] as number) ^ 0x01
}
