import type { AppSettings, SettingsResult } from '../../../shared/ipc'
import type { Bridge, HostingResult, LanvasPreloadApi, SaveBoardOutcome, SessionList } from './bridge'

/** The bridge inside the Electron shell: native dialogs, discovery and hosting through the preload API. */
export class ElectronBridge implements Bridge {
  private readonly api: LanvasPreloadApi

  constructor(api: LanvasPreloadApi) {
    this.api = api
  }

  async saveBoard(_boardId: string, name: string, bytes: Uint8Array): Promise<SaveBoardOutcome> {
    // The bytes come from this window's replica, so saving works when the board's host is gone.
    const result = await this.api.saveBoardBytes(bytes, name)
    if (!result) return { ok: false, reason: 'cancelled' }
    if ('error' in result) return { ok: false, reason: 'failed', message: result.error }
    return { ok: true, path: result.path }
  }

  openBoard(): Promise<{ id: string } | { error: string } | null> {
    return this.api.openBoard()
  }

  async discoverSessions(): Promise<SessionList> {
    return { discovery: true, sessions: await this.api.discoverSessions() }
  }

  joinSession(url: string): Promise<{ error: string } | null> {
    return this.api.joinSession(url)
  }

  shareSession(address?: string): Promise<HostingResult> {
    return this.api.shareSession(address)
  }

  networkAddresses(): Promise<string[]> {
    return this.api.networkAddresses()
  }

  hostBoard(bytes: Uint8Array, name: string): Promise<HostingResult> {
    return this.api.hostBoard(bytes, name)
  }

  // A stand-in preload (tests) or an older one may lack these: the start screen then leaves their parts out.
  recentBoards(): Promise<string[]> {
    return typeof this.api.recentBoards === 'function' ? this.api.recentBoards() : Promise.resolve([])
  }

  boardThumbnail(path: string): Promise<string | null> {
    return typeof this.api.boardThumbnail === 'function'
      ? this.api.boardThumbnail(path)
      : Promise.resolve(null)
  }

  async knocks(knocks: { id: string; name: string }[]): Promise<void> {
    if (typeof this.api.knocks === 'function') await this.api.knocks(knocks)
  }

  openRecentBoard(path: string): Promise<{ id: string } | { error: string } | null> {
    return this.api.openRecentBoard(path)
  }

  settings(): Promise<SettingsResult> {
    return typeof this.api.settings === 'function'
      ? this.api.settings()
      : Promise.resolve({ error: 'This window has no settings.' })
  }

  setSettings(change: Partial<AppSettings>): Promise<SettingsResult> {
    return this.api.setSettings(change)
  }

  chooseBoardsFolder(): Promise<SettingsResult | null> {
    return this.api.chooseBoardsFolder()
  }

  newBoard(): Promise<{ id: string } | { error: string } | null> {
    return this.api.newBoard()
  }

  onMenuCommand(listener: (id: string) => void): () => void {
    return this.api.onMenuCommand(listener)
  }

  async saveExport(bytes: Uint8Array, fileName: string): Promise<string | null> {
    const result = await this.api.saveExport(bytes, fileName)
    if (!result) return null
    if ('error' in result) return result.error
    return `Exported to ${result.path}`
  }
}
