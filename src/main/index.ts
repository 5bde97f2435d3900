import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  app,
  BrowserWindow,
  type BrowserWindowConstructorOptions,
  dialog,
  Menu,
  Notification,
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
import { AppStandbys } from './appStandby'
import { freshBoardPath } from './boardPaths'
import { askToJoinLink, askToOpenLink } from './consentDialogs'
import { type Host, startHost } from './host/server'
import { registerIpc, type Shell, type WindowContent } from './ipc'
import { KnockNotices } from './knockNotice'
import { type OpenRequest, openRequestFromArgs, openRequestFromFile, PendingOpen } from './launch'
import { menuTemplate } from './menu'
import { addRecentBoard, pruneRecentBoards, removeRecentBoard } from './recentBoards'
import { readSettings, type Settings, updateSettings } from './settings'
import { pruneThumbnails, saveThumbnail } from './thumbnails'
import {
  allowPermission,
  isTrustedPage,
  LinkConsent,
  type TrustedPages,
  webPreferences,
} from './windowPolicy'
import { placeBoard, placeSession, type Shown, WindowRegistry } from './windowRegistry'
import { cascadeWindow, restoreWindow } from './windowState'

const here = dirname(fileURLToPath(import.meta.url))
let host: Host | undefined
/** One window per board (windowRegistry.ts): what each shows, the one in front first. */
const windows = new WindowRegistry<BrowserWindow>()
/** A board's file as of now (Save As moves it). */
const pathOf = (boardId: string) => host?.board(boardId)?.path
const knockNotices = new KnockNotices()
// Electron drops a notification's click handler when the object is collected: kept until clicked or closed.
const notices = new Set<Notification>()

/** Brings a window to the front, out of the dock or taskbar if need be. */
function bring(win: BrowserWindow): void {
  if (win.isMinimized()) win.restore()
  win.focus()
}

/**
 * One window per board: `win` is to show `content` unless another window shows it already (that one comes to the
 * front). The board `win` showed before gets its thumbnail for the start screen.
 */
function showIn(win: BrowserWindow, content: WindowContent): boolean {
  const list = windows.list(pathOf)
  const place =
    'board' in content
      ? placeBoard(content.board.path, list, win.id)
      : placeSession(content.sessionOrigin, list, win.id)
  if ('focus' in place && place.focus !== win.id) {
    const other = windows.get(place.focus)
    if (other) bring(other)
    return false
  }
  const before = windows.shows(win.id)?.boardId
  const next: Shown =
    'board' in content ? { boardId: content.board.id } : { sessionOrigin: content.sessionOrigin }
  if (before !== undefined && before !== next.boardId) void makeThumbnail(before)
  windows.show(win.id, next)
  return true
}

// Sessions joined by link are followed by the app too, so that it can host them if their host leaves.
let standbys: AppStandbys | undefined
const followAsStandby = (url: string): void => {
  standbys ??= new AppStandbys(app.getPath('userData'), join(here, '../renderer'), log)
  standbys.follow(url)
}

const shellState: Shell = {
  joined: followAsStandby,
  host: () => host,
  windowOf: (sender) => {
    const win = windows.find((w) => w.webContents === sender)
    return win && { window: win, boardId: windows.shows(win.id)?.boardId }
  },
  showIn,
  joinedOrigins: new Set(),
  knocks: ({ window: win, boardId }, knocks) => {
    const name = (boardId && host?.board(boardId)?.name) || 'your board'
    const notice = knockNotices.notice(win.id, knocks, win.isFocused() && !win.isMinimized(), name)
    if (!notice || !Notification.isSupported()) return
    const shown = new Notification({ title: notice.title, body: notice.body })
    notices.add(shown)
    shown.on('click', () => {
      notices.delete(shown)
      if (!win.isDestroyed()) bring(win)
    })
    shown.on('close', () => notices.delete(shown))
    shown.show()
  },
}

// A second start (a double-clicked board, a lanvas: link) hands its arguments to this one and ends.
const primary = app.requestSingleInstanceLock()
if (!primary) app.quit()
// What the operating system asked to open, kept until the host and the windows are there.
const pending = new PendingOpen()
pending.push(openRequestFromArgs(process.argv, process.cwd()))
app.on('second-instance', (_event, argv, workingDirectory) => {
  // The app may take the focus now, while the system lets it: the window in front, until the request is placed.
  const front = windows.front()
  if (front) bring(front)
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

/** A board's small picture for the start screen's recent boards, drawn by the export code into the data folder. */
async function makeThumbnail(boardId: string): Promise<void> {
  const board = host?.board(boardId)
  if (!host || !board) return
  try {
    await saveThumbnail(settingsDir(), board.path, host.boardFileBytes(boardId))
  } catch (err) {
    log(`no thumbnail for ${board.path}: ${errorMessage(err)}`)
  }
}

async function startOwnHost(settings: Settings): Promise<Host> {
  const rendererDir = join(here, '../renderer')
  const boardPath = settings.lastBoardPath ?? join(boardsDir(settings), 'Untitled.lanvas')
  const checkedBoardsDir = join(settingsDir(), 'checked-boards')
  const overviewsDir = join(settingsDir(), 'overviews')
  try {
    return await startHost({ port: 0, boardPath, rendererDir, log, checkedBoardsDir, overviewsDir })
  } catch (err) {
    // The last board cannot be read: say why, leave that file as it is, and start on a new board.
    dialog.showErrorBox('Lanvas could not reopen your last board', `${boardPath}\n\n${errorMessage(err)}`)
    return startHost({
      port: 0,
      boardPath: freshBoardPath(boardsDir(settings)),
      rendererDir,
      log,
      checkedBoardsDir,
      overviewsDir,
    })
  }
}

/** A new window showing `url`: the last window's place for the first, cascaded from the one in front after. */
function createWindow(url: string, shows: Shown): BrowserWindow {
  const workAreas = screen.getAllDisplays().map((d) => d.workArea)
  const front = windows.front()
  // The last window's place, if a screen of today still shows its title bar (windowState.ts).
  const place = front
    ? { bounds: cascadeWindow(front.getBounds(), workAreas), maximized: false }
    : restoreWindow(startSettings.window, workAreas)
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
  const id = win.id
  windows.add(win, shows)
  win.on('ready-to-show', () => {
    if (place.maximized) win.maximize()
    win.show()
  })
  win.on('focus', () => windows.focused(id))
  win.on('close', () => {
    const state = { bounds: win.getNormalBounds(), maximized: win.isMaximized() }
    void updateSettings(settingsDir(), (s) => ({ ...s, window: state })).catch(() => {})
    const boardId = windows.shows(id)?.boardId
    if (boardId !== undefined) void makeThumbnail(boardId)
  })
  win.on('closed', () => {
    windows.remove(id)
    knockNotices.forget(id)
  })
  void win.loadURL(url)
  return win
}

/** The own page for a board: the owner key in the fragment makes the window the host of any session it shares. */
const ownPage = (boardId: string) => `${host?.url}#board=${boardId}&owner=${host?.ownerKey}`

/** The desktop menu, with the recent boards under File > Open Recent; built again when they change. */
async function buildMenu(): Promise<void> {
  // The menu runs the page's commands in the window in front: the page knows what each one needs.
  const run = (id: string) => windows.front()?.webContents.send(IpcEvent.MenuCommand, id)
  const { recentBoards } = (await readSettings(settingsDir())).settings
  const recent = { paths: recentBoards, open: (path: string) => pending.push({ kind: 'board', path }) }
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(menuTemplate(COMMANDS, run, process.platform === 'darwin', recent)),
  )
  // A board that left the recent list takes its thumbnail along.
  await pruneThumbnails(settingsDir(), recentBoards).catch(() => {})
}
shellState.recentChanged = () => void buildMenu()
shellState.boardSaved = (boardId) => void makeThumbnail(boardId)

/** A recent board whose file is gone is not made again as an empty board: it leaves the list, and says so. */
async function boardIsGone(path: string): Promise<boolean> {
  if ((await pruneRecentBoards([path])).length > 0) return false
  dialog.showErrorBox('Lanvas could not open this board', `${path}\n\nThe file is not there any more.`)
  await updateSettings(settingsDir(), (s) => ({
    ...s,
    recentBoards: removeRecentBoard(s.recentBoards, path),
  }))
  void buildMenu()
  return true
}

/**
 * Opens what the operating system or the menu asked for: a board in its own window (the window showing it
 * already comes to the front), or a lanvas: link's session after the person's yes. `into` is the first start's
 * window, which joins a link's session itself instead of opening a second window.
 */
async function handleOpen(request: OpenRequest, into?: BrowserWindow): Promise<void> {
  if (!host) return
  if (request.kind === 'board') {
    const place = placeBoard(request.path, windows.list(pathOf))
    const shown = 'focus' in place ? windows.get(place.focus) : undefined
    if (shown) return bring(shown)
    if (await boardIsGone(request.path)) return
    try {
      const opened = await host.openBoardFile(request.path)
      // Opened meanwhile (two clicks): the window that has it comes forward.
      const again = placeBoard(opened.path, windows.list(pathOf))
      const other = 'focus' in again ? windows.get(again.focus) : undefined
      if (other) return bring(other)
      await updateSettings(settingsDir(), (s) => ({
        ...s,
        lastBoardPath: opened.path,
        recentBoards: addRecentBoard(s.recentBoards, opened.path),
      }))
      void buildMenu()
      bring(createWindow(ownPage(opened.id), { boardId: opened.id }))
    } catch (err) {
      dialog.showErrorBox('Lanvas could not open this board', `${request.path}\n\n${errorMessage(err)}`)
    }
  } else if (request.kind === 'link') {
    const target = parseLanvasLink(request.link)
    if ('error' in target) {
      dialog.showErrorBox('Lanvas could not open this link', target.error)
      return
    }
    const place = placeSession(target.origin, windows.list(pathOf), into?.id)
    const shown = 'focus' in place ? windows.get(place.focus) : undefined
    if (shown) return bring(shown)
    // Any web page can fire a lanvas: link: only the person, in a native dialog, decides to join.
    if (!(await askToJoinLink(windows.front(), target.origin))) return
    shellState.joinedOrigins.add(target.origin)
    followAsStandby(target.url)
    if (into && 'load' in place) {
      windows.show(into.id, { sessionOrigin: target.origin })
      await into.loadURL(target.url)
      bring(into)
    } else bring(createWindow(target.url, { sessionOrigin: target.origin }))
  }
}

/** The pages this app trusts right now: its own host's and the sessions the user joined (src/main/ipc.ts). */
function trustedPages(): TrustedPages {
  return { ownOrigin: host && new URL(host.url).origin, joinedOrigins: shellState.joinedOrigins }
}

// A page's new window: an http(s) link opens in the user's browser after they say yes (windowPolicy.ts).
const links = new LinkConsent(
  (link) => askToOpenLink(windows.front(), link),
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

/** The settings the app started with (the first window's place). */
let startSettings: Settings

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
  startSettings = settings
  // Pages see the theme as prefers-color-scheme; dialogs and menus follow it too.
  nativeTheme.themeSource = settings.theme
  shellState.settingsChanged = (changed) => {
    nativeTheme.themeSource = changed.theme
  }
  await buildMenu()
  const own = await startOwnHost(settings)
  host = own
  registerIpc(shellState)
  // A board the system named at start (a double-click) is the first window's board; else the last board.
  const first = pending.take()
  if (first.kind === 'board') await handleOpen(first)
  const firstWindow =
    windows.front() ?? createWindow(ownPage(own.defaultBoardId), { boardId: own.defaultBoardId })
  if (message)
    void dialog.showMessageBox(firstWindow, { type: 'warning', message: 'Lanvas settings', detail: message })
  if (first.kind === 'link') await handleOpen(first, firstWindow)
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0)
      createWindow(ownPage(own.defaultBoardId), { boardId: own.defaultBoardId })
  })
  pending.start((request) => void handleOpen(request))
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})

let quitting = false
app.on('before-quit', (event) => {
  if (quitting || !host) return
  // Save every open board before the process ends, and draw the thumbnails of the boards still in windows.
  event.preventDefault()
  quitting = true
  const shown = windows.list(pathOf).flatMap((w) => windows.shows(w.id)?.boardId ?? [])
  const closing = host
  void Promise.all(shown.map(makeThumbnail))
    .then(() => standbys?.stop())
    .then(() => closing.close())
    .finally(() => app.quit())
})
