import { type ReactNode, useEffect, useId, useRef } from 'react'

const FOCUSABLE =
  'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'

/**
 * A modal dialog's shell: the scrim (a click on it closes), the titled box with its Close button, Escape to close,
 * Tab kept inside while it is open, and the focus given back to what had it when it closes.
 */
export function Dialog({
  title,
  className,
  testId,
  closeTestId,
  headerActions,
  onClose,
  children,
}: {
  title: string
  /** The box's own class, beside `dialog panel`. */
  className: string
  testId: string
  closeTestId: string
  /** Buttons in the header, before Close. */
  headerActions?: ReactNode
  onClose(): void
  children: ReactNode
}) {
  const box = useRef<HTMLDivElement>(null)
  const heading = useId()

  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null
    // The box itself takes the focus: Tab then goes to its first control, and a screen reader reads its title.
    box.current?.focus()
    return () => before?.focus()
  }, [])

  const keepTabInside = (e: React.KeyboardEvent) => {
    if (e.key !== 'Tab' || !box.current) return
    const controls = [...box.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
      (el) => el.offsetParent !== null,
    )
    const first = controls[0]
    const last = controls.at(-1)
    if (!first || !last) return
    if (e.shiftKey && (document.activeElement === first || document.activeElement === box.current)) {
      e.preventDefault()
      last.focus()
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault()
      first.focus()
    }
  }

  return (
    <div className="scrim" onPointerDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={box}
        className={`dialog panel ${className}`}
        data-testid={testId}
        role="dialog"
        aria-modal="true"
        aria-labelledby={heading}
        tabIndex={-1}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose()
          else keepTabInside(e)
        }}
      >
        <div className="panel-header">
          <h2 id={heading}>{title}</h2>
          {headerActions}
          <button
            type="button"
            className="dismiss"
            aria-label="Close"
            data-testid={closeTestId}
            onClick={onClose}
          >
            ×
          </button>
        </div>
        {children}
      </div>
    </div>
  )
}
