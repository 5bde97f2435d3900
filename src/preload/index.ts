import { contextBridge, ipcRenderer } from 'electron'
import { createApi } from './api'

// Named functions only: the page never gets ipcRenderer itself. Main checks which page calls each one.
contextBridge.exposeInMainWorld(
  'lanvas',
  createApi((channel, ...args) => ipcRenderer.invoke(channel, ...args)),
)
