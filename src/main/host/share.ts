import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { type AddressInfo, isIP } from 'node:net'
import type { Duplex } from 'node:stream'
import { normalizeName } from '../../shared/names'
import { CloseReason } from '../../shared/sync/protocol'
import { cleanName } from '../../shared/sync/session'
import { type HostAccess, hostPort, newSecret } from './access'
import type { ConnectionGate } from './connectionLimits'
import { advertiseSession, lanAddresses, newSessionId } from './discovery'
import type { BoardRoom } from './room/boardRoom'
import { tokenWeakness } from './tokenStrength'

/** The port a shared board listens on unless told otherwise. */
export const DEFAULT_LAN_PORT = 47800

/** How to share the host's default board on the network. */
export interface ShareOptions {
  /** The board to share; default the host's default board. */
  boardId?: string
  /** Default 47800; when taken, a free one. 0 picks any free port. */
  port?: number
  /** Address to listen on; default all interfaces (0.0.0.0, and IPv6 too where the system has it). */
  bind?: string
  /** The session's name; default "<host name>'s board". */
  name?: string
  /** The join token; default a fresh secret of 144 bits. */
  token?: string
  /** Joining without the token knocks (default true) or enters as an editor (false). */
  approval?: boolean
  /** Advertise the session by mDNS (default true). */
  advertise?: boolean
  /** The address of the interface to advertise on; default all. */
  iface?: string
}

/** A board shared on the network. */
export interface SessionShare {
  sessionId: string
  /** The shared board. */
  boardId: string
  token: string
  /** The LAN listener's port. */
  port: number
  /** http://ADDR:PORT/#join=TOKEN, one per address others can reach this host at. */
  joinLinks: string[]
  /** Stops sharing: mDNS goodbye, the network's sockets closed, the LAN listener closed. */
  stop(): Promise<void>
}

/** What sharing needs from the host. */
export interface ShareContext {
  room: BoardRoom
  boardName: () => string
  hostName: string
  access: HostAccess
  handleRequest: (req: IncomingMessage, res: ServerResponse) => void
  handleUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void
  /** Keeps the LAN listener's connections within the host's caps, with the loopback listener's. */
  gate: ConnectionGate
  /** Closes the sockets that came in over the LAN listener. */
  closeLanSockets: (code: number, reason: string) => void
  log: (line: string) => void
}

/** A share that can also be stopped as the host shuts down (clients then retry: 1001). */
export interface OpenShare extends SessionShare {
  stopWith(code: number, reason: string): Promise<void>
}

// mDNS goodbye packets go out at once; a stuck socket must not hold up the host's shutdown.
const GOODBYE_TIMEOUT_MS = 2000

/** Checks share options; throws an Error with a one-line message for the user. */
export function checkShareOptions(options: ShareOptions): void {
  const { port, bind, token, iface } = options
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535))
    throw new Error(`The port must be a number from 0 to 65535, not ${port}.`)
  if (bind !== undefined && isIP(bind) === 0) throw new Error(`"${bind}" is not an IP address to bind.`)
  if (iface !== undefined && isIP(iface) === 0) throw new Error(`"${iface}" is not an interface address.`)
  // Advertising runs over IPv4 mDNS: an IPv6 interface address would join no group and announce nothing.
  if (iface !== undefined && isIP(iface) === 6)
    throw new Error(`"${iface}" is an IPv6 address; give the IPv4 address of the interface to advertise on.`)
  const weakness = token === undefined ? undefined : tokenWeakness(token)
  if (weakness) throw new Error(weakness)
}

/** Opens the LAN listener for the host's default board, lets the room know, and advertises it. */
export async function openShare(ctx: ShareContext, options: ShareOptions): Promise<OpenShare> {
  checkShareOptions(options)
  const token = options.token ?? newSecret()
  const approval = options.approval ?? true
  const server = createServer(ctx.handleRequest)
  ctx.gate.attach(server)
  server.on('upgrade', ctx.handleUpgrade)
  const bound = await listen(server, options.port ?? DEFAULT_LAN_PORT, options.bind ?? '0.0.0.0')
  const port = (server.address() as AddressInfo).port
  const addresses = reachableAddresses(bound)
  ctx.access.allow([...addresses, '127.0.0.1', 'localhost', '::1'], port)
  const joinLinks = addresses.map((a) => `http://${hostPort(a, port)}/#join=${token}`)
  const sessionId = newSessionId()
  const name = cleanName(options.name ?? `${ctx.hostName}'s board`)
  const describe = () => ({
    sessionId,
    name,
    boardId: ctx.room.id,
    // File and machine names reach every participant and the network: normalised like any name.
    boardName: normalizeName(ctx.boardName()),
    hostName: normalizeName(ctx.hostName),
    approval,
  })
  ctx.room.setShare({ token, approval, describe, joinLinks })
  const advert =
    (options.advertise ?? true) ? advertiseSession({ ...describe(), port }, options.iface) : undefined
  ctx.log(`sharing board ${ctx.room.id} as "${name}" on ${bound} port ${port}${advert ? ', advertised' : ''}`)

  let stopping: Promise<void> | undefined
  const stopWith = (code: number, reason: string): Promise<void> => {
    stopping ??= (async () => {
      await Promise.race([advert?.stop(), new Promise((r) => setTimeout(r, GOODBYE_TIMEOUT_MS).unref())])
      ctx.access.forget()
      ctx.closeLanSockets(code, reason)
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
      ctx.room.setShare(undefined)
      await closed
      ctx.log(`stopped sharing board ${ctx.room.id}`)
    })()
    return stopping
  }
  return {
    sessionId,
    boardId: ctx.room.id,
    token,
    port,
    joinLinks,
    stopWith,
    stop: () => stopWith(CloseReason.BoardClosed, 'The host stopped sharing this board.'),
  }
}

/** Listens on `port` (any free one when taken) at `bind`; 0.0.0.0 becomes dual-stack :: where possible. */
async function listen(server: ReturnType<typeof createServer>, port: number, bind: string): Promise<string> {
  const hosts = bind === '0.0.0.0' ? ['::', '0.0.0.0'] : [bind]
  let lastError: unknown
  for (const host of hosts) {
    for (const p of port === 0 ? [0] : [port, 0]) {
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject)
          server.listen(p, host, () => {
            server.off('error', reject)
            resolve()
          })
        })
        return host
      } catch (error) {
        lastError = error
        const code = (error as NodeJS.ErrnoException).code
        if (code === 'EADDRINUSE') continue
        break
      }
    }
  }
  throw lastError
}

/** The addresses others can reach a listener bound to `bound` at. */
function reachableAddresses(bound: string): string[] {
  if (bound === '::') return lanAddresses()
  if (bound === '0.0.0.0') return lanAddresses().filter((a) => !a.includes(':'))
  return [bound]
}
