import { useEffect, useRef } from 'react'
import { screenToBoard } from '../../../shared/geometry'
import { CLIPBOARD_MIME } from '../../../shared/selection'
import type { ViewportStore } from '../canvas/viewportStore'
import { isTyping } from '../commands/typing'
import type { SelectionActions } from './actions'

/** The canvas element (BoardCanvas marks its stage container so). */
const CANVAS = '[data-testid="board-canvas"]'

/**
 * Ctrl/Cmd+C, X and V of elements, through the page's own copy, cut and paste events (they carry the clipboard's
 * data synchronously and need no permission, in a browser and in the app alike). A copy is JSON text with a Lanvas
 * marker (also under a custom type), so it pastes into any board, on this host or another. Pastes land centred on
 * the pointer when it is over the canvas, else in the middle of the view, selected. Other pastes (images) are left
 * alone.
 */
export function useSelectionClipboard(
  actions: SelectionActions | null,
  viewport: ViewportStore,
  onPasted: () => void,
) {
  const latest = useRef(actions)
  latest.current = actions
  const pasted = useRef(onPasted)
  pasted.current = onPasted
  const pointer = useRef<{ x: number; y: number } | null>(null)

  useEffect(() => {
    const onMove = (e: PointerEvent) => {
      const el = e.target instanceof Element ? e.target.closest(CANVAS) : null
      if (!el) {
        pointer.current = null
        return
      }
      const r = el.getBoundingClientRect()
      pointer.current = { x: e.clientX - r.left, y: e.clientY - r.top }
    }
    const place = () => {
      const p = pointer.current
      if (p) return { at: screenToBoard(viewport.get(), p.x, p.y) }
      const { width, height } = viewport.screenSize()
      return { at: screenToBoard(viewport.get(), width / 2, height / 2) }
    }
    const onCopy = (cut: boolean) => (e: ClipboardEvent) => {
      const a = latest.current
      if (!a || isTyping(e.target) || !e.clipboardData) return
      const text = a.copyText()
      if (!text) return
      e.preventDefault()
      e.clipboardData.setData('text/plain', text)
      e.clipboardData.setData(CLIPBOARD_MIME, text)
      if (cut) a.cutDone()
    }
    const onPaste = (e: ClipboardEvent) => {
      const a = latest.current
      if (!a || isTyping(e.target) || e.defaultPrevented || !e.clipboardData) return
      const text = e.clipboardData.getData(CLIPBOARD_MIME) || e.clipboardData.getData('text/plain')
      if (!text || !a.paste(text, place())) return
      e.preventDefault()
      // The copies are selected, for the select tool to move them (as in Excalidraw).
      pasted.current()
    }
    const copy = onCopy(false)
    const cut = onCopy(true)
    window.addEventListener('pointermove', onMove, true)
    window.addEventListener('copy', copy)
    window.addEventListener('cut', cut)
    window.addEventListener('paste', onPaste)
    return () => {
      window.removeEventListener('pointermove', onMove, true)
      window.removeEventListener('copy', copy)
      window.removeEventListener('cut', cut)
      window.removeEventListener('paste', onPaste)
    }
  }, [viewport])
}
