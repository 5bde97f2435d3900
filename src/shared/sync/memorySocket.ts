/**
 * An in-memory network for deterministic tests of the sync core: socket pairs that satisfy BoardSocket and
 * HostSocket, whose frames wait in queues until the test delivers them, in any interleaving it picks, and
 * faults on demand (cut a link, drop or swap frames). Each direction of a link keeps its order unless a
 * fault changes it, as TCP does. With a seeded random source, the same seed makes the same run.
 */
import type { HostSocket, Timers } from './socket'
import { SocketState } from './socket'

type Delivery =
  | { kind: 'open' }
  | { kind: 'frame'; data: Uint8Array; written?: (error?: Error) => void }
  /** `echo`: the receiver answers with its own close frame (the close handshake); false for a reset. */
  | { kind: 'close'; code: number; reason: string; echo: boolean }

/** One end of an in-memory socket pair. */
export class MemorySocket implements HostSocket {
  binaryType = 'arraybuffer'
  readyState: number = SocketState.Connecting
  onopen: ((ev: unknown) => void) | null = null
  onmessage: ((ev: { data: unknown }) => void) | null = null
  onclose: ((ev: { code: number; reason: string }) => void) | null = null
  onerror: ((ev: unknown) => void) | null = null
  /** Bytes this end sent that are not delivered yet. */
  bufferedAmount = 0
  /** Set by the link that owns this end. */
  peer!: MemorySocket
  outbox!: Delivery[]

  constructor(readonly link: MemoryLink) {}

  send(data: Uint8Array, written?: (error?: Error) => void): void {
    if (this.readyState === SocketState.Connecting) throw new Error('send() before the socket is open')
    if (this.readyState !== SocketState.Open) {
      written?.(new Error('the socket is closed'))
      return
    }
    // A copy: the sender may reuse its buffer, as a real socket's caller may.
    this.outbox.push({ kind: 'frame', data: data.slice(), written })
    this.bufferedAmount += data.byteLength
  }

  close(code = 1005, reason = ''): void {
    if (this.readyState === SocketState.Closing || this.readyState === SocketState.Closed) return
    this.readyState = SocketState.Closing
    this.outbox.push({ kind: 'close', code, reason, echo: true })
  }

  terminate(): void {
    this.link.reset(this)
  }
}

/** A socket pair: the client's end and the host's end, with a queue each way. */
export class MemoryLink {
  readonly client: MemorySocket
  readonly host: MemorySocket
  /** Frames on their way to the host and to the client. */
  readonly toHost: Delivery[] = []
  readonly toClient: Delivery[] = []

  constructor(
    readonly id: number,
    readonly url: string,
  ) {
    this.client = new MemorySocket(this)
    this.host = new MemorySocket(this)
    this.client.peer = this.host
    this.host.peer = this.client
    this.client.outbox = this.toHost
    this.host.outbox = this.toClient
    this.host.readyState = SocketState.Open
    this.toClient.push({ kind: 'open' })
  }

  /** Whether frames still wait on this link. */
  get busy(): boolean {
    return this.toHost.length > 0 || this.toClient.length > 0
  }

  /** Both ends closed for good. */
  get done(): boolean {
    return (
      !this.busy &&
      this.client.readyState === SocketState.Closed &&
      this.host.readyState === SocketState.Closed
    )
  }

  /** The connection breaks (as a TCP reset): what is in flight is lost, both ends hear 1006. */
  reset(from?: MemorySocket): void {
    for (const [end, queue] of [
      [this.client, this.toClient],
      [this.host, this.toHost],
    ] as const) {
      for (const d of queue) if (d.kind === 'frame') d.written?.(new Error('the connection broke'))
      queue.length = 0
      end.bufferedAmount = 0
      if (end.readyState !== SocketState.Closed)
        queue.push({ kind: 'close', code: 1006, reason: '', echo: false })
      // The end that terminates stops at once, as `ws` does.
      if (end === from) end.readyState = SocketState.Closing
    }
  }

  /** Removes the next frame on its way to `to` (a frame lost where nothing would notice but a secure channel). */
  drop(to: 'client' | 'host'): boolean {
    const queue = to === 'host' ? this.toHost : this.toClient
    const i = queue.findIndex((d) => d.kind === 'frame')
    if (i < 0) return false
    const [d] = queue.splice(i, 1)
    if (d?.kind === 'frame') {
      this.senderOf(to).bufferedAmount -= d.data.byteLength
      d.written?.()
    }
    return true
  }

  /** Swaps the next two frames on their way to `to`. */
  swap(to: 'client' | 'host'): boolean {
    const queue = to === 'host' ? this.toHost : this.toClient
    const frames = queue.flatMap((d, i) => (d.kind === 'frame' ? [i] : []))
    const [a, b] = frames
    if (a === undefined || b === undefined) return false
    const first = queue[a] as Delivery
    queue[a] = queue[b] as Delivery
    queue[b] = first
    return true
  }

  /** Delivers the next thing waiting on its way to `to`; false when nothing waits. */
  deliver(to: 'client' | 'host'): boolean {
    const queue = to === 'host' ? this.toHost : this.toClient
    const d = queue.shift()
    if (!d) return false
    const end = to === 'host' ? this.host : this.client
    const sender = this.senderOf(to)
    switch (d.kind) {
      case 'open':
        if (end.readyState !== SocketState.Connecting) return true
        end.readyState = SocketState.Open
        end.onopen?.({})
        return true
      case 'frame':
        sender.bufferedAmount -= d.data.byteLength
        d.written?.()
        if (end.readyState === SocketState.Open) end.onmessage?.({ data: d.data.buffer })
        return true
      case 'close': {
        if (end.readyState === SocketState.Closed) return true
        // Answer the close handshake unless this end already sent its own close frame.
        if (d.echo && end.readyState === SocketState.Open) end.outbox.push({ ...d, echo: false })
        if (d.echo && end.readyState === SocketState.Connecting) end.outbox.push({ ...d, echo: false })
        end.readyState = SocketState.Closed
        end.onclose?.({ code: d.code, reason: d.reason })
        return true
      }
    }
  }

  private senderOf(to: 'client' | 'host'): MemorySocket {
    return to === 'host' ? this.client : this.host
  }
}

/**
 * Where in-memory clients connect: `connect` (a createSocket for the client engine) makes a link and hands
 * its host end to `accept` (the host's listener). Nothing moves until the test delivers it.
 */
export class MemoryNetwork {
  readonly links: MemoryLink[] = []
  private nextId = 0

  constructor(private readonly accept: (socket: MemorySocket, url: string) => void) {}

  /** Opens a client socket to `url`; the host's end is accepted at once, the client's opens when delivered. */
  connect(url: string): MemorySocket {
    const link = new MemoryLink(this.nextId++, url)
    this.links.push(link)
    this.accept(link.host, url)
    return link.client
  }

  /** Links with something on its way, oldest first. */
  busyLinks(): MemoryLink[] {
    return this.links.filter((l) => l.busy)
  }

  /**
   * Delivers one thing: `pick(n)` chooses among the n directions that have something waiting (any of them,
   * so links and directions interleave in every order). False when nothing waits anywhere.
   */
  step(pick: (n: number) => number): boolean {
    const heads = this.links.flatMap((l) => [
      ...(l.toHost.length > 0 ? [[l, 'host'] as const] : []),
      ...(l.toClient.length > 0 ? [[l, 'client'] as const] : []),
    ])
    if (heads.length === 0) return false
    const [link, to] = heads[pick(heads.length)] as (typeof heads)[number]
    link.deliver(to)
    this.links.splice(0, this.links.length, ...this.links.filter((l) => !l.done))
    return true
  }

  /** Delivers everything in order until nothing waits (at most `limit` deliveries); returns how many. */
  flush(limit = 1_000_000): number {
    let n = 0
    while (n < limit && this.step(() => 0)) n++
    return n
  }
}

/** A random source from a seed (mulberry32): the same seed gives the same numbers, in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Timers that run only when the test advances the clock. */
export class ManualTimers implements Timers {
  private now = 0
  private nextId = 1
  private readonly pending = new Map<number, { at: number; callback: () => void }>()

  constructor(readonly random: () => number = seededRandom(1)) {}

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++
    this.pending.set(id, { at: this.now + ms, callback })
    return id
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number)
  }

  /** Moves the clock on by `ms`, running every timer that falls due, in time order. */
  advance(ms: number): void {
    const end = this.now + ms
    for (;;) {
      let due: [number, { at: number; callback: () => void }] | undefined
      for (const entry of this.pending)
        if (entry[1].at <= end && (!due || entry[1].at < due[1].at)) due = entry
      if (!due) break
      this.pending.delete(due[0])
      this.now = due[1].at
      due[1].callback()
    }
    this.now = end
  }

  /** Timers waiting to run. */
  get waiting(): number {
    return this.pending.size
  }
}
