import type { ReactNode } from 'react'
import type { ConnectionStatus } from '../session/useBoardSession'
import { ExportIcon, EyeIcon, OpenIcon, SaveIcon } from './icons'
import './TopBar.css'

export interface TopBarProps {
  name: string
  status: ConnectionStatus | 'starting'
  /** A viewer: show the "Viewing only" badge and hide Open. */
  viewOnly?: boolean
  /** Session buttons (people, share, join) before the file actions. */
  sessionActions?: ReactNode
  onOpen(): void
  onSave(): void
  onExport(): void
}

const STATUS_TEXT: Record<TopBarProps['status'], string> = {
  starting: 'Connecting…',
  connecting: 'Connecting…',
  knocking: 'Waiting to be let in…',
  connected: 'Connected',
  offline: 'Offline, reconnecting…',
  closed: 'Disconnected',
}

/** The board's name, its connection status, and file actions. */
export function TopBar({ name, status, viewOnly, sessionActions, onOpen, onSave, onExport }: TopBarProps) {
  return (
    <div className="topbar">
      <div className="panel title-panel">
        <span className="board-name" data-testid="board-name" title={name}>
          {name}
        </span>
        <span className={`status status-${status}`} data-testid="connection-status" data-status={status}>
          <span className="status-dot" />
          {STATUS_TEXT[status]}
        </span>
        {viewOnly && (
          <span className="badge" data-testid="viewer-badge" title="The host lets you watch, not draw">
            <EyeIcon />
            Viewing only
          </span>
        )}
      </div>
      <div className="panel actions">
        {sessionActions}
        {sessionActions && <div className="separator" />}
        {!viewOnly && (
          <button
            type="button"
            className="icon-button"
            data-testid="open-board"
            title="Open… (Ctrl+O)"
            onClick={onOpen}
          >
            <OpenIcon />
          </button>
        )}
        <button
          type="button"
          className="icon-button"
          data-testid="save-board"
          title="Save (Ctrl+S)"
          onClick={onSave}
        >
          <SaveIcon />
        </button>
        <button
          type="button"
          className="icon-button"
          data-testid="export-open"
          title="Export image… (Ctrl+Shift+E)"
          onClick={onExport}
        >
          <ExportIcon />
        </button>
      </div>
    </div>
  )
}
