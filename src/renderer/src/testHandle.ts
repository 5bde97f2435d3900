import { type RefObject, useEffect, useRef } from 'react'
import type { Board } from '../../shared/board'
import { strokesDecoded } from '../../shared/elements/strokePoints'
import type { Viewport } from '../../shared/geometry'
import type { BoardScene } from './canvas/boardScene'
import type { ViewportStore } from './canvas/viewportStore'
import { exportWorkerCounts } from './export/workerCounts'
import type { SelectionStore } from './selection/selectionStore'

/** What e2e tests may read (`window.__lanvas`); nothing here is an API for the app itself. */
export interface LanvasTestHandle {
  readonly board: Board
  viewport(): Viewport
  boardToScreen(x: number, y: number): { x: number; y: number }
  /** Finished strokes currently in the drawn layer (the ones intersecting the view). */
  visibleElementCount(): number
  /** Strokes of the host's view preview drawn now, standing in for the board's own until it has come. */
  previewCount(): number
  /** Whether the host's overview of a large board is on screen now, under the scene, while the board comes. */
  overviewShown(): boolean
  /** The board rectangle of the host's overview while the page holds one (shown only when zoomed out enough). */
  overviewArea(): { minX: number; minY: number; maxX: number; maxY: number } | undefined
  /** How finished ink is drawn: 'tiles' when a dense board is zoomed out, else 'snapshot'. */
  drawingMode(): string
  /** Whether finished ink shows at its final detail for the view (nothing still rendering). */
  drawingSettled(): boolean
  /** Draws every element at full detail (no tiles, no centre lines), to compare the two drawings; false undoes it. */
  setFullDetail(on: boolean): void
  /**
   * Stops (true) or resumes the rendering of tiles and new snapshots, so a test sees what stands in for a view whose
   * drawing is still pending.
   */
  pauseRefinement(on: boolean): void
  /** This page's role in the session, when the host shares one. */
  role(): string | undefined
  /** The ids the select tool has selected. */
  selected(): readonly string[]
  /** The names of the people in the session, and of those who take over if the host leaves, in order. */
  people(): { participants: string[]; standbys: string[] }
  /** How many times the app and its presence layer have rendered (React), since the page loaded. */
  renders(): number
  /** How many times a stroke's points were decoded, since the page loaded. */
  strokesDecoded(): number
  /** How many times the scene drew a finished element (into its snapshot or a tile), since the board was shown. */
  elementsDrawn(): number
  /** How many times the scene drew its finished layer on screen (a blit of the snapshot or tiles), since the board was shown. */
  layerDraws(): number
  /** How many times the live layer (ink being drawn, by anyone) was drawn, whole or in part, since the board was shown. */
  liveLayerDraws(): number
  /** Device pixels the live layer's last partial redraw covered (a point of ink in progress). */
  lastLiveRedrawPx(): number
  /** Draws the whole live layer again now (to compare with what its partial redraws left). */
  redrawLiveLayer(): void
  /** The export's band workers this page has started since it loaded, how many run now, and the bands they drew. */
  exportWorkers(): { started: number; running: number; bands: number }
}

let renderCount = 0

/** Counts one React render of the app or its presence layer (read by e2e tests through `renders()`). */
export function countRender(): void {
  renderCount++
}

declare global {
  interface Window {
    __lanvas?: LanvasTestHandle
  }
}

/** Puts the read-only handle for e2e tests on the window while a board is shown. */
export function useTestHandle(
  board: Board | null,
  viewport: ViewportStore,
  selection: SelectionStore,
  scene: RefObject<BoardScene | null>,
  role: string | undefined,
  people: { participants: string[]; standbys: string[] } = { participants: [], standbys: [] },
): void {
  const roleRef = useRef(role)
  roleRef.current = role
  const peopleRef = useRef(people)
  peopleRef.current = people
  useEffect(() => {
    if (!board) return
    window.__lanvas = {
      board,
      viewport: () => viewport.get(),
      boardToScreen: (x, y) => viewport.toScreen(x, y),
      visibleElementCount: () => scene.current?.visibleElementCount() ?? 0,
      previewCount: () => scene.current?.previewCount() ?? 0,
      overviewShown: () => scene.current?.overviewShown() ?? false,
      overviewArea: () => scene.current?.overviewArea(),
      drawingMode: () => scene.current?.drawingMode() ?? 'snapshot',
      drawingSettled: () => scene.current?.settled() ?? false,
      setFullDetail: (on) => scene.current?.setFullDetail(on),
      pauseRefinement: (on) => scene.current?.pauseRefinement(on),
      role: () => roleRef.current,
      selected: () => selection.get(),
      people: () => peopleRef.current,
      renders: () => renderCount,
      strokesDecoded: () => strokesDecoded(),
      elementsDrawn: () => scene.current?.elementsDrawn() ?? 0,
      layerDraws: () => scene.current?.layerDraws() ?? 0,
      liveLayerDraws: () => scene.current?.liveLayerDraws() ?? 0,
      lastLiveRedrawPx: () => scene.current?.lastLiveRedrawPx() ?? 0,
      redrawLiveLayer: () => scene.current?.redrawLiveLayer(),
      exportWorkers: exportWorkerCounts,
    }
    return () => {
      if (window.__lanvas?.board === board) delete window.__lanvas
    }
  }, [board, viewport, selection, scene])
}
