import type { ReactNode } from 'react'

/** A tool icon: a 24-unit box drawn with a 1.8 stroke, so every icon matches. */
export function Icon({ children }: { children: ReactNode }) {
  return (
    <svg
      width="18"
      height="18"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      {children}
    </svg>
  )
}

export const PenIcon = () => (
  <Icon>
    <path d="M4 20l4-1 10.5-10.5a2.1 2.1 0 0 0-3-3L5 16l-1 4z" />
    <path d="M14 7l3 3" />
  </Icon>
)
export const EraserIcon = () => (
  <Icon>
    <path d="M8 20h12" />
    <path d="M4.5 15.5l9.9-9.9a2 2 0 0 1 2.8 0l2.2 2.2a2 2 0 0 1 0 2.8L11 19H8.5l-4-4z" />
    <path d="M9.5 10.5l5 5" />
  </Icon>
)
export const HandIcon = () => (
  <Icon>
    <path d="M8 13V5.5a1.5 1.5 0 0 1 3 0V12" />
    <path d="M11 11V4.5a1.5 1.5 0 0 1 3 0V12" />
    <path d="M14 11V6.5a1.5 1.5 0 0 1 3 0V14" />
    <path d="M8 13l-1.6-1.8a1.6 1.6 0 0 0-2.4 2.1L7.5 18a6 6 0 0 0 4.7 2.2H13a5 5 0 0 0 5-5V9.5a1.5 1.5 0 0 1 3 0" />
  </Icon>
)
export const UndoIcon = () => (
  <Icon>
    <path d="M9 14L4 9l5-5" />
    <path d="M4 9h10.5a5.5 5.5 0 0 1 0 11H11" />
  </Icon>
)
export const RedoIcon = () => (
  <Icon>
    <path d="M15 14l5-5-5-5" />
    <path d="M20 9H9.5a5.5 5.5 0 0 0 0 11H13" />
  </Icon>
)
export const OpenIcon = () => (
  <Icon>
    <path d="M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z" />
  </Icon>
)
export const SaveIcon = () => (
  <Icon>
    <path d="M12 4v11" />
    <path d="M7 10l5 5 5-5" />
    <path d="M5 20h14" />
  </Icon>
)
export const ExportIcon = () => (
  <Icon>
    <rect x="3" y="5" width="18" height="14" rx="2" />
    <circle cx="9" cy="10" r="1.5" />
    <path d="M21 16l-5-5-8 8" />
  </Icon>
)
export const LaserIcon = () => (
  <Icon>
    <circle cx="17" cy="7" r="2.2" />
    <path d="M4 20l9.5-9.5" />
    <path d="M17 2.5v1.2M21.5 7h-1.2M20.2 3.8l-.9.9M13.8 3.8l.9.9M20.2 10.2l-.9-.9" />
  </Icon>
)
export const PeopleIcon = () => (
  <Icon>
    <circle cx="9" cy="8" r="3.2" />
    <path d="M3 19.5a6 6 0 0 1 12 0" />
    <path d="M15.5 5.2a3 3 0 0 1 0 5.6" />
    <path d="M17.5 14.2a6 6 0 0 1 3.5 5.3" />
  </Icon>
)
export const ShareIcon = () => (
  <Icon>
    <circle cx="6" cy="12" r="2.4" />
    <circle cx="18" cy="6" r="2.4" />
    <circle cx="18" cy="18" r="2.4" />
    <path d="M8.2 10.9l7.6-3.8M8.2 13.1l7.6 3.8" />
  </Icon>
)
export const JoinIcon = () => (
  <Icon>
    <path d="M5 12.5a10 10 0 0 1 14 0" />
    <path d="M8 15.5a5.6 5.6 0 0 1 8 0" />
    <circle cx="12" cy="19" r="1.2" />
    <path d="M2 9.5a14.5 14.5 0 0 1 20 0" />
  </Icon>
)
export const EyeIcon = () => (
  <Icon>
    <path d="M2.5 12S6 5.5 12 5.5 21.5 12 21.5 12 18 18.5 12 18.5 2.5 12 2.5 12z" />
    <circle cx="12" cy="12" r="2.8" />
  </Icon>
)
export const SelectIcon = () => (
  <Icon>
    <path d="M6 3l12 9-5.5 1L15 19l-2.5 1.2-2.6-6L6 17z" />
  </Icon>
)
export const SettingsIcon = () => (
  <Icon>
    <circle cx="12" cy="12" r="3" />
    <path d="M12 2v3M12 19v3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M2 12h3M19 12h3M4.9 19.1L7 17M17 7l2.1-2.1" />
  </Icon>
)

export const HomeIcon = () => (
  <Icon>
    <path d="M4 11l8-7 8 7" />
    <path d="M6 9.5V20h12V9.5" />
    <path d="M10 20v-5h4v5" />
  </Icon>
)
/** A padlock, closed while the tool lock keeps the tool, open otherwise. */
export const LockIcon = ({ open = false }: { open?: boolean }) => (
  <Icon>
    <rect x="5" y="11" width="14" height="9" rx="2" />
    <path d={open ? 'M8 11V7a4 4 0 0 1 7.7-1.5' : 'M8 11V7a4 4 0 0 1 8 0v4'} />
  </Icon>
)
