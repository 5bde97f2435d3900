import { type CSSProperties, useLayoutEffect, useRef } from 'react'
import type { Board } from '../../../shared/board'
import { FRAME_LOOK, frameLabelBox, hitsFrameLabel, isFrame } from '../../../shared/elements/frame'
import { ELEMENT_LIMITS } from '../../../shared/elements/types'
import type { ElementQuery } from '../selection/elementQuery'
import type { ViewportStore } from './viewportStore'

/** The unlocked frame whose name is at a board point, if any (what a double-click renames). */
export function frameNameAt(
  query: ElementQuery,
  x: number,
  y: number,
  tolerance: number,
): string | undefined {
  const near = query.elementsIn({
    minX: x - tolerance,
    minY: y - tolerance,
    maxX: x + tolerance,
    maxY: y + tolerance,
  })
  for (let i = near.length - 1; i >= 0; i--) {
    const el = query.element(near[i] as string)
    if (isFrame(el) && !el.locked && hitsFrameLabel(el, x, y, tolerance)) return el.id
  }
  return undefined
}

export interface FrameNameEditorProps {
  board: Board
  viewport: ViewportStore
  /** The frame being renamed. */
  id: string
  onDone(): void
}

const EDITOR_STYLE: CSSProperties = {
  position: 'absolute',
  left: 0,
  top: 0,
  margin: 0,
  padding: 0,
  border: 'none',
  outline: '1px solid var(--accent)',
  background: 'var(--field)',
  transformOrigin: '0 0',
  zIndex: 5,
  fontFamily: FRAME_LOOK.labelFontFamily,
  fontSize: `${FRAME_LOOK.labelFontSize}px`,
  color: 'var(--ink)',
}

/**
 * Renames a frame in place: a one-line input over its name, zoomed with the board. Enter or a click elsewhere keeps
 * the name (one undo step), Escape leaves it as it was.
 */
export function FrameNameEditor({ board, viewport, id, onDone }: FrameNameEditorProps) {
  const ref = useRef<HTMLInputElement>(null)
  const doneRef = useRef(onDone)
  doneRef.current = onDone

  useLayoutEffect(() => {
    const input = ref.current
    const frame = board.readElement(id)
    if (!input || !isFrame(frame)) {
      doneRef.current()
      return
    }
    let cancelled = false
    const place = () => {
      const el = board.readElement(id)
      if (!isFrame(el)) return
      const box = frameLabelBox(el)
      const view = viewport.get()
      const at = viewport.toScreen(el.x + box.x, el.y + box.y)
      const s = input.style
      s.transform = `translate(${at.x}px, ${at.y}px) scale(${view.zoom})`
      s.height = `${box.height}px`
      s.width = `${Math.max(box.width + FRAME_LOOK.labelFontSize * 2, el.width)}px`
    }
    input.value = frame.name
    place()
    input.focus()
    input.select()
    const offView = viewport.subscribe(place)
    const finish = () => {
      const el = board.readElement(id)
      const name = input.value.trim()
      if (!cancelled && isFrame(el) && el.name !== name) {
        board.beginAction()
        board.updateElement(id, { name })
      }
      doneRef.current()
    }
    const onKey = (e: KeyboardEvent) => {
      // The canvas's shortcuts must not fire while typing.
      e.stopPropagation()
      if (e.key === 'Escape') cancelled = true
      if (e.key === 'Escape' || e.key === 'Enter') {
        e.preventDefault()
        input.blur()
      }
    }
    input.addEventListener('blur', finish)
    input.addEventListener('keydown', onKey)
    return () => {
      offView()
      input.removeEventListener('blur', finish)
      input.removeEventListener('keydown', onKey)
    }
  }, [board, viewport, id])

  return (
    <input
      ref={ref}
      className="frame-name-editor"
      data-testid="frame-name-editor"
      aria-label="Frame name"
      maxLength={ELEMENT_LIMITS.maxNameLength}
      spellCheck={false}
      style={EDITOR_STYLE}
    />
  )
}
