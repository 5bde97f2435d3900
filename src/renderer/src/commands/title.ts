import { shortcutText } from '../../../shared/commands'
import type { Command } from './command'

/** Tooltips and menus write Cmd as ⌘ on a Mac, Ctrl+ elsewhere. */
const MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)

/** A command's keys as shown: "V or 1", "Ctrl+Shift+Z". */
export function keysText(command: Command): string {
  return command.shortcuts.map((s) => shortcutText(s, MAC)).join(' or ')
}

/** A button's tooltip: "Undo (Ctrl+Z)". */
export function commandTitle(command: Command): string {
  const keys = keysText(command)
  return keys ? `${command.label} (${keys})` : command.label
}
