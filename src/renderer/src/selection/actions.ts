import type { Board, BoardElement } from '../../../shared/board'
import { errorMessage } from '../../../shared/errors'
import { fitRect } from '../../../shared/geometry'
import {
  type Align,
  alignSelection,
  ClipboardError,
  canArrange,
  copyPayload,
  type Distribute,
  deleteSelection,
  distributeSelection,
  duplicateSelection,
  encodeClipboard,
  groupSelection,
  moveInZOrder,
  moveSelection,
  type PastePlace,
  parseClipboard,
  pasteElements,
  selectionBounds,
  toggleLocked,
  ungroupSelection,
  unlockWithGroups,
  type ZMove,
} from '../../../shared/selection'
import type { ViewportStore } from '../canvas/viewportStore'
import type { ElementQuery } from './elementQuery'
import type { SelectionStore } from './selectionStore'

/** What the selection's keys, menu and clipboard act on. */
export interface SelectionContext {
  board: Board
  store: SelectionStore
  viewport: ViewportStore
  /** The scene's index, once the canvas is up. */
  query(): ElementQuery | null
  readOnly(): boolean
  say(kind: 'info' | 'error', text: string): void
}

/** The selection's edits as the app offers them (keys, context menu): each one undo step, none for a viewer. */
export function selectionActions(ctx: SelectionContext) {
  const { board, store, viewport } = ctx
  const selected = () => store.get()
  const elements = (ids: readonly string[]): BoardElement[] =>
    ids.flatMap((id) => ctx.query()?.element(id) ?? board.readElement(id) ?? [])
  const writable = () => !ctx.readOnly() && selected().length > 0

  return {
    clear: () => store.clear(),
    /** Every unlocked element (Ctrl/Cmd+A). */
    selectAll: () => {
      const q = ctx.query()
      store.set(
        board.elementIds().filter((id) => {
          const el = q?.element(id)
          return el !== undefined && !el.locked && !(el.kind === 'stroke' && !el.done)
        }),
      )
    },
    // What is deleted leaves the selection now, not at the layer's next frame.
    delete: () => {
      if (!writable()) return
      deleteSelection(board, selected())
      store.clear()
    },
    duplicate: () => {
      if (!writable()) return
      try {
        store.set(duplicateSelection(board, selected()))
      } catch (err) {
        // Too much to send at once (shared/selection/paste.ts): nothing was written, the person is told why.
        if (!(err instanceof ClipboardError)) throw err
        ctx.say('error', err.message)
      }
    },
    zOrder: (move: ZMove) => {
      if (writable()) moveInZOrder(board, selected(), move)
    },
    /** Ctrl/Cmd+Shift+L: lock, or unlock when all are locked. */
    toggleLock: () => {
      if (writable()) toggleLocked(board, selected())
    },
    unlock: (ids: readonly string[]) => {
      if (ctx.readOnly()) return
      store.set(unlockWithGroups(board, ids))
    },
    group: () => {
      if (writable()) groupSelection(board, selected())
    },
    ungroup: () => {
      if (writable()) ungroupSelection(board, selected())
    },
    /** Arrow keys: 1 board unit, 10 with Shift. */
    nudge: (dx: number, dy: number) => {
      if (writable()) moveSelection(board, selected(), dx, dy, ctx.query() ?? undefined)
    },
    /** Whether the selection has the pieces to align (two) or distribute (three); groups count as one. */
    canArrange: (what: 'align' | 'distribute') => canArrange(elements(selected()), what),
    /** Lines the selection up on its bounds' edge or centre (one undo step). */
    align: (how: Align) => {
      if (writable()) alignSelection(board, selected(), how)
    },
    /** Spaces the selection evenly (one undo step). */
    distribute: (axis: Distribute) => {
      if (writable()) distributeSelection(board, selected(), axis)
    },
    /** Shift+2: the view fits the selection. */
    zoomToSelection: () => {
      const bounds = selectionBounds(elements(selected()))
      if (!bounds) return
      const { width, height } = viewport.screenSize()
      viewport.set(fitRect(bounds, width, height))
    },
    /** The clipboard text for the selection, or undefined when nothing is selected. */
    copyText: (): string | undefined => {
      const ids = selected()
      return ids.length > 0 ? encodeClipboard(copyPayload(board, ids)) : undefined
    },
    /** Cut: the copy is taken by the caller first; this deletes. */
    cutDone: () => {
      if (!writable()) return
      deleteSelection(board, selected())
      store.clear()
    },
    /** Pastes clipboard text if it is a Lanvas copy; returns whether it was one (even a refused one). */
    paste: (text: string, place: PastePlace): boolean => {
      let payload: ReturnType<typeof parseClipboard>
      try {
        payload = parseClipboard(text)
      } catch (err) {
        if (err instanceof ClipboardError) {
          ctx.say('error', err.message)
          return true
        }
        throw err
      }
      if (!payload) return false
      if (ctx.readOnly()) return true
      try {
        store.set(pasteElements(board, payload, place))
      } catch (err) {
        ctx.say('error', errorMessage(err))
      }
      return true
    },
  }
}

export type SelectionActions = ReturnType<typeof selectionActions>
