import { useSyncExternalStore } from 'react'
import './OpeningProgress.css'

/**
 * "Opening board… 37 %" while the host streams a large board to this page (BoardConnection.progress): the
 * board draws as its parts come, and this says how much is still on its way. Gone at 100 %. It follows the
 * progress itself, so that only the bar renders again for each part, not the whole app.
 */
export function OpeningProgress({
  progressNow,
  onProgress,
}: {
  progressNow: () => number | undefined
  onProgress: (cb: () => void) => () => void
}) {
  const progress = useSyncExternalStore(onProgress, progressNow) ?? 0
  const percent = Math.min(100, Math.floor(progress * 100))
  return <ProgressBanner testId="opening-progress" label="Opening board" percent={percent} />
}

/** The bar the opening and sending progress draw: "LABEL… N %" over a track filled to N %. */
export function ProgressBanner({
  testId,
  label,
  percent,
}: {
  testId: string
  label: string
  percent: number
}) {
  return (
    <div className="banner panel opening-progress" data-testid={testId} role="status">
      <span className="opening-progress-label">
        {label}… {percent} %
      </span>
      <div
        className="opening-progress-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <div className="opening-progress-fill" style={{ width: `${percent}%` }} />
      </div>
    </div>
  )
}
