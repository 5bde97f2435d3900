import { useEffect, useRef } from 'react'
import type { CommandRunner } from '../commands/runner'
import { commandTitle, keysText } from '../commands/title'
import { type SelectionStore, useSelection, useSelectionMenu } from './selectionStore'
import './selection.css'

/** The commands the menu offers for a selection, in menu order; those not enabled now are left out. */
const SELECTION_ITEMS = [
  'copy',
  'cut',
  'duplicate',
  'delete',
  'bring-forward',
  'bring-to-front',
  'send-backward',
  'send-to-back',
  'group',
  'ungroup',
  'toggle-lock',
  'zoom-to-selection',
]

/** Align and distribute: a row of icon buttons under the items, shown when the selection has enough pieces. */
const ARRANGE_ITEMS = [
  'align-left',
  'align-center',
  'align-right',
  'align-top',
  'align-middle',
  'align-bottom',
  'distribute-horizontally',
  'distribute-vertically',
]

/**
 * The canvas's right-click menu, from the command list: Unlock on a locked element; the selection's edits, with their
 * keys, elsewhere; Select all on empty paper.
 */
export function SelectionMenu({ store, commands }: { store: SelectionStore; commands: CommandRunner }) {
  const menu = useSelectionMenu(store)
  const selection = useSelection(store)
  const ref = useRef<HTMLDivElement>(null)

  useEffect(() => {
    if (!menu) return
    const close = (e: Event) => {
      if (e instanceof KeyboardEvent) {
        // Escape dismisses this popup; it is not an app command, so it stays here.
        if (e.key !== 'Escape') return
        // Escape closes the menu and does nothing else (it would also drop the selection).
        e.stopPropagation()
      }
      if (e.target instanceof Node && ref.current?.contains(e.target)) return
      store.setMenu(null)
    }
    window.addEventListener('pointerdown', close, true)
    window.addEventListener('keydown', close, true)
    window.addEventListener('blur', close)
    return () => {
      window.removeEventListener('pointerdown', close, true)
      window.removeEventListener('keydown', close, true)
      window.removeEventListener('blur', close)
    }
  }, [menu, store])

  if (!menu) return null
  // The context adds the element the menu was opened on, for Unlock.
  const context = { ...commands.context(), lockedId: menu.lockedId }
  const ids = menu.lockedId ? ['unlock'] : selection.length > 0 ? SELECTION_ITEMS : ['select-all']
  const items = ids.map(commands.command).filter((c) => c.enabledWhen(context))
  const arrange =
    selection.length > 1 && !menu.lockedId
      ? ARRANGE_ITEMS.map(commands.command).filter((c) => c.enabledWhen(context))
      : []
  if (items.length === 0) return null
  const run = (item: (typeof items)[number]) => {
    item.perform(context, { shift: false })
    store.setMenu(null)
  }
  return (
    <div
      ref={ref}
      className="panel selection-menu"
      role="menu"
      data-testid="selection-menu"
      style={{
        left: Math.min(menu.x, window.innerWidth - 230),
        top: Math.min(menu.y, window.innerHeight - 32 * items.length - (arrange.length > 0 ? 52 : 12)),
      }}
      onContextMenu={(e) => e.preventDefault()}
    >
      {items.map((item) => (
        <button
          key={item.id}
          type="button"
          role="menuitem"
          data-testid={`menu-${item.label.toLowerCase().replace(/[^a-z]+/g, '-')}`}
          data-command={item.id}
          onClick={() => run(item)}
        >
          <span>{item.label}</span>
          <kbd>{keysText(item)}</kbd>
        </button>
      ))}
      {arrange.length > 0 && (
        <fieldset className="selection-menu-arrange" aria-label="Align and distribute">
          {arrange.map((item) => (
            <button
              key={item.id}
              type="button"
              role="menuitem"
              className="icon-button"
              title={commandTitle(item)}
              aria-label={item.label}
              data-testid={`menu-${item.id}`}
              data-command={item.id}
              onClick={() => run(item)}
            >
              {item.icon}
            </button>
          ))}
        </fieldset>
      )}
    </div>
  )
}
