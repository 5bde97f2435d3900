import { useEffect, useRef } from 'react'
import { ZMove } from '../../../shared/selection'
import type { SelectionActions } from './actions'
import { type SelectionStore, useSelection, useSelectionMenu } from './selectionStore'
import './selection.css'

const MOD = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl+'

interface Item {
  label: string
  keys: string
  run(): void
}

/** The canvas's right-click menu: Unlock on a locked element; the selection's edits, with their keys, elsewhere. */
export function SelectionMenu({
  store,
  actions,
  readOnly,
}: {
  store: SelectionStore
  actions: SelectionActions
  readOnly: boolean
}) {
  const menu = useSelectionMenu(store)
  const selection = useSelection(store)
  const ref = useRef<HTMLDivElement>(null)

  useEffect(() => {
    if (!menu) return
    const close = (e: Event) => {
      if (e instanceof KeyboardEvent) {
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
  const lockedId = menu.lockedId
  const items: Item[] = []
  if (lockedId) {
    if (!readOnly)
      items.push({ label: 'Unlock', keys: `${MOD}Shift+L`, run: () => actions.unlock([lockedId]) })
  } else if (selection.length > 0) {
    items.push({ label: 'Copy', keys: `${MOD}C`, run: () => document.execCommand('copy') })
    if (!readOnly)
      items.push(
        { label: 'Cut', keys: `${MOD}X`, run: () => document.execCommand('cut') },
        { label: 'Duplicate', keys: `${MOD}D`, run: actions.duplicate },
        { label: 'Delete', keys: 'Delete', run: actions.delete },
        { label: 'Bring forward', keys: `${MOD}]`, run: () => actions.zOrder(ZMove.Forward) },
        { label: 'Bring to front', keys: `${MOD}Shift+]`, run: () => actions.zOrder(ZMove.ToFront) },
        { label: 'Send backward', keys: `${MOD}[`, run: () => actions.zOrder(ZMove.Backward) },
        { label: 'Send to back', keys: `${MOD}Shift+[`, run: () => actions.zOrder(ZMove.ToBack) },
        { label: 'Group', keys: `${MOD}G`, run: actions.group },
        { label: 'Ungroup', keys: `${MOD}Shift+G`, run: actions.ungroup },
        { label: 'Lock / unlock', keys: `${MOD}Shift+L`, run: actions.toggleLock },
      )
    items.push({ label: 'Zoom to selection', keys: 'Shift+2', run: actions.zoomToSelection })
  } else {
    items.push({ label: 'Select all', keys: `${MOD}A`, run: actions.selectAll })
  }
  if (items.length === 0) return null
  return (
    <div
      ref={ref}
      className="panel selection-menu"
      role="menu"
      data-testid="selection-menu"
      style={{
        left: Math.min(menu.x, window.innerWidth - 230),
        top: Math.min(menu.y, window.innerHeight - 32 * items.length - 12),
      }}
      onContextMenu={(e) => e.preventDefault()}
    >
      {items.map((item) => (
        <button
          key={item.label}
          type="button"
          role="menuitem"
          data-testid={`menu-${item.label.toLowerCase().replace(/[^a-z]+/g, '-')}`}
          onClick={() => {
            item.run()
            store.setMenu(null)
          }}
        >
          <span>{item.label}</span>
          <kbd>{item.keys}</kbd>
        </button>
      ))}
    </div>
  )
}
