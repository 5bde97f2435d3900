/**
 * How many TCP connections the host keeps, so that idle or hostile connections cannot use up its file
 * descriptors: a connection must send its first request within a deadline; each remote address and the host
 * as a whole have a cap, kept well below the process's descriptor limit so that saving a board (a temporary
 * file, the journal, the folder's fsync) always finds a descriptor. When a cap is reached the oldest
 * connection that has not sent a request yet makes room (so a flood of idle connections cannot keep out the
 * owner's window, whose connections send at once); only when every connection is busy is the new one refused.
 */
import { readFileSync } from 'node:fs'
import type { Server } from 'node:http'
import { isIPv4, type Socket } from 'node:net'

/** Connection caps and the first-request deadline (part of HostLimits). */
export interface ConnectionLimits {
  /** Connections the host keeps at once, over both listeners. */
  maxConnections: number
  /** Connections one remote address on the network may keep. */
  maxConnectionsPerAddress: number
  /** Connections one loopback address (this computer: the owner's windows, local browsers) may keep. */
  maxLoopbackConnections: number
  /** A connection that has not sent a complete request by then is closed. */
  firstRequestMs: number
}

// Descriptors the host needs besides connections: boards' journals, temporary files, folders, Electron's own.
const RESERVED_DESCRIPTORS = 64

/** The process's limit on open files (Linux /proc), or undefined where it cannot be read. */
export function openFileLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'))
    const soft = Number(line?.split(/\s{2,}/)[1])
    return Number.isFinite(soft) && soft > 0 ? soft : undefined
  } catch {
    return undefined
  }
}

/** The default caps: half the descriptor limit (at most 4096) for all connections, less a fixed reserve. */
export function defaultConnectionLimits(fileLimit = openFileLimit()): ConnectionLimits {
  // Without a known limit, 1024 is the smallest soft limit common systems start processes with.
  const limit = fileLimit ?? 1024
  const maxConnections = Math.max(16, Math.min(4096, Math.floor(limit / 2) - RESERVED_DESCRIPTORS))
  return {
    maxConnections,
    // A browser opens about 6 connections to a host plus its WebSockets; 32 leaves room for a few tabs.
    maxConnectionsPerAddress: Math.min(32, Math.floor(maxConnections / 2)),
    // Every local program shares this budget: the owner's windows, browsers on this computer, loopback
    // joiners of the LAN listener. It is kept apart from the network's, and idle connections make room in it,
    // so neither a LAN flood nor an idle local one keeps the owner's window out.
    maxLoopbackConnections: Math.min(256, Math.floor(maxConnections / 2)),
    // As long as the hello may take (10 s): a person's browser sends its request at once.
    firstRequestMs: 10_000,
  }
}

/** Whether a remote address is this computer (127.0.0.0/8, ::1, or 127.x mapped into IPv6). */
export function isLoopbackAddress(address: string): boolean {
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address
  if (isIPv4(v4)) return v4.startsWith('127.')
  return address === '::1'
}

/** Counts of what the gate did (tests and figures). */
export interface ConnectionFigures {
  open: number
  peak: number
  /** Idle connections closed to make room for a new one. */
  evicted: number
  /** New connections refused because every connection was busy. */
  refused: number
  /** Connections closed for sending no request in time. */
  timedOut: number
}

/** Keeps the connections of one or more HTTP servers within ConnectionLimits. */
export class ConnectionGate {
  // Per address (all of loopback as one), in the order they came: the first idle one is the oldest.
  private readonly byAddress = new Map<string, Set<Socket>>()
  private readonly idle = new Set<Socket>()
  private readonly refusals = new Map<string, number>()
  private network = 0
  readonly figures: ConnectionFigures = { open: 0, peak: 0, evicted: 0, refused: 0, timedOut: 0 }

  constructor(
    private readonly limits: ConnectionLimits,
    private readonly log: (line: string) => void,
  ) {}

  /** Watches a server's connections; its header deadline becomes the first-request deadline. */
  attach(server: Server): void {
    server.headersTimeout = Math.min(
      server.requestTimeout || Number.POSITIVE_INFINITY,
      this.limits.firstRequestMs,
    )
    server.on('connection', (socket: Socket) => this.admit(socket))
    server.on('request', (req) => this.idle.delete(req.socket))
    server.on('upgrade', (req) => this.idle.delete(req.socket))
  }

  private admit(socket: Socket): void {
    const address = socket.remoteAddress ?? 'unknown'
    const loopback = isLoopbackAddress(address)
    // Every 127.x address is this computer: one budget, or a local program could multiply it.
    const key = loopback ? 'loopback' : address
    const mine = this.byAddress.get(key) ?? new Set<Socket>()
    const cap = loopback ? this.limits.maxLoopbackConnections : this.limits.maxConnectionsPerAddress
    if (mine.size >= cap && !this.evictFrom(mine)) {
      this.refuse(socket, address)
      return
    }
    // The network's connections share what loopback does not keep: no flood from the LAN reaches the owner's.
    const networkCap = this.limits.maxConnections - this.limits.maxLoopbackConnections
    if (!loopback && this.network >= networkCap && !this.evictFrom(this.busiest())) {
      this.refuse(socket, address)
      return
    }
    mine.add(socket)
    this.byAddress.set(key, mine)
    this.idle.add(socket)
    if (!loopback) this.network++
    this.figures.open++
    this.figures.peak = Math.max(this.figures.peak, this.figures.open)
    const deadline = setTimeout(() => {
      if (!this.idle.has(socket)) return
      this.idle.delete(socket)
      this.figures.timedOut++
      socket.destroy()
    }, this.limits.firstRequestMs)
    deadline.unref()
    socket.once('close', () => {
      clearTimeout(deadline)
      this.idle.delete(socket)
      mine.delete(socket)
      if (mine.size === 0 && this.byAddress.get(key) === mine) this.byAddress.delete(key)
      if (!loopback) this.network--
      this.figures.open--
    })
  }

  /** Closes the oldest connection of this set that has sent no request; false when all are busy. */
  private evictFrom(set: Set<Socket> | undefined): boolean {
    for (const socket of set ?? [])
      if (this.idle.has(socket)) {
        this.idle.delete(socket)
        socket.destroy()
        this.figures.evicted++
        return true
      }
    return false
  }

  /** The network address holding the most idle connections: the flood, not the people, pays for the cap. */
  private busiest(): Set<Socket> | undefined {
    let best: Set<Socket> | undefined
    let most = 0
    for (const [key, set] of this.byAddress) {
      if (key === 'loopback') continue
      let idle = 0
      for (const s of set) if (this.idle.has(s)) idle++
      if (idle > most) [best, most] = [set, idle]
    }
    return best
  }

  private refuse(socket: Socket, address: string): void {
    socket.destroy()
    this.figures.refused++
    const count = (this.refusals.get(address) ?? 0) + 1
    this.refusals.delete(address)
    this.refusals.set(address, count)
    if (this.refusals.size > 4096) this.refusals.delete(this.refusals.keys().next().value as string)
    // One line at the 1st, 10th, 100th... refusal: a flood must not flood the log as well.
    if (/^10*$/.test(String(count)))
      this.log(`refused a connection from ${address}: too many busy connections (${count} refused so far)`)
  }
}
