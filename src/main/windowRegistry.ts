import { resolve } from 'node:path'

/**
 * One window per board: which window shows what, and where a board or a session the person asks for goes. Plain
 * code without Electron (src/main/index.ts keeps the BrowserWindows in a WindowRegistry and follows its answers).
 */

/** A window as the shell knows it: what it shows (a board of this computer's host, or a joined session). */
export interface BoardWindow {
  id: number
  /** The file of the board it shows, when it shows one of this computer's boards. */
  boardPath?: string
  /** The origin of a peer's host, when it shows a session the person joined. */
  sessionOrigin?: string
}

/** Where a request goes: an open window comes to the front, a window loads it, or a new window opens for it. */
export type Placement = { focus: number } | { load: number } | { create: true }

/** Case-insensitive file systems by default on Windows and macOS: one board, one window. */
export function sameBoardFile(a: string, b: string, platform: NodeJS.Platform = process.platform): boolean {
  const [x, y] = [resolve(a), resolve(b)]
  return platform === 'linux' ? x === y : x.toLowerCase() === y.toLowerCase()
}

/**
 * Where a board file opens. A window already showing it comes to the front (even when another window asked).
 * Asked from a window (its start screen, its Open dialog): that window switches to it. Asked by the operating
 * system or the menu (a double-click, a second start, Open Recent): a new window, so no window loses its board.
 */
export function placeBoard(
  path: string,
  windows: readonly BoardWindow[],
  from?: number,
  platform: NodeJS.Platform = process.platform,
): Placement {
  const showing = windows.find((w) => w.boardPath !== undefined && sameBoardFile(w.boardPath, path, platform))
  if (showing) return { focus: showing.id }
  if (from !== undefined && windows.some((w) => w.id === from)) return { load: from }
  return { create: true }
}

/**
 * Where a session opens: the window already in that session comes to the front; asked from a window, that window
 * joins; from a lanvas: link, a new window (or the only window, when it has nothing yet: the first start).
 */
export function placeSession(origin: string, windows: readonly BoardWindow[], from?: number): Placement {
  const showing = windows.find((w) => w.sessionOrigin === origin)
  if (showing) return { focus: showing.id }
  if (from !== undefined && windows.some((w) => w.id === from)) return { load: from }
  return { create: true }
}

/** What a window shows: a board of this computer's host (its id), or a joined session (its host's origin). */
export interface Shown {
  boardId?: string
  sessionOrigin?: string
}

/** The windows the app has open, in the order they were last in front, with what each shows. */
export class WindowRegistry<W extends { id: number }> {
  private readonly entries = new Map<number, { window: W; shows: Shown }>()
  private order: number[] = []

  /** A new window, with what it will show. */
  add(window: W, shows: Shown): void {
    this.entries.set(window.id, { window, shows })
    this.focused(window.id)
  }

  /** The window closed. */
  remove(id: number): void {
    this.entries.delete(id)
    this.order = this.order.filter((i) => i !== id)
  }

  /** The window came to the front. */
  focused(id: number): void {
    if (this.entries.has(id)) this.order = [id, ...this.order.filter((i) => i !== id)]
  }

  /** The window now shows a board of this computer, or a joined session. */
  show(id: number, shows: Shown): void {
    const entry = this.entries.get(id)
    if (entry) entry.shows = shows
  }

  /** What a window shows, or undefined for a window that is not the app's. */
  shows(id: number): Shown | undefined {
    return this.entries.get(id)?.shows
  }

  /** The window with this id. */
  get(id: number): W | undefined {
    return this.entries.get(id)?.window
  }

  /** The window that was last in front, if any is open. */
  front(): W | undefined {
    const id = this.order[0]
    return id === undefined ? undefined : this.get(id)
  }

  /** Every window, the one in front first. */
  windows(): W[] {
    return this.order.flatMap((id) => this.get(id) ?? [])
  }

  /** What every window shows, for placeBoard and placeSession; `pathOf` gives a board's file as of now. */
  list(pathOf: (boardId: string) => string | undefined): BoardWindow[] {
    return this.order.flatMap((id) => {
      const shows = this.entries.get(id)?.shows
      if (!shows) return []
      const boardPath = shows.boardId === undefined ? undefined : pathOf(shows.boardId)
      return [
        {
          id,
          ...(boardPath ? { boardPath } : {}),
          ...(shows.sessionOrigin ? { sessionOrigin: shows.sessionOrigin } : {}),
        },
      ]
    })
  }

  /** The first window for which `test` holds. */
  find(test: (window: W) => boolean): W | undefined {
    return this.windows().find(test)
  }
}
