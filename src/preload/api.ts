import {
  type AppSettings,
  type HostingResult,
  type Identity,
  type IdentityResult,
  IpcChannel,
  type OpenBoardResult,
  type SaveBoardResult,
  type SessionListing,
  type SettingsResult,
} from '../shared/ipc'

/** One call to the main process over an allowlisted channel (ipcRenderer.invoke, in the preload). */
export type Invoke = <T>(channel: IpcChannel, ...args: unknown[]) => Promise<T>

/** Listens for the desktop menu's commands (IpcEvent.MenuCommand, in the preload); returns how to stop. */
export type OnMenuCommand = (listener: (id: string) => void) => () => void

/**
 * The API the page gets as `window.lanvas`: named functions over the allowlisted channels only. Apart from
 * index.ts so the renderer can take its type without Electron's (and with it Node's) declarations.
 */
export function createApi(invoke: Invoke, onMenuCommand: OnMenuCommand) {
  return {
    openBoard: () => invoke<OpenBoardResult>(IpcChannel.OpenBoard),
    saveBoardBytes: (bytes: Uint8Array, name: string) =>
      invoke<SaveBoardResult>(IpcChannel.SaveBoardBytes, bytes, name),
    /** Shares the board on every network, or only on the one with `address` (from networkAddresses()). */
    shareSession: (address?: string) => invoke<HostingResult>(IpcChannel.ShareSession, address),
    networkAddresses: () => invoke<string[]>(IpcChannel.NetworkAddresses),
    discoverSessions: () => invoke<SessionListing[]>(IpcChannel.DiscoverSessions),
    joinSession: (url: string) => invoke<{ error: string } | null>(IpcChannel.JoinSession, url),
    hostBoard: (bytes: Uint8Array, name: string) => invoke<HostingResult>(IpcChannel.HostBoard, bytes, name),
    saveExport: (bytes: Uint8Array, fileName: string) =>
      invoke<SaveBoardResult>(IpcChannel.SaveExport, bytes, fileName),
    /** The name and colour the person gave the app (null until they gave one). */
    identity: () => invoke<IdentityResult>(IpcChannel.Identity),
    setIdentity: (identity: Identity) => invoke<IdentityResult>(IpcChannel.SetIdentity, identity),
    /** The settings screen's settings (the own page only). */
    settings: () => invoke<SettingsResult>(IpcChannel.Settings),
    setSettings: (change: Partial<AppSettings>) => invoke<SettingsResult>(IpcChannel.SetSettings, change),
    /** Picks the folder for new boards in a native dialog; null when cancelled. */
    chooseBoardsFolder: () => invoke<SettingsResult | null>(IpcChannel.ChooseBoardsFolder),
    /** Board files opened lately, most recent first, without those that are gone. */
    recentBoards: () => invoke<string[]>(IpcChannel.RecentBoards),
    openRecentBoard: (path: string) => invoke<OpenBoardResult>(IpcChannel.OpenRecentBoard, path),
    /** A recent board's thumbnail as a data: URL, or null when it has none. */
    boardThumbnail: (path: string) => invoke<string | null>(IpcChannel.BoardThumbnail, path),
    /** The people knocking on this window's session now (a notification tells them when it is not in front). */
    knocks: (knocks: { id: string; name: string }[]) => invoke<null>(IpcChannel.Knocks, knocks),
    /** A new empty board in the boards folder, opened in this window. */
    newBoard: () => invoke<OpenBoardResult>(IpcChannel.NewBoard),
    /** Calls `listener` with the id of each desktop menu command chosen; returns how to stop. */
    onMenuCommand,
  }
}

/** The preload's API, derived from the object itself so the page's type cannot drift from it. */
export type Api = ReturnType<typeof createApi>
