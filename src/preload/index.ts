import { contextBridge, ipcRenderer } from 'electron'
import { IpcChannel, type OpenBoardResult, type SaveBoardResult } from '../shared/ipc'

// Named functions only: the page never gets ipcRenderer itself.
const api = {
  platform: 'electron' as const,
  openBoard: (): Promise<OpenBoardResult> => ipcRenderer.invoke(IpcChannel.OpenBoard),
  saveBoardAs: (boardId: string): Promise<SaveBoardResult> =>
    ipcRenderer.invoke(IpcChannel.SaveBoardAs, boardId),
}

export type Api = typeof api

contextBridge.exposeInMainWorld('lanvas', api)
