/**
 * A key combination. `key` is KeyboardEvent.key lower-cased; `code` (KeyboardEvent.code) matches too, for keys whose
 * character changes with Shift (Shift+1 is "!") or with the keyboard layout. Modifiers must be exactly as given.
 */
export interface Shortcut {
  key?: string
  code?: string
  /** Ctrl, or Cmd on a Mac. */
  mod?: boolean
  shift?: boolean
  alt?: boolean
}

/** What a key press reports (the fields of a DOM KeyboardEvent that shortcuts read). */
export interface KeyPress {
  key: string
  code: string
  ctrlKey: boolean
  metaKey: boolean
  shiftKey: boolean
  altKey: boolean
}

/** Whether a key press is this shortcut. */
export function matchesShortcut(e: KeyPress, s: Shortcut): boolean {
  if ((e.ctrlKey || e.metaKey) !== (s.mod === true)) return false
  if (e.shiftKey !== (s.shift === true) || e.altKey !== (s.alt === true)) return false
  return (s.key !== undefined && e.key.toLowerCase() === s.key) || (s.code !== undefined && e.code === s.code)
}

/** Names of keys that are not one character, as tooltips and menus write them. */
const KEY_NAMES: Record<string, string> = {
  ' ': 'Space',
  escape: 'Esc',
  delete: 'Delete',
  backspace: 'Backspace',
  arrowleft: '←',
  arrowright: '→',
  arrowup: '↑',
  arrowdown: '↓',
}

/** Electron accelerator names of the same keys. */
const ACCELERATOR_NAMES: Record<string, string> = {
  ' ': 'Space',
  '+': 'Plus',
  escape: 'Escape',
  delete: 'Delete',
  backspace: 'Backspace',
  arrowleft: 'Left',
  arrowright: 'Right',
  arrowup: 'Up',
  arrowdown: 'Down',
}

/** The key a shortcut names, as one character or name: "Z", "1", "]", "arrowleft". */
function keyOf(s: Shortcut): string {
  if (s.code?.startsWith('Digit')) return s.code.slice(5)
  if (s.code?.startsWith('Key')) return s.code.slice(3).toLowerCase()
  if (s.code === 'BracketLeft') return '['
  if (s.code === 'BracketRight') return ']'
  return s.key ?? ''
}

/** A shortcut as a tooltip shows it: "Ctrl+Shift+Z" (on a Mac "⌘Shift+Z"), "Shift+1", "V". */
export function shortcutText(s: Shortcut, mac = false): string {
  const key = keyOf(s)
  const name = KEY_NAMES[key] ?? key.toUpperCase()
  const mod = s.mod ? (mac ? '⌘' : 'Ctrl+') : ''
  return `${mod}${s.alt ? 'Alt+' : ''}${s.shift ? 'Shift+' : ''}${name}`
}

/** A shortcut as an Electron menu accelerator: "CmdOrCtrl+Shift+Z". */
export function acceleratorOf(s: Shortcut): string {
  const key = keyOf(s)
  const name = ACCELERATOR_NAMES[key] ?? key.toUpperCase()
  return [s.mod && 'CmdOrCtrl', s.alt && 'Alt', s.shift && 'Shift', name].filter(Boolean).join('+')
}
