import { contextBridge, ipcRenderer } from 'electron'
import {
  type HostingResult,
  IpcChannel,
  IpcEvent,
  type OpenBoardResult,
  type SaveBoardResult,
  type SessionListing,
} from '../shared/ipc'

// Named functions only: the page never gets ipcRenderer itself. Main checks which page calls each one.
const api = {
  platform: 'electron' as const,
  openBoard: (): Promise<OpenBoardResult> => ipcRenderer.invoke(IpcChannel.OpenBoard),
  saveBoardAs: (boardId: string): Promise<SaveBoardResult> =>
    ipcRenderer.invoke(IpcChannel.SaveBoardAs, boardId),
  saveBoardBytes: (bytes: Uint8Array, name: string): Promise<SaveBoardResult> =>
    ipcRenderer.invoke(IpcChannel.SaveBoardBytes, bytes, name),
  /** Shares the board on every network, or only on the one with `address` (from networkAddresses()). */
  shareSession: (address?: string): Promise<HostingResult> =>
    ipcRenderer.invoke(IpcChannel.ShareSession, address),
  networkAddresses: (): Promise<string[]> => ipcRenderer.invoke(IpcChannel.NetworkAddresses),
  discoverSessions: (): Promise<SessionListing[]> => ipcRenderer.invoke(IpcChannel.DiscoverSessions),
  joinSession: (url: string): Promise<{ error: string } | null> =>
    ipcRenderer.invoke(IpcChannel.JoinSession, url),
  hostBoard: (bytes: Uint8Array, name: string): Promise<HostingResult> =>
    ipcRenderer.invoke(IpcChannel.HostBoard, bytes, name),
  saveExport: (bytes: Uint8Array, fileName: string): Promise<SaveBoardResult> =>
    ipcRenderer.invoke(IpcChannel.SaveExport, bytes, fileName),
  /** Calls `listener` with the id of each desktop menu command chosen; returns how to stop. */
  onMenuCommand: (listener: (id: string) => void): (() => void) => {
    const forward = (_event: unknown, id: unknown) => {
      if (typeof id === 'string') listener(id)
    }
    ipcRenderer.on(IpcEvent.MenuCommand, forward)
    return () => ipcRenderer.removeListener(IpcEvent.MenuCommand, forward)
  },
}

export type Api = typeof api

contextBridge.exposeInMainWorld('lanvas', api)
