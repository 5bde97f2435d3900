import { Icon } from './icons'

// Align and distribute icons: a guide line and the boxes lined up on it (the shapes of Excalidraw's and tldraw's).

export const AlignLeftIcon = () => (
  <Icon>
    <path d="M4 3v18" />
    <rect x="7" y="6" width="12" height="4" rx="1" />
    <rect x="7" y="14" width="7" height="4" rx="1" />
  </Icon>
)
export const AlignCenterIcon = () => (
  <Icon>
    <path d="M12 3v18" />
    <rect x="5" y="6" width="14" height="4" rx="1" />
    <rect x="8" y="14" width="8" height="4" rx="1" />
  </Icon>
)
export const AlignRightIcon = () => (
  <Icon>
    <path d="M20 3v18" />
    <rect x="5" y="6" width="12" height="4" rx="1" />
    <rect x="10" y="14" width="7" height="4" rx="1" />
  </Icon>
)
export const AlignTopIcon = () => (
  <Icon>
    <path d="M3 4h18" />
    <rect x="6" y="7" width="4" height="12" rx="1" />
    <rect x="14" y="7" width="4" height="7" rx="1" />
  </Icon>
)
export const AlignMiddleIcon = () => (
  <Icon>
    <path d="M3 12h18" />
    <rect x="6" y="5" width="4" height="14" rx="1" />
    <rect x="14" y="8" width="4" height="8" rx="1" />
  </Icon>
)
export const AlignBottomIcon = () => (
  <Icon>
    <path d="M3 20h18" />
    <rect x="6" y="5" width="4" height="12" rx="1" />
    <rect x="14" y="10" width="4" height="7" rx="1" />
  </Icon>
)
export const DistributeHorizontallyIcon = () => (
  <Icon>
    <path d="M3 4v16M21 4v16" />
    <rect x="9" y="7" width="6" height="10" rx="1" />
  </Icon>
)
export const DistributeVerticallyIcon = () => (
  <Icon>
    <path d="M4 3h16M4 21h16" />
    <rect x="7" y="9" width="10" height="6" rx="1" />
  </Icon>
)
