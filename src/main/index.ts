import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { app, BrowserWindow, dialog, Menu, type MenuItemConstructorOptions, session, shell } from 'electron'
import { type Host, startHost } from './host/server'
import { registerIpc, type Shell } from './ipc'
import { readSettings } from './settings'

const here = dirname(fileURLToPath(import.meta.url))
let host: Host | undefined
let mainWindow: BrowserWindow | undefined
const shellState: Shell = {
  host: () => host,
  window: () => mainWindow,
  currentBoardId: '',
  joinedOrigins: new Set(),
}

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
  // Only the own host's pages and sessions the user chose to join (src/main/ipc.ts) may be shown.
  win.webContents.on('will-navigate', (event, target) => {
    const origin = new URL(target).origin
    if (!host || (origin !== new URL(host.url).origin && !shellState.joinedOrigins.has(origin)))
      event.preventDefault()
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
  shellState.currentBoardId = host.defaultBoardId
  registerIpc(shellState)
  // The owner key in the fragment makes this window the host of any session it shares.
  const ownPage = () => `${host?.url}#board=${shellState.currentBoardId}&owner=${host?.ownerKey}`
  mainWindow = createWindow(ownPage())
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0 && host) mainWindow = createWindow(ownPage())
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
