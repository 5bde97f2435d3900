import type { Board } from '../../../shared/board'
import { isBoardColor } from '../../../shared/board'
import { inkColor } from '../../../shared/export'
import type { Viewport } from '../../../shared/geometry'
import { type CanvasPrefs, canvasPrefs, GridKind } from './backgroundPrefs'
import type { ViewportStore } from './viewportStore'

/** The board's `meta` key holding its background colour (#rrggbb): part of the board, synced and saved. */
export const BACKGROUND_KEY = 'background'
/** The background of a board that never chose one. */
export const DEFAULT_BACKGROUND = '#ffffff'
/** The colours the canvas options offer (Excalidraw's light backgrounds). */
export const BACKGROUND_PRESETS = ['#ffffff', '#f8f9fa', '#f5faff', '#fffce8', '#fdf8f6'] as const

/** Spacing of the dots or lines in board units at 100% (and of the grid a move snaps to). */
export const GRID_SPACING = 24

/** A board's background colour; anything malformed a peer wrote reads as the default. */
export function boardBackground(board: Board): string {
  const c = board.meta.get(BACKGROUND_KEY)
  return isBoardColor(c) ? c : DEFAULT_BACKGROUND
}

/** Sets a board's background colour for everyone on it (not an undo step: it is the paper, not the drawing). */
export function setBoardBackground(board: Board, color: string): void {
  if (!isBoardColor(color)) throw new Error(`${color} is not a colour (#rrggbb)`)
  if (boardBackground(board) === color) return
  board.transact(() => board.meta.set(BACKGROUND_KEY, color))
}

/**
 * The CSS background of the canvas: the board's colour and the person's pattern, aligned to the board; on the dark
 * theme, in the colours its filter would give them (the stage itself is not filtered: images keep their colours).
 */
export function backgroundStyle(
  color: string,
  grid: GridKind,
  view: Viewport,
  dark = false,
): Record<string, string> {
  const shown = (c: string) => inkColor(c, dark)
  // Halve or double the spacing (it stays aligned to the board) so the pattern is 12–48 px apart at any zoom.
  let gap = GRID_SPACING * view.zoom
  while (gap > 48) gap /= 2
  while (gap < 12) gap *= 2
  const dot = shown('#d4d7de')
  const line = shown('#e3e6eb')
  const image =
    grid === GridKind.Dots
      ? `radial-gradient(circle, ${dot} 1px, transparent 1.2px)`
      : grid === GridKind.Lines
        ? `linear-gradient(to right, ${line} 1px, transparent 1px), linear-gradient(to bottom, ${line} 1px, transparent 1px)`
        : 'none'
  // Dots sit in the middle of their cell; lines on its edge, so both land on multiples of the spacing.
  const shift = grid === GridKind.Dots ? gap / 2 : 0
  return {
    backgroundColor: shown(color),
    backgroundImage: image,
    backgroundSize: `${gap}px ${gap}px`,
    backgroundPosition: `${-view.x * view.zoom - shift}px ${-view.y * view.zoom - shift}px`,
  }
}

/** Keeps the canvas element's background in step with the board's colour, the person's pattern and the view. */
export class CanvasBackground {
  private readonly offView: () => void
  private readonly offPrefs: () => void

  constructor(
    private readonly element: HTMLElement,
    private readonly board: Board,
    private readonly viewport: ViewportStore,
  ) {
    this.offView = viewport.subscribe(this.apply)
    this.offPrefs = canvasPrefs.subscribe(this.apply)
    board.meta.observe(this.apply)
    this.apply()
  }

  destroy(): void {
    this.offView()
    this.offPrefs()
    this.board.meta.unobserve(this.apply)
  }

  private readonly apply = (): void => {
    const prefs: CanvasPrefs = canvasPrefs.get()
    const style = backgroundStyle(boardBackground(this.board), prefs.grid, this.viewport.get(), prefs.dark)
    Object.assign(this.element.style, style)
    this.element.dataset.background = boardBackground(this.board)
  }
}
