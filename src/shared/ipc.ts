/** The IPC channels between the preload and Electron's main process: the whole allowlist. */
export const IpcChannel = {
  OpenBoard: 'board:open',
  SaveBoardBytes: 'board:save-bytes',
  ShareSession: 'session:share',
  NetworkAddresses: 'session:addresses',
  DiscoverSessions: 'session:discover',
  JoinSession: 'session:join',
  HostBoard: 'session:host-board',
  SaveExport: 'export:save',
} as const
export type IpcChannel = (typeof IpcChannel)[keyof typeof IpcChannel]

/** Messages from Electron's main process to the window (no answer expected). */
export const IpcEvent = {
  /** A desktop menu item was chosen: run the command with this id. */
  MenuCommand: 'menu:command',
} as const

/** What opening a board gives the window: the board to join, an error to show, or null when cancelled. */
export type OpenBoardResult = { id: string } | { error: string } | null
/** What saving a board under a new name gives: where it went, an error to show, or null when cancelled. */
export type SaveBoardResult = { path: string } | { error: string } | null
/** Join links of a session the app now hosts, or why it could not. */
export type HostingResult = { joinLinks: string[] } | { error: string }

/** A session on the network, as the app's Join panel lists it (never holding a token). */
export interface SessionListing {
  name: string
  hostName: string
  boardName: string
  addresses: string[]
  port: number
  approval: boolean
  /** How many are in, when the host answered. */
  participants?: number
}
