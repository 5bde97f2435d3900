import type { Awareness } from 'y-protocols/awareness'
import type { Viewport } from '../../../shared/geometry'
import { cleanDisplayName } from '../../../shared/names'
import type { Cursor, CursorChannel } from '../../../shared/sync/cursors'
import { MAX_NAME_LENGTH } from '../../../shared/sync/session'
import { ELEMENT_ID } from '../../../shared/validate/boardSchema'
import type { Identity } from '../session/identity'

/**
 * What each person announces through awareness: ephemeral, never part of the board. The pointer is not in it:
 * it travels as a presence delta of a few bytes (CursorChannel), as often as it moves.
 */
export interface PresenceState {
  user: Identity
  /** The board area this person sees: top-left in board units, zoom, and screen size in pixels. */
  viewport: { x: number; y: number; zoom: number; width: number; height: number }
  /** Laser trail: board units and the sender's clock in ms, oldest first. */
  laser: [number, number, number][]
  /** Ids of the elements this person has selected (the first MAX_SHARED_SELECTION of them). */
  selection: string[]
}

/** Another person's presence as this page shows it. */
export interface PeerPresence extends PresenceState {
  clientId: number
  /** When this page last received a change of their laser trail (its own clock). */
  laserReceivedAt: number
}

// Volatile: 30 Hz looks live to the eye and bounds what every move costs each peer; the laser shares it.
/** Least time between two presence sends (cursor, viewport, laser); the last value always goes out. */
export const PRESENCE_SEND_MS = 33
/** A laser point fades out over this long after it was drawn. */
export const LASER_FADE_MS = 1000
// A trail is resent whole on every change; 60 points keep a 1 s trail smooth at 60 Hz input and small on the wire.
/** Most points kept in one laser trail. */
export const LASER_MAX_POINTS = 60

// 400 ids of 24 characters are ~11 kB per send: with a full laser trail and a long name the state stays under the
// host's 16 kB cap on one awareness message (2,000 ids were ~54 kB: selecting everything on a large board made the
// host close the page's socket, again at every reconnect).
/** Most selected ids a presence carries; a larger selection shows its first ones. */
export const MAX_SHARED_SELECTION = 400

const COLOR = /^#[0-9a-f]{6}$/i
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

/** A remote awareness state checked field by field; undefined when it is not a presence state. */
export function readPresence(state: unknown): PresenceState | undefined {
  if (typeof state !== 'object' || state === null) return undefined
  const s = state as Record<string, unknown>
  const user = s.user as Record<string, unknown> | undefined
  if (!user || typeof user.name !== 'string' || typeof user.color !== 'string' || !COLOR.test(user.color))
    return undefined
  const v = s.viewport as Record<string, unknown> | undefined
  const viewport =
    v && num(v.x) && num(v.y) && num(v.zoom) && v.zoom > 0 && num(v.width) && num(v.height)
      ? { x: v.x, y: v.y, zoom: v.zoom, width: v.width, height: v.height }
      : { x: 0, y: 0, zoom: 1, width: 0, height: 0 }
  const laser: [number, number, number][] = []
  if (Array.isArray(s.laser))
    for (const p of s.laser.slice(-LASER_MAX_POINTS))
      if (Array.isArray(p) && num(p[0]) && num(p[1]) && num(p[2])) laser.push([p[0], p[1], p[2]])
  const selection: string[] = []
  if (Array.isArray(s.selection))
    for (const id of s.selection.slice(0, MAX_SHARED_SELECTION))
      if (typeof id === 'string' && ELEMENT_ID.test(id)) selection.push(id)
  return {
    user: { name: cleanDisplayName(user.name, 'Guest', MAX_NAME_LENGTH), color: user.color },
    viewport,
    laser,
    selection,
  }
}

/**
 * This page's presence: collects viewport, laser and selection changes and sends them through awareness at most
 * every PRESENCE_SEND_MS (the last value always goes out); the pointer goes as a cursor delta at the same pace, and
 * not at all while the pen draws (peers place the cursor at the tip of the ink, which arrives every frame).
 */
export class LocalPresence {
  private state: PresenceState
  private timer: ReturnType<typeof setTimeout> | undefined
  private lastSent = 0
  private readonly laserListeners = new Set<() => void>()
  private cursor: Cursor = { kind: 'off' }
  private cursorTimer: ReturnType<typeof setTimeout> | undefined
  private cursorSent = 0
  private inking = false

  constructor(
    private readonly awareness: Awareness,
    user: Identity,
    private readonly cursors?: CursorChannel,
  ) {
    this.state = {
      user,
      viewport: { x: 0, y: 0, zoom: 1, width: 0, height: 0 },
      laser: [],
      selection: [],
    }
    awareness.setLocalState(this.state)
    this.lastSent = performance.now()
  }

  get current(): PresenceState {
    return this.state
  }

  setUser(user: Identity): void {
    this.state = { ...this.state, user }
    this.flush()
  }

  /** The pointer on the board (board units), or null off it. */
  setCursor(at: { x: number; y: number } | null): void {
    const c = this.cursor
    if (at === null ? c.kind === 'off' : c.kind === 'at' && c.x === at.x && c.y === at.y) return
    this.cursor = at ? { kind: 'at', x: at.x, y: at.y } : { kind: 'off' }
    if (this.inking) return
    // An edit sent before the timer (a shape dragged) takes it along: one message for both.
    this.cursors?.queue(this.cursor)
    this.scheduleCursor()
  }

  /**
   * The pen draws (true) or stopped (false). While it draws the cursor is said once to be "at my ink" and not
   * sent again: the ink that goes out every frame shows where it is.
   */
  setInking(inking: boolean): void {
    if (inking === this.inking) return
    this.inking = inking
    if (this.cursorTimer) clearTimeout(this.cursorTimer)
    this.cursorTimer = undefined
    // Goes with the stroke's next points (or the pen-up) when they leave within the send interval.
    this.cursors?.queue(inking ? { kind: 'ink' } : this.cursor)
    this.cursorTimer = setTimeout(() => {
      this.cursorTimer = undefined
      this.cursorSent = performance.now()
      this.cursors?.flush()
    }, PRESENCE_SEND_MS)
  }

  setViewport(view: Viewport, width: number, height: number): void {
    this.state = { ...this.state, viewport: { x: view.x, y: view.y, zoom: view.zoom, width, height } }
    this.schedule()
  }

  /** The ids this person has selected, for others to outline. */
  setSelection(ids: readonly string[]): void {
    const now = this.state.selection
    const next = ids.slice(0, MAX_SHARED_SELECTION)
    if (next.length === now.length && next.every((id, i) => id === now[i])) return
    this.state = { ...this.state, selection: next }
    this.schedule()
  }

  /** Adds a laser point (board units) and drops the ones that have faded. */
  addLaserPoint(x: number, y: number): void {
    const now = Date.now()
    const laser = this.state.laser.filter((p) => now - p[2] < LASER_FADE_MS).slice(-(LASER_MAX_POINTS - 1))
    laser.push([x, y, now])
    this.state = { ...this.state, laser }
    this.schedule()
    for (const cb of this.laserListeners) cb()
  }

  /** Calls back on every new laser point of this page (to draw it at once, not at the send rate). */
  onLaser(cb: () => void): () => void {
    this.laserListeners.add(cb)
    return () => this.laserListeners.delete(cb)
  }

  /** Forgets faded laser points, so a resend does not carry them. */
  clearFadedLaser(): void {
    const now = Date.now()
    if (this.state.laser.length === 0 || now - (this.state.laser.at(-1)?.[2] ?? 0) < LASER_FADE_MS) return
    this.state = { ...this.state, laser: [] }
    this.schedule()
  }

  destroy(): void {
    if (this.timer) clearTimeout(this.timer)
    if (this.cursorTimer) clearTimeout(this.cursorTimer)
    this.timer = undefined
    this.cursorTimer = undefined
  }

  private scheduleCursor(): void {
    if (this.cursorTimer) return
    const wait = Math.max(0, PRESENCE_SEND_MS - (performance.now() - this.cursorSent))
    this.cursorTimer = setTimeout(() => {
      this.cursorTimer = undefined
      this.cursorSent = performance.now()
      if (!this.inking) this.cursors?.flush()
    }, wait)
  }

  private schedule(): void {
    if (this.timer) return
    const wait = Math.max(0, PRESENCE_SEND_MS - (performance.now() - this.lastSent))
    this.timer = setTimeout(() => this.flush(), wait)
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    this.lastSent = performance.now()
    this.awareness.setLocalState(this.state)
  }
}
