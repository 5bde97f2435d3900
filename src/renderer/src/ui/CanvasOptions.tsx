import { useEffect, useState, useSyncExternalStore } from 'react'
import type { Board } from '../../../shared/board'
import { BACKGROUND_PRESETS, boardBackground, setBoardBackground } from '../canvas/background'
import { canvasPrefs, GridKind, useCanvasPrefs } from '../canvas/backgroundPrefs'
import { type SelectionStore, useSelection } from '../selection/selectionStore'
import './CanvasOptions.css'
import { SettingsIcon } from './icons'

export interface CanvasOptionsProps {
  board: Board | null
  readOnly: boolean
  /** Shift+2; disabled without a selection. */
  onZoomToSelection(): void
  selection: SelectionStore
}

const PATTERNS = [
  { grid: GridKind.Dots, label: 'Dots' },
  { grid: GridKind.Lines, label: 'Grid' },
  { grid: GridKind.None, label: 'None' },
] as const

/** The board's background colour, as it changes (anyone on the board may change it). */
function useBackground(board: Board | null): string | undefined {
  return useSyncExternalStore(
    (fn) => {
      board?.meta.observe(fn)
      return () => board?.meta.unobserve(fn)
    },
    () => (board ? boardBackground(board) : undefined),
  )
}

/**
 * Canvas options: the board's background colour (shared with everyone on it), and this person's pattern (dots,
 * grid, none) and dark mode; zoom to the selection. Dark mode turns the UI dark and shows the canvas inverted, as
 * Excalidraw does: ink keeps its colours in the board, and only its display changes.
 */
export function CanvasOptions({ board, readOnly, onZoomToSelection, selection }: CanvasOptionsProps) {
  const hasSelection = useSelection(selection).length > 0
  const [open, setOpen] = useState(false)
  const prefs = useCanvasPrefs()
  const background = useBackground(board)

  useEffect(() => {
    document.documentElement.dataset.theme = prefs.dark ? 'dark' : 'light'
  }, [prefs.dark])

  return (
    <div className="canvas-options">
      {open && (
        <div className="panel canvas-options-panel" data-testid="canvas-options">
          <div className="canvas-options-row">
            <span>Background</span>
            <fieldset
              className="canvas-options-swatches"
              disabled={readOnly || !board}
              aria-label="Background"
            >
              {BACKGROUND_PRESETS.map((c) => (
                <button
                  key={c}
                  type="button"
                  className={`swatch${background === c ? ' active' : ''}`}
                  style={{ background: c }}
                  title={readOnly ? 'Viewing only' : `Background ${c}`}
                  aria-label={`Background ${c}`}
                  aria-pressed={background === c}
                  data-testid={`background-${c.slice(1)}`}
                  onClick={() => board && setBoardBackground(board, c)}
                />
              ))}
            </fieldset>
          </div>
          <div className="canvas-options-row">
            <span>Paper</span>
            <fieldset className="canvas-options-segments" aria-label="Paper">
              {PATTERNS.map((p) => (
                <button
                  key={p.grid}
                  type="button"
                  aria-pressed={prefs.grid === p.grid}
                  className={prefs.grid === p.grid ? 'active' : ''}
                  data-testid={`grid-${p.grid}`}
                  onClick={() => canvasPrefs.set({ grid: p.grid })}
                >
                  {p.label}
                </button>
              ))}
            </fieldset>
          </div>
          <label className="canvas-options-row" title="Moves and resizes snap to the grid (Ctrl+')">
            <span>Snap to grid</span>
            <input
              type="checkbox"
              data-testid="snap-to-grid"
              checked={prefs.snapToGrid}
              onChange={(e) => canvasPrefs.set({ snapToGrid: e.target.checked })}
            />
          </label>
          <label className="canvas-options-row">
            <span>Dark mode</span>
            <input
              type="checkbox"
              data-testid="dark-mode"
              checked={prefs.dark}
              onChange={(e) => canvasPrefs.set({ dark: e.target.checked })}
            />
          </label>
          <button
            type="button"
            className="text-button"
            data-testid="zoom-selection"
            disabled={!hasSelection}
            title="Zoom to selection (Shift+2)"
            onClick={onZoomToSelection}
          >
            Zoom to selection <kbd>Shift+2</kbd>
          </button>
        </div>
      )}
      <button
        type="button"
        className={`icon-button panel canvas-options-toggle${open ? ' active' : ''}`}
        data-testid="canvas-options-toggle"
        title="Canvas options"
        aria-label="Canvas options"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        <SettingsIcon />
      </button>
    </div>
  )
}
