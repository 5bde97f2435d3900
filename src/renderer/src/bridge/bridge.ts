import type { Api } from '../../../preload/api'
import type { AppSettings, HostingResult, SessionListing, SettingsResult } from '../../../shared/ipc'

export type { HostingResult } from '../../../shared/ipc'

/** A session found on the network, as the Join panel lists it (the same shape the app's main process sends). */
export type DiscoveredSessionInfo = SessionListing

export interface SessionList {
  discovery: boolean
  sessions: DiscoveredSessionInfo[]
}

/** How saving a board went: where it went (nothing for a download), or that the person cancelled, or why it failed. */
export type SaveBoardOutcome =
  | { ok: true; path?: string }
  | { ok: false; reason: 'cancelled' }
  | { ok: false; reason: 'failed'; message: string }

/** What the board UI needs from the platform it runs on (Electron shell or a plain browser). */
export interface Bridge {
  /**
   * Saves a board to a file the user picks (or downloads it) from this window's own replica, so it works
   * without the host.
   */
  saveBoard(boardId: string, name: string, bytes: Uint8Array): Promise<SaveBoardOutcome>
  /** Opens a board file; null when the user cancelled. `name` when the platform knows the board's name. */
  openBoard(): Promise<{ id: string; name?: string } | { error: string } | null>
  /** Sessions on the network right now. */
  discoverSessions(): Promise<SessionList>
  /** Opens a session (a join link or http://ADDR:PORT/#knock) in this window; an error to show, or null. */
  joinSession(url: string): Promise<{ error: string } | null>
  /** Opens this window's board to the network (app only). */
  shareSession?(address?: string): Promise<HostingResult>
  /** This computer's network addresses, to share on one network of several (app only). */
  networkAddresses?(): Promise<string[]>
  /** Hosts a copy of a board whose host left, so the others can rejoin (app only). */
  hostBoard?(bytes: Uint8Array, name: string): Promise<HostingResult>
  /** Saves an exported image through a save dialog (app only; a browser downloads it); a message or null. */
  saveExport?(bytes: Uint8Array, fileName: string): Promise<string | null>
  /** Board files opened lately, most recent first (app only). */
  recentBoards?(): Promise<string[]>
  /** A recent board's thumbnail as a data: URL, or null when it has none (app only). */
  boardThumbnail?(path: string): Promise<string | null>
  /** Tells the app who is knocking on this window's session now, for a notification (app only). */
  knocks?(knocks: { id: string; name: string }[]): Promise<void>
  /** Opens a board from the recent list (app only). */
  openRecentBoard?(path: string): Promise<{ id: string } | { error: string } | null>
  /** The app's settings (app only), with a message when its settings file was damaged. */
  settings?(): Promise<SettingsResult>
  /** Changes some of the app's settings (app only). */
  setSettings?(change: Partial<AppSettings>): Promise<SettingsResult>
  /** Picks the folder for new boards in a native dialog (app only); null when cancelled. */
  chooseBoardsFolder?(): Promise<SettingsResult | null>
  /** Makes and opens a new empty board (app only). */
  newBoard?(): Promise<{ id: string } | { error: string } | null>
  /** Calls `listener` with the id of each desktop menu command chosen (app only); returns how to stop. */
  onMenuCommand?(listener: (id: string) => void): () => void
}

/** The API the preload exposes on `window.lanvas` inside Electron; derived from the preload so they cannot drift. */
export type LanvasPreloadApi = Api

declare global {
  interface Window {
    lanvas?: LanvasPreloadApi
  }
}
