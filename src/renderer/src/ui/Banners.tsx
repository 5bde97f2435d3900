import './Banners.css'

/** "Following Alice": the view tracks theirs until this person pans or presses Esc. */
export function FollowBanner({ name, color, onStop }: { name: string; color: string; onStop(): void }) {
  return (
    <div className="banner panel" data-testid="follow-banner" style={{ borderColor: color }}>
      <span className="person-dot" style={{ background: color }} />
      <span>
        Following <strong>{name}</strong> — press Esc or pan to stop
      </span>
      <button type="button" className="link-button" data-testid="follow-stop" onClick={onStop}>
        Stop
      </button>
    </div>
  )
}

/** The host went away: the board is still here, it can be saved, and (in the app) hosted again. */
export function HostOfflineBanner({ onSave, onHost }: { onSave(): void; onHost?: () => void }) {
  return (
    <div className="banner banner-warn panel" data-testid="host-offline-banner" role="status">
      <span>The host is not reachable — reconnecting… You can save the board.</span>
      <button type="button" className="link-button" data-testid="host-offline-save" onClick={onSave}>
        Save
      </button>
      {onHost && (
        <button type="button" className="link-button" data-testid="host-this-board" onClick={onHost}>
          Host this board
        </button>
      )}
    </div>
  )
}
