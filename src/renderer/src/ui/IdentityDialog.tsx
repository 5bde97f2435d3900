import { useState } from 'react'
import { MAX_NAME_LENGTH } from '../../../shared/sync/session'
import { type Identity, PRESENCE_COLORS } from '../session/identity'
import './IdentityDialog.css'

export interface IdentityDialogProps {
  identity: Identity
  /** "Join" before joining, "Save" when changed later. */
  action: string
  /** Shown above the name, e.g. which session is being joined. */
  intro?: string
  onDone(identity: Identity): void
  onCancel?(): void
}

/** Asks the name and colour others will see next to this person's cursor. */
export function IdentityDialog({ identity, action, intro, onDone, onCancel }: IdentityDialogProps) {
  const [name, setName] = useState(identity.name)
  const [color, setColor] = useState(identity.color)
  const trimmed = name.trim()
  return (
    <div className="scrim">
      <form
        className="dialog panel"
        data-testid="identity-dialog"
        aria-label="Your name"
        onSubmit={(e) => {
          e.preventDefault()
          if (trimmed) onDone({ name: trimmed, color })
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && onCancel) onCancel()
        }}
      >
        <h2>{intro ?? 'Your name'}</h2>
        <p className="muted">Others see it next to your cursor.</p>
        <input
          className="text-input"
          data-testid="identity-name"
          aria-label="Your name"
          placeholder="Your name"
          maxLength={MAX_NAME_LENGTH}
          // biome-ignore lint/a11y/noAutofocus: the dialog exists to ask this one thing
          autoFocus
          value={name}
          // The default name is chosen whole, so typing replaces it.
          onFocus={(e) => e.currentTarget.select()}
          onChange={(e) => setName(e.target.value)}
        />
        <fieldset className="group palette identity-colors" aria-label="Your colour">
          {PRESENCE_COLORS.map((c) => (
            <button
              key={c}
              type="button"
              className={`swatch${color === c ? ' active' : ''}`}
              style={{ background: c }}
              data-testid={`identity-color-${c.slice(1)}`}
              aria-label={`Colour ${c}`}
              aria-pressed={color === c}
              onClick={() => setColor(c)}
            />
          ))}
        </fieldset>
        <div className="dialog-buttons">
          {onCancel && (
            <button type="button" className="text-button" data-testid="identity-cancel" onClick={onCancel}>
              Cancel
            </button>
          )}
          <button type="submit" className="primary-button" data-testid="identity-submit" disabled={!trimmed}>
            {action}
          </button>
        </div>
      </form>
    </div>
  )
}
