import { useEffect, useRef } from 'react'
import { ZMove } from '../../../shared/selection'
import { isTyping } from '../canvas/BoardCanvas'
import type { SelectionActions } from './actions'

/** Board units an arrow key moves the selection; Shift moves this many times more. */
const NUDGE = 1
const NUDGE_SHIFT = 10

const ARROWS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
}

/**
 * The selection's keys, as in Excalidraw and tldraw: Escape, Delete/Backspace, Ctrl/Cmd+D, +A, +] [ (+Shift: to
 * front/back), +Shift+L lock, +G group, +Shift+G ungroup, arrows nudge (Shift: 10), Shift+2 zoom to selection.
 * `onSelectAll` lets the app switch to the select tool. None fire while typing in a field.
 */
export function useSelectionKeys(
  actions: SelectionActions | null,
  hasSelection: () => boolean,
  onSelectAll: () => void,
) {
  const latest = useRef({ actions, hasSelection, onSelectAll })
  latest.current = { actions, hasSelection, onSelectAll }
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const { actions: a, hasSelection: any, onSelectAll: all } = latest.current
      if (!a || isTyping(e.target) || e.altKey) return
      const mod = e.ctrlKey || e.metaKey
      const key = e.key.toLowerCase()
      const run = (fn: () => void) => {
        e.preventDefault()
        fn()
      }
      if (mod && key === 'a')
        return run(() => {
          a.selectAll()
          all()
        })
      if (mod && key === 'd') return run(a.duplicate)
      if (mod && e.code === 'BracketRight')
        return run(() => a.zOrder(e.shiftKey ? ZMove.ToFront : ZMove.Forward))
      if (mod && e.code === 'BracketLeft')
        return run(() => a.zOrder(e.shiftKey ? ZMove.ToBack : ZMove.Backward))
      if (mod && e.shiftKey && key === 'l') return run(a.toggleLock)
      if (mod && key === 'g') return run(e.shiftKey ? a.ungroup : a.group)
      if (mod) return
      if (e.shiftKey && e.code === 'Digit2') return run(a.zoomToSelection)
      if (!any()) return
      if (key === 'escape') return run(a.clear)
      if (key === 'delete' || key === 'backspace') return run(a.delete)
      const arrow = ARROWS[e.key]
      if (arrow) {
        const step = e.shiftKey ? NUDGE_SHIFT : NUDGE
        return run(() => a.nudge(arrow[0] * step, arrow[1] * step))
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
}
