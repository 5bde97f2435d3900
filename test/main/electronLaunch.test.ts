// How src/main/index.ts opens what the operating system hands it (issue 12): a board on the command line, a second
// start with a board or a lanvas: link, macOS's open-file; the settings it starts from; the window's place. Electron
// does not run here, so its module is a recorder; the host, the settings files and the decisions are real.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { encodeBoardFile } from '../../src/shared/boardFile'
import { waitUntil } from '../support/waitUntil'

const electron = vi.hoisted(() => {
  const appHandlers = new Map<string, (...args: unknown[]) => unknown>()
  const calls: string[] = []
  const user = { answer: 1 }
  const handlers = new Map<string, (...args: unknown[]) => unknown>()
  const nativeTheme = { themeSource: '' }
  const menu = { template: [] as { label?: string; id?: string; submenu?: unknown }[] }
  const paths = { root: '' }
  let resolveReady: () => void = () => {}
  const ready = new Promise<void>((r) => {
    resolveReady = r
  })
  class BrowserWindow {
    static windows: BrowserWindow[] = []
    static getAllWindows = () => BrowserWindow.windows
    id = BrowserWindow.windows.length + 1
    webContents = { id: this.id }
    url = ''
    handlers = new Map<string, () => void>()
    constructor(readonly options: Record<string, unknown>) {
      BrowserWindow.windows.push(this)
    }
    on(name: string, fn: () => void) {
      this.handlers.set(name, fn)
    }
    loadURL(url: string) {
      this.url = url
      calls.push(`loadURL ${url}`)
      return Promise.resolve()
    }
    focus() {
      calls.push('focus')
    }
    isMinimized = () => false
    restore() {}
    maximize() {
      calls.push('maximize')
    }
    show() {}
    isMaximized = () => true
    getNormalBounds = () => ({ x: 40, y: 60, width: 1000, height: 700 })
  }
  return {
    appHandlers,
    calls,
    user,
    menu,
    handlers,
    nativeTheme,
    paths,
    resolveReady,
    BrowserWindow,
    module: {
      app: {
        on: (name: string, fn: (...args: unknown[]) => unknown) => appHandlers.set(name, fn),
        whenReady: () => ready,
        getPath: (name: string) => `${paths.root}/${name}`,
        quit: () => calls.push('quit'),
        requestSingleInstanceLock: () => {
          calls.push('requestSingleInstanceLock')
          return true
        },
        setAsDefaultProtocolClient: (scheme: string) => calls.push(`setAsDefaultProtocolClient ${scheme}`),
      },
      BrowserWindow,
      screen: {
        getAllDisplays: () => [
          { workArea: { x: 0, y: 0, width: 1920, height: 1080 } },
          { workArea: { x: 1920, y: 0, width: 1920, height: 1080 } },
        ],
      },
      dialog: {
        showErrorBox: (title: string, text: string) => calls.push(`showErrorBox ${title}: ${text}`),
        showMessageBox: (...args: unknown[]) => {
          const options = args.at(-1) as { message: string; detail?: string }
          calls.push(`showMessageBox ${options.message}`)
          return Promise.resolve({ response: user.answer })
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
      shell: { openExternal: () => Promise.resolve() },
      ipcMain: {
        handle: (channel: string, fn: (...args: unknown[]) => unknown) => handlers.set(channel, fn),
      },
      nativeTheme,
    },
  }
})
vi.mock('electron', () => electron.module)

let dir: string
let startCalls: string[] = []
const board = (name: string) => join(dir, 'boards', name)
const settingsFile = () => join(dir, 'userData', 'settings.json')
const readSettingsFile = async () => JSON.parse(await readFile(settingsFile(), 'utf8'))
const window = () => electron.BrowserWindow.windows[0] as InstanceType<typeof electron.BrowserWindow>
const boardIdOf = (url: string) => new URLSearchParams(new URL(url).hash.slice(1)).get('board')

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-launch-'))
  electron.paths.root = dir
  await mkdir(join(dir, 'boards'))
  for (const name of ['first.lanvas', 'second.lanvas', 'mac.lanvas'])
    await writeFile(board(name), encodeBoardFile(new Y.Doc()))
  // A damaged settings file, with the last window on the second screen, maximized.
  await mkdir(join(dir, 'userData'))
  await writeFile(settingsFile(), '{"window": {"bounds": {"x": 2000')
  // The first start is a double-clicked board: the operating system passes its path.
  const argv = process.argv
  process.argv = [argv[0] as string, board('first.lanvas')]
  try {
    await import('../../src/main/index')
  } finally {
    process.argv = argv
  }
  electron.resolveReady()
  await waitUntil('the window opens', () => window()?.url)
  await waitUntil('the board opens', () => electron.calls.includes('focus'))
  startCalls = [...electron.calls]
})

afterAll(async () => {
  electron.appHandlers.get('before-quit')?.({ preventDefault: () => {} })
  await waitUntil('the host stops', () => electron.calls.includes('quit'))
  await rm(dir, { recursive: true, force: true })
})

beforeEach(() => {
  electron.calls.length = 0
  electron.user.answer = 1
})

const secondStart = (argv: string[], cwd = dir) =>
  electron.appHandlers.get('second-instance')?.({}, argv, cwd, {})

describe('the first start (src/main/index.ts)', () => {
  it('takes the single-instance lock and registers the lanvas: scheme', () => {
    expect(startCalls.slice(0, 2)).toEqual(['requestSingleInstanceLock', 'setAsDefaultProtocolClient lanvas'])
    expect(electron.appHandlers.has('second-instance')).toBe(true)
    expect(electron.appHandlers.has('open-file')).toBe(true)
    expect(electron.appHandlers.has('open-url')).toBe(true)
  })

  it('opens a first window at the default size when the settings held no usable place', () => {
    // The damaged file held no usable place: the default size, which the window manager centres.
    expect(window().options).toMatchObject({ width: 1280, height: 820 })
    expect(window().options).not.toHaveProperty('x')
  })

  it('opens the board named on the command line and makes it the first recent board', async () => {
    await waitUntil('the board opens', async () => {
      const s = await readSettingsFile().catch(() => undefined)
      return s?.recentBoards?.[0] === board('first.lanvas')
    })
    expect((await readSettingsFile()).lastBoardPath).toBe(board('first.lanvas'))
    expect(boardIdOf(window().url)).not.toBeNull()
  })

  it('kept the damaged settings file aside and said so', async () => {
    expect(startCalls).toContain('showMessageBox Lanvas settings')
    expect(await readFile(join(dir, 'userData', 'settings.damaged.json'), 'utf8')).toBe(
      '{"window": {"bounds": {"x": 2000',
    )
  })
})

describe('a second start hands its request to the running app', () => {
  it('opens another board in the window and brings it to the front', async () => {
    const before = window().url
    secondStart(['lanvas', 'boards/second.lanvas'])
    await waitUntil('the board opens', () => window().url !== before && window().url)
    expect(electron.calls.filter((c) => c.startsWith('loadURL'))).toHaveLength(1)
    expect(electron.calls.at(-1)).toBe('focus')
    expect((await readSettingsFile()).recentBoards.slice(0, 2)).toEqual([
      board('second.lanvas'),
      board('first.lanvas'),
    ])
  })

  it('only brings the window to the front for the board it already shows', async () => {
    secondStart(['lanvas', board('second.lanvas')])
    await waitUntil('the window is focused', () => electron.calls.filter((c) => c === 'focus').length >= 2)
    expect(electron.calls.some((c) => c.startsWith('loadURL'))).toBe(false)
  })

  it('asks before joining the session a lanvas: link names, and joins only on yes', async () => {
    const link = 'lanvas://join?address=192.168.1.20:47800&token=abcdefghijklmnopqrstuv'
    secondStart(['lanvas', link])
    await waitUntil('the question', () =>
      electron.calls.includes('showMessageBox Join the session at 192.168.1.20:47800?'),
    )
    await new Promise((r) => setImmediate(r))
    expect(electron.calls.some((c) => c.startsWith('loadURL'))).toBe(false)

    electron.calls.length = 0
    electron.user.answer = 0
    secondStart(['lanvas', link])
    await waitUntil('the session opens', () => electron.calls.some((c) => c.startsWith('loadURL')))
    expect(electron.calls).toContain('loadURL http://192.168.1.20:47800/#join=abcdefghijklmnopqrstuv')
  })

  it('says why a link cannot be opened, without asking', async () => {
    secondStart(['lanvas', 'lanvas://join?address=8.8.8.8:47800'])
    await waitUntil('the error', () => electron.calls.length > 0)
    expect(electron.calls).toEqual([
      'focus',
      'showErrorBox Lanvas could not open this link: 8.8.8.8 is not on your local network; Lanvas joins sessions on the LAN only.',
    ])
  })
})

describe("macOS's open-file and the window's place", () => {
  it('opens a board macOS hands over, and keeps the file from Electron', async () => {
    let prevented = false
    electron.appHandlers.get('open-file')?.({ preventDefault: () => (prevented = true) }, board('mac.lanvas'))
    expect(prevented).toBe(true)
    await waitUntil('the board opens', () =>
      electron.calls.some((c) => c.startsWith('loadURL http://127.0.0.1')),
    )
    expect((await readSettingsFile()).recentBoards[0]).toBe(board('mac.lanvas'))
  })

  it('remembers where the window was when it closes', async () => {
    window().handlers.get('close')?.()
    await waitUntil('the settings are written', async () => (await readSettingsFile()).window)
    expect((await readSettingsFile()).window).toEqual({
      bounds: { x: 40, y: 60, width: 1000, height: 700 },
      maximized: true,
    })
  })
})

describe('the theme', () => {
  it('is set from the settings at start and changes at once with them (pages see it as prefers-color-scheme)', async () => {
    expect(electron.nativeTheme.themeSource).toBe('system')
    const event = { sender: window().webContents, senderFrame: { url: window().url } }
    await electron.handlers.get('settings:set')?.(event, { theme: 'dark' })
    expect(electron.nativeTheme.themeSource).toBe('dark')
  })
})

describe('File > Open Recent', () => {
  type Item = { label?: string; id?: string; toolTip?: string; submenu?: Item[]; click?: () => void }
  const recentItems = () =>
    ((electron.menu.template.find((m) => m.label === 'File')?.submenu ?? []) as Item[]).find(
      (i) => i.id === 'open-recent',
    )?.submenu ?? []

  it('lists the boards opened, most recent first, and opens the one chosen', async () => {
    await waitUntil('the menu lists three boards', () => recentItems().length === 3)
    expect(recentItems().map((i) => i.toolTip)).toEqual([
      board('mac.lanvas'),
      board('second.lanvas'),
      board('first.lanvas'),
    ])
    const before = window().url
    recentItems()[2]?.click?.()
    await waitUntil('the board opens', () => window().url !== before)
    await waitUntil('the menu has it first', () => recentItems()[0]?.toolTip === board('first.lanvas'))
  })

  it('says a board whose file is gone is not there, and takes it off the list instead of making it again', async () => {
    await rm(board('second.lanvas'))
    recentItems()
      .find((i) => i.toolTip === board('second.lanvas'))
      ?.click?.()
    await waitUntil('the menu drops it', () => recentItems().length === 2)
    expect(electron.calls).toContain(
      `showErrorBox Lanvas could not open this board: ${board('second.lanvas')}\n\nThe file is not there any more.`,
    )
    expect((await readSettingsFile()).recentBoards).not.toContain(board('second.lanvas'))
  })
})
