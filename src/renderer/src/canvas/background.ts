import type { Board } from '../../../shared/board'
import { isBoardColor } from '../../../shared/board'
import { inkColor } from '../../../shared/export/color'
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
 * How far the pattern may be scaled from the spacing it was rasterised at while the view moves (dots of 0.75–1.4 px)
 * before it is rasterised again: a zoom by wheel re-rasterises it every 7–8 notches instead of on each one.
 */
const MIN_SCALE = 0.75
const MAX_SCALE = 1.4

/** How long the view stays still before a scaled pattern is rasterised crisp again at its exact spacing. */
export const PAPER_SETTLE_MS = 150

/** The paper's pattern for a view: its spacing on screen and where (on screen) a dot or line crossing lies. */
export function paperGrid(view: Viewport): { gap: number; originX: number; originY: number } {
  // Halve or double the spacing (it stays aligned to the board) so the pattern is 12–48 px apart at any zoom.
  let gap = GRID_SPACING * view.zoom
  while (gap > 48) gap /= 2
  while (gap < 12) gap *= 2
  return { gap, originX: -view.x * view.zoom, originY: -view.y * view.zoom }
}

/**
 * The paper under the board: its colour and the person's pattern, aligned to the board; on the dark theme, in the
 * colours its filter would give them (the stage itself is not filtered: images keep their colours).
 *
 * The pattern is a layer of its own, placed by a CSS transform: a translation below one cell and a scale from the
 * spacing it was rasterised at (`rastered`, in px). A pan moves the layer in the compositor, and a zoom scales it
 * until it is more than MIN_SCALE–MAX_SCALE off, so the raster thread paints it again only then and once the view
 * settles (map viewers do the same with their tiles). Before, a view change set `background-position`/`-size` on
 * the stage, so every frame of a pan or zoom repainted a full-screen gradient (issue 9, zooming; performance.md).
 */
export function backgroundStyle(
  color: string,
  grid: GridKind,
  view: Viewport,
  dark = false,
  rastered = paperGrid(view).gap,
): Record<string, string> {
  const shown = (c: string) => inkColor(c, dark)
  const { gap, originX, originY } = paperGrid(view)
  const scale = gap / rastered
  const dot = shown('#d4d7de')
  const line = shown('#e3e6eb')
  const image =
    grid === GridKind.Dots
      ? `radial-gradient(circle, ${dot} 1px, transparent 1.2px)`
      : grid === GridKind.Lines
        ? `linear-gradient(to right, ${line} 1px, transparent 1px), linear-gradient(to bottom, ${line} 1px, transparent 1px)`
        : 'none'
  // Dots sit in the middle of their cell, lines on its edge: both on the layer's origin, which is moved onto a
  // crossing of the board's grid in (-gap, 0] of the screen's edge (whole device pixels: a still view stays crisp).
  const shift = grid === GridKind.Dots ? rastered / 2 : 0
  const px = globalThis.devicePixelRatio || 1
  const phase = (origin: number) => {
    const m = origin % gap
    return Math.round((m > 0 ? m - gap : m) * px) / px
  }
  return {
    backgroundColor: shown(color),
    backgroundImage: image,
    backgroundSize: `${rastered}px ${rastered}px`,
    backgroundPosition: `${-shift}px ${-shift}px`,
    transform: `translate(${phase(originX)}px, ${phase(originY)}px) scale(${scale})`,
  }
}

/**
 * Keeps the paper under the canvas in step with the board's colour, the person's pattern and the view: a layer of
 * its own under the stage's canvases (`data-testid="board-paper"`), moved by the compositor (see backgroundStyle).
 */
export class CanvasBackground {
  private readonly offView: () => void
  private readonly offPrefs: () => void
  private readonly paper: HTMLDivElement
  private last: Record<string, string> = {}
  /** The spacing (px) the pattern is rasterised at now, while a moving view scales it. */
  private rastered = 0
  private settle: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly element: HTMLElement,
    private readonly board: Board,
    private readonly viewport: ViewportStore,
  ) {
    this.paper = document.createElement('div')
    this.paper.className = 'board-paper'
    this.paper.dataset.testid = 'board-paper'
    element.prepend(this.paper)
    this.offView = viewport.subscribe(this.onView)
    this.offPrefs = canvasPrefs.subscribe(this.crisp)
    board.meta.observe(this.crisp)
    this.crisp()
  }

  destroy(): void {
    clearTimeout(this.settle)
    this.offView()
    this.offPrefs()
    this.board.meta.unobserve(this.crisp)
    this.paper.remove()
  }

  /** The view moved: the pattern is scaled while it can be, and made crisp once the view is still. */
  private readonly onView = (): void => {
    const { gap } = paperGrid(this.viewport.get())
    const scale = gap / this.rastered
    if (!(scale >= MIN_SCALE && scale <= MAX_SCALE)) this.rastered = gap
    this.apply()
    clearTimeout(this.settle)
    if (this.rastered !== gap) this.settle = setTimeout(this.crisp, PAPER_SETTLE_MS)
  }

  private readonly crisp = (): void => {
    clearTimeout(this.settle)
    this.rastered = paperGrid(this.viewport.get()).gap
    this.apply()
  }

  private apply(): void {
    const prefs: CanvasPrefs = canvasPrefs.get()
    const colour = boardBackground(this.board)
    const style = backgroundStyle(colour, prefs.grid, this.viewport.get(), prefs.dark, this.rastered)
    // Only what changed is set: a pan changes the transform alone, which the compositor applies without a repaint.
    for (const [key, value] of Object.entries(style)) {
      if (this.last[key] === value) continue
      ;(this.paper.style as unknown as Record<string, string>)[key] = value
    }
    this.last = style
    // The stage keeps the paper's colour too (what shows under it, and what a test reads as the board's colour).
    this.element.style.backgroundColor = style.backgroundColor as string
    this.element.dataset.background = colour
  }
}
