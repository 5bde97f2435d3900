import { useSyncExternalStore } from 'react'
import type { ViewportStore } from '../canvas/viewportStore'
import './ZoomControls.css'

export interface ZoomControlsProps {
  viewport: ViewportStore
  onZoomBy(factor: number): void
  onReset(): void
  onFit(): void
}

/** Zoom out / percentage (click = 100%) / zoom in, and zoom to fit. */
export function ZoomControls({ viewport, onZoomBy, onReset, onFit }: ZoomControlsProps) {
  const zoom = useSyncExternalStore(viewport.subscribe, () => viewport.get().zoom)
  return (
    <div className="zoom panel">
      <button
        type="button"
        className="icon-button"
        data-testid="zoom-out"
        title="Zoom out (Ctrl+-)"
        onClick={() => onZoomBy(1 / 1.25)}
      >
        −
      </button>
      <button
        type="button"
        className="zoom-value"
        data-testid="zoom-reset"
        title="Reset zoom (Ctrl+0)"
        onClick={onReset}
      >
        <span data-testid="zoom-level">{Math.round(zoom * 100)}%</span>
      </button>
      <button
        type="button"
        className="icon-button"
        data-testid="zoom-in"
        title="Zoom in (Ctrl+=)"
        onClick={() => onZoomBy(1.25)}
      >
        +
      </button>
      <button
        type="button"
        className="text-button"
        data-testid="zoom-fit"
        title="Zoom to fit (Shift+1)"
        onClick={onFit}
      >
        Fit
      </button>
    </div>
  )
}
