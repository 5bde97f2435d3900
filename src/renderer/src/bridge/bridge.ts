import type { Api } from '../../../preload/index'

/** What the board UI needs from the platform it runs on (Electron shell or a plain browser). */
export interface Bridge {
  /** Saves a board to a file the user picks (or downloads it); returns a message to show, or null. */
  saveBoard(boardId: string, name: string): Promise<string | null>
  /** Opens a board file; null when the user cancelled. `name` when the platform knows the board's name. */
  openBoard(): Promise<{ id: string; name?: string } | { error: string } | null>
}

/** The API the preload exposes on `window.lanvas` inside Electron; derived from the preload so they cannot drift. */
export type LanvasPreloadApi = Api

declare global {
  interface Window {
    lanvas?: LanvasPreloadApi
  }
}
