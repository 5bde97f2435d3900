/**
 * The desktop app as a standby (issue 11, item 2): when the person joins a session by its join link, the app's
 * main process also follows that session (src/main/host/follow.ts), so that if the host leaves, this computer
 * can carry the session on and every page, this window's included, moves to it. Joining by knocking or by
 * address offers nothing: only editors with the link may take over (docs/threat-model.md, section 10).
 */
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { errorMessage } from '../shared/errors'
import { parseSessionAddress } from '../shared/sessionAddress'
import { type Follower, followSession } from './host/follow'

/** The join link a session URL carries, when the app may offer to host it; undefined otherwise. */
export function standbyLinkOf(url: string): string | undefined {
  const checked = parseSessionAddress(url)
  if ('error' in checked) return undefined
  const token = new URLSearchParams(new URL(checked.url).hash.slice(1)).get('join')
  return token ? checked.url : undefined
}

/** Where the app keeps its copy of a followed session's board: one file per session address, in its data folder. */
export function standbyBoardPath(dataDir: string, link: string): string {
  const origin = new URL(link).origin
  return join(dataDir, 'standby', `${createHash('sha256').update(origin).digest('hex').slice(0, 16)}.lanvas`)
}

/** The sessions the app follows as a standby, one per session origin. */
export class AppStandbys {
  private readonly followers = new Map<string, Promise<Follower | undefined>>()

  constructor(
    private readonly dataDir: string,
    private readonly rendererDir: string,
    private readonly log: (line: string) => void,
    /** How to host after a takeover: the app advertises by mDNS on every interface; tests stay on loopback. */
    private readonly lan: { mdns: boolean; bind?: string } = { mdns: true },
  ) {}

  /** The followers started so far (tests read them). */
  async list(): Promise<Follower[]> {
    return (await Promise.all(this.followers.values())).filter((f): f is Follower => f !== undefined)
  }

  /** Follows the session of `url` if it is a join link and not followed yet; never throws (it only logs). */
  follow(url: string): void {
    const link = standbyLinkOf(url)
    if (!link) return
    const origin = new URL(link).origin
    if (this.followers.has(origin)) return
    this.followers.set(
      origin,
      followSession({
        link,
        boardPath: standbyBoardPath(this.dataDir, link),
        mdns: this.lan.mdns,
        bind: this.lan.bind,
        loopbackPort: 0,
        rendererDir: this.rendererDir,
        log: this.log,
        say: this.log,
      }).catch((error) => {
        this.log(`could not follow ${origin} as a standby: ${errorMessage(error)}`)
        this.followers.delete(origin)
        return undefined
      }),
    )
  }

  /** Stops following (and hosting, if one took over) every session; saves their copies. */
  async stop(): Promise<void> {
    const all = [...this.followers.values()]
    this.followers.clear()
    await Promise.all(all.map(async (f) => (await f)?.stop().catch(() => {})))
  }
}
