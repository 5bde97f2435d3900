import type { GuestRole } from '../../../shared/sync/session'
import type { Person } from '../presence/people'
import type { HostAction } from '../session/useBoardSession'
import './ParticipantsPanel.css'

export interface ParticipantsPanelProps {
  people: Person[]
  /** This person runs the session: show role changes, kick and lock. */
  isHost: boolean
  locked: boolean
  followingClientId: number | undefined
  onFollow(clientId: number): void
  onEditIdentity(): void
  onControl(message: HostAction): void
}

const ROLE_TEXT = { host: 'Host', editor: 'Editor', viewer: 'Viewer' } as const

/** Who is here: name, colour, role, "you"; click someone to follow their view. The host manages people here. */
export function ParticipantsPanel(props: ParticipantsPanelProps) {
  const { people, isHost, locked, followingClientId, onFollow, onEditIdentity, onControl } = props
  return (
    <section className="side-panel panel" data-testid="participants-panel" aria-label="People">
      <div className="panel-header">
        <span>People · {people.length}</span>
        {isHost && (
          <label className="switch" title="Let nobody new in">
            <input
              type="checkbox"
              className="switch-box"
              data-testid="session-lock"
              checked={locked}
              onChange={(e) => onControl({ type: 'lock', locked: e.target.checked })}
            />
            Lock session
          </label>
        )}
      </div>
      <ul className="people">
        {people.map((p) => {
          const canFollow = !p.you && p.clientId !== undefined
          const following = canFollow && p.clientId === followingClientId
          return (
            <li
              key={p.key}
              className={`person${following ? ' following' : ''}`}
              data-testid="participant"
              data-name={p.name}
              data-role={p.role ?? ''}
              data-you={p.you ? 'true' : 'false'}
            >
              <button
                type="button"
                className="person-main"
                data-testid="participant-follow"
                disabled={!canFollow}
                title={canFollow ? `Follow ${p.name}'s view` : undefined}
                onClick={() => canFollow && p.clientId !== undefined && onFollow(p.clientId)}
              >
                <span className="person-dot" style={{ background: p.color }} />
                <span className="person-name">{p.name}</span>
                {p.you && <span className="muted">(you)</span>}
                {following && <span className="tag">following</span>}
              </button>
              {p.you && (
                <button
                  type="button"
                  className="link-button"
                  data-testid="identity-edit"
                  onClick={onEditIdentity}
                >
                  Edit
                </button>
              )}
              {isHost && !p.you && p.participantId && p.role !== 'host' ? (
                <>
                  <select
                    className="role-select"
                    data-testid="participant-role"
                    aria-label={`Role of ${p.name}`}
                    value={p.role}
                    onChange={(e) =>
                      p.participantId &&
                      onControl({
                        type: 'set-role',
                        participantId: p.participantId,
                        role: e.target.value as GuestRole,
                      })
                    }
                  >
                    <option value="editor">Editor</option>
                    <option value="viewer">Viewer</option>
                  </select>
                  <button
                    type="button"
                    className="link-button danger"
                    data-testid="participant-kick"
                    title={`Remove ${p.name} from the session`}
                    onClick={() =>
                      p.participantId && onControl({ type: 'kick', participantId: p.participantId })
                    }
                  >
                    Remove
                  </button>
                </>
              ) : (
                p.role && <span className="role">{ROLE_TEXT[p.role]}</span>
              )}
            </li>
          )
        })}
      </ul>
    </section>
  )
}
