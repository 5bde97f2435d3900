import type { Knock } from '../../../shared/sync/session'
import type { HostAction } from '../session/useBoardSession'
import { ComparisonCode } from './ComparisonCode'
import './KnockCards.css'

/** People asking to join without the link, each with the code their screen shows and the host's three answers. */
export function KnockCards({ knocks, onControl }: { knocks: Knock[]; onControl(message: HostAction): void }) {
  if (knocks.length === 0) return null
  return (
    <div className="knocks" aria-live="polite">
      {knocks.map((k) => (
        <div key={k.id} className="knock panel" data-testid="knock" data-name={k.name}>
          <div className="knock-text">
            <span className="person-dot" style={{ background: k.color }} />
            <span>
              <strong>{k.name}</strong> wants to join
            </span>
          </div>
          {k.code && <ComparisonCode code={k.code} label="Admit only if their screen shows" />}
          <div className="knock-buttons">
            <button
              type="button"
              className="primary-button"
              data-testid="knock-admit-editor"
              onClick={() => onControl({ type: 'admit', participantId: k.id, role: 'editor' })}
            >
              Admit as editor
            </button>
            <button
              type="button"
              className="text-button"
              data-testid="knock-admit-viewer"
              onClick={() => onControl({ type: 'admit', participantId: k.id, role: 'viewer' })}
            >
              Admit as viewer
            </button>
            <button
              type="button"
              className="text-button danger"
              data-testid="knock-refuse"
              onClick={() => onControl({ type: 'refuse', participantId: k.id })}
            >
              Refuse
            </button>
          </div>
        </div>
      ))}
    </div>
  )
}
