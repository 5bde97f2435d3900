import type { IdentityResult } from '../../../shared/ipc'
import { cleanName } from '../../../shared/sync/session'

/** Who this person is to the others: a name and the colour of their cursor and laser. */
export interface Identity {
  name: string
  color: string
}

const NAME_KEY = 'lanvas.name'
const COLOR_KEY = 'lanvas.color'

/** Cursor colours: saturated enough to read on white, distinct from each other at a glance. */
export const PRESENCE_COLORS = [
  '#e8590c',
  '#2b8a3e',
  '#1c7ed6',
  '#7048e8',
  '#d6336c',
  '#0c8599',
  '#f59f00',
  '#5c940d',
  '#ae3ec9',
  '#e03131',
] as const

const COLOR = /^#[0-9a-f]{6}$/i

/** Where the desktop app keeps the identity: its settings file, through the preload (window.lanvas). */
export interface AppIdentityStore {
  identity(): Promise<IdentityResult>
  setIdentity(identity: Identity): Promise<IdentityResult>
}

// In the app, the own host's port changes every start and each joined host is another origin, so this page's
// storage would forget the name; the app's settings hold it for every window instead.
let app: { store: AppIdentityStore; identity?: Identity } | undefined

/** Reads the identity from the app's settings before the page renders; a browser (no store) keeps page storage. */
export async function loadAppIdentity(store: Partial<AppIdentityStore> | undefined): Promise<void> {
  if (typeof store?.identity !== 'function' || typeof store.setIdentity !== 'function') return
  const full = store as AppIdentityStore
  try {
    const read = await full.identity()
    app = { store: full, identity: 'identity' in read && read.identity ? read.identity : undefined }
  } catch {
    // The app did not answer: this page falls back to its own storage rather than not starting.
  }
}

function storage(): Storage | undefined {
  try {
    return window.localStorage
  } catch {
    // Storage can be off (private modes, sandboxed pages): the identity then lasts for this page only.
    return undefined
  }
}

/** A pleasant colour picked at random, so two newcomers rarely look alike. */
export function randomPresenceColor(): string {
  return PRESENCE_COLORS[Math.floor(Math.random() * PRESENCE_COLORS.length)] as string
}

/** The stored identity, or undefined when this person never gave a name on this device. */
export function storedIdentity(): Identity | undefined {
  if (app) return app.identity
  const s = storage()
  const name = s?.getItem(NAME_KEY)
  if (!name) return undefined
  const color = s?.getItem(COLOR_KEY)
  return { name: cleanName(name), color: color && COLOR.test(color) ? color : randomPresenceColor() }
}

/** The identity to use now: the stored one, else a suggestion (not stored until confirmed). */
export function currentIdentity(): Identity {
  return storedIdentity() ?? { name: 'Guest', color: storage()?.getItem(COLOR_KEY) ?? randomPresenceColor() }
}

/** Remembers the identity on this device for the next session. */
export function saveIdentity(identity: Identity): Identity {
  const clean = {
    name: cleanName(identity.name),
    color: COLOR.test(identity.color) ? identity.color : randomPresenceColor(),
  }
  if (app) {
    app.identity = clean
    void app.store.setIdentity(clean).catch(() => {})
    return clean
  }
  const s = storage()
  try {
    s?.setItem(NAME_KEY, clean.name)
    s?.setItem(COLOR_KEY, clean.color)
  } catch {
    // Quota or policy: the identity still holds for this page.
  }
  return clean
}
