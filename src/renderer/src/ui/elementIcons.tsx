import { Icon } from './icons'

// Icons of the element tools, in the same box and stroke as icons.tsx.
export const RectangleIcon = () => (
  <Icon>
    <rect x="4" y="6" width="16" height="12" rx="1.5" />
  </Icon>
)
export const EllipseIcon = () => (
  <Icon>
    <ellipse cx="12" cy="12" rx="8.5" ry="6.5" />
  </Icon>
)
export const LineIcon = () => (
  <Icon>
    <path d="M5 19L19 5" />
  </Icon>
)
export const ArrowIcon = () => (
  <Icon>
    <path d="M5 19L19 5" />
    <path d="M10 5h9v9" />
  </Icon>
)
export const TextIcon = () => (
  <Icon>
    <path d="M5 6V4.5h14V6" />
    <path d="M12 4.5v15" />
    <path d="M9 19.5h6" />
  </Icon>
)
export const NoteIcon = () => (
  <Icon>
    <path d="M4.5 4.5h15v10l-5 5h-10z" />
    <path d="M19.5 14.5h-5v5" />
  </Icon>
)
export const ImageIcon = () => (
  <Icon>
    <rect x="3.5" y="5" width="17" height="14" rx="2" />
    <circle cx="9" cy="10" r="1.6" />
    <path d="M20.5 16l-5-5-8.5 8" />
  </Icon>
)
export const FrameIcon = () => (
  <Icon>
    <path d="M7 3.5v17M17 3.5v17M3.5 7h17M3.5 17h17" />
  </Icon>
)
