import type { Page } from 'playwright-core'

/** The size of every message a page's WebSockets sent and received, each with its WebSocket header. */
export interface WireSizes {
  /** Client frames are masked: 4 bytes more than the same message received. */
  sent: number[]
  recv: number[]
}

type WireWindow = Window & { __wire?: WireSizes }

/**
 * An init script (`context.addInitScript(countWire)`): wraps the page's WebSocket so that it keeps the size of every
 * message sent and received. Self-contained, since Playwright runs its source in the page.
 */
export function countWire(): void {
  const sizes: WireSizes = { sent: [], recv: [] }
  ;(window as WireWindow).__wire = sizes
  const size = (d: unknown) =>
    d instanceof ArrayBuffer || ArrayBuffer.isView(d)
      ? d.byteLength
      : d instanceof Blob
        ? d.size
        : String(d).length
  const header = (n: number) => (n < 126 ? 2 : n < 65536 ? 4 : 10)
  const Plain = WebSocket
  class Counted extends Plain {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols)
      this.addEventListener('message', (e) => {
        sizes.recv.push(size(e.data) + header(size(e.data)))
      })
    }
    override send(data: Parameters<WebSocket['send']>[0]): void {
      sizes.sent.push(size(data) + header(size(data)) + 4)
      super.send(data)
    }
  }
  window.WebSocket = Counted
}

/** What `countWire` has kept on a page so far. */
export function wireOf(page: Page): Promise<WireSizes> {
  return page.evaluate(() => (window as WireWindow).__wire ?? { sent: [], recv: [] })
}
