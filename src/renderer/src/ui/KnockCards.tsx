import type { Knock } from '../../../shared/sync/session'
import type { HostAction } from '../session/useBoardSession'
import { ComparisonCode } from './ComparisonCode'
import './KnockCards.css'

/**
 * People asking to join without the link, each with the code their screen shows and the host's three answers.
 * Knocks from one address are grouped, with one button to refuse them all (a flood is one decision).
 */
export function KnockCards({ knocks, onControl }: { knocks: Knock[]; onControl(message: HostAction): void }) {
  if (knocks.length === 0) return null
  const groups = new Map<string, Knock[]>()
  for (const k of knocks) groups.set(k.from ?? k.id, [...(groups.get(k.from ?? k.id) ?? []), k])
  return (
    <div className="knocks" aria-live="polite">
      {[...groups.entries()]
        .filter(([, group]) => group.length > 1)
        .map(([from, group]) => (
          <div key={`group-${from}`} className="knock-group panel" data-testid="knock-group">
            <span>
              {group.length} people are knocking from <strong>{from}</strong>
            </span>
            <button
              type="button"
              className="text-button danger"
              data-testid="knock-refuse-all"
              onClick={() => {
                for (const k of group) onControl({ type: 'refuse', participantId: k.id })
              }}
            >
              Refuse all
            </button>
          </div>
        ))}
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
