import { browseSessions, type DiscoveredSession, participantCount } from './discovery'

/** A session seen on the network and how many people are in it (missing when its host did not say). */
export type CountedSession = DiscoveredSession & { participants?: number }

// Browsing stops this long after the last request: nobody is looking at the Join panel any more.
const IDLE_MS = 60_000

/** The sessions on the network, browsed by mDNS only while somebody asks for them. */
export class SessionList {
  private browser: ReturnType<typeof browseSessions> | undefined
  private idle: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly iface?: string,
    private readonly browse: typeof browseSessions = browseSessions,
    private readonly idleMs = IDLE_MS,
  ) {}

  /** The sessions seen so far; starts browsing on the first call (the list fills within seconds). */
  sessions(): DiscoveredSession[] {
    this.browser ??= this.browse(() => {}, this.iface)
    clearTimeout(this.idle)
    this.idle = setTimeout(() => this.stop(), this.idleMs)
    this.idle.unref?.()
    return this.browser.sessions()
  }

  /** The sessions seen so far, each with its count of people, asked of its host (as `npm run discover` does). */
  async counted(count = participantCount): Promise<CountedSession[]> {
    return Promise.all(this.sessions().map(async (s) => ({ ...s, participants: await count(s) })))
  }

  /** Whether mDNS is being browsed right now. */
  get browsing(): boolean {
    return this.browser !== undefined
  }

  /** Stops browsing (it starts again on the next call of sessions()). */
  stop(): void {
    clearTimeout(this.idle)
    this.idle = undefined
    this.browser?.stop()
    this.browser = undefined
  }
}
