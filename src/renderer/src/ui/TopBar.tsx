import type { ReactNode } from 'react'
import type { CommandRunner } from '../commands/runner'
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
  /** Open, Save and Export run through the command list. */
  commands: CommandRunner
  /** Failed attempts to reach the host so far, while offline. */
  attempts?: number
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
export function TopBar({ name, status, viewOnly, sessionActions, commands, attempts = 0 }: TopBarProps) {
  const statusText =
    status === 'offline' && attempts > 0 ? `Reconnecting (${attempts})…` : STATUS_TEXT[status]
  const button = (id: string, testId: string, icon: ReactNode) => (
    <button
      type="button"
      className="icon-button"
      data-testid={testId}
      data-command={id}
      title={commands.title(id)}
      onClick={() => commands.run(id)}
    >
      {icon}
    </button>
  )
  return (
    <div className="topbar">
      <div className="panel title-panel">
        <span className="board-name" data-testid="board-name" title={name}>
          {name}
        </span>
        <span className={`status status-${status}`} data-testid="connection-status" data-status={status}>
          <span className="status-dot" />
          {statusText}
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
        {!viewOnly && button('open', 'open-board', <OpenIcon />)}
        {button('save', 'save-board', <SaveIcon />)}
        {button('export', 'export-open', <ExportIcon />)}
      </div>
    </div>
  )
}
