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
  Identity: 'settings:identity',
  SetIdentity: 'settings:set-identity',
  Settings: 'settings:get',
  SetSettings: 'settings:set',
  RecentBoards: 'boards:recent',
  OpenRecentBoard: 'boards:open-recent',
  NewBoard: 'board:new',
  ChooseBoardsFolder: 'settings:choose-boards-folder',
  BoardThumbnail: 'boards:thumbnail',
  Knocks: 'session:knocks',
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

/** How the app looks: as the operating system says, or always light or dark. */
export const Theme = { System: 'system', Light: 'light', Dark: 'dark' } as const
export type Theme = (typeof Theme)[keyof typeof Theme]

/** The name and colour others see; asked once, used in every window and when knocking. */
export interface Identity {
  name: string
  color: string
}

/** The person's identity as the app keeps it (null until they gave one), or why the page may not have it. */
export type IdentityResult = { identity: Identity | null } | { error: string }

/** The settings a page of the app's own host may see and change (the settings screen). */
export interface AppSettings {
  identity: Identity | null
  theme: Theme
  /** The port "Share on network" tries first. */
  sharePort: number
  /** The one network address to share on by default; null: every network. */
  shareNetwork: string | null
  /** Where new boards are saved; null: Documents/Lanvas. */
  autosaveDir: string | null
}

/** The settings, with a message when the settings file was damaged and defaults are in use; or an error. */
export type SettingsResult = { settings: AppSettings; message?: string } | { error: string }
