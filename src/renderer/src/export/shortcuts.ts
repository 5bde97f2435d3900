import { useEffect, useRef } from 'react'

/** What the export shortcuts do. */
export interface ExportShortcutHandlers {
  /** Ctrl/Cmd+Shift+E: open the export dialog. */
  onOpenExport(): void
  /** Ctrl/Cmd+Shift+C: copy the board (or the selection) to the clipboard as PNG. */
  onCopyImage(): void
  /** False while something else owns the keyboard (a dialog is open, the page is view-only...). */
  enabled?: boolean
}

/** Whether a key event is the export shortcut (Ctrl/Cmd+Shift+E) or the copy-image shortcut (Ctrl/Cmd+Shift+C). */
export function exportShortcutOf(
  e: Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>,
): 'export' | 'copy' | undefined {
  if (!(e.ctrlKey || e.metaKey) || !e.shiftKey || e.altKey) return undefined
  // `code` keeps the shortcut on the same key on every keyboard layout.
  if (e.code === 'KeyE' || e.key.toLowerCase() === 'e') return 'export'
  if (e.code === 'KeyC' || e.key.toLowerCase() === 'c') return 'copy'
  return undefined
}

function typingIn(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  return (
    !!el &&
    (el.isContentEditable || el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT')
  )
}

/** Installs the export keyboard shortcuts on the window for as long as the component is mounted. */
export function useExportShortcuts(handlers: ExportShortcutHandlers): void {
  const ref = useRef(handlers)
  ref.current = handlers
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (ref.current.enabled === false || e.repeat || typingIn(e.target)) return
      const shortcut = exportShortcutOf(e)
      if (!shortcut) return
      e.preventDefault()
      if (shortcut === 'export') ref.current.onOpenExport()
      else ref.current.onCopyImage()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
}
