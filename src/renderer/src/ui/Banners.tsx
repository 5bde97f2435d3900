import { useEffect, useState } from 'react'
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

/**
 * The host went away: the board is still here, it can be saved, and (in the app) hosted again. With standbys in
 * the session, says who takes over if the host has left (pages move to them by themselves).
 */
export function HostOfflineBanner({
  onSave,
  onHost,
  attempts = 0,
  standbys = [],
}: {
  onSave(): void
  onHost?: () => void
  attempts?: number
  standbys?: string[]
}) {
  const next = standbys[0]
  return (
    <div className="banner banner-warn panel" data-testid="host-offline-banner" role="status">
      <span>
        The host is not reachable — reconnecting{attempts > 0 ? ` (${attempts})` : ''}…{' '}
        {next
          ? `If the host has left, ${next} takes over in a few seconds and this board moves there by itself. `
          : ''}
        Nothing you draw meanwhile is lost; you can save the board.
      </span>
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

/**
 * The host cannot write the board to its disk: nothing new is safe from a crash of the host until it can.
 * Shows why and how many of this person's edits wait (polled: the count changes with every stroke).
 */
export function NotSavedBanner({ problem, unsaved }: { problem: string; unsaved(): number }) {
  const [count, setCount] = useState(unsaved)
  useEffect(() => {
    const timer = setInterval(() => setCount(unsaved()), 500)
    return () => clearInterval(timer)
  }, [unsaved])
  return (
    <div className="banner banner-warn panel" data-testid="not-saved-banner" role="alert">
      <span>
        <strong>Not saved</strong> — the host cannot write the board ({problem}).{' '}
        <span data-testid="not-saved-count">{count}</span> of your edits are kept here until it can; keep this
        window open.
      </span>
    </div>
  )
}

/** Asks before the page closes while the host has not saved this person's edits. */
export function useWarnBeforeClosing(unsafe: () => boolean): void {
  useEffect(() => {
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (!unsafe()) return
      e.preventDefault()
      // Older browsers and Electron want a returnValue to show their prompt.
      e.returnValue = ''
    }
    window.addEventListener('beforeunload', onBeforeUnload)
    return () => window.removeEventListener('beforeunload', onBeforeUnload)
  }, [unsafe])
}
