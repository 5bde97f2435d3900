import { randomBytes } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/** Who may talk to the host: requests must name the host as one of its own addresses (no DNS rebinding). */
export class HostAccess {
  private readonly allowedHosts: Set<string>
  private readonly extra = new Set<string>()
  // Origins (addr:port) of the session's earlier hosts: their pages may connect after a takeover, as pages only.
  private readonly origins = new Set<string>()

  constructor(port: number, extraHostnames: readonly string[] = []) {
    const names = ['127.0.0.1', 'localhost', '[::1]', ...extraHostnames]
    this.allowedHosts = new Set(names.map((n) => hostPort(n, port)))
  }

  /** Also accepts these addresses (IPv6 with or without brackets) at this port, until forget(). */
  allow(addresses: readonly string[], port: number): void {
    for (const a of addresses) this.extra.add(hostPort(a, port))
  }

  /** Accepts pages served by these hosts (`addr:port`) as the Origin of requests, until forget(). */
  allowOrigins(hostPorts: readonly string[]): void {
    for (const h of hostPorts) this.origins.add(h.toLowerCase())
  }

  /** Drops every address added with allow() and allowOrigins(). */
  forget(): void {
    this.extra.clear()
    this.origins.clear()
  }

  /**
   * Why a request is refused (a sentence for the 403 body), or undefined when it may proceed. `api` marks
   * requests that read boards or the host's state (everything under /api/): those, GETs included, must come
   * from the host's own pages, as upgrades must.
   */
  refusal(req: IncomingMessage, opts: { upgrade: boolean; api?: boolean }): string | undefined {
    const host = (req.headers.host ?? '').toLowerCase()
    if (!this.allows(host))
      return `Refused: the Host header "${host}" is not this Lanvas host (expected one of ${[...this.allowedHosts, ...this.extra].join(', ')}).`
    const origin = req.headers.origin
    // Node clients send no Origin; browsers always send one with WebSocket upgrades and cross-site posts.
    const checkOrigin = opts.upgrade || opts.api || (req.method !== 'GET' && req.method !== 'HEAD')
    if (checkOrigin && origin !== undefined && !this.isOwnOrigin(origin))
      return `Refused: pages from ${origin} may not connect to this Lanvas host.`
    // An <img> or a no-cors fetch from another page sends no Origin on a GET, but Chromium, Firefox and Safari
    // send Sec-Fetch-Site; another port of 127.0.0.1 is "same-site", so only same-origin (or none: typed) passes.
    const site = req.headers['sec-fetch-site']
    if (opts.api && site !== undefined && site !== 'same-origin' && site !== 'none')
      return 'Refused: pages from other sites may not read from this Lanvas host.'
    return undefined
  }

  private allows(host: string): boolean {
    return this.allowedHosts.has(host) || this.extra.has(host)
  }

  private isOwnOrigin(origin: string): boolean {
    const prefix = 'http://'
    const hostPort = origin.slice(prefix.length).toLowerCase()
    return origin.startsWith(prefix) && (this.allows(hostPort) || this.origins.has(hostPort))
  }
}

/** `addr:port` as a Host header names it: IPv6 in brackets, lower case. */
export function hostPort(address: string, port: number): string {
  const name = address.includes(':') && !address.startsWith('[') ? `[${address}]` : address
  return `${name}:${port}`.toLowerCase()
}

/** A fresh secret (join token, owner key, rejoin secret): 144 random bits as base64url. */
export function newSecret(): string {
  return randomBytes(18).toString('base64url')
}
