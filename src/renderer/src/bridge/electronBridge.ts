import type { Bridge, DiscoveredSessionInfo, HostingResult, LanvasPreloadApi, SessionList } from './bridge'

/** The session calls the preload gains with LAN sessions; optional until every preload has them. */
interface SessionApi {
  shareSession?(): Promise<HostingResult>
  discoverSessions?(): Promise<DiscoveredSessionInfo[]>
  joinSession?(url: string): Promise<{ error: string } | null>
  hostBoard?(bytes: Uint8Array, name: string): Promise<HostingResult>
  saveBoardBytes?(bytes: Uint8Array, name: string): Promise<{ path: string } | { error: string } | null>
}

/** The bridge inside the Electron shell: native dialogs, discovery and hosting through the preload API. */
export class ElectronBridge implements Bridge {
  readonly platform = 'app' as const
  private readonly api: LanvasPreloadApi & SessionApi
  readonly shareSession?: () => Promise<HostingResult>
  readonly hostBoard?: (bytes: Uint8Array, name: string) => Promise<HostingResult>

  constructor(api: LanvasPreloadApi) {
    this.api = api as LanvasPreloadApi & SessionApi
    const { shareSession, hostBoard } = this.api
    if (shareSession) this.shareSession = () => shareSession()
    if (hostBoard) this.hostBoard = (bytes, name) => hostBoard(bytes, name)
  }

  async saveBoard(boardId: string, name: string, bytes: Uint8Array): Promise<string | null> {
    // The bytes come from this window's replica, so saving works when the board's host is gone.
    const result = this.api.saveBoardBytes
      ? await this.api.saveBoardBytes(bytes, name)
      : await this.api.saveBoardAs(boardId)
    if (!result) return null
    if ('error' in result) return result.error
    return `Saved to ${result.path}`
  }

  openBoard(): Promise<{ id: string } | { error: string } | null> {
    return this.api.openBoard()
  }

  async discoverSessions(): Promise<SessionList> {
    if (!this.api.discoverSessions) return { discovery: false, sessions: [] }
    return { discovery: true, sessions: await this.api.discoverSessions() }
  }

  async joinSession(url: string): Promise<{ error: string } | null> {
    if (!this.api.joinSession) return { error: 'This version of the app cannot join sessions yet.' }
    return this.api.joinSession(url)
  }
}
