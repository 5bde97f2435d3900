import type { Board, FrameElement } from '../../../shared/board'
import { frameLabel, isFrame } from '../../../shared/elements/frame'
import { boardFrames } from '../../../shared/selection'

/** The board's frames, and the one the export starts on: the selection when it is one frame. */
export function exportFrames(
  board: Board,
  selection: readonly string[],
): { frames: FrameElement[]; chosen: string | undefined } {
  const frames = boardFrames(board)
  const only = selection.length === 1 ? board.readElement(selection[0] as string) : undefined
  return { frames, chosen: isFrame(only) ? only.id : undefined }
}

export interface ExportFrameChoicesProps {
  frames: readonly FrameElement[]
  /** The frame exported now, if the area is a frame. */
  chosen: string | undefined
  onChoose(id: string): void
}

/** Each frame of the board as an area of the export dialog ("export this frame"), by its name. */
export function ExportFrameChoices({ frames, chosen, onChoose }: ExportFrameChoicesProps) {
  return frames.map((f) => (
    <button
      key={f.id}
      type="button"
      aria-pressed={chosen === f.id}
      className={`text-button${chosen === f.id ? ' active' : ''}`}
      data-testid={`export-frame-${f.id}`}
      title={`Only what is in the frame ${frameLabel(f)}, at its size`}
      onClick={() => onChoose(f.id)}
    >
      {frameLabel(f)}
    </button>
  ))
}
