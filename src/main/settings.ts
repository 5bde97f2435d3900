import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { isAbsolute, join } from 'node:path'
import { errorMessage } from '../shared/errors'
import { type AppSettings, type Identity, Theme } from '../shared/ipc'
import { cleanName } from '../shared/sync/session'
import { parseRecentBoards } from './recentBoards'
import { parseWindowState, type WindowState } from './windowState'

export { type Identity, Theme }

/** What the app remembers between runs. */
export interface Settings {
  /** The board that was open when the app last closed; reopened at start. */
  lastBoardPath?: string
  /** Undefined until the person gave one: the first join asks for it. */
  identity?: Identity
  theme: Theme
  /** The port "Share on network" tries first (a free one when it is taken). */
  sharePort: number
  /** The one network address to share on; undefined shares on every network. */
  shareNetwork?: string
  /** Where new boards are saved (and autosaved); undefined is Documents/Lanvas. */
  autosaveDir?: string
  /** Board files, most recent first. */
  recentBoards: string[]
  /** The last window's size and place, checked against the screens before use. */
  window?: WindowState
}

/** The port `npm run host -- --lan` uses too, so links people keep stay the same between the two. */
export const DEFAULT_SHARE_PORT = 47800

/** The settings of a first run. */
export const DEFAULT_SETTINGS: Settings = {
  theme: Theme.System,
  sharePort: DEFAULT_SHARE_PORT,
  recentBoards: [],
}

const FILE = 'settings.json'
/** A damaged file is kept under this name (never deleted) so the person can look at it. */
export const DAMAGED_FILE = 'settings.damaged.json'
const COLOR = /^#[0-9a-f]{6}$/i
const THEMES: readonly string[] = Object.values(Theme)

/** The settings read from disk and, when something in the file was unusable, what to tell the person. */
export interface SettingsRead {
  settings: Settings
  message?: string
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** A name and colour, cleaned, or undefined when unusable. */
export function parseIdentity(value: unknown): Identity | undefined {
  if (!isObject(value) || typeof value.name !== 'string' || typeof value.color !== 'string') return undefined
  const name = cleanName(value.name)
  if (!name || !COLOR.test(value.color)) return undefined
  return { name, color: value.color.toLowerCase() }
}

/** Each field checked on its own: a bad field goes back to its default and is named, the others are kept. */
export function parseSettings(value: unknown): { settings: Settings; unusable: string[] } {
  const unusable: string[] = []
  if (!isObject(value)) return { settings: { ...DEFAULT_SETTINGS }, unusable: ['the whole file'] }
  const settings: Settings = { ...DEFAULT_SETTINGS, recentBoards: [] }
  const take = <T>(key: string, parse: (v: unknown) => T | undefined, set: (v: T) => void) => {
    if (!(key in value) || value[key] === undefined) return
    const parsed = parse(value[key])
    if (parsed === undefined) unusable.push(key)
    else set(parsed)
  }
  const absolutePath = (v: unknown) => (typeof v === 'string' && isAbsolute(v) ? v : undefined)
  take('lastBoardPath', absolutePath, (v) => {
    settings.lastBoardPath = v
  })
  take('identity', parseIdentity, (v) => {
    settings.identity = v
  })
  take(
    'theme',
    (v) => (typeof v === 'string' && THEMES.includes(v) ? (v as Theme) : undefined),
    (v) => {
      settings.theme = v
    },
  )
  // Ports below 1024 need privileges the app does not have.
  take(
    'sharePort',
    (v) =>
      Number.isInteger(v) && (v as number) >= 1024 && (v as number) <= 65535 ? (v as number) : undefined,
    (v) => {
      settings.sharePort = v
    },
  )
  take(
    'shareNetwork',
    (v) => (typeof v === 'string' && /^[0-9a-f.:]{2,45}$/i.test(v) ? v : undefined),
    (v) => {
      settings.shareNetwork = v
    },
  )
  take('autosaveDir', absolutePath, (v) => {
    settings.autosaveDir = v
  })
  take('recentBoards', parseRecentBoards, (v) => {
    settings.recentBoards = v
  })
  take('window', parseWindowState, (v) => {
    settings.window = v
  })
  return { settings, unusable }
}

/** Reads the app's settings from `dir`; a missing file gives the defaults, a damaged one the defaults and a message. */
export async function readSettings(dir: string): Promise<SettingsRead> {
  const file = join(dir, FILE)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { settings: { ...DEFAULT_SETTINGS } }
    return {
      settings: { ...DEFAULT_SETTINGS },
      message: `Lanvas could not read its settings (${errorMessage(err)}) and uses the defaults.`,
    }
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    parsed = undefined
  }
  const { settings, unusable } = parseSettings(parsed)
  if (unusable.length === 0) return { settings }
  if (parsed === undefined || unusable.includes('the whole file')) {
    // Kept aside rather than overwritten by the next save: it may hold something the person wants back.
    await rename(file, join(dir, DAMAGED_FILE)).catch(() => {})
    return {
      settings,
      message: `Lanvas's settings file was damaged; it starts with the defaults and kept the old file as ${DAMAGED_FILE}.`,
    }
  }
  return {
    settings,
    message: `Some settings could not be used and are back to their defaults: ${unusable.join(', ')}.`,
  }
}

/** Writes the app's settings to `dir` (to a temporary name first, then renamed, so a crash leaves the old file). */
export async function writeSettings(dir: string, settings: Settings): Promise<void> {
  const file = join(dir, FILE)
  await mkdir(dir, { recursive: true })
  await writeFile(`${file}.tmp`, JSON.stringify(settings, null, 2))
  await rename(`${file}.tmp`, file)
}

// One change at a time per folder: two windows saving at once must not lose one of the changes.
const queues = new Map<string, Promise<unknown>>()

/** Reads, changes and writes the settings in `dir`, one change after another; gives the settings written. */
export function updateSettings(dir: string, change: (current: Settings) => Settings): Promise<Settings> {
  const next = (queues.get(dir) ?? Promise.resolve())
    .catch(() => {})
    .then(async () => {
      const changed = change((await readSettings(dir)).settings)
      await writeSettings(dir, changed)
      return changed
    })
  queues.set(dir, next)
  return next
}

/** The part of the settings the settings screen shows. */
export function appSettingsOf(settings: Settings): AppSettings {
  return {
    identity: settings.identity ?? null,
    theme: settings.theme,
    sharePort: settings.sharePort,
    shareNetwork: settings.shareNetwork ?? null,
    autosaveDir: settings.autosaveDir ?? null,
  }
}

/**
 * The settings with a page's changes applied: each field is checked as a stored one is, and a field that does
 * not pass is named in `unusable` and left as it was (a page is not trusted to send only good values).
 */
export function applyAppSettings(
  settings: Settings,
  change: unknown,
): { settings: Settings; unusable: string[] } {
  if (!isObject(change)) return { settings, unusable: ['the change'] }
  const known = ['identity', 'theme', 'sharePort', 'shareNetwork', 'autosaveDir'].filter((k) => k in change)
  // null clears an optional setting back to its default; the parser checks everything else.
  const cleared = known.filter((k) => change[k] === null)
  const given = Object.fromEntries(known.filter((k) => change[k] !== null).map((k) => [k, change[k]]))
  const parsed = parseSettings(given)
  const next: Settings = { ...settings }
  for (const key of known) {
    if (parsed.unusable.includes(key)) continue
    if (cleared.includes(key)) {
      if (key === 'theme' || key === 'sharePort') continue
      delete next[key as 'identity' | 'shareNetwork' | 'autosaveDir']
    } else Object.assign(next, { [key]: parsed.settings[key as keyof Settings] })
  }
  const refusedNull = cleared.filter((k) => k === 'theme' || k === 'sharePort')
  return { settings: next, unusable: [...parsed.unusable, ...refusedNull] }
}
