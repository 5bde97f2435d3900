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

/** The name of each presence colour, in the same order, for default names ("Blue fox"). */
const COLOR_NAMES = [
  'Orange',
  'Green',
  'Blue',
  'Violet',
  'Pink',
  'Teal',
  'Yellow',
  'Lime',
  'Purple',
  'Red',
] as const
const ANIMALS = [
  'fox',
  'owl',
  'otter',
  'heron',
  'lynx',
  'badger',
  'seal',
  'wren',
  'hare',
  'crane',
  'panda',
  'gecko',
  'puffin',
  'koala',
  'beaver',
  'falcon',
] as const

/** A random index below `n`, from the page's crypto source where it has one. */
function randomBelow(n: number): number {
  const c = globalThis.crypto
  if (typeof c?.getRandomValues === 'function')
    return (c.getRandomValues(new Uint32Array(1))[0] as number) % n
  return Math.floor(Math.random() * n)
}

/**
 * A default identity for someone who has not given a name: one of the presence colours at random (so replicas
 * spread across the palette) and a name after it ("Blue fox"), never the same "Guest" for everyone.
 */
export function suggestIdentity(): Identity {
  const i = randomBelow(PRESENCE_COLORS.length)
  return {
    name: `${COLOR_NAMES[i]} ${ANIMALS[randomBelow(ANIMALS.length)]}`,
    color: PRESENCE_COLORS[i] as string,
  }
}

// One suggestion per page: the same default name is shown until the person gives theirs.
let suggestion: Identity | undefined

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

/** The identity to use now: the stored one, else this page's suggestion (not stored until confirmed). */
export function currentIdentity(): Identity {
  suggestion ??= suggestIdentity()
  return storedIdentity() ?? suggestion
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
