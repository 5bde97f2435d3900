import { useCallback, useState } from 'react'
import type { Message } from '../ui/MessageBar'

let nextMessageId = 1

/** How long an info message stays, ms; errors stay until dismissed. */
const INFO_MS = 4000

/** The message bar's messages: `say` adds one (the same text once), info ones go by themselves. */
export function useMessages() {
  const [messages, setMessages] = useState<Message[]>([])
  const say = useCallback((kind: Message['kind'], text: string) => {
    const id = nextMessageId++
    setMessages((list) => [...list.filter((m) => m.text !== text), { id, kind, text }])
    if (kind === 'info') setTimeout(() => setMessages((list) => list.filter((m) => m.id !== id)), INFO_MS)
  }, [])
  const dismiss = useCallback((id: number) => setMessages((list) => list.filter((m) => m.id !== id)), [])
  return { messages, say, dismiss }
}

/** Shows a message to the person. */
export type Say = ReturnType<typeof useMessages>['say']
