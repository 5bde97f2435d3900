// A frame's look and its name's place: apart from ./frame.ts so that ./transform.ts can count the name in a frame's
// bounds without an import cycle.
import { LINE_HEIGHT, textWidth } from './text'
import type { FrameElement } from './types'

/** How a frame looks: a thin grey outline, its name in small grey letters above its top-left corner. */
export const FRAME_LOOK = {
  stroke: '#868e96',
  strokeWidth: 1,
  labelColor: '#868e96',
  labelFontSize: 14,
  labelFontFamily: 'sans-serif',
  /** Board units between the label's bottom and the frame's top. */
  labelGap: 4,
} as const

/** What the label of a frame without a name says. */
export const UNNAMED_FRAME = 'Frame'

/** The text a frame's label shows. */
export function frameLabel(frame: FrameElement): string {
  return frame.name.trim() === '' ? UNNAMED_FRAME : frame.name
}

/** The box of a frame's label, relative to the frame's top-left corner: it sits just above it. */
export function frameLabelBox(frame: FrameElement): { x: number; y: number; width: number; height: number } {
  const size = FRAME_LOOK.labelFontSize
  const height = size * LINE_HEIGHT
  const width = textWidth(frameLabel(frame), size, FRAME_LOOK.labelFontFamily)
  return { x: 0, y: -FRAME_LOOK.labelGap - height, width, height }
}
