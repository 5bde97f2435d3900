import { useSyncExternalStore } from 'react'

/** The paper's pattern. */
export const GridKind = { Dots: 'dots', Lines: 'grid', None: 'none' } as const
export type GridKind = (typeof GridKind)[keyof typeof GridKind]

/** How one person likes the canvas: not part of the board, kept in this browser (localStorage). */
export interface CanvasPrefs {
  grid: GridKind
  dark: boolean
  /** Moves and resizes snap to the grid (when no element is near). */
  snapToGrid: boolean
}

const KEY = 'lanvas.canvas'
const DEFAULTS: CanvasPrefs = { grid: GridKind.Dots, dark: false, snapToGrid: false }

function load(): CanvasPrefs {
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<CanvasPrefs>
    const grid = Object.values(GridKind).includes(raw.grid as GridKind)
      ? (raw.grid as GridKind)
      : DEFAULTS.grid
    return { grid, dark: raw.dark === true, snapToGrid: raw.snapToGrid === true }
  } catch {
    return { ...DEFAULTS }
  }
}

/** The canvas preferences of this browser, with change notifications. */
export class CanvasPrefsStore {
  private prefs: CanvasPrefs = load()
  private readonly listeners = new Set<() => void>()

  get(): CanvasPrefs {
    return this.prefs
  }

  set(change: Partial<CanvasPrefs>): void {
    this.prefs = { ...this.prefs, ...change }
    try {
      localStorage.setItem(KEY, JSON.stringify(this.prefs))
    } catch {
      // Private mode or storage full: the choice holds for this page only.
    }
    for (const fn of this.listeners) fn()
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }
}

/** This page's canvas preferences (one per page: they are the person's, whatever board is open). */
export const canvasPrefs = new CanvasPrefsStore()

/** The canvas preferences, re-rendering when they change. */
export function useCanvasPrefs(): CanvasPrefs {
  return useSyncExternalStore(canvasPrefs.subscribe, () => canvasPrefs.get())
}

/**
 * In the app, the page is dark when the app's theme says so: the main process sets it as the page's
 * prefers-color-scheme (following the OS, or always light or dark), and a change applies at once.
 */
export function followColorScheme(prefs: CanvasPrefsStore, media: MediaQueryList): void {
  prefs.set({ dark: media.matches })
  media.addEventListener('change', (e) => prefs.set({ dark: e.matches }))
}
