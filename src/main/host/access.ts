import type { IncomingMessage } from 'node:http'

/** Who may talk to the host: requests must name the host as a loopback address (no DNS rebinding). */
export class HostAccess {
  private readonly allowedHosts: Set<string>

  constructor(port: number, extraHostnames: readonly string[] = []) {
    const names = ['127.0.0.1', 'localhost', '[::1]', ...extraHostnames]
    this.allowedHosts = new Set(names.map((n) => `${n}:${port}`.toLowerCase()))
  }

  /** Why a request is refused (a sentence for the 403 body), or undefined when it may proceed. */
  refusal(req: IncomingMessage, opts: { upgrade: boolean }): string | undefined {
    const host = (req.headers.host ?? '').toLowerCase()
    if (!this.allowedHosts.has(host))
      return `Refused: the Host header "${host}" is not this Lanvas host (expected one of ${[...this.allowedHosts].join(', ')}).`
    const origin = req.headers.origin
    // Node clients send no Origin; browsers always send one with WebSocket upgrades and cross-site posts.
    const checkOrigin = opts.upgrade || (req.method !== 'GET' && req.method !== 'HEAD')
    if (checkOrigin && origin !== undefined && !this.isOwnOrigin(origin))
      return `Refused: pages from ${origin} may not connect to this Lanvas host.`
    return undefined
  }

  private isOwnOrigin(origin: string): boolean {
    const prefix = 'http://'
    return origin.startsWith(prefix) && this.allowedHosts.has(origin.slice(prefix.length).toLowerCase())
  }
}
