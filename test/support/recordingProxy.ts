import { createServer, type Socket, connect as tcpConnect } from 'node:net'

/** A TCP relay on loopback that keeps every byte passing through it, both ways: what a sniffer would see. */
export interface RecordingProxy {
  port: number
  /** Everything recorded so far, client -> host and host -> client, in arrival order. */
  bytes(): Buffer
  close(): Promise<void>
}

/** Relays 127.0.0.1:<its port> to 127.0.0.1:targetPort, recording the traffic. */
export async function recordingProxy(targetPort: number): Promise<RecordingProxy> {
  const chunks: Buffer[] = []
  const sockets = new Set<Socket>()
  const server = createServer((client) => {
    const host = tcpConnect(targetPort, '127.0.0.1')
    for (const s of [client, host]) {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
      s.on('error', () => {
        client.destroy()
        host.destroy()
      })
    }
    const relay = (from: Socket, to: Socket) => {
      from.on('data', (data: Buffer) => {
        chunks.push(Buffer.from(data))
        to.write(data)
      })
      from.on('end', () => to.end())
    }
    relay(client, host)
    relay(host, client)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    bytes: () => Buffer.concat(chunks),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}
