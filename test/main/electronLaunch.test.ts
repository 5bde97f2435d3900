// How src/main/index.ts opens what the operating system hands it (issue 12): a board on the command line, a second
// start with a board or a lanvas: link, macOS's open-file, one window per board; the settings it starts from; the
// window's place; knock notifications; thumbnails. Electron does not run here, so its module is the recorder of
// test/support/electronStandIn.ts; the host, the settings files and the decisions are real.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { encodeBoardFile } from '../../src/shared/boardFile'
import { knownBoard } from '../shared/exportFixtures'
import { electron, type StandInWindowType } from '../support/electronStandIn'
import { waitUntil } from '../support/waitUntil'

vi.mock('electron', async () => (await import('../support/electronStandIn')).electron.module)

let dir: string
let startCalls: string[] = []
const board = (name: string) => join(dir, 'boards', name)
const settingsFile = () => join(dir, 'userData', 'settings.json')
const readSettingsFile = async () => JSON.parse(await readFile(settingsFile(), 'utf8'))
const window = (n = 0) => electron.BrowserWindow.windows[n] as StandInWindowType
const boardIdOf = (url: string) => new URLSearchParams(new URL(url).hash.slice(1)).get('board')

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanvas-launch-'))
  electron.paths.root = dir
  await mkdir(join(dir, 'boards'))
  for (const name of ['first.lanvas', 'second.lanvas'])
    await writeFile(board(name), encodeBoardFile(new Y.Doc()))
  await writeFile(board('mac.lanvas'), encodeBoardFile(knownBoard().doc))
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

const writeSettingsRecent = async (recentBoards: string[]) =>
  writeFile(settingsFile(), JSON.stringify({ ...(await readSettingsFile()), recentBoards }))
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

describe('a second start hands its request to the running app (one window per board)', () => {
  it('opens another board in a window of its own, with the first window keeping its board', async () => {
    const before = window().url
    secondStart(['lanvas', 'boards/second.lanvas'])
    await waitUntil('a second window', () => window(1)?.url)
    expect(boardIdOf(window(1).url)).not.toBe(boardIdOf(before))
    expect(window().url).toBe(before)
    expect(electron.calls.at(-1)).toBe('focus 2')
    expect((await readSettingsFile()).recentBoards.slice(0, 2)).toEqual([
      board('second.lanvas'),
      board('first.lanvas'),
    ])
    // Cascaded from the window in front, so the new one does not hide the first exactly.
    expect(window(1).options).toMatchObject({ x: 72, y: 92, width: 1000, height: 700 })
  })

  it('brings the window already showing a board to the front instead of opening it again', async () => {
    secondStart(['lanvas', board('first.lanvas')])
    await waitUntil('the first window comes forward', () => electron.calls.at(-1) === 'focus 1')
    secondStart(['lanvas', board('second.lanvas')])
    await waitUntil('the second window comes forward', () => electron.calls.at(-1) === 'focus 2')
    expect(electron.calls.some((c) => c.startsWith('loadURL'))).toBe(false)
    expect(electron.BrowserWindow.windows).toHaveLength(2)
  })

  it("a window's page opening a board another window shows brings that window forward; the page stays", async () => {
    const first = window()
    const event = { sender: first.webContents, senderFrame: { url: first.url } }
    await writeSettingsRecent([board('second.lanvas'), board('first.lanvas')])
    const result = await electron.handlers.get('boards:open-recent')?.(event, board('second.lanvas'))
    expect(result).toBeNull()
    expect(electron.calls).toContain('focus 2')
    expect(electron.calls.some((c) => c.startsWith('loadURL'))).toBe(false)
  })

  it('asks before joining the session a lanvas: link names, and joins only on yes, in a new window', async () => {
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
    expect(window(2).url).toBe('http://192.168.1.20:47800/#join=abcdefghijklmnopqrstuv')
    // The same link again: that window comes forward, without a question.
    electron.calls.length = 0
    secondStart(['lanvas', link])
    await waitUntil('the session window comes forward', () => electron.calls.at(-1) === 'focus 3')
    expect(electron.calls.some((c) => c.startsWith('showMessageBox'))).toBe(false)
    window(2).close()
  })

  it('says why a link cannot be opened, without asking', async () => {
    window().focus()
    electron.calls.length = 0
    secondStart(['lanvas', 'lanvas://join?address=8.8.8.8:47800'])
    await waitUntil('the error', () => electron.calls.length > 1)
    expect(electron.calls).toEqual([
      'focus 1',
      'showErrorBox Lanvas could not open this link: 8.8.8.8 is not on your local network; Lanvas joins sessions on the LAN only.',
    ])
  })
})

describe('a notification when someone knocks on a session a window hosts', () => {
  const knocks = (win: StandInWindowType, list: { id: string; name: string }[]) =>
    electron.handlers.get('session:knocks')?.(
      { sender: win.webContents, senderFrame: { url: win.url } },
      list,
    )

  it('tells a knock while the window is not in front, and clicking it brings the window forward', async () => {
    window().focus()
    await knocks(window(1), [{ id: 'k1', name: 'Ada' }])
    expect(electron.calls.filter((c) => c.startsWith('notify'))).toEqual([
      'notify Ada wants to join: Ada is knocking on “second”. Open Lanvas to let them in.',
    ])
    electron.calls.length = 0
    electron.notifications.at(-1)?.click()
    expect(electron.calls).toEqual(['focus 2'])
  })

  it('says nothing for a knock the window in front shows, nor for one told already', async () => {
    electron.calls.length = 0
    await knocks(window(1), [
      { id: 'k1', name: 'Ada' },
      { id: 'k2', name: 'Bo' },
    ])
    await knocks(window(1), [
      { id: 'k1', name: 'Ada' },
      { id: 'k2', name: 'Bo' },
    ])
    expect(electron.calls.filter((c) => c.startsWith('notify'))).toEqual([])
  })
})
describe("macOS's open-file, the window's place, and the board's thumbnail", () => {
  it('opens a board macOS hands over in a window of its own, and keeps the file from Electron', async () => {
    let prevented = false
    electron.appHandlers.get('open-file')?.({ preventDefault: () => (prevented = true) }, board('mac.lanvas'))
    expect(prevented).toBe(true)
    await waitUntil('the board opens', () =>
      electron.calls.some((c) => c.startsWith('loadURL http://127.0.0.1')),
    )
    expect(electron.BrowserWindow.getAllWindows()).toHaveLength(3)
    expect((await readSettingsFile()).recentBoards[0]).toBe(board('mac.lanvas'))
  })

  it('remembers where the window was when it closes, and draws its board for the start screen', async () => {
    const mac = electron.BrowserWindow.windows.at(-1) as StandInWindowType
    const event = { sender: window().webContents, senderFrame: { url: window().url } }
    expect(await electron.handlers.get('boards:thumbnail')?.(event, board('mac.lanvas'))).toBeNull()
    mac.close()
    await waitUntil('the settings are written', async () => (await readSettingsFile()).window)
    expect((await readSettingsFile()).window).toEqual({
      bounds: { x: 40, y: 60, width: 1000, height: 700 },
      maximized: true,
    })
    const thumbnail = await waitUntil('the thumbnail is drawn', () =>
      electron.handlers.get('boards:thumbnail')?.(event, board('mac.lanvas')),
    )
    expect(thumbnail).toMatch(/^data:image\/png;base64,/)
    // An empty board has no picture; a path off the recent list gets nothing.
    expect(await electron.handlers.get('boards:thumbnail')?.(event, board('first.lanvas'))).toBeNull()
    expect(await electron.handlers.get('boards:thumbnail')?.(event, '/etc/passwd')).toBeNull()
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
    electron.calls.length = 0
    recentItems()[2]?.click?.()
    // The first window shows that board: it comes to the front.
    await waitUntil('its window comes forward', () => electron.calls.at(-1) === 'focus 1')
    recentItems()[0]?.click?.()
    await waitUntil('the closed board opens again', () => electron.BrowserWindow.getAllWindows().length === 3)
  })

  it('says a board whose file is gone is not there, and takes it off the list instead of making it again', async () => {
    window(1).close()
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
