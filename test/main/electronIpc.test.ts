// Every IPC call checks which page sends it, and the preload exposes named functions only. Electron does not
// run here, so its module is replaced by a recorder: the handlers and the preload are the real code.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { IpcChannel, IpcEvent } from '../../src/shared/ipc'

const electron = vi.hoisted(() => {
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>()
  const calls: string[] = []
  const exposed = new Map<string, unknown>()
  const invoked: { channel: string; args: unknown[] }[] = []
  const listened: string[] = []
  // What the user answers in a native message box: 1 is Cancel, 0 is yes.
  const user = { answer: 1 }
  // The app's data folder: nowhere, unless a test gives it a temporary one.
  const paths = { root: '/nonexistent' }
  const record =
    (name: string, result: unknown = undefined) =>
    (..._args: unknown[]) => {
      calls.push(name)
      return Promise.resolve(result)
    }
  return {
    handlers,
    calls,
    exposed,
    invoked,
    listened,
    user,
    paths,
    module: {
      app: { getPath: (name: string) => `${paths.root}/${name}` },
      dialog: {
        showOpenDialog: record('showOpenDialog', { canceled: true, filePaths: [] }),
        showSaveDialog: record('showSaveDialog', { canceled: true }),
        // The user answers Cancel unless a test says otherwise.
        showMessageBox: (..._args: unknown[]) => {
          calls.push('showMessageBox')
          return Promise.resolve({ response: user.answer })
        },
      },
      ipcMain: {
        handle: (channel: string, fn: (event: unknown, ...args: unknown[]) => unknown) =>
          handlers.set(channel, fn),
      },
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
      ipcRenderer: {
        invoke: (channel: string, ...args: unknown[]) => {
          invoked.push({ channel, args })
          return Promise.resolve(null)
        },
        on: (channel: string) => listened.push(channel),
        removeListener: () => {},
      },
    },
  }
})
vi.mock('electron', () => electron.module)

const { registerIpc } = await import('../../src/main/ipc')

const OWN = 'http://127.0.0.1:41000'
const JOINED = 'http://192.168.1.20:47800'
const window = {
  webContents: { id: 1 },
  loadURL: (url: string) => {
    electron.calls.push(`loadURL ${url}`)
    return Promise.resolve()
  },
}
const otherWindow = { webContents: { id: 2 } }

// A host that records every use: a refused call must not touch it.
const hostCalls: string[] = []
const host = new Proxy(
  { url: `${OWN}/` },
  {
    get(target, key) {
      if (key === 'url') return target.url
      if (key === 'then') return undefined
      return (...args: unknown[]) => {
        hostCalls.push(String(key))
        if (key === 'session') return { joinLinks: ['http://192.168.1.5:47800/#join=x'], sessionId: 's' }
        if (key === 'board')
          return args[0] === 'board-1' ? { id: 'board-1', name: 'B', path: '/b' } : undefined
        return undefined
      }
    },
  },
)

const joined = new Set([JOINED])
// What the shell was asked to show in the window; another window shows nothing here.
const shown: unknown[] = []
registerIpc({
  host: () => host as never,
  windowOf: (sender) =>
    sender === window.webContents ? { window: window as never, boardId: 'board-1' } : undefined,
  showIn: (_window, content) => {
    shown.push(content)
    return true
  },
  joinedOrigins: joined,
})

const event = (sender: { id: number }, frameUrl: string | undefined) => ({
  sender,
  senderFrame: frameUrl === undefined ? null : { url: frameUrl },
})

// Arguments that would make each call do its work, were it allowed.
const ARGS: Record<string, unknown[]> = {
  [IpcChannel.OpenBoard]: [],
  [IpcChannel.SaveBoardBytes]: [new Uint8Array([1, 2, 3]), 'copy'],
  [IpcChannel.SaveExport]: [new Uint8Array([1]), 'board.png'],
  [IpcChannel.ShareSession]: [],
  [IpcChannel.NetworkAddresses]: [],
  [IpcChannel.DiscoverSessions]: [],
  [IpcChannel.JoinSession]: ['http://192.168.1.30:47800/#join=abcdefghijklmnop'],
  [IpcChannel.HostBoard]: [new Uint8Array([1]), 'board'],
  [IpcChannel.Identity]: [],
  [IpcChannel.SetIdentity]: [{ name: 'Ada', color: '#1c7ed6' }],
  [IpcChannel.Settings]: [],
  [IpcChannel.SetSettings]: [{ theme: 'dark' }],
  [IpcChannel.RecentBoards]: [],
  [IpcChannel.OpenRecentBoard]: ['/home/ada/Plan.lanvas'],
  [IpcChannel.NewBoard]: [],
  [IpcChannel.ChooseBoardsFolder]: [],
  [IpcChannel.BoardThumbnail]: ['/home/ada/Plan.lanvas'],
  [IpcChannel.Knocks]: [[{ id: 'k1', name: 'Ada' }]],
}
// Calls only the user's own board page may make; the others are open to a session the user joined too.
const OWN_PAGE_ONLY = new Set<string>([
  IpcChannel.OpenBoard,
  IpcChannel.ShareSession,
  IpcChannel.NetworkAddresses,
  IpcChannel.Settings,
  IpcChannel.SetSettings,
  IpcChannel.RecentBoards,
  IpcChannel.OpenRecentBoard,
  IpcChannel.NewBoard,
  IpcChannel.ChooseBoardsFolder,
  IpcChannel.BoardThumbnail,
  IpcChannel.Knocks,
])
const REFUSED = { error: 'This page may not do that.' }
const refusal = (channel: string) =>
  channel === IpcChannel.BoardThumbnail || channel === IpcChannel.Knocks
    ? null
    : channel === IpcChannel.DiscoverSessions ||
        channel === IpcChannel.NetworkAddresses ||
        channel === IpcChannel.RecentBoards
      ? []
      : REFUSED

const channels = Object.values(IpcChannel)

beforeEach(() => {
  electron.calls.length = 0
  electron.user.answer = 1
  hostCalls.length = 0
  joined.clear()
  joined.add(JOINED)
})

describe('IPC handlers in src/main/ipc.ts', () => {
  it('handle every channel of the allowlist, and nothing else', () => {
    expect([...electron.handlers.keys()].sort()).toEqual([...channels].sort())
    expect(Object.keys(ARGS).sort()).toEqual([...channels].sort())
  })

  const strangers = [
    ['another window', event(otherWindow.webContents, `${OWN}/`)],
    ['a page of another origin in the window', event(window.webContents, 'http://evil.example/')],
    ['the own host on another port', event(window.webContents, 'http://127.0.0.1:41001/')],
    ['a data: page', event(window.webContents, 'data:text/html,hi')],
    ['a frame without a URL', event(window.webContents, undefined)],
  ] as const
  for (const [who, from] of strangers)
    it.each(channels)(`refuse %s from ${who}, touching nothing`, async (channel) => {
      const handler = electron.handlers.get(channel)
      const result = await handler?.(from, ...(ARGS[channel] ?? []))
      expect(result).toEqual(refusal(channel))
      expect(electron.calls).toEqual([])
      expect(hostCalls).toEqual([])
    })

  it.each([...OWN_PAGE_ONLY])('refuse %s to a joined session page', async (channel) => {
    const result = await electron.handlers.get(channel)?.(
      event(window.webContents, `${JOINED}/`),
      ...(ARGS[channel] ?? []),
    )
    expect(result).toEqual(refusal(channel))
    expect(electron.calls).toEqual([])
    expect(hostCalls).toEqual([])
  })

  it('answer the own page (so the checks above refuse callers, not everything)', async () => {
    const share = await electron.handlers.get(IpcChannel.ShareSession)?.(
      event(window.webContents, `${OWN}/#b`),
    )
    expect(share).toEqual({ joinLinks: ['http://192.168.1.5:47800/#join=x'] })
    // One network of several: only an address this computer has.
    const elsewhere = await electron.handlers.get(IpcChannel.ShareSession)?.(
      event(window.webContents, `${OWN}/#b`),
      '8.8.8.8',
    )
    expect(elsewhere).toEqual({ error: '8.8.8.8 is not a network address of this computer.' })
    const open = await electron.handlers.get(IpcChannel.OpenBoard)?.(event(window.webContents, `${OWN}/`))
    expect(open).toBeNull()
    expect(electron.calls).toEqual(['showOpenDialog'])
  })

  it('ask the user, in a native dialog, before a joined page makes this computer host a board', async () => {
    const { encodeBoardFile } = await import('../../src/shared/boardFile')
    const Y = await import('yjs')
    const result = await electron.handlers.get(IpcChannel.HostBoard)?.(
      event(window.webContents, `${JOINED}/`),
      encodeBoardFile(new Y.Doc()),
      'board',
    )
    expect(result).toEqual({ error: 'The board was not hosted.' })
    expect(electron.calls).toEqual(['showMessageBox'])
    expect(hostCalls).toEqual([])
  })

  it('let a joined session page save a copy of its board through the dialog', async () => {
    const { encodeBoardFile } = await import('../../src/shared/boardFile')
    const Y = await import('yjs')
    const result = await electron.handlers.get(IpcChannel.SaveBoardBytes)?.(
      event(window.webContents, `${JOINED}/`),
      encodeBoardFile(new Y.Doc()),
      'copy',
    )
    expect(result).toBeNull()
    expect(electron.calls).toEqual(['showSaveDialog'])
  })
})

describe('what a page may do only with the user, or with the right bytes (issue 10, item 16)', () => {
  const ELSEWHERE = 'http://192.168.1.30:47800'
  const join = (from: string, url: string) =>
    electron.handlers.get(IpcChannel.JoinSession)?.(event(window.webContents, from), url)

  it('ask the user before a joined page takes the window to a session nobody chose', async () => {
    const refused = await join(`${JOINED}/`, `${ELSEWHERE}/#join=abcdefghijklmnop`)
    expect(refused).toEqual({ error: 'The session was not joined.' })
    expect(electron.calls).toEqual(['showMessageBox'])
    expect(joined.has(ELSEWHERE)).toBe(false)

    electron.calls.length = 0
    electron.user.answer = 0
    expect(await join(`${JOINED}/`, `${ELSEWHERE}/#knock`)).toBeNull()
    expect(electron.calls).toEqual(['showMessageBox', `loadURL ${ELSEWHERE}/#knock`])
    expect(joined.has(ELSEWHERE)).toBe(true)
  })

  it('let a joined page go back to its own host, and the own page join what the person picked, without a question', async () => {
    expect(await join(`${JOINED}/`, `${JOINED}/#knock`)).toBeNull()
    expect(await join(`${OWN}/`, `${ELSEWHERE}/#knock`)).toBeNull()
    expect(electron.calls).toEqual([`loadURL ${JOINED}/#knock`, `loadURL ${ELSEWHERE}/#knock`])
  })

  it('refuse to host a board that breaks the board schema, before asking anyone', async () => {
    const { encodeBoardFile } = await import('../../src/shared/boardFile')
    const Y = await import('yjs')
    const doc = new Y.Doc()
    const element = new Y.Map<unknown>()
    doc.getMap('elements').set('a1', element)
    element.set('kind', 'rect')
    element.set('onclick', 'steal()')
    electron.user.answer = 0
    for (const from of [`${JOINED}/`, `${OWN}/`]) {
      const result = await electron.handlers.get(IpcChannel.HostBoard)?.(
        event(window.webContents, from),
        encodeBoardFile(doc),
        'board',
      )
      expect(result).toEqual({ error: expect.stringMatching(/^This board cannot be hosted: .*onclick/) })
    }
    const notABoard = await electron.handlers.get(IpcChannel.HostBoard)?.(
      event(window.webContents, `${JOINED}/`),
      new TextEncoder().encode('#!/bin/sh\nrm -rf ~\n'),
      'board',
    )
    expect(notABoard).toEqual({ error: expect.stringContaining('not a Lanvas board') })
    expect(electron.calls).toEqual([])
    expect(hostCalls).toEqual([])
  })

  it.each([
    ['board.png', new TextEncoder().encode('#!/bin/sh\nrm -rf ~\n'), 'not a PNG file'],
    ['board.jpg', Uint8Array.of(0x89, 0x50, 0x4e, 0x47), 'not a JPG file'],
    ['board.webp', new TextEncoder().encode('RIFF\0\0\0\0WAVE'), 'not a WEBP file'],
    ['board.pdf', new TextEncoder().encode('<html>'), 'not a PDF file'],
    ['board.svg', Uint8Array.of(0xff, 0xfe, 0, 0x3c), 'not a SVG file'],
    [
      'board.svg',
      new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>'),
      'holds script',
    ],
    ['board.png', new Uint8Array(0), 'empty'],
  ])(
    'refuse to save as %s bytes that are not that format (%#), before the save dialog',
    async (name, bytes, reason) => {
      const result = await electron.handlers.get(IpcChannel.SaveExport)?.(
        event(window.webContents, `${JOINED}/`),
        bytes,
        name,
      )
      expect(result).toEqual({ error: expect.stringContaining(reason) })
      expect(electron.calls).toEqual([])
    },
  )

  it('save an export whose bytes are its format through the save dialog', async () => {
    const png = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13)
    const result = await electron.handlers.get(IpcChannel.SaveExport)?.(
      event(window.webContents, `${JOINED}/`),
      png,
      'board.png',
    )
    expect(result).toBeNull()
    expect(electron.calls).toEqual(['showSaveDialog'])
  })
})

describe('settings, identity and recent boards over IPC (issue 12)', () => {
  const call = (channel: string, from: string, ...args: unknown[]) =>
    electron.handlers.get(channel)?.(event(window.webContents, from), ...args)
  let dir: string
  beforeEach(async () => {
    const { mkdtemp } = await import('node:fs/promises')
    const { tmpdir } = await import('node:os')
    dir = await mkdtemp(`${tmpdir()}/lanvas-ipc-`)
    electron.paths.root = dir
  })
  afterEach(async () => {
    const { rm } = await import('node:fs/promises')
    electron.paths.root = '/nonexistent'
    await rm(dir, { recursive: true, force: true })
  })

  it('keeps the name and colour first given on a joined page for every page; only the own page changes it after', async () => {
    expect(await call(IpcChannel.Identity, `${OWN}/`)).toEqual({ identity: null })
    expect(await call(IpcChannel.SetIdentity, `${JOINED}/`, { name: ' Ada ', color: '#1C7ED6' })).toEqual({
      identity: { name: 'Ada', color: '#1c7ed6' },
    })
    expect(await call(IpcChannel.Identity, `${OWN}/`)).toEqual({
      identity: { name: 'Ada', color: '#1c7ed6' },
    })
    expect(await call(IpcChannel.SetIdentity, `${OWN}/`, { name: 'Eve' })).toEqual({
      error: 'A name and a colour like #1c7ed6 are needed.',
    })
    expect(await call(IpcChannel.Identity, `${JOINED}/`)).toEqual({
      identity: { name: 'Ada', color: '#1c7ed6' },
    })
    // Once there is a name, a joined page (another computer's) cannot replace it; the own page can.
    expect(await call(IpcChannel.SetIdentity, `${JOINED}/`, { name: 'Mallory', color: '#000000' })).toEqual({
      error: 'Your name and colour change on your own board, not on a joined one.',
    })
    expect(await call(IpcChannel.SetIdentity, `${OWN}/`, { name: 'Ada L.', color: '#2b8a3e' })).toEqual({
      identity: { name: 'Ada L.', color: '#2b8a3e' },
    })
    expect(await call(IpcChannel.Identity, `${JOINED}/`)).toEqual({
      identity: { name: 'Ada L.', color: '#2b8a3e' },
    })
  })

  it('changes the settings the page sends that pass, names those that do not, and keeps the rest', async () => {
    expect(
      await call(IpcChannel.SetSettings, `${OWN}/`, {
        theme: 'dark',
        sharePort: 22,
        shareNetwork: '10.0.0.7',
      }),
    ).toEqual({
      settings: {
        identity: null,
        theme: 'dark',
        sharePort: 47800,
        shareNetwork: '10.0.0.7',
        autosaveDir: null,
      },
      message: 'These settings were not changed: sharePort.',
    })
    expect(await call(IpcChannel.SetSettings, `${OWN}/`, { shareNetwork: null, theme: null })).toEqual({
      settings: { identity: null, theme: 'dark', sharePort: 47800, shareNetwork: null, autosaveDir: null },
      message: 'These settings were not changed: theme.',
    })
    expect(await call(IpcChannel.Settings, `${OWN}/`)).toEqual({
      settings: { identity: null, theme: 'dark', sharePort: 47800, shareNetwork: null, autosaveDir: null },
    })
  })

  it('tells the page when the settings file was damaged', async () => {
    const { mkdir, writeFile } = await import('node:fs/promises')
    await mkdir(`${dir}/userData`)
    await writeFile(`${dir}/userData/settings.json`, '{"theme":')
    expect(await call(IpcChannel.Settings, `${OWN}/`)).toEqual({
      settings: { identity: null, theme: 'system', sharePort: 47800, shareNetwork: null, autosaveDir: null },
      message: expect.stringMatching(/^Lanvas's settings file was damaged/),
    })
  })

  it('lists recent boards without the files that are gone, and opens only a board from that list', async () => {
    const { mkdir, writeFile } = await import('node:fs/promises')
    const { writeSettings, DEFAULT_SETTINGS } = await import('../../src/main/settings')
    await mkdir(`${dir}/boards`)
    await writeFile(`${dir}/boards/here.lanvas`, 'x')
    const here = `${dir}/boards/here.lanvas`
    await writeSettings(`${dir}/userData`, {
      ...DEFAULT_SETTINGS,
      recentBoards: [`${dir}/boards/gone.lanvas`, here],
    })
    expect(await call(IpcChannel.RecentBoards, `${OWN}/`)).toEqual([here])
    expect(await call(IpcChannel.OpenRecentBoard, `${OWN}/`, '/etc/passwd')).toEqual({
      error: 'This board is not a recent one.',
    })
    expect(hostCalls).toEqual([])
    await call(IpcChannel.OpenRecentBoard, `${OWN}/`, here)
    expect(hostCalls).toEqual(['openBoardFile'])
  })
})

describe('the preload in src/preload/index.ts', () => {
  it('exposes named functions over the allowlisted channels only, never ipcRenderer', async () => {
    await import('../../src/preload/index')
    expect([...electron.exposed.keys()]).toEqual(['lanvas'])
    const api = electron.exposed.get('lanvas') as Record<string, unknown>
    for (const [name, value] of Object.entries(api)) {
      expect(value === electron.module.ipcRenderer || value === electron.module.ipcRenderer.invoke).toBe(
        false,
      )
      expect(typeof value, name).toBe('function')
    }
    for (const fn of Object.values(api)) await (fn as (...args: unknown[]) => unknown)(new Uint8Array(0), 'x')
    expect(new Set(electron.invoked.map((c) => c.channel))).toEqual(new Set(channels))
    // The one message main sends the page: a desktop menu command.
    expect(electron.listened).toEqual(Object.values(IpcEvent))
  })
})
