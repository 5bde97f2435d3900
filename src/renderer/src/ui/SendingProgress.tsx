import { useSyncExternalStore } from 'react'
import { ProgressBanner } from './OpeningProgress'

/**
 * "Sending your edit… 37 %" while a large edit of this page (the undo of deleting a whole board, work done
 * offline) leaves part by part at the rate the host allows (BoardConnection.sending). The edit is in the board
 * already; this says it has not all reached the others yet. Gone once it has. Drawn as the opening bar is.
 */
export function SendingProgress({
  sendingNow,
  onProgress,
}: {
  sendingNow: () => number | undefined
  onProgress: (cb: () => void) => () => void
}) {
  const sending = useSyncExternalStore(onProgress, sendingNow)
  if (sending === undefined) return null
  const percent = Math.min(99, Math.floor(sending * 100))
  return <ProgressBanner testId="sending-progress" label="Sending your edit" percent={percent} />
}
