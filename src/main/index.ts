import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  app,
  BrowserWindow,
  dialog,
  type IpcMainInvokeEvent,
  ipcMain,
  Menu,
  type MenuItemConstructorOptions,
  session,
  shell,
} from 'electron'
import { IpcChannel, type OpenBoardResult, type SaveBoardResult } from '../shared/ipc'
import { type Host, startHost } from './host/server'
import { readSettings, writeSettings } from './settings'

const here = dirname(fileURLToPath(import.meta.url))
let host: Host | undefined
let mainWindow: BrowserWindow | undefined
let currentBoardId = ''

/** A path for a new board that no existing file has, so a damaged board is never overwritten. */
function freshBoardPath(): string {
  const dir = join(app.getPath('documents'), 'Lanvas')
  for (let i = 1; ; i++) {
    const path = join(dir, i === 1 ? 'Untitled.lanvas' : `Untitled ${i}.lanvas`)
    if (!existsSync(path)) return path
  }
}

async function startOwnHost(): Promise<Host> {
  const rendererDir = join(here, '../renderer')
  const { lastBoardPath } = await readSettings(app.getPath('userData'))
  const boardPath = lastBoardPath ?? join(app.getPath('documents'), 'Lanvas', 'Untitled.lanvas')
  try {
    return await startHost({ port: 0, boardPath, rendererDir })
  } catch (err) {
    // The last board cannot be read: say why, leave that file as it is, and start on a new board.
    dialog.showErrorBox(
      'Lanvas could not reopen your last board',
      `${boardPath}\n\n${(err as Error).message}`,
    )
    return startHost({ port: 0, boardPath: freshBoardPath(), rendererDir })
  }
}

/** Only the page our own host served may call the main process. */
function fromOwnPage(event: IpcMainInvokeEvent): boolean {
  const url = event.senderFrame?.url ?? ''
  return host !== undefined && url.startsWith(host.url) && event.sender === mainWindow?.webContents
}

function registerIpc(): void {
  ipcMain.handle(IpcChannel.OpenBoard, async (event): Promise<OpenBoardResult> => {
    if (!fromOwnPage(event) || !host || !mainWindow) return { error: 'Not allowed.' }
    const picked = await dialog.showOpenDialog(mainWindow, {
      title: 'Open board',
      filters: [{ name: 'Lanvas board', extensions: ['lanvas'] }],
      properties: ['openFile'],
    })
    const path = picked.filePaths[0]
    if (picked.canceled || !path) return null
    try {
      const opened = await host.openBoardFile(path)
      currentBoardId = opened.id
      await writeSettings(app.getPath('userData'), { lastBoardPath: path })
      return { id: opened.id }
    } catch (err) {
      return { error: (err as Error).message }
    }
  })
  ipcMain.handle(IpcChannel.SaveBoardAs, async (event, boardId: unknown): Promise<SaveBoardResult> => {
    if (!fromOwnPage(event) || !host || !mainWindow) return { error: 'Not allowed.' }
    if (typeof boardId !== 'string') return { error: 'No board to save.' }
    const picked = await dialog.showSaveDialog(mainWindow, {
      title: 'Save board as',
      defaultPath: join(app.getPath('documents'), 'Lanvas', 'Untitled.lanvas'),
      filters: [{ name: 'Lanvas board', extensions: ['lanvas'] }],
    })
    if (picked.canceled || !picked.filePath) return null
    const path = picked.filePath.endsWith('.lanvas') ? picked.filePath : `${picked.filePath}.lanvas`
    try {
      // Save As: the board now lives in the new file, and autosave writes there from now on.
      await host.saveBoardAs(boardId, path)
      currentBoardId = boardId
      await writeSettings(app.getPath('userData'), { lastBoardPath: path })
      return { path }
    } catch (err) {
      return { error: (err as Error).message }
    }
  })
}

function createWindow(url: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    show: false,
    title: 'Lanvas',
    autoHideMenuBar: true,
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  })
  win.on('ready-to-show', () => win.show())
  // The window shows our host's page and nothing else: links open in the user's browser.
  win.webContents.setWindowOpenHandler(({ url: target }) => {
    if (/^https?:\/\//.test(target)) void shell.openExternal(target)
    return { action: 'deny' }
  })
  win.webContents.on('will-navigate', (event, target) => {
    if (!host || !target.startsWith(host.url)) event.preventDefault()
  })
  void win.loadURL(url)
  return win
}

app.whenReady().then(async () => {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  const menu: MenuItemConstructorOptions[] = [
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ]
  if (process.platform === 'darwin') menu.unshift({ role: 'appMenu' })
  Menu.setApplicationMenu(Menu.buildFromTemplate(menu))
  host = await startOwnHost()
  currentBoardId = host.defaultBoardId
  registerIpc()
  mainWindow = createWindow(`${host.url}#board=${currentBoardId}`)
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0 && host)
      mainWindow = createWindow(`${host.url}#board=${currentBoardId}`)
  })
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})

let quitting = false
app.on('before-quit', (event) => {
  if (quitting || !host) return
  // Save every open board before the process ends.
  event.preventDefault()
  quitting = true
  void host.close().finally(() => app.quit())
})
