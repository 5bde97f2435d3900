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
  const s = storage()
  try {
    s?.setItem(NAME_KEY, clean.name)
    s?.setItem(COLOR_KEY, clean.color)
  } catch {
    // Quota or policy: the identity still holds for this page.
  }
  return clean
}
