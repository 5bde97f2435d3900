import './MessageBar.css'

export interface Message {
  id: number
  kind: 'error' | 'info'
  text: string
}

/** Errors and notices, each dismissable; never a blocking alert. */
export function MessageBar({ messages, onDismiss }: { messages: Message[]; onDismiss(id: number): void }) {
  if (messages.length === 0) return null
  return (
    <div className="messages" role="status" aria-live="polite">
      {messages.map((m) => (
        <div key={m.id} className={`message panel message-${m.kind}`} data-testid={`message-${m.kind}`}>
          <span>{m.text}</span>
          <button
            type="button"
            className="dismiss"
            aria-label="Dismiss"
            data-testid="message-dismiss"
            onClick={() => onDismiss(m.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  )
}
