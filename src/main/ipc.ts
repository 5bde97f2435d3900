import { readFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { app, type BrowserWindow, dialog, type IpcMainInvokeEvent, ipcMain } from 'electron'
import { decodeBoardFile, readBoardPayload } from '../shared/boardFile'
import { errorMessage } from '../shared/errors'
import {
  type HostingResult,
  type IdentityResult,
  IpcChannel,
  type OpenBoardResult,
  type SaveBoardResult,
  type SessionListing,
  type SettingsResult,
} from '../shared/ipc'
import { parseSessionAddress } from '../shared/sessionAddress'
import { boardSchemaProblem } from '../shared/validate/boardFileCheck'
import { freshBoardPath } from './boardPaths'
import { askToJoin } from './consentDialogs'
import { exportBytesProblem } from './exportBytes'
import { browseSessions, type DiscoveredSession, lanAddresses, participantCount } from './host/discovery'
import { boardFileOf } from './host/export/exportRoute'
import type { Host, OpenedBoard } from './host/server'
import { writeFileAtomic } from './host/storage'
import { parseKnocks, type ReportedKnock } from './knockNotice'
import { addRecentBoard, pruneRecentBoards } from './recentBoards'
import {
  applyAppSettings,
  appSettingsOf,
  parseIdentity,
  readSettings,
  type Settings,
  updateSettings,
} from './settings'
import { readThumbnail } from './thumbnails'
import { joinNeedsConsent } from './windowPolicy'

/** One of the app's windows, and the board of the own host it shows (if it shows one). */
export interface ShellWindow {
  window: BrowserWindow
  boardId?: string
}

/** What a window is about to show: a board of the own host, or a peer's session (its host's origin). */
export type WindowContent = { board: OpenedBoard } | { sessionOrigin: string }

/** What the IPC handlers need from the shell. */
export interface Shell {
  host(): Host | undefined
  /** The app's window these web contents belong to; undefined for anything else. */
  windowOf(sender: unknown): ShellWindow | undefined
  /**
   * One window per board: true when `window` is to show `content` (it does from now on); false when another
   * window already shows it, which then came to the front instead.
   */
  showIn(window: BrowserWindow, content: WindowContent): boolean
  /** Origins of peers' hosts the user chose to join; their pages get the few calls a guest needs. */
  joinedOrigins: Set<string>
  /** The user joined a session at this URL (a join link makes the app a standby for it: src/main/appStandby.ts). */
  joined?(url: string): void
  /** The people knocking on the session a window hosts, as its page reports them (a notification may tell). */
  knocks?(window: ShellWindow, knocks: ReportedKnock[]): void
  /** A board was saved under a new name (its thumbnail is drawn again). */
  boardSaved?(boardId: string): void
  /** The recent boards changed (the File menu lists them). */
  recentChanged?(): void
  /** The settings changed (the theme applies at once). */
  settingsChanged?(settings: Settings): void
}

// The Join panel asks every couple of seconds while open; browsing stops this long after the last ask.
const BROWSE_IDLE_MS = 60_000

function originOf(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return ''
  }
}

/** Registers every IPC handler; each checks which page is calling before it does anything. */
export function registerIpc(shell: Shell): void {
  const ownOrigin = () => originOf(shell.host()?.url ?? 'invalid:')
  const fromWindow = (event: IpcMainInvokeEvent) => shell.windowOf(event.sender) !== undefined
  /** The calling window (the checks above passed, so it is one of the app's). */
  const callerOf = (event: IpcMainInvokeEvent) => shell.windowOf(event.sender)
  /** The own host's page: may open, save and share the user's boards. */
  const ownPage = (event: IpcMainInvokeEvent) =>
    fromWindow(event) && originOf(event.senderFrame?.url ?? '') === ownOrigin()
  /** The own page or a session the user joined: may save a copy, list, join and re-host. */
  const anyPage = (event: IpcMainInvokeEvent) => {
    const origin = originOf(event.senderFrame?.url ?? '')
    return fromWindow(event) && (origin === ownOrigin() || shell.joinedOrigins.has(origin))
  }
  const refused = { error: 'This page may not do that.' } as const
  const settingsDir = () => app.getPath('userData')
  /** A board opened in the calling window, unless another window shows it already (that one comes forward). */
  const openedIn = async (window: BrowserWindow, opened: OpenedBoard): Promise<OpenBoardResult> => {
    if (!shell.showIn(window, { board: opened })) return null
    await rememberBoard(opened.path)
    return { id: opened.id }
  }
  /** The board a window shows now: reopened at the next start and first in the recent boards. */
  const rememberBoard = async (path: string) => {
    await updateSettings(settingsDir(), (s) => ({
      ...s,
      lastBoardPath: path,
      recentBoards: addRecentBoard(s.recentBoards, path),
    }))
    shell.recentChanged?.()
  }

  ipcMain.handle(IpcChannel.OpenBoard, async (event): Promise<OpenBoardResult> => {
    const host = shell.host()
    const win = callerOf(event)?.window
    if (!ownPage(event) || !host || !win) return refused
    const picked = await dialog.showOpenDialog(win, {
      title: 'Open board',
      filters: [
        { name: 'Lanvas board', extensions: ['lanvas'] },
        { name: 'Image with a Lanvas board inside', extensions: ['png', 'svg'] },
      ],
      properties: ['openFile'],
    })
    const path = picked.filePaths[0]
    if (picked.canceled || !path) return null
    try {
      // An exported image is imported as a new board file; a .lanvas file is opened where it is.
      const opened = /\.(png|svg)$/i.test(path)
        ? await host.importBoard(new Uint8Array(await readFile(path)), basename(path).replace(/\.\w+$/, ''))
        : await host.openBoardFile(path)
      return await openedIn(win, opened)
    } catch (err) {
      return { error: errorMessage(err) }
    }
  })

  const pickSavePath = async (win: BrowserWindow, name: string): Promise<string | undefined> => {
    const picked = await dialog.showSaveDialog(win, {
      title: 'Save board as',
      defaultPath: join(
        app.getPath('documents'),
        'Lanvas',
        `${name.replace(/[\\/:*?"<>|]/g, '_') || 'Untitled'}.lanvas`,
      ),
      filters: [{ name: 'Lanvas board', extensions: ['lanvas'] }],
    })
    if (picked.canceled || !picked.filePath) return undefined
    return picked.filePath.endsWith('.lanvas') ? picked.filePath : `${picked.filePath}.lanvas`
  }

  /** Save As on the own host: the board lives in the new file from now on, and autosave writes there. */
  const saveOwnBoardAs = async (
    win: BrowserWindow,
    boardId: string | undefined,
    name: string,
  ): Promise<SaveBoardResult> => {
    const host = shell.host()
    if (!host || boardId === undefined) return refused
    const path = await pickSavePath(win, name)
    if (!path) return null
    try {
      await host.saveBoardAs(boardId, path)
      shell.boardSaved?.(boardId)
      await rememberBoard(path)
      return { path }
    } catch (err) {
      return { error: errorMessage(err) }
    }
  }

  ipcMain.handle(
    IpcChannel.SaveBoardBytes,
    async (event, bytes: unknown, name: unknown): Promise<SaveBoardResult> => {
      if (!anyPage(event)) return refused
      const title = typeof name === 'string' ? name.slice(0, 100) : 'Untitled'
      // The user's own board is saved by its host (Save As); a joined board from the replica the page holds.
      const caller = callerOf(event)
      if (!caller) return refused
      if (ownPage(event)) return saveOwnBoardAs(caller.window, caller.boardId, title)
      const win = caller.window
      if (!(bytes instanceof Uint8Array)) return { error: 'Nothing to save.' }
      try {
        // Checked only (the same checks as opening it), not converted: the bytes are written as they are.
        readBoardPayload(bytes)
      } catch (err) {
        return { error: errorMessage(err) }
      }
      const path = await pickSavePath(win, title)
      if (!path) return null
      await writeFileAtomic(path, bytes)
      return { path }
    },
  )

  ipcMain.handle(
    IpcChannel.SaveExport,
    async (event, bytes: unknown, fileName: unknown): Promise<SaveBoardResult> => {
      const win = callerOf(event)?.window
      if (!anyPage(event) || !win) return refused
      if (!(bytes instanceof Uint8Array) || typeof fileName !== 'string') return { error: 'Nothing to save.' }
      const extension = /\.(png|jpe?g|webp|svg|pdf)$/i.exec(fileName)?.[1]?.toLowerCase()
      if (!extension) return { error: 'Lanvas exports PNG, JPEG, WebP, SVG and PDF files only.' }
      // Any page may export: only bytes of the named format, and of an export's size, reach the disk.
      const problem = exportBytesProblem(bytes, extension)
      if (problem) return { error: problem }
      const picked = await dialog.showSaveDialog(win, {
        title: 'Export board',
        defaultPath: join(app.getPath('pictures'), fileName.replace(/[\\/:*?"<>|]/g, '_')),
        filters: [{ name: extension.toUpperCase(), extensions: [extension] }],
      })
      if (picked.canceled || !picked.filePath) return null
      await writeFileAtomic(picked.filePath, bytes)
      return { path: picked.filePath }
    },
  )

  ipcMain.handle(IpcChannel.NetworkAddresses, (event): string[] => (ownPage(event) ? lanAddresses() : []))

  ipcMain.handle(IpcChannel.ShareSession, async (event, address: unknown): Promise<HostingResult> => {
    const host = shell.host()
    const boardId = callerOf(event)?.boardId
    if (!ownPage(event) || !host || boardId === undefined) return refused
    // One network of several: listen and advertise only there (mDNS runs over IPv4).
    let only: { bind: string; iface?: string } | undefined
    if (address !== undefined) {
      if (typeof address !== 'string' || !lanAddresses().includes(address))
        return { error: `${String(address)} is not a network address of this computer.` }
      only = { bind: address, ...(address.includes(':') ? {} : { iface: address }) }
    }
    try {
      const { sharePort } = (await readSettings(settingsDir())).settings
      const shared = host.session() ?? (await host.share({ boardId, port: sharePort, ...only }))
      return { joinLinks: shared.joinLinks }
    } catch (err) {
      return { error: `Could not share the board on the network: ${errorMessage(err)}` }
    }
  })

  let browser: ReturnType<typeof browseSessions> | undefined
  let idle: NodeJS.Timeout | undefined
  ipcMain.handle(IpcChannel.DiscoverSessions, async (event): Promise<SessionListing[]> => {
    if (!anyPage(event)) return []
    browser ??= browseSessions(() => {})
    clearTimeout(idle)
    idle = setTimeout(() => {
      browser?.stop()
      browser = undefined
    }, BROWSE_IDLE_MS)
    const ownSession = shell.host()?.session()?.sessionId
    const found = browser.sessions().filter((s: DiscoveredSession) => s.sessionId !== ownSession)
    return Promise.all(
      found.map(async (s) => ({
        name: s.name,
        hostName: s.hostName,
        boardName: s.boardName,
        addresses: s.addresses.length > 0 ? s.addresses : [s.from],
        port: s.port,
        approval: s.approval,
        participants: await participantCount(s),
      })),
    )
  })

  ipcMain.handle(IpcChannel.JoinSession, async (event, url: unknown): Promise<{ error: string } | null> => {
    const win = callerOf(event)?.window
    if (!anyPage(event) || !win) return refused
    const target = parseSessionAddress(typeof url === 'string' ? url : '')
    if ('error' in target) return target
    // Joining makes the target a trusted page: a joined page's wish alone is not enough for a new one.
    const caller = event.senderFrame?.url ?? ''
    const pages = { ownOrigin: ownOrigin(), joinedOrigins: shell.joinedOrigins }
    if (
      joinNeedsConsent(caller, target.origin, pages) &&
      !(await askToJoin(win, target.origin, originOf(caller)))
    )
      return { error: 'The session was not joined.' }
    shell.joinedOrigins.add(target.origin)
    shell.joined?.(target.url)
    // A window already in that session comes to the front instead.
    if (shell.showIn(win, { sessionOrigin: target.origin })) await win.loadURL(target.url)
    return null
  })

  ipcMain.handle(
    IpcChannel.HostBoard,
    async (event, bytes: unknown, name: unknown): Promise<HostingResult> => {
      const host = shell.host()
      const win = callerOf(event)?.window
      if (!anyPage(event) || !host || !win) return refused
      if (!(bytes instanceof Uint8Array)) return { error: 'No board to host.' }
      // The board is shared with everyone who joins: checked against the board schema as network edits are.
      let problem: string | undefined
      try {
        problem = boardSchemaProblem(decodeBoardFile(boardFileOf(bytes)))
      } catch (err) {
        return { error: errorMessage(err) }
      }
      if (problem) return { error: `This board cannot be hosted: ${problem}.` }
      // A joined page comes from another computer over plain http: only the user, in a dialog no page can draw,
      // may turn this computer into a host on the network.
      if (!ownPage(event)) {
        const asked = await dialog.showMessageBox(win, {
          type: 'question',
          buttons: ['Host it on my network', 'Cancel'],
          defaultId: 0,
          cancelId: 1,
          message: 'Host this board from your computer?',
          detail: 'Lanvas saves a copy of the board on this computer and shares it on your network.',
        })
        if (asked.response !== 0) return { error: 'The board was not hosted.' }
      }
      try {
        // The board the departed host had, as this person's replica holds it, becomes a board of the own host.
        const opened = await host.importBoard(bytes, typeof name === 'string' ? name.slice(0, 100) : 'Board')
        await host.session()?.stop()
        const shared = await host.share({ boardId: opened.id })
        shell.showIn(win, { board: opened })
        await rememberBoard(opened.path)
        await win.loadURL(`${host.url}#board=${opened.id}&owner=${host.ownerKey}`)
        return { joinLinks: shared.joinLinks }
      } catch (err) {
        return { error: errorMessage(err) }
      }
    },
  )

  // A joined page may read the name and colour too: the person gives them to that session when they join anyway.
  ipcMain.handle(IpcChannel.Identity, async (event): Promise<IdentityResult> => {
    if (!anyPage(event)) return refused
    return { identity: (await readSettings(settingsDir())).settings.identity ?? null }
  })

  ipcMain.handle(IpcChannel.SetIdentity, async (event, identity: unknown): Promise<IdentityResult> => {
    if (!anyPage(event)) return refused
    const clean = parseIdentity(identity)
    if (!clean) return { error: 'A name and a colour like #1c7ed6 are needed.' }
    // A joined page comes from another computer: it may ask the name the first time (knocking), never replace it.
    let kept = false
    const written = await updateSettings(settingsDir(), (s) => {
      kept = !ownPage(event) && s.identity !== undefined
      return kept ? s : { ...s, identity: clean }
    })
    if (kept) return { error: 'Your name and colour change on your own board, not on a joined one.' }
    return { identity: written.identity ?? clean }
  })

  ipcMain.handle(IpcChannel.Settings, async (event): Promise<SettingsResult> => {
    if (!ownPage(event)) return refused
    const read = await readSettings(settingsDir())
    return { settings: appSettingsOf(read.settings), ...(read.message ? { message: read.message } : {}) }
  })

  ipcMain.handle(IpcChannel.SetSettings, async (event, change: unknown): Promise<SettingsResult> => {
    if (!ownPage(event)) return refused
    let unusable: string[] = []
    const written = await updateSettings(settingsDir(), (s) => {
      const applied = applyAppSettings(s, change)
      unusable = applied.unusable
      return applied.settings
    })
    shell.settingsChanged?.(written)
    const settings = appSettingsOf(written)
    return unusable.length > 0
      ? { settings, message: `These settings were not changed: ${unusable.join(', ')}.` }
      : { settings }
  })

  ipcMain.handle(IpcChannel.RecentBoards, async (event): Promise<string[]> => {
    if (!ownPage(event)) return []
    const { recentBoards } = (await readSettings(settingsDir())).settings
    const present = await pruneRecentBoards(recentBoards)
    if (present.length !== recentBoards.length)
      await updateSettings(settingsDir(), (s) => ({ ...s, recentBoards: present }))
    return present
  })

  ipcMain.handle(IpcChannel.BoardThumbnail, async (event, path: unknown): Promise<string | null> => {
    if (!ownPage(event)) return null
    // Only a board from the list: a page may not probe which files this computer has.
    const { recentBoards } = (await readSettings(settingsDir())).settings
    if (typeof path !== 'string' || !recentBoards.includes(path)) return null
    return readThumbnail(settingsDir(), path)
  })

  ipcMain.handle(IpcChannel.Knocks, (event, knocks: unknown): null => {
    const caller = callerOf(event)
    const parsed = parseKnocks(knocks)
    // The own page only: knocks on a session this computer hosts.
    if (ownPage(event) && caller && parsed) shell.knocks?.(caller, parsed)
    return null
  })

  ipcMain.handle(IpcChannel.OpenRecentBoard, async (event, path: unknown): Promise<OpenBoardResult> => {
    const host = shell.host()
    const win = callerOf(event)?.window
    if (!ownPage(event) || !host || !win) return refused
    // Only a board from the list: a page may not name any file on this computer to open.
    const { recentBoards } = (await readSettings(settingsDir())).settings
    if (typeof path !== 'string' || !recentBoards.includes(path))
      return { error: 'This board is not a recent one.' }
    try {
      return await openedIn(win, await host.openBoardFile(path))
    } catch (err) {
      // A board that is gone leaves the list; one that failed for another reason stays, to try again later.
      const present = await pruneRecentBoards(recentBoards)
      await updateSettings(settingsDir(), (s) => ({
        ...s,
        recentBoards: s.recentBoards.filter((p) => present.includes(p)),
      }))
      return { error: errorMessage(err) }
    }
  })

  ipcMain.handle(IpcChannel.NewBoard, async (event): Promise<OpenBoardResult> => {
    const host = shell.host()
    const win = callerOf(event)?.window
    if (!ownPage(event) || !host || !win) return refused
    const { autosaveDir } = (await readSettings(settingsDir())).settings
    try {
      const opened = await host.openBoardFile(
        freshBoardPath(autosaveDir ?? join(app.getPath('documents'), 'Lanvas')),
      )
      return await openedIn(win, opened)
    } catch (err) {
      return { error: errorMessage(err) }
    }
  })

  ipcMain.handle(IpcChannel.ChooseBoardsFolder, async (event): Promise<SettingsResult | null> => {
    const win = callerOf(event)?.window
    if (!ownPage(event) || !win) return refused
    const picked = await dialog.showOpenDialog(win, {
      title: 'Folder for new boards',
      properties: ['openDirectory', 'createDirectory'],
    })
    const dir = picked.filePaths[0]
    if (picked.canceled || !dir) return null
    const written = await updateSettings(settingsDir(), (s) => ({ ...s, autosaveDir: dir }))
    return { settings: appSettingsOf(written) }
  })
}
