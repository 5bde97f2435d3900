import { useEffect, useRef, useSyncExternalStore } from 'react'
import type { Board, FrameElement } from '../../../shared/board'
import { frameLabel } from '../../../shared/elements/frame'
import { elementRect } from '../../../shared/elements/transform'
import { clampZoom, type Viewport } from '../../../shared/geometry'
import { boardFrames } from '../../../shared/selection'
import type { ViewportStore } from '../canvas/viewportStore'
import './FramesMenu.css'

/** Screen pixels kept free around a frame gone to: clear of the top bar and the zoom controls. */
const MARGIN_PX = 64

/**
 * The view that shows a frame (its name included) whole and centred, zoomed in or out to fill the screen: a frame
 * is gone to as a slide is shown, so unlike "zoom to fit" this zooms past 100 %.
 */
export function frameView(frame: FrameElement, width: number, height: number): Viewport {
  const r = elementRect(frame)
  const w = Math.max(1, r.maxX - r.minX)
  const h = Math.max(1, r.maxY - r.minY)
  const zoom = clampZoom(Math.min((width - 2 * MARGIN_PX) / w, (height - 2 * MARGIN_PX) / h))
  const cx = (r.minX + r.maxX) / 2
  const cy = (r.minY + r.maxY) / 2
  return { zoom, x: cx - width / 2 / zoom, y: cy - height / 2 / zoom }
}

/** The board's frames as they change (a peer may add, rename or remove one while the list is open). */
function useFrames(board: Board): FrameElement[] {
  const cache = useRef<{ key: string; frames: FrameElement[] }>({ key: '', frames: [] })
  return useSyncExternalStore(
    (fn) => {
      board.elements.observeDeep(fn)
      board.order.observe(fn)
      board.moves.observe(fn)
      return () => {
        board.elements.unobserveDeep(fn)
        board.order.unobserve(fn)
        board.moves.unobserve(fn)
      }
    },
    () => {
      const frames = boardFrames(board)
      const key = frames.map((f) => `${f.id}\u0000${f.name}`).join('\u0001')
      if (key !== cache.current.key) cache.current = { key, frames }
      return cache.current.frames
    },
  )
}

export interface FramesMenuProps {
  board: Board
  viewport: ViewportStore
  onClose(): void
}

/** "Go to frame": the board's frames by name; choosing one fits the view to it. Escape, a press elsewhere or a choice closes it. */
export function FramesMenu({ board, viewport, onClose }: FramesMenuProps) {
  const frames = useFrames(board)
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('button')?.focus()
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return
      e.preventDefault()
      e.stopPropagation()
      onClose()
    }
    // A press elsewhere closes it (the button that opens it toggles it itself).
    const onPress = (e: PointerEvent) => {
      const target = e.target as Element | null
      if (ref.current?.contains(target) || target?.closest?.('[data-command="go-to-frame"]')) return
      onClose()
    }
    window.addEventListener('keydown', onKey, true)
    window.addEventListener('pointerdown', onPress, true)
    return () => {
      window.removeEventListener('keydown', onKey, true)
      window.removeEventListener('pointerdown', onPress, true)
    }
  }, [onClose])
  const go = (frame: FrameElement) => {
    const { width, height } = viewport.screenSize()
    viewport.set(frameView(frame, width, height))
    onClose()
  }
  return (
    <div
      ref={ref}
      className="panel frames-menu"
      role="menu"
      aria-label="Go to frame"
      data-testid="frames-menu"
    >
      <div className="frames-menu-title">Go to frame</div>
      {frames.length === 0 && (
        <p className="muted frames-menu-empty">No frames yet: draw one with the frame tool (F).</p>
      )}
      {frames.map((f) => (
        <button
          key={f.id}
          type="button"
          role="menuitem"
          className="text-button frames-menu-item"
          data-testid={`go-to-frame-${f.id}`}
          onClick={() => go(f)}
        >
          {frameLabel(f)}
        </button>
      ))}
    </div>
  )
}
