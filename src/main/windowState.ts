/** A rectangle on the desktop, in Electron's screen coordinates. */
export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

/** The window's size and place when it last closed. */
export interface WindowState {
  bounds: Rect
  maximized: boolean
}

/** Smaller than this and the toolbar and panels no longer fit. */
export const MIN_WINDOW = { width: 640, height: 480 } as const
/** The size of a first window, where the screen has room for it. */
export const DEFAULT_WINDOW = { width: 1280, height: 820 } as const
// How much of the title bar must lie on a screen for the person to grab it and move the window.
const GRAB = { width: 120, height: 32 } as const

const isCoordinate = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 1e6

/** A stored window state, or undefined when it is not one. */
export function parseWindowState(value: unknown): WindowState | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const { bounds, maximized } = value as { bounds?: Record<string, unknown>; maximized?: unknown }
  if (typeof bounds !== 'object' || bounds === null || typeof maximized !== 'boolean') return undefined
  const { x, y, width, height } = bounds
  if (![x, y, width, height].every(isCoordinate) || (width as number) <= 0 || (height as number) <= 0)
    return undefined
  return { bounds: { x, y, width, height } as Rect, maximized }
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  return w > 0 && h > 0 ? w * h : 0
}

/**
 * Where to open a window: the saved place when enough of its title bar is on one of today's work areas (a screen
 * may have gone, or shrunk), its size cut to that screen; else a default size that the window manager centres.
 */
export function restoreWindow(
  saved: WindowState | undefined,
  workAreas: readonly Rect[],
): { bounds: Rect | { width: number; height: number }; maximized: boolean } {
  const fallback = (maximized: boolean) => {
    const primary = workAreas[0]
    return {
      bounds: {
        width: Math.max(
          MIN_WINDOW.width,
          Math.min(DEFAULT_WINDOW.width, primary?.width ?? DEFAULT_WINDOW.width),
        ),
        height: Math.max(
          MIN_WINDOW.height,
          Math.min(DEFAULT_WINDOW.height, primary?.height ?? DEFAULT_WINDOW.height),
        ),
      },
      maximized,
    }
  }
  if (!saved) return fallback(false)
  const { bounds } = saved
  const titleBar = { x: bounds.x, y: bounds.y, width: bounds.width, height: GRAB.height }
  const screen = workAreas
    .map((area) => ({ area, shared: overlap(titleBar, area) }))
    .filter(({ area }) => {
      const visibleWidth =
        Math.min(titleBar.x + titleBar.width, area.x + area.width) - Math.max(titleBar.x, area.x)
      const topInside = titleBar.y >= area.y && titleBar.y <= area.y + area.height - GRAB.height
      return topInside && visibleWidth >= Math.min(GRAB.width, titleBar.width)
    })
    .sort((a, b) => b.shared - a.shared)[0]?.area
  if (!screen) return fallback(saved.maximized)
  const width = Math.max(MIN_WINDOW.width, Math.min(bounds.width, screen.width))
  const height = Math.max(MIN_WINDOW.height, Math.min(bounds.height, screen.height))
  // After the size is cut, the window is moved in so that it lies on the screen it came from.
  const x = Math.min(Math.max(bounds.x, screen.x), screen.x + screen.width - width)
  const y = Math.min(Math.max(bounds.y, screen.y), screen.y + screen.height - height)
  return { bounds: { x, y, width, height }, maximized: saved.maximized }
}

/** How far a new window opens down and right of the one in front, as desktop apps cascade their windows. */
export const CASCADE_STEP = 32

/**
 * A further window's place: the one in front moved down and right, back to the top left of its work area when the
 * move would take its bottom right corner off that screen.
 */
export function cascadeWindow(front: Rect, workAreas: readonly Rect[]): Rect {
  const area =
    workAreas
      .map((a) => ({ a, shared: overlap(front, a) }))
      .sort((x, y) => y.shared - x.shared)
      .find((x) => x.shared > 0)?.a ?? workAreas[0]
  const moved = { ...front, x: front.x + CASCADE_STEP, y: front.y + CASCADE_STEP }
  if (!area) return moved
  const fits = moved.x + moved.width <= area.x + area.width && moved.y + moved.height <= area.y + area.height
  return fits ? moved : { ...front, x: area.x, y: area.y }
}
