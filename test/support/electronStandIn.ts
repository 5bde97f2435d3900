// The `electron` module for tests of src/main/index.ts and ipc.ts: Electron does not run here, so this stand-in
// records what the shell asks of Electron (windows, dialogs, menus, notifications) and answers as a person would.
// A test file mocks 'electron' with `module` and drives the app through `electron`'s handlers:
//   vi.mock('electron', async () => (await import('../support/electronStandIn')).electron.module)

type Handler = (...args: unknown[]) => unknown

const appHandlers = new Map<string, Handler>()
/** What the app asked, in order: `loadURL URL`, `focus ID`, `showErrorBox TITLE: TEXT`, `notify TITLE: BODY`… */
const calls: string[] = []
/** The person: which message-box button they press (0: the first, yes; 1: Cancel), and whether they wait. */
const user = { answer: 1, hold: false, pending: [] as (() => void)[] }
/** IPC handlers main registered, by channel. */
const handlers = new Map<string, Handler>()
const nativeTheme = { themeSource: '' }
const menu = { template: [] as { label?: string; id?: string; submenu?: unknown }[] }
/** The app's folders are under this one (app.getPath(name) is ROOT/name). */
const paths = { root: '' }
/** Whether an app window is in front; a test changes it to see what the app does when it is not. */
const focus = { id: 0 }
const notifications: StandInNotification[] = []
let resolveReady: () => void = () => {}
const ready = new Promise<void>((r) => {
  resolveReady = r
})

class StandInWindow {
  static windows: StandInWindow[] = []
  static getAllWindows = () => StandInWindow.windows.filter((w) => !w.closed)
  static getFocusedWindow = () => StandInWindow.windows.find((w) => w.id === focus.id && !w.closed) ?? null
  id = StandInWindow.windows.length + 1
  webContents = {
    id: this.id,
    send: (channel: string, ...args: unknown[]) => this.sent.push([channel, ...args]),
  }
  url = ''
  closed = false
  sent: unknown[][] = []
  handlers = new Map<string, Handler>()
  constructor(readonly options: Record<string, unknown>) {
    StandInWindow.windows.push(this)
  }
  on(name: string, fn: Handler) {
    this.handlers.set(name, fn)
    return this
  }
  loadURL(url: string) {
    this.url = url
    calls.push(`loadURL ${url}`)
    return Promise.resolve()
  }
  focus() {
    focus.id = this.id
    calls.push(`focus ${this.id}`)
    this.handlers.get('focus')?.()
  }
  isFocused = () => focus.id === this.id
  isMinimized = () => false
  isDestroyed = () => this.closed
  restore() {}
  maximize() {
    calls.push('maximize')
  }
  show() {}
  isMaximized = () => true
  getNormalBounds = () => ({ x: 40, y: 60, width: 1000, height: 700 })
  getBounds = () => ({ x: 40, y: 60, width: 1000, height: 700 })
  /** The person closes the window: 'close', then 'closed', as Electron sends them. */
  close() {
    this.handlers.get('close')?.({ preventDefault: () => {} })
    this.closed = true
    this.handlers.get('closed')?.()
  }
}

class StandInNotification {
  static isSupported = () => true
  handlers = new Map<string, Handler>()
  constructor(readonly options: { title: string; body: string }) {
    notifications.push(this)
  }
  on(name: string, fn: Handler) {
    this.handlers.set(name, fn)
    return this
  }
  show() {
    calls.push(`notify ${this.options.title}: ${this.options.body}`)
  }
  /** The person clicks the notification. */
  click() {
    this.handlers.get('click')?.()
  }
}

export const electron = {
  appHandlers,
  calls,
  user,
  handlers,
  nativeTheme,
  menu,
  paths,
  focus,
  notifications,
  resolveReady: () => resolveReady(),
  BrowserWindow: StandInWindow,
  module: {
    app: {
      on: (name: string, fn: Handler) => appHandlers.set(name, fn),
      whenReady: () => ready,
      getPath: (name: string) => `${paths.root}/${name}`,
      quit: () => calls.push('quit'),
      requestSingleInstanceLock: () => {
        calls.push('requestSingleInstanceLock')
        return true
      },
      setAsDefaultProtocolClient: (scheme: string) => calls.push(`setAsDefaultProtocolClient ${scheme}`),
    },
    BrowserWindow: StandInWindow,
    Notification: StandInNotification,
    screen: {
      getAllDisplays: () => [
        { workArea: { x: 0, y: 0, width: 1920, height: 1080 } },
        { workArea: { x: 1920, y: 0, width: 1920, height: 1080 } },
      ],
    },
    dialog: {
      showErrorBox: (title: string, text: string) => calls.push(`showErrorBox ${title}: ${text}`),
      showMessageBox: (...args: unknown[]) => {
        const options = args.at(-1) as { message: string }
        calls.push(`showMessageBox ${options.message}`)
        return new Promise((resolve) => {
          const answer = () => resolve({ response: user.answer })
          if (user.hold) user.pending.push(answer)
          else answer()
        })
      },
    },
    Menu: {
      buildFromTemplate: (template: typeof menu.template) => {
        menu.template = template
        return {}
      },
      setApplicationMenu: () => {},
    },
    session: {
      defaultSession: { setPermissionRequestHandler: () => {}, setPermissionCheckHandler: () => {} },
    },
    shell: {
      openExternal: (url: string) => {
        calls.push(`openExternal ${url}`)
        return Promise.resolve()
      },
    },
    ipcMain: { handle: (channel: string, fn: Handler) => handlers.set(channel, fn) },
    nativeTheme,
  },
}

export type StandInWindowType = StandInWindow
