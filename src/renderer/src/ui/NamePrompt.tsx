import { useState } from 'react'
import { MAX_NAME_LENGTH } from '../../../shared/sync/session'
import type { Identity } from '../session/identity'
import './NamePrompt.css'

export interface NamePromptProps {
  /** The default name and colour others see until the person gives theirs. */
  identity: Identity
  onDone(identity: Identity): void
}

/**
 * Asks the host's own page for a name, once, without stopping it (people may be knocking): the default is kept
 * with Keep, or replaced by the typed name.
 */
export function NamePrompt({ identity, onDone }: NamePromptProps) {
  const [name, setName] = useState('')
  const trimmed = name.trim()
  return (
    <form
      className="name-prompt panel"
      data-testid="name-prompt"
      aria-label="Your name"
      onSubmit={(e) => {
        e.preventDefault()
        onDone({ ...identity, name: trimmed || identity.name })
      }}
    >
      <p>
        Others see you as{' '}
        <strong data-testid="name-prompt-default" style={{ color: identity.color }}>
          {identity.name}
        </strong>
        .
      </p>
      <div className="link-row">
        <input
          className="text-input"
          data-testid="name-prompt-name"
          aria-label="Your name"
          placeholder="Your name"
          maxLength={MAX_NAME_LENGTH}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <button type="submit" className="primary-button" data-testid="name-prompt-save">
          {trimmed ? 'Save' : 'Keep'}
        </button>
      </div>
    </form>
  )
}
