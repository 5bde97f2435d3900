/** What the board UI needs from the platform it runs on (Electron shell or a plain browser). */
export interface Bridge {
  /** Saves a board to a file the user picks (or downloads it); returns a message to show, or null. */
  saveBoard(boardId: string, name: string): Promise<string | null>
  /** Opens a board file; null when the user cancelled. `name` when the platform knows the board's name. */
  openBoard(): Promise<{ id: string; name?: string } | { error: string } | null>
}

/** The API the preload exposes on `window.lanvas` inside Electron. */
export interface LanvasPreloadApi {
  platform: 'electron'
  openBoard(): Promise<{ id: string } | { error: string } | null>
  saveBoardAs(boardId: string): Promise<{ path: string } | { error: string } | null>
}

declare global {
  interface Window {
    lanvas?: LanvasPreloadApi
  }
}
