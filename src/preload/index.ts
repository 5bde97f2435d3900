import { contextBridge, ipcRenderer } from 'electron'
import { IpcEvent } from '../shared/ipc'
import { createApi } from './api'

// Named functions only: the page never gets ipcRenderer itself. Main checks which page calls each one.
contextBridge.exposeInMainWorld(
  'lanvas',
  createApi(
    (channel, ...args) => ipcRenderer.invoke(channel, ...args),
    (listener) => {
      const forward = (_event: unknown, id: unknown) => {
        if (typeof id === 'string') listener(id)
      }
      ipcRenderer.on(IpcEvent.MenuCommand, forward)
      return () => ipcRenderer.removeListener(IpcEvent.MenuCommand, forward)
    },
  ),
)
