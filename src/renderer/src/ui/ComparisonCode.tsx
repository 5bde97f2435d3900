import './ComparisonCode.css'

/**
 * The 6-digit code of a knock's secure channel, shown on the knocker's screen and on the host's knock card:
 * the same digits on both mean nobody sits in the middle.
 */
export function ComparisonCode({ code, label }: { code: string; label: string }) {
  return (
    <div className="comparison-code" data-testid="comparison-code" data-code={code}>
      <span className="comparison-code-label">{label}</span>
      <span className="comparison-code-digits">
        {code.slice(0, 3)}&nbsp;{code.slice(3)}
      </span>
    </div>
  )
}
