import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  app,
  BrowserWindow,
  type BrowserWindowConstructorOptions,
  dialog,
  Menu,
  nativeTheme,
  screen,
  session,
  shell,
  type WebContents,
} from 'electron'
import { COMMANDS } from '../shared/commands'
import { errorMessage } from '../shared/errors'
import { IpcEvent } from '../shared/ipc'
import { LANVAS_SCHEME, parseLanvasLink } from '../shared/joinLink'
import { freshBoardPath } from './boardPaths'
import { askToJoinLink, askToOpenLink } from './consentDialogs'
import { type Host, startHost } from './host/server'
import { registerIpc, type Shell } from './ipc'
import {
  type OpenRequest,
  openRequestFromArgs,
  openRequestFromFile,
  PendingOpen,
  windowForBoard,
} from './launch'
import { menuTemplate } from './menu'
import { addRecentBoard, pruneRecentBoards, removeRecentBoard } from './recentBoards'
import { readSettings, type Settings, updateSettings } from './settings'
import {
  allowPermission,
  isTrustedPage,
  LinkConsent,
  type TrustedPages,
  webPreferences,
} from './windowPolicy'
import { restoreWindow } from './windowState'

const here = dirname(fileURLToPath(import.meta.url))
let host: Host | undefined
let mainWindow: BrowserWindow | undefined
const shellState: Shell = {
  host: () => host,
  window: () => mainWindow,
  currentBoardId: '',
  joinedOrigins: new Set(),
}

// A second start (a double-clicked board, a lanvas: link) hands its arguments to this one and ends.
const primary = app.requestSingleInstanceLock()
if (!primary) app.quit()
// What the operating system asked to open, kept until the host and the window are there.
const pending = new PendingOpen()
pending.push(openRequestFromArgs(process.argv, process.cwd()))
app.on('second-instance', (_event, argv, workingDirectory) => {
  if (mainWindow?.isMinimized()) mainWindow.restore()
  mainWindow?.focus()
  pending.push(openRequestFromArgs(argv, workingDirectory))
})
// macOS sends files and links as events, also before the app is ready.
app.on('open-file', (event, path) => {
  event.preventDefault()
  pending.push(openRequestFromFile(path))
})
app.on('open-url', (event, link) => {
  event.preventDefault()
  pending.push({ kind: 'link', link })
})
// In development Electron runs the app folder, so the registration must name it too.
const devApp = process.defaultApp ? [resolve(process.argv[1] ?? '.')] : undefined
// Reviewed: a lanvas: link reaches parseLanvasLink only (a LAN address, checked as a typed one), and joins after a yes.
if (devApp)
  app.setAsDefaultProtocolClient(LANVAS_SCHEME, process.execPath, devApp) // eng-disable PROTOCOL_HANDLER_JS_CHECK
else app.setAsDefaultProtocolClient(LANVAS_SCHEME) // eng-disable PROTOCOL_HANDLER_JS_CHECK

const settingsDir = () => app.getPath('userData')
/** Where new boards go: the folder the settings name, else Documents/Lanvas. */
const boardsDir = (settings: Settings) => settings.autosaveDir ?? join(app.getPath('documents'), 'Lanvas')

/** The host's log (recovered journals, refused sockets, failed saves) goes to the app's standard error. */
function log(line: string): void {
  process.stderr.write(`lanvas: ${line}\n`)
}

async function startOwnHost(settings: Settings): Promise<Host> {
  const rendererDir = join(here, '../renderer')
  const boardPath = settings.lastBoardPath ?? join(boardsDir(settings), 'Untitled.lanvas')
  try {
    return await startHost({ port: 0, boardPath, rendererDir, log })
  } catch (err) {
    // The last board cannot be read: say why, leave that file as it is, and start on a new board.
    dialog.showErrorBox('Lanvas could not reopen your last board', `${boardPath}\n\n${errorMessage(err)}`)
    return startHost({ port: 0, boardPath: freshBoardPath(boardsDir(settings)), rendererDir, log })
  }
}

function createWindow(url: string, settings: Settings): BrowserWindow {
  // The last window's place, if a screen of today still shows its title bar (windowState.ts).
  const place = restoreWindow(
    settings.window,
    screen.getAllDisplays().map((d) => d.workArea),
  )
  const options: BrowserWindowConstructorOptions = {
    ...place.bounds,
    minWidth: 640,
    minHeight: 480,
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
  win.on('ready-to-show', () => {
    if (place.maximized) win.maximize()
    win.show()
  })
  win.on('close', () => {
    const state = { bounds: win.getNormalBounds(), maximized: win.isMaximized() }
    void updateSettings(settingsDir(), (s) => ({ ...s, window: state })).catch(() => {})
  })
  void win.loadURL(url)
  return win
}

/** The own page for a board: the owner key in the fragment makes the window the host of any session it shares. */
const ownPage = (boardId: string) => `${host?.url}#board=${boardId}&owner=${host?.ownerKey}`

/** The desktop menu, with the recent boards under File > Open Recent; built again when they change. */
async function buildMenu(): Promise<void> {
  // The menu runs the page's commands: the page knows what each one needs (the board, the selection).
  const run = (id: string) => mainWindow?.webContents.send(IpcEvent.MenuCommand, id)
  const { recentBoards } = (await readSettings(settingsDir())).settings
  const recent = { paths: recentBoards, open: (path: string) => pending.push({ kind: 'board', path }) }
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(menuTemplate(COMMANDS, run, process.platform === 'darwin', recent)),
  )
}
shellState.recentChanged = () => void buildMenu()

/** Opens what the operating system asked for: a board file in its window, or a lanvas: link's session. */
async function handleOpen(request: OpenRequest): Promise<void> {
  const win = mainWindow
  if (!host || !win) return
  if (request.kind === 'board') {
    const shown = host.board(shellState.currentBoardId)?.path
    const where = windowForBoard(request.path, [{ id: win.id, boardPath: shown }])
    // The shell has one window: a board it does not show replaces the one it shows (autosaved already).
    if ('open' in where) {
      // A recent board whose file is gone is not made again as an empty board: it leaves the list.
      if ((await pruneRecentBoards([where.open])).length === 0) {
        dialog.showErrorBox(
          'Lanvas could not open this board',
          `${where.open}\n\nThe file is not there any more.`,
        )
        await updateSettings(settingsDir(), (s) => ({
          ...s,
          recentBoards: removeRecentBoard(s.recentBoards, where.open),
        }))
        void buildMenu()
        return
      }
      try {
        const opened = await host.openBoardFile(where.open)
        shellState.currentBoardId = opened.id
        await updateSettings(settingsDir(), (s) => ({
          ...s,
          lastBoardPath: opened.path,
          recentBoards: addRecentBoard(s.recentBoards, opened.path),
        }))
        void buildMenu()
        await win.loadURL(ownPage(opened.id))
      } catch (err) {
        dialog.showErrorBox('Lanvas could not open this board', `${where.open}\n\n${errorMessage(err)}`)
        return
      }
    }
    win.focus()
  } else if (request.kind === 'link') {
    const target = parseLanvasLink(request.link)
    if ('error' in target) {
      dialog.showErrorBox('Lanvas could not open this link', target.error)
      return
    }
    // Any web page can fire a lanvas: link: only the person, in a native dialog, decides to join.
    if (!(await askToJoinLink(win, target.origin))) return
    shellState.joinedOrigins.add(target.origin)
    await win.loadURL(target.url)
    win.focus()
  }
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
  if (!primary) return
  // Refused unless windowPolicy allows it: the board needs no camera, microphone, location or notifications.
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback, details) =>
    callback(allowPermission(permission, details.requestingUrl, trustedPages())),
  )
  session.defaultSession.setPermissionCheckHandler((_wc, permission, requestingOrigin) =>
    allowPermission(permission, requestingOrigin, trustedPages()),
  )
  // Read once before anything else reads them: a damaged file is moved aside by the first read, which says so.
  const { settings, message } = await readSettings(settingsDir())
  // Pages see the theme as prefers-color-scheme; dialogs and menus follow it too.
  nativeTheme.themeSource = settings.theme
  shellState.settingsChanged = (changed) => {
    nativeTheme.themeSource = changed.theme
  }
  await buildMenu()
  host = await startOwnHost(settings)
  shellState.currentBoardId = host.defaultBoardId
  registerIpc(shellState)
  mainWindow = createWindow(ownPage(shellState.currentBoardId), settings)
  if (message)
    void dialog.showMessageBox(mainWindow, { type: 'warning', message: 'Lanvas settings', detail: message })
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0 && host)
      mainWindow = createWindow(ownPage(shellState.currentBoardId), settings)
  })
  pending.start((request) => void handleOpen(request))
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
