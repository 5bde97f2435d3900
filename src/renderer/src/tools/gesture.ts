import type { Board } from '../../../shared/board'
import type { BoardScene } from '../canvas/boardScene'
import type { ViewportStore } from '../canvas/viewportStore'
import type { SelectionLayer } from '../selection/selectionLayer'
import type { SelectionStore } from '../selection/selectionStore'
import type { ToolStyle } from './style'

/** One pointer sample as a tool sees it. */
export interface PointerInput {
  /** Board units. */
  x: number
  y: number
  /** Pixels from the canvas's top left corner. */
  screenX: number
  screenY: number
  /** 0..1, the mouse pressure for mice and pens that report none (see samplePressure). */
  pressure: number
  pointerType: string
  /** 0 main, 1 middle. */
  button: number
  shift: boolean
  alt: boolean
  /** Ctrl, or Cmd on a Mac. */
  mod: boolean
}

/** One press-drag-release of a tool. */
export interface Gesture {
  /** `samples` are the pointer's coalesced samples since the last move, the last one being `input`. */
  move(input: PointerInput, samples: readonly PointerInput[]): void
  up(input: PointerInput): void
  /** A second finger made the press a pinch: what only this gesture made is taken back where that is safe. */
  cancel(): void
  /** The element the gesture made, once up (a click that drew nothing made none); a used-once tool hands back. */
  made?(): string | undefined
}

/** What tools act on: the board, the view, and the canvas's parts; read when a press starts. */
export interface ToolContext {
  board: Board
  viewport: ViewportStore
  /** The scene's index, once the canvas is up. */
  scene: BoardScene | null
  style: ToolStyle
  /** The select tool's drawing (handles, outlines, marquee), when the page has a selection. */
  selection: SelectionLayer | null
  store: SelectionStore | undefined
  readOnly: boolean
  /** Edits a text or note in place. */
  edit(target: { id: string; fresh: boolean }): void
  /** A pan is under way (the cursor grabs). */
  setPanning(on: boolean): void
}

/** A tool of the toolbar as the canvas drives it: the canvas holds no tool's logic. */
export interface CanvasTool {
  /** The CSS cursor over the canvas. */
  readonly cursor: string
  /** A press: the gesture it starts, or null when the press did all there was to do. */
  down(input: PointerInput, ctx: ToolContext): Gesture | null
  /** The pointer moves with no button down. */
  hover?(input: PointerInput, ctx: ToolContext): void
  /** A press Konva handles itself (a Transformer handle): the canvas must not touch its events. */
  leavesToKonva?(input: PointerInput, ctx: ToolContext): boolean
  /** Right-click at a point; `client` is where the menu opens. */
  contextMenu?(input: PointerInput, ctx: ToolContext, client: { x: number; y: number }): void
}
