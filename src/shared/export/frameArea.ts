import type { Board } from '../board'
import { frameLabel, frameRect, isFrame } from '../elements/frame'
import type { FrameElement } from '../elements/types'
import type { Rect } from '../geometry'
import { boardFrames, boardLookup, membersOf } from '../selection/frames'
import { ExportError } from './options'

/** What exporting a frame draws: its members, cut to its area (the frame's own outline and name are left out). */
export interface FrameArea {
  rect: Rect
  members: ReadonlySet<string>
}

/** The area and members of the frame `id` of a board; ExportError when the board has no such frame. */
export function exportedFrame(board: Board, id: string | undefined): FrameArea {
  const frame = id === undefined ? undefined : board.readElement(id)
  if (!isFrame(frame)) throw new ExportError('That frame is no longer on the board.')
  return { rect: frameRect(frame), members: new Set(membersOf(board, boardLookup(board), frame)) }
}

/**
 * The frame a person named (`npm run export -- --frame NAME`): the one whose name is `name`, ignoring case and
 * spaces around it. ExportError, listing the board's frames, when none or more than one is.
 */
export function frameNamed(board: Board, name: string): FrameElement {
  const frames = boardFrames(board)
  const wanted = name.trim().toLowerCase()
  const found = frames.filter((f) => frameLabel(f).trim().toLowerCase() === wanted)
  if (found.length === 1) return found[0] as FrameElement
  const names = frames.map((f) => `"${frameLabel(f)}"`).join(', ')
  if (found.length > 1)
    throw new ExportError(`${found.length} frames are named "${name}": rename one of them to export it.`)
  throw new ExportError(
    frames.length === 0
      ? `The board has no frames, so none is named "${name}".`
      : `No frame is named "${name}"; the board's frames are ${names}.`,
  )
}
