/** The IPC channels between the preload and Electron's main process: the whole allowlist. */
export const IpcChannel = {
  OpenBoard: 'board:open',
  SaveBoardAs: 'board:save-as',
} as const
export type IpcChannel = (typeof IpcChannel)[keyof typeof IpcChannel]

/** What opening a board gives the window: the board to join, an error to show, or null when cancelled. */
export type OpenBoardResult = { id: string } | { error: string } | null
/** What saving a board under a new name gives: where it went, an error to show, or null when cancelled. */
export type SaveBoardResult = { path: string } | { error: string } | null
