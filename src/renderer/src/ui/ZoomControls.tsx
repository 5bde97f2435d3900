import { type ReactNode, useSyncExternalStore } from 'react'
import type { ViewportStore } from '../canvas/viewportStore'
import type { CommandRunner } from '../commands/runner'
import './ZoomControls.css'

export interface ZoomControlsProps {
  viewport: ViewportStore
  commands: CommandRunner
}

/** Zoom out / percentage (click = 100%) / zoom in, zoom to fit, and go to a frame: the view's commands. */
export function ZoomControls({ viewport, commands }: ZoomControlsProps) {
  const zoom = useSyncExternalStore(viewport.subscribe, () => viewport.get().zoom)
  const button = (id: string, testId: string, className: string, content: ReactNode) => (
    <button
      type="button"
      className={className}
      data-testid={testId}
      data-command={id}
      title={commands.title(id)}
      onClick={() => commands.run(id)}
    >
      {content}
    </button>
  )
  return (
    <div className="zoom panel">
      {button('zoom-out', 'zoom-out', 'icon-button', '−')}
      {button(
        'reset-zoom',
        'zoom-reset',
        'zoom-value',
        <span data-testid="zoom-level">{Math.round(zoom * 100)}%</span>,
      )}
      {button('zoom-in', 'zoom-in', 'icon-button', '+')}
      {button('zoom-to-fit', 'zoom-fit', 'text-button', 'Fit')}
      {button('go-to-frame', 'frames-open', 'text-button', 'Frames')}
    </div>
  )
}
