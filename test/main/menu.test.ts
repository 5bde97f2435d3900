import type { MenuItemConstructorOptions } from 'electron'
import { describe, expect, it } from 'vitest'
import { menuTemplate } from '../../src/main/menu'
import { acceleratorOf, COMMANDS } from '../../src/shared/commands'

const items = (template: MenuItemConstructorOptions[]) =>
  template.flatMap((m) => (Array.isArray(m.submenu) ? m.submenu : [])).filter((i) => i.label !== undefined)

describe('the desktop menu', () => {
  it('holds every command of a menu, with the accelerator of its first shortcut', () => {
    const menuItems = items(menuTemplate(COMMANDS, () => {}, false))
    const inMenus = COMMANDS.filter((c) => c.menu)
    expect(menuItems.map((i) => i.label)).toEqual(inMenus.map((c) => c.label))
    expect(menuItems.map((i) => i.accelerator)).toEqual(
      inMenus.map((c) => (c.shortcuts[0] ? acceleratorOf(c.shortcuts[0]) : undefined)),
    )
  })

  it('runs the command in the window when an item is chosen; cut, copy and paste are the browser roles', () => {
    const ran: string[] = []
    const menuItems = items(menuTemplate(COMMANDS, (id) => ran.push(id), false))
    for (const item of menuItems) item.click?.({} as never, undefined, {} as never)
    const ours = COMMANDS.filter((c) => c.menu && !c.native)
    expect(ran).toEqual(ours.map((c) => c.id))
    expect(menuItems.filter((i) => i.role).map((i) => i.role)).toEqual(['cut', 'copy', 'paste'])
    // The page's keyboard handler owns the keys; a registered accelerator would run a command twice.
    expect(menuItems.filter((i) => !i.role).every((i) => i.registerAccelerator === false)).toBe(true)
  })

  it('starts with the app menu on a Mac only', () => {
    expect(menuTemplate(COMMANDS, () => {}, true)[0]?.role).toBe('appMenu')
    expect(menuTemplate(COMMANDS, () => {}, false)[0]?.label).toBe('File')
  })

  it('writes accelerators as Electron reads them', () => {
    const of = (id: string) => {
      const first = COMMANDS.find((c) => c.id === id)?.shortcuts[0]
      return first && acceleratorOf(first)
    }
    expect(of('redo')).toBe('CmdOrCtrl+Shift+Z')
    expect(of('bring-to-front')).toBe('CmdOrCtrl+Shift+]')
    expect(of('zoom-to-fit')).toBe('Shift+1')
    expect(of('delete')).toBe('Delete')
    expect(of('tool-note')).toBe('N')
  })
})

describe('Open Recent in the File menu', () => {
  const file = (recent?: Parameters<typeof menuTemplate>[3]) =>
    (menuTemplate(COMMANDS, () => {}, false, recent)[0]?.submenu ?? []) as MenuItemConstructorOptions[]

  it('follows Open, lists the boards by name with their path, and opens the one chosen', () => {
    const opened: string[] = []
    const items = file({ paths: ['/b/Plan.lanvas', 'C:\\Boards\\Notes.lanvas'], open: (p) => opened.push(p) })
    const at = items.findIndex((i) => i.id === 'open')
    expect(items[at + 1]?.label).toBe('Open Recent')
    const boards = items[at + 1]?.submenu as MenuItemConstructorOptions[]
    expect(boards.map((b) => [b.label, b.toolTip])).toEqual([
      ['Plan', '/b/Plan.lanvas'],
      ['Notes', 'C:\\Boards\\Notes.lanvas'],
    ])
    boards[1]?.click?.({} as never, undefined, {} as never)
    expect(opened).toEqual(['C:\\Boards\\Notes.lanvas'])
  })

  it('says there is none yet rather than showing an empty menu', () => {
    const recent = file({ paths: [], open: () => {} }).find((i) => i.id === 'open-recent')
    expect(recent?.submenu).toEqual([{ label: 'No recent boards', enabled: false }])
  })
})
