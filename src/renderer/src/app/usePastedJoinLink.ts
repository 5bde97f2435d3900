import { useEffect, useRef } from 'react'
import { findJoinLink } from '../../../shared/joinLink'
import { isTyping } from '../commands/typing'

/**
 * A join link pasted on the board (from a chat, an e-mail) opens the Join panel with it, for the person to confirm;
 * a link that cannot be joined says why. Other pastes go on to the board as before.
 */
export function usePastedJoinLink(open: (url: string) => void, fail: (message: string) => void): void {
  const latest = useRef({ open, fail })
  latest.current = { open, fail }
  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      if (isTyping(e.target) || !e.clipboardData) return
      const found = findJoinLink(e.clipboardData.getData('text/plain'))
      if (!found) return
      // Before the board's own paste handler (capture phase), so the link is not also pasted as text.
      e.preventDefault()
      if ('error' in found) latest.current.fail(found.error)
      else latest.current.open(found.url)
    }
    window.addEventListener('paste', onPaste, true)
    return () => window.removeEventListener('paste', onPaste, true)
  }, [])
}
