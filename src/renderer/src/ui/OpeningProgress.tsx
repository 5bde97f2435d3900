import './OpeningProgress.css'

/**
 * "Opening board… 37 %" while the host streams a large board to this page (BoardConnection.progress): the
 * board draws as its parts come, and this says how much is still on its way. Gone at 100 %.
 */
export function OpeningProgress({ progress }: { progress: number }) {
  const percent = Math.min(100, Math.floor(progress * 100))
  return (
    <div className="banner panel opening-progress" data-testid="opening-progress" role="status">
      <span className="opening-progress-label">Opening board… {percent} %</span>
      <div
        className="opening-progress-track"
        role="progressbar"
        aria-label="Opening board"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <div className="opening-progress-fill" style={{ width: `${percent}%` }} />
      </div>
    </div>
  )
}
