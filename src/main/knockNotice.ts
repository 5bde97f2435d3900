/**
 * Whether someone knocking on a session this computer hosts is told by a system notification, and in which words.
 * Plain code without Electron: src/main/index.ts shows the notice with Electron's Notification.
 */

/** A knock as the host's page reports it (it came from the host runtime, which checked it). */
export interface ReportedKnock {
  id: string
  name: string
}

/** A notification's words. */
export interface Notice {
  title: string
  body: string
}

// A page's report is capped: a flood of knockers is one notice, and a name no longer than the host allows.
const MAX_KNOCKS = 64
const MAX_NAME = 64
const NAMES_SHOWN = 2

const isKnock = (v: unknown): v is ReportedKnock =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as ReportedKnock).id === 'string' &&
  typeof (v as ReportedKnock).name === 'string' &&
  (v as ReportedKnock).id.length <= 128

/** The knocks of a page's report, or undefined when it is not a list of knocks. */
export function parseKnocks(value: unknown): ReportedKnock[] | undefined {
  if (!Array.isArray(value) || value.length > MAX_KNOCKS || !value.every(isKnock)) return undefined
  return value.map((k) => ({
    id: k.id,
    // Control characters would break the notification's line; a name is one short line.
    name:
      k.name
        .replace(/\p{Cc}/gu, ' ')
        .trim()
        .slice(0, MAX_NAME) || 'Someone',
  }))
}

/** The words for new knockers on a board: their names (the first two, then how many more). */
export function knockText(names: readonly string[], boardName: string): Notice {
  const shown = names.slice(0, NAMES_SHOWN)
  const more = names.length - shown.length
  const who =
    more > 0
      ? `${shown.join(', ')} and ${more} more`
      : shown.length === 2
        ? `${shown[0]} and ${shown[1]}`
        : (shown[0] ?? 'Someone')
  const board = boardName.trim().slice(0, MAX_NAME) || 'your board'
  return {
    title: names.length > 1 ? `${names.length} people want to join` : `${who} wants to join`,
    body: `${who} ${names.length > 1 ? 'are' : 'is'} knocking on “${board}”. Open Lanvas to let them in.`,
  }
}

/**
 * Per window, the knocks already told: each knocker is told once, and only while the window is not in front
 * (the person sees the knock cards there already). A knock seen while in front is never told later.
 */
export class KnockNotices {
  private readonly told = new Map<number, Set<string>>()

  /** The notice for a window's knocks now, or undefined when there is nothing new to tell. */
  notice(
    windowId: number,
    knocks: readonly ReportedKnock[],
    inFront: boolean,
    boardName: string,
  ): Notice | undefined {
    const told = this.told.get(windowId) ?? new Set<string>()
    const waiting = new Set(knocks.map((k) => k.id))
    // Knocks answered or gone are forgotten: the set stays the size of the waiting list.
    for (const id of told) if (!waiting.has(id)) told.delete(id)
    const fresh = knocks.filter((k) => !told.has(k.id))
    for (const k of fresh) told.add(k.id)
    this.told.set(windowId, told)
    if (inFront || fresh.length === 0) return undefined
    return knockText(
      fresh.map((k) => k.name),
      boardName,
    )
  }

  /** The window closed. */
  forget(windowId: number): void {
    this.told.delete(windowId)
  }
}
