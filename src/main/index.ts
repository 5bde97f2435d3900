import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  app,
  BrowserWindow,
  type BrowserWindowConstructorOptions,
  dialog,
  Menu,
  session,
  shell,
  type WebContents,
} from 'electron'
import { COMMANDS } from '../shared/commands'
import { errorMessage } from '../shared/errors'
import { IpcEvent } from '../shared/ipc'
import { askToOpenLink } from './consentDialogs'
import { type Host, startHost } from './host/server'
import { registerIpc, type Shell } from './ipc'
import { menuTemplate } from './menu'
import { readSettings } from './settings'
import {
  allowPermission,
  isTrustedPage,
  LinkConsent,
  type TrustedPages,
  webPreferences,
} from './windowPolicy'

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

/** The host's log (recovered journals, refused sockets, failed saves) goes to the app's standard error. */
function log(line: string): void {
  process.stderr.write(`lanvas: ${line}\n`)
}

async function startOwnHost(): Promise<Host> {
  const rendererDir = join(here, '../renderer')
  const { lastBoardPath } = await readSettings(app.getPath('userData'))
  const boardPath = lastBoardPath ?? join(app.getPath('documents'), 'Lanvas', 'Untitled.lanvas')
  try {
    return await startHost({ port: 0, boardPath, rendererDir, log })
  } catch (err) {
    // The last board cannot be read: say why, leave that file as it is, and start on a new board.
    dialog.showErrorBox('Lanvas could not reopen your last board', `${boardPath}\n\n${errorMessage(err)}`)
    return startHost({ port: 0, boardPath: freshBoardPath(), rendererDir, log })
  }
}

function createWindow(url: string): BrowserWindow {
  const options: BrowserWindowConstructorOptions = {
    width: 1280,
    height: 820,
    show: false,
    title: 'Lanvas',
    autoHideMenuBar: true,
    webPreferences: {
      ...webPreferences,
      // Reviewed: the preload exposes named functions only, never ipcRenderer, and main checks each caller.
      preload: join(here, '../preload/index.cjs'), // eng-disable PRELOAD_JS_CHECK
    },
  }
  // Reviewed: sandbox, isolation and Auxclick come from windowPolicy's webPreferences constant, which the scanner
  // cannot follow into another file; test/main/electron.test.ts checks every value of that constant.
  const win = new BrowserWindow(options) // eng-disable SANDBOX_JS_CHECK CONTEXT_ISOLATION_JS_CHECK AUXCLICK_JS_CHECK
  win.on('ready-to-show', () => win.show())
  void win.loadURL(url)
  return win
}

/** The pages this app trusts right now: its own host's and the sessions the user joined (src/main/ipc.ts). */
function trustedPages(): TrustedPages {
  return { ownOrigin: host && new URL(host.url).origin, joinedOrigins: shellState.joinedOrigins }
}

// A page's new window: an http(s) link opens in the user's browser after they say yes (windowPolicy.ts).
const links = new LinkConsent(
  (link) => askToOpenLink(mainWindow, link),
  // Reviewed: LinkConsent passes http and https only (externalLink), and only after the user's yes.
  (link) => shell.openExternal(link), // eng-disable OPEN_EXTERNAL_JS_CHECK
)

/** Every web page the app creates: no new windows, no webviews, no navigation away from trusted pages. */
function lockDown(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url: target }) => {
    void links.request(target)
    return { action: 'deny' }
  })
  const stayOnTrustedPages = (event: Electron.Event, target: string): void => {
    if (!isTrustedPage(target, trustedPages())) event.preventDefault()
  }
  contents.on('will-navigate', stayOnTrustedPages)
  contents.on('will-redirect', stayOnTrustedPages)
  // Subframes too (an iframe a page makes): the same rule as the main frame.
  contents.on('will-frame-navigate', (event) => stayOnTrustedPages(event, event.url))
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

app.on('web-contents-created', (_event, contents) => lockDown(contents))

app.whenReady().then(async () => {
  // Refused unless windowPolicy allows it: the board needs no camera, microphone, location or notifications.
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback, details) =>
    callback(allowPermission(permission, details.requestingUrl, trustedPages())),
  )
  session.defaultSession.setPermissionCheckHandler((_wc, permission, requestingOrigin) =>
    allowPermission(permission, requestingOrigin, trustedPages()),
  )
  // The menu runs the page's commands: the page knows what each one needs (the board, the selection).
  const run = (id: string) => mainWindow?.webContents.send(IpcEvent.MenuCommand, id)
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(COMMANDS, run, process.platform === 'darwin')))
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
