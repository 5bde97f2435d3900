import type { ReactNode } from 'react'
import type { Board } from '../../../shared/board'
import type { CommandDefinition } from '../../../shared/commands'
import type { SelectionActions } from '../selection/actions'
import type { Tool } from '../tools/tool'

/** What commands read and act on: the page's state when the command runs. */
export interface CommandContext {
  board: Board | null
  viewOnly: boolean
  tool: Tool
  setTool(tool: Tool): void
  /** A tool's own command: the tool, as its key means it (P: the pen, not the highlighter). */
  pickTool(tool: Tool): void
  /** Shift+P, Shift+E: flips a style flag and picks its tool. */
  toggleStyle(flag: 'highlighter' | 'partialEraser'): void
  selection: SelectionActions | null
  hasSelection(): boolean
  /** The one selected element has words to edit in place (a text, a note, a shape's or arrow's label). */
  canEditSelected(): boolean
  /** Opens the in-place editor on the one selected element. */
  editSelected(): void
  /** The locked element the context menu was opened on, for Unlock. */
  lockedId?: string
  /** The export dialog is open. */
  exporting: boolean
  openExport(): void
  copyImage(): void
  save(): void
  open(): void
  zoomBy(factor: number): void
  resetZoom(): void
  zoomToFit(): void
  /** Opens the list of the board's frames ("Go to frame"). */
  openFrames(): void
  following: boolean
  stopFollowing(): void
  /** Space went down: the hand until it comes up. */
  holdHand(): void
}

/** How a command was asked for: by a key with or without Shift (arrows nudge 10 with it), or by a click. */
export interface Trigger {
  shift: boolean
}

/** One command of the app: the shared definition plus what it looks like and does in the page. */
export interface Command extends CommandDefinition {
  readonly icon?: ReactNode
  enabledWhen(ctx: CommandContext): boolean
  perform(ctx: CommandContext, trigger: Trigger): void
}
