import { CloseReason } from '../../../shared/sync/protocol'
import { KNOCK_UNANSWERED } from '../../../shared/sync/session'
import { ComparisonCode } from './ComparisonCode'
import './SessionScreens.css'

/** Shown while the host decides whether to let this person in, with the code their knock card shows. */
export function KnockingScreen({ hostName, code }: { hostName: string | undefined; code?: string }) {
  return (
    <div className="scrim solid">
      <div className="dialog panel center" data-testid="knocking" role="status">
        <span className="spinner" aria-hidden="true" />
        <h2>Waiting for {hostName || 'the host'} to let you in…</h2>
        <p className="muted">They see your name and choose whether you can draw or only watch.</p>
        {code && (
          <>
            <ComparisonCode code={code} label="Your code" />
            <p className="muted">
              The host sees this code beside your name. If their code is different, somebody is in between:
              tell them to refuse.
            </p>
          </>
        )}
      </div>
    </div>
  )
}

/** Why the host ended this connection, in the person's words; undefined for codes not worth a screen. */
export function endedMessage(code: number | undefined, reason?: string): string | undefined {
  switch (code) {
    case CloseReason.Refused:
      // A knock nobody answered is not a refusal: "Try again" knocks again.
      return reason === KNOCK_UNANSWERED ? 'Nobody answered your knock.' : 'The host did not let you in.'
    case CloseReason.Locked:
      return 'This session is locked.'
    case CloseReason.BadToken:
      return 'This link’s key is not valid.'
    case CloseReason.HostNotVerified:
      return 'This is not the host that gave you the link.'
    case CloseReason.Kicked:
      return 'You were removed from the session.'
    default:
      return undefined
  }
}

/** The end of the road for this page: refused, locked out, a bad link or removed. */
export function SessionEndedScreen({
  code,
  message,
  onRetry,
  onJoinOther,
}: {
  code: number | undefined
  message: string
  onRetry(): void
  onJoinOther(): void
}) {
  const hint =
    code === CloseReason.BadToken
      ? 'Ask the host for a fresh link.'
      : code === CloseReason.HostNotVerified
        ? 'Another computer on the network answered in its place. Check the address with the host.'
        : code === CloseReason.Locked
          ? 'The host can unlock it to let new people in.'
          : undefined
  return (
    <div className="scrim solid">
      <div className="dialog panel center" data-testid="session-ended" data-code={code ?? ''} role="alert">
        <h2 data-testid="session-ended-message">{message}</h2>
        {hint && <p className="muted">{hint}</p>}
        <div className="dialog-buttons">
          <button
            type="button"
            className="text-button"
            data-testid="session-join-other"
            onClick={onJoinOther}
          >
            Join another session
          </button>
          <button type="button" className="primary-button" data-testid="session-retry" onClick={onRetry}>
            Try again
          </button>
        </div>
      </div>
    </div>
  )
}
