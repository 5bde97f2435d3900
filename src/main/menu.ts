import type { MenuItemConstructorOptions } from 'electron'
import { acceleratorOf, type CommandDefinition, type MenuName } from '../shared/commands'

const MENUS: { name: MenuName; label: string }[] = [
  { name: 'file', label: 'File' },
  { name: 'edit', label: 'Edit' },
  { name: 'arrange', label: 'Arrange' },
  { name: 'view', label: 'View' },
  { name: 'tools', label: 'Tools' },
]

/** The File menu's Open Recent: the boards, most recent first, and what choosing one does. */
export interface RecentMenu {
  paths: readonly string[]
  open(path: string): void
}

/** A board's menu label: its file name without the extension (the full path is the tooltip). */
const boardLabel = (path: string) => (path.split(/[\\/]/).at(-1) ?? path).replace(/\.lanvas$/i, '')

/** The Open Recent submenu: one item per board, or a disabled line saying there is none yet. */
function recentItem(recent: RecentMenu): MenuItemConstructorOptions {
  const boards: MenuItemConstructorOptions[] = recent.paths.map((path) => ({
    label: boardLabel(path),
    toolTip: path,
    click: () => recent.open(path),
  }))
  return {
    id: 'open-recent',
    label: 'Open Recent',
    submenu: boards.length > 0 ? boards : [{ label: 'No recent boards', enabled: false }],
  }
}

/**
 * The desktop menu from the command list: each item runs its command in the window (`run` sends its id there).
 * Keys stay the page's: the accelerator is shown but not registered (Windows, Linux), so a key never runs twice.
 */
export function menuTemplate(
  commands: readonly CommandDefinition[],
  run: (id: string) => void,
  mac: boolean,
  recent?: RecentMenu,
): MenuItemConstructorOptions[] {
  const item = (c: CommandDefinition): MenuItemConstructorOptions => {
    const first = c.shortcuts[0]
    const accelerator = first ? acceleratorOf(first) : undefined
    // Cut, copy and paste must be Electron's roles: they make the page's own clipboard events (and work in fields).
    if (c.native) return { role: c.native, label: c.label, accelerator }
    return { id: c.id, label: c.label, accelerator, registerAccelerator: false, click: () => run(c.id) }
  }
  const template: MenuItemConstructorOptions[] = MENUS.map(({ name, label }) => ({
    label,
    submenu: [
      ...commands
        .filter((c) => c.menu === name)
        // Open Recent goes right after Open, as in every desktop app.
        .flatMap((c) => (c.id === 'open' && recent ? [item(c), recentItem(recent)] : [item(c)])),
      ...(name === 'view'
        ? ([
            { type: 'separator' },
            { role: 'reload' },
            { role: 'toggleDevTools' },
            { role: 'togglefullscreen' },
          ] as const)
        : []),
    ],
  }))
  template.push({ role: 'windowMenu' })
  if (mac) template.unshift({ role: 'appMenu' })
  return template
}
