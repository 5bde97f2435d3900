import { JoinIcon, PeopleIcon, ShareIcon } from './icons'

export interface SessionActionsProps {
  panel: 'people' | 'share' | null
  /** How many are in the session, shown once this page is in one. */
  count?: number
  /** Someone knocks: the host sees a dot on People. */
  knocking: boolean
  canShare: boolean
  onTogglePanel(which: 'people' | 'share'): void
  onJoin(): void
}

/** The top bar's session buttons: People, Share on network (when this page may share), Join. */
export function SessionActions({
  panel,
  count,
  knocking,
  canShare,
  onTogglePanel,
  onJoin,
}: SessionActionsProps) {
  return (
    <>
      <button
        type="button"
        className={`icon-button people-button${panel === 'people' ? ' active' : ''}`}
        data-testid="participants-toggle"
        title="People"
        aria-label="People"
        aria-pressed={panel === 'people'}
        onClick={() => onTogglePanel('people')}
      >
        <PeopleIcon />
        {count !== undefined && <span className="count">{count}</span>}
        {knocking && <span className="knock-dot" />}
      </button>
      {canShare && (
        <button
          type="button"
          className={`icon-button${panel === 'share' ? ' active' : ''}`}
          data-testid="share-open"
          title="Share on network"
          aria-label="Share"
          aria-pressed={panel === 'share'}
          onClick={() => onTogglePanel('share')}
        >
          <ShareIcon />
        </button>
      )}
      <button
        type="button"
        className="icon-button"
        data-testid="join-open"
        title="Join a session on the network"
        aria-label="Join a session"
        onClick={onJoin}
      >
        <JoinIcon />
      </button>
    </>
  )
}
