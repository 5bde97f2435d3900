/**
 * The board on screen: keeps Konva nodes in step with the Y.Doc (finished elements in one layer, ink being
 * drawn in another), culls to the view with an rbush index and draws only what changed. Over 400 lines because
 * observing the document, culling and redrawing are one loop whose parts share its caches.
 */
import type Konva from 'konva'
import { SceneCanvas } from 'konva/lib/Canvas'
import { Konva as KonvaGlobal } from 'konva/lib/Global'
import { Shape } from 'konva/lib/Shape'
import type * as Y from 'yjs'
import {
  type Board,
  type BoardElement,
  ElementKind,
  elementRect,
  readElement,
  type Stroke,
} from '../../../shared/board'
import { appendedIds } from '../../../shared/elements/appended'
import { isFlatRecord } from '../../../shared/elements/entry'
import { withoutLabel } from '../../../shared/elements/label'
import { idsInRecords } from '../../../shared/elements/moves'
import {
  CONTENT_KEYS,
  flatRecordChange,
  PLACEMENT_KEYS,
  withKeys,
  withPlacement,
} from '../../../shared/elements/read'
import { idsInStyleRecords } from '../../../shared/elements/styles'
import {
  drawnInPlace,
  isIdentity,
  type NodeTransform,
  nodeTransform,
} from '../../../shared/elements/transform'
import { darkModeColor, exportedElement } from '../../../shared/export/color'
import { grownRect, type Rect, rectsIntersect } from '../../../shared/geometry'
import { POINT_STRIDE } from '../../../shared/points'
import {
  centreLineWidth,
  ElementIndex,
  type ElementNode,
  elementNode,
  images,
  strokeOutline,
  strokePath,
  traceCentreLine,
  updateElementNode,
} from '../../../shared/scene'
import { rectContains } from '../../../shared/selection'
import type { BoardPreview } from '../../../shared/sync/preview'
import { type OverviewLayer, type OverviewPicture, showsSharp } from './overviewLayer'
import { type DrawTarget, flush, TilePyramid } from './tilePyramid'

/** How long the view must stay still before finished ink is redrawn sharp at the new zoom (ms). */
export const SETTLE_MS = 120
/** Ink drawn beyond each screen edge (fraction of the screen), so a short pan reveals ink, not blank paper. */
const MARGIN = 0.35
/** A view change redraws at once, even mid-gesture, when it needs no more elements than this (a few ms). */
const CHEAP_ELEMENTS = 1500
/** Strokes smaller than this on screen (px) are drawn as a dot: their outline would fill the same pixels. */
const DOT_PX = 2
/** Past this many pending area redraws one full redraw is cheaper. */
const MAX_AREAS = 64
/**
 * Below 1 device px per unit, ink thinner than this on screen (device px) is drawn as its centre line: its outline
 * would cover the same pixels, at many times the cost. At 100 % every pen width (2 and up) keeps its outline.
 */
const CENTRE_LINE_PX = 2
/** Centre-line points nearer than this (device px) to the last one drawn are left out. */
const CENTRE_LINE_TOLERANCE_PX = 0.5
/** Above this scale (device px per unit) tiles leave time over, outlines of the view's ink are traced ahead of need. */
const OUTLINES_AHEAD_SCALE = 0.2
/**
 * Time a frame gives to rendering tiles or a new snapshot (ms, pixels included: see tilePyramid.ts): the rest of
 * 16.7 ms is for blitting and the browser.
 */
const FRAME_BUDGET_MS = 4
/**
 * The same once the view has been still for SETTLE_MS: nothing moves on screen, so tiles take more of each frame
 * (a zoom to fit of a 100,000-stroke board holds ~2.4 s of tile drawing: 10 s at 4 ms a frame, 4 s at 10 ms), and a
 * frame still ends within 16.7 ms (the blit and the browser's share take ~2 ms here). With idle time (IDLE_TIME), the
 * length of each slice of it.
 */
const STILL_FRAME_BUDGET_MS = 10
/**
 * Whether the browser tells the page's idle time (requestIdleCallback; not Safari): a still view's tiles are then
 * drawn in it, in slices of STILL_FRAME_BUDGET_MS, instead of in frames: a frame is only a blit, and what else the page
 * has to do (a streamed board's parts) goes first. Without it, frames draw them as a moving view's do.
 */
const IDLE_TIME = typeof requestIdleCallback === 'function'
/** The longest a still view's tiles wait for idle time before a slice runs anyway (ms): a busy page still draws. */
const IDLE_TIMEOUT_MS = 100
/** Packing of a z-order place with an index into one sortable number (2^21 · 2^31 < 2^53: exact). */
const PACK = 2 ** 21
/** The place of an id not in the z-order (after every real one). */
const UNPLACED = 2 ** 31 - 1
/** Points before a stroke's new ones whose outline a new point may change (see grownTip). */
const TIP_POINTS = 6
/**
 * Points a stroke has before only its tip is redrawn: the pen's outline takes its starting pressure from the first 10
 * (perfect-freehand), so until then a new point may change it all.
 */
const SETTLED_POINTS = 16
/** Elements drawn into a snapshot between two flushes of its pixels. */
const FLUSH_EVERY = 4

/** What changed in an element, least to most: where it is, other keys (a restyle), or its content. */
const Change = { Placement: 0, Keys: 1, Content: 2 } as const
type Change = (typeof Change)[keyof typeof Change]
const RECORD_CHANGE = { placement: Change.Placement, keys: Change.Keys, content: Change.Content } as const

interface Entry {
  element: BoardElement
  /** False only for a stroke still being drawn (it lives in the live layer, not the snapshot). */
  finished: boolean
  bounds: Rect
  /**
   * Filled outline of a plain finished stroke in its own frame; traced when it is first drawn, dropped when its
   * points change (a move, turn or stretch keeps it).
   */
  path: Path2D | null
  /** Where a plain stroke's own frame lies on the board, or null when it is drawn where its points are. */
  placement: NodeTransform | null
  /** Konva node of a stroke still being drawn (the live layer). */
  shape: Konva.Shape | null
  /** The scene node that draws anything but a plain stroke into the snapshot (shared/scene, as export draws). */
  node: ElementNode | null
}

/** A stroke drawn by the fast path: opaque, plain ink, filled from its cached outline wherever it is placed. */
/** Whether two reads of an element draw the same: every key equal, points and other arrays value for value. */
function sameElement(a: BoardElement, b: BoardElement): boolean {
  const x = a as unknown as Record<string, unknown>
  const y = b as unknown as Record<string, unknown>
  const keys = Object.keys(x)
  if (keys.length !== Object.keys(y).length) return false
  for (const key of keys) {
    const u = x[key]
    const v = y[key]
    if (u === v) continue
    if (ArrayBuffer.isView(u) && ArrayBuffer.isView(v)) {
      const p = u as unknown as ArrayLike<number>
      const q = v as unknown as ArrayLike<number>
      if (p.length !== q.length) return false
      for (let i = 0; i < p.length; i++) if (p[i] !== q[i]) return false
      continue
    }
    if (typeof u !== 'object' || typeof v !== 'object' || JSON.stringify(u) !== JSON.stringify(v))
      return false
  }
  return true
}

function isPlainStroke(el: BoardElement): el is Stroke {
  return el.kind === ElementKind.Stroke && el.highlighter !== true && el.opacity === 1
}

/** Where a plain stroke is drawn: null at its stored points (checked without a pass over its points). */
function placementOf(el: Stroke): NodeTransform | null {
  if (drawnInPlace(el)) return null
  const t = nodeTransform(el)
  return isIdentity(t) ? null : t
}

/** Finished ink rendered once into a bitmap covering `rect` (the view plus a margin) at `scale` device px per unit. */
type Snapshot = DrawTarget

/**
 * Keeps two Konva layers in step with a board, without React. Finished elements are drawn into a snapshot bitmap
 * of the view plus a margin; the `finished` layer only blits it. While the view moves the bitmap is moved and
 * scaled as it is, and redrawn sharp when the view settles (at once if that is cheap), so a pan over 10,000
 * elements costs one image per frame. Board edits redraw only the area they touch. Strokes still being drawn,
 * by anyone, are Konva shapes in `live`, so a pen move redraws only them.
 */
export class BoardScene {
  readonly index = new ElementIndex()
  private readonly entries = new Map<string, Entry>()
  private readonly liveIds = new Set<string>()
  private orderPos = new Map<string, number>()
  /** Length of the z-order array (ids repeated in it included) when orderPos was last brought up to date. */
  private orderLength = 0
  private view: Rect = { minX: 0, minY: 0, maxX: 0, maxY: 0 }
  /** When the view last changed (performance.now()): a still view gives tiles a larger share of each frame. */
  private viewChangedAt = 0
  private snapshot: Snapshot | null = null
  /**
   * The next snapshot while it renders over several frames (the view moved onto more ink than one frame draws); the
   * current one, scaled, shows meanwhile and is swapped for it when it is done.
   */
  private pending: { target: Snapshot; ids: string[]; next: number } | null = null
  /** The bitmap the next snapshot renders into (the one the last snapshot swap freed). */
  private spareSnapshot: SceneCanvas | null = null
  /** Refinement stopped (tests look at the stand-ins of a view still rendering). */
  private paused = false
  private needsFull = true
  private areas: Rect[] = []
  /**
   * Finished elements new to the scene since the last frame (most often a part of a board streamed in): the snapshot
   * redraws their areas; tiles draw them over what they show when they lie on top (tilePyramid.ts append).
   */
  private added: string[] = []
  /** Finished elements to paint over the snapshot as they are (nothing above them overlaps). */
  private raised: string[] = []
  private liveDirty = true
  /**
   * Board area whose live ink changed since the live layer was last drawn (the changed strokes' old and new
   * bounds), or null when the whole layer must be drawn (a stroke came or went, the order or the view changed).
   */
  private liveArea: Rect | null = null
  private frame = 0
  private settleTimer: ReturnType<typeof setTimeout> | undefined
  private readonly ink: Konva.Shape
  /**
   * Where the view holds more than CHEAP_ELEMENTS elements (a dense board zoomed out), finished ink is drawn from
   * tiles per zoom level (./tilePyramid.ts) instead of the snapshot.
   */
  private readonly tiles = new TilePyramid({
    idsIn: (rect) => this.drawnIn(rect),
    drawOne: (target, id) => this.drawElement(target, id),
    renderArea: (target, area) => this.renderArea(target, area),
    boundsOf: (id) => this.entries.get(id)?.bounds,
    placeOf: (id) => Math.min(this.orderPos.get(id) ?? UNPLACED, UNPLACED),
  })
  private tiled = false
  /** Tiles of the view not rendered when it was last drawn. */
  private tilesPending = 0
  /** False once the snapshot no longer shows the board (content changed while tiles were drawn). */
  private snapshotValid = false
  /** Every element at full detail, never tiles or centre lines (tests compare the two drawings). */
  private fullDetail = false
  /** Elements not drawn because someone edits them in place (a text under its editor). */
  private hidden = new Set<string>()
  /** The shape whose label is edited in place: drawn without it, so the words show once. */
  private labelHidden: string | null = null
  private readonly offImages: () => void
  /**
   * Strokes of the host's view preview drawn while the board comes (not in the board yet): read-only, left out of
   * what the tools and selection see, each replaced by the board's own element when it arrives.
   */
  private readonly previewIds = new Set<string>()
  /** Finished elements drawn so far (elementsDrawn). */
  private drawnCount = 0
  /** Times the finished layer was drawn on screen (layerDraws). */
  private blitCount = 0
  /** Times the live layer was drawn, whole or in part (liveLayerDraws). */
  private liveDrawCount = 0
  /** Device pixels the live layer's last partial redraw cleared and drew (lastLiveRedrawPx). */
  private liveAreaPx = 0
  private readonly offPreview: () => void
  private overview: OverviewLayer | undefined
  /**
   * The host's overview picture, kept after the board came (the overview ended) to stand in under the view's tiles
   * still to draw, as its layer did while the board came; dropped once they are drawn, an edit comes or the view
   * leaves tiles.
   */
  private picture: OverviewPicture | null = null
  /**
   * The idle callback that renders a still view's tiles (requestIdleCallback; 0: none asked): what else the page has to
   * do (the parts of a board streamed in while the overview stands in for its tiles) goes first.
   */
  private idle = 0
  /** The idle period a slice of tiles goes on in, after a task of its own (idleSlice). */
  private idleLeft: IdleDeadline | null = null
  private readonly idleTurn = new MessageChannel()
  /**
   * Whether the page shows the dark theme. The finished layer draws it itself, with the colours a dark export has
   * (images as they are), rather than through the stage's CSS filter, which no inverse can undo for saturated colours.
   */
  private dark = isDarkTheme()
  private readonly themeWatch = new MutationObserver(() => {
    if (this.dark === isDarkTheme()) return
    this.dark = isDarkTheme()
    for (const entry of this.entries.values()) {
      if (!entry.node) continue
      entry.node.destroy()
      entry.node = this.finishedNode(entry.element)
    }
    this.redrawAll()
  })

  constructor(
    private readonly board: Board,
    private readonly finished: Konva.Layer,
    private readonly live: Konva.Layer,
    private readonly preview?: BoardPreview,
  ) {
    this.idleTurn.port1.onmessage = () => {
      const idle = this.idleLeft
      this.idleLeft = null
      if (idle) this.idleSlice(idle)
    }
    this.ink = new Shape({
      listening: false,
      perfectDrawEnabled: false,
      sceneFunc: (ctx) => this.blit(ctx._context),
    })
    finished.add(this.ink)
    live.on('draw.scene', () => this.liveDrawCount++)
    // The page's CSS filters every layer but this one (BoardCanvas.css): it draws the theme itself.
    finished.getNativeCanvasElement().classList.add('draws-theme')
    this.refreshOrder()
    for (const id of this.orderPos.keys()) this.updateId(id)
    board.elements.observeDeep(this.onElements)
    board.order.observe(this.onOrder)
    board.moves.observe(this.onMoves)
    board.styles.observe(this.onStyles)
    this.offPreview = preview?.onChange(this.onPreview) ?? (() => {})
    if (preview) this.onPreview()
    // An image decoded since it was last drawn: redraw where it is.
    this.themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] })
    document.fonts?.addEventListener('loadingdone', this.onFonts)
    this.offImages = images.onLoad((assetId) => {
      for (const entry of this.entries.values())
        if (entry.element.kind === ElementKind.Image && entry.element.assetId === assetId)
          this.areas.push(entry.bounds)
      this.schedule()
    })
    this.schedule()
  }

  /** A stroke as last seen by the scene (none of the preview's: those are not on the board yet). */
  stroke(id: string): Stroke | undefined {
    const el = this.element(id)
    return el?.kind === ElementKind.Stroke ? el : undefined
  }

  /** Any element as last seen by the scene (none of the preview's: those are not on the board yet). */
  element(id: string): BoardElement | undefined {
    if (this.previewIds.has(id)) return undefined
    return this.entries.get(id)?.element
  }

  /** How many times a finished element was drawn into the snapshot or a tile, since the scene was made (tests). */
  elementsDrawn(): number {
    return this.drawnCount
  }

  /** How many times the finished layer was drawn on screen (its snapshot or tiles blitted), since the scene was made (tests). */
  layerDraws(): number {
    return this.blitCount
  }

  /** How many times the live layer (ink being drawn) was drawn, whole or in part, since the scene was made (tests). */
  liveLayerDraws(): number {
    return this.liveDrawCount
  }

  /** Device pixels of the live layer's last partial redraw (a point of ink in progress), for tests. */
  lastLiveRedrawPx(): number {
    return this.liveAreaPx
  }

  /** Draws the whole live layer now, as a new stroke would, for tests comparing it with what partial redraws left. */
  redrawLiveLayer(): void {
    this.liveChanged(null)
    this.drawLive()
  }

  /** How many strokes of the host's view preview are drawn now, standing in for the board's own (tests). */
  previewCount(): number {
    return this.previewIds.size
  }

  /**
   * Bounds of everything on the board (as Board.contentBounds), from the index the scene keeps anyway: zoom to fit
   * and the first view of a joined board decode no points (100,000 strokes took seconds to read again).
   */
  contentBounds(): Rect | undefined {
    // While the board comes in parts, zoom to fit adds the host's overview's extent itself (useView), from the
    // frame as it came rather than once its picture is decoded.
    return this.index.bounds()
  }

  /** The host's overview drawn under the scene while the board comes (./overviewLayer.ts). */
  setOverview(layer: OverviewLayer | undefined): void {
    this.overview = layer
  }

  /**
   * The board came and the overview ended: its picture goes on standing in under the view's tiles still to draw
   * (those the page left for after the parts), until they are drawn.
   */
  keepPicture(picture: OverviewPicture): void {
    this.dropPicture()
    // The last parts may have come in the same task as the overview's end, before a frame turned the view to tiles.
    this.tileIfDense()
    if (!this.tiled) {
      picture.bitmap.close()
      return
    }
    this.picture = picture
    // An idle callback asked while the overview stood in waits for idle time without a timeout: asked again with one.
    if (this.idle) cancelIdleCallback(this.idle)
    this.idle = 0
    this.finished.batchDraw()
    this.schedule()
  }

  /** Whether the host's overview of the board is on screen now (tests, the bench). */
  overviewShown(): boolean {
    return this.overview?.visible === true
  }

  /** The board rectangle of the host's overview while the page holds one, shown at this zoom or not (tests). */
  overviewArea(): Rect | undefined {
    return this.overview?.rect
  }

  /** Ids of the elements whose bounds intersect a board rectangle, bottom to top (the preview's left out). */
  elementsIn(rect: Rect): string[] {
    const ids = this.drawnIn(rect)
    return this.previewIds.size === 0 ? ids : ids.filter((id) => !this.previewIds.has(id))
  }

  /** Ids of everything drawn whose bounds intersect a board rectangle, bottom to top. */
  private drawnIn(rect: Rect): string[] {
    return this.bottomToTop(this.index.search(rect))
  }

  /** Stops drawing some elements (those edited in place), and draws the ones hidden before again. */
  setHidden(ids: Iterable<string>): void {
    const next = new Set(ids)
    for (const id of new Set([...this.hidden, ...next])) {
      if (this.hidden.has(id) === next.has(id)) continue
      const entry = this.entries.get(id)
      if (entry) this.areas.push(entry.bounds)
    }
    this.hidden = next
    this.schedule()
  }

  /** Draws one shape without its label (the label under its editor), or, with null, every label again. */
  setLabelHidden(id: string | null): void {
    if (this.labelHidden === id) return
    const before = this.labelHidden
    this.labelHidden = id
    for (const each of [before, id]) if (each) this.updateId(each)
    this.schedule()
  }

  /** How finished ink is drawn now: from the snapshot, or from tiles (a dense board zoomed out). */
  drawingMode(): 'snapshot' | 'tiles' {
    return this.tiled ? 'tiles' : 'snapshot'
  }

  /** Whether everything the view shows is drawn at its final detail (no tile still rendering, no redraw pending). */
  settled(): boolean {
    if (this.frame !== 0 || this.pending) return false
    return this.tiled ? this.tilesPending === 0 : this.fits()
  }

  /** Draws every element at full detail (no tiles, no centre lines) or, with false, as the zoom calls for. */
  setFullDetail(on: boolean): void {
    if (this.fullDetail === on) return
    this.fullDetail = on
    this.tiles.clear()
    this.needsFull = true
    this.setView(this.view)
    this.schedule()
  }

  /**
   * Stops (true) or resumes rendering tiles and new snapshots: the view keeps showing what stands in for them (a
   * coarser tile, the last snapshot scaled). For tests.
   */
  pauseRefinement(on: boolean): void {
    this.paused = on
    this.tiles.pause(on)
    this.schedule()
  }

  /** Number of finished elements drawn on screen: those in the snapshot (or tiles) that intersect the view. */
  visibleElementCount(): number {
    if (this.tiled) {
      let n = 0
      for (const id of this.index.search(this.view)) if (this.entries.get(id)?.finished) n++
      return n
    }
    const snap = this.snapshot
    if (!snap) return 0
    const area = intersection(this.view, snap.rect)
    if (!area) return 0
    let n = 0
    for (const id of this.index.search(area)) if (this.entries.get(id)?.finished) n++
    return n
  }

  /** Sets the board area on screen (the stage is already transformed to it). */
  setView(rect: Rect): void {
    this.view = rect
    this.viewChangedAt = performance.now()
    clearTimeout(this.settleTimer)
    const wasTiled = this.tiled
    // Only below 100 % (in device pixels): at 100 % and above ink is drawn exactly as it always was.
    this.tiled = this.tilesCalledFor()
    if (this.tiled) {
      // The stage redraws the layer (BoardCanvas): tiles ready are blitted, the rest rendered frame by frame.
      this.dropPending()
      this.schedule()
      return
    }
    if (wasTiled) this.needsFull = true
    this.dropPicture()
    if (this.fits()) {
      this.dropPending()
      return
    }
    if (!this.snapshot || this.index.countUpTo(this.paddedView(), CHEAP_ELEMENTS + 1) <= CHEAP_ELEMENTS) {
      this.needsFull = true
      this.sync()
      return
    }
    // Expensive: keep moving the old bitmap and redraw once the view has been still for a moment.
    this.settleTimer = setTimeout(() => {
      this.needsFull = true
      this.schedule()
    }, SETTLE_MS)
  }

  /**
   * Elements came into a view zoomed out (a board streamed in after zoom to fit): past CHEAP_ELEMENTS it is drawn from
   * tiles, as setView decides, rather than a whole snapshot drawn again at once for each part.
   */
  private tileIfDense(): void {
    if (!this.tiled && this.added.length > 0 && this.tilesCalledFor()) {
      this.tiled = true
      this.dropPending()
    }
  }

  /** Whether the view calls for tiles: below 100 % (device pixels), over more than CHEAP_ELEMENTS elements. */
  private tilesCalledFor(): boolean {
    return (
      !this.fullDetail &&
      this.screen().scale < 1 &&
      this.index.countUpTo(this.paddedView(), CHEAP_ELEMENTS + 1) > CHEAP_ELEMENTS
    )
  }

  destroy(): void {
    cancelAnimationFrame(this.frame)
    if (this.idle) cancelIdleCallback(this.idle)
    this.idleLeft = null
    this.idleTurn.port1.close()
    this.dropPicture()
    clearTimeout(this.settleTimer)
    this.live.off('draw.scene')
    this.board.elements.unobserveDeep(this.onElements)
    this.board.order.unobserve(this.onOrder)
    this.board.moves.unobserve(this.onMoves)
    this.board.styles.unobserve(this.onStyles)
    this.offPreview()
    this.offImages()
    this.themeWatch.disconnect()
    document.fonts?.removeEventListener('loadingdone', this.onFonts)
    this.tiles.clear()
    for (const entry of this.entries.values()) {
      entry.shape?.destroy()
      entry.node?.destroy()
    }
    this.ink.destroy()
    this.entries.clear()
    this.index.clear()
    this.snapshot = null
  }

  private readonly onElements = (events: Y.YEvent<Y.AbstractType<unknown>>[]): void => {
    // Per element: whether only its placement changed (a move, nudge, turn or stretch), so its points, outline
    // and scene node's shape stay as they are. Added, removed and inner changes (points, text) read it afresh.
    // A restyle (keys outside CONTENT_KEYS) keeps a stroke's decoded points too: a peer restyling 10,000 strokes
    // costs this page no decoding. One pass over the transaction's events, then one frame for all of them.
    const changed = new Map<string, Change>()
    for (const event of events) {
      if (event.target === this.board.elements) {
        // A flat stroke is edited by writing it anew: what differs from the record it replaces says what changed.
        for (const [key, { action, oldValue }] of event.changes.keys) {
          const now = action === 'update' ? this.board.elements.get(key) : undefined
          changed.set(
            key,
            isFlatRecord(oldValue) && isFlatRecord(now)
              ? RECORD_CHANGE[flatRecordChange(oldValue, now)]
              : Change.Content,
          )
        }
        continue
      }
      const top = event.path[0]
      if (typeof top !== 'string') continue
      let change: Change = event.path.length === 1 ? Change.Placement : Change.Content
      if (change !== Change.Content)
        for (const key of event.changes.keys.keys())
          if (CONTENT_KEYS.has(key)) change = Change.Content
          else if (!PLACEMENT_KEYS.has(key) && change === Change.Placement) change = Change.Keys
      changed.set(top, Math.max(change, changed.get(top) ?? Change.Placement) as Change)
    }
    for (const [id, change] of changed) this.updateId(id, change)
    // Ink in progress is drawn now, in the frame its points arrived in (the pen flushes inside a frame; a peer's
    // points arrive between frames), unless finished elements must be redrawn with it: then both go next frame.
    if (this.liveDirty && !this.finishedPending()) this.drawLive()
    // Nothing left to draw (a point of ink in progress, drawn just now): no animation frame is asked for, so a page
    // watching someone draw wakes once per point, not twice.
    if (this.liveDirty || this.finishedPending() || this.tiled) this.schedule()
  }

  /**
   * The host's view preview grew (its strokes are drawn where the board has none of them yet, above nothing of the
   * board's: they come before its first part) or ended: then the strokes the board never took are taken away, and
   * the z-order is read again from the board, where the preview's strokes now have their own places.
   */
  private readonly onPreview = (): void => {
    const preview = this.preview
    if (!preview) return
    if (preview.ended) {
      if (this.previewIds.size === 0) return
      for (const id of [...this.previewIds]) {
        this.previewIds.delete(id)
        const entry = this.entries.get(id)
        if (!entry) continue
        entry.node?.destroy()
        this.entries.delete(id)
        this.index.delete(id)
        this.areas.push(entry.bounds)
        // The board may hold it after all (under a key the scene was not told of): read it from there.
        if (this.board.elements.has(id)) this.updateId(id)
      }
      this.refreshOrder()
      this.redrawAll()
      return
    }
    for (const [id, record] of preview.elements) {
      if (this.entries.has(id)) continue
      const element = readElement(id, record, null)
      if (!element) continue
      const bounds = elementRect(element)
      this.entries.set(id, {
        element,
        finished: true,
        bounds,
        path: null,
        placement: isPlainStroke(element) ? placementOf(element) : null,
        shape: null,
        node: isPlainStroke(element) ? null : this.finishedNode(element),
      })
      this.previewIds.add(id)
      this.index.setBounds(id, bounds)
      if (!this.orderPos.has(id)) this.orderPos.set(id, this.orderPos.size)
      this.areas.push(bounds)
    }
    this.schedule()
  }

  /**
   * A move record came or went (a large move, its undo or redo): the elements it names are only placed anew, in
   * one pass and one frame, as a move written on each element would be.
   */
  private readonly onMoves = (event: Y.YArrayEvent<Uint8Array>): void => {
    const { added, deleted } = event.changes
    const items = [...added, ...deleted].flatMap((item) => item.content.getContent())
    for (const id of idsInRecords(items)) if (this.entries.has(id)) this.updateId(id, Change.Placement)
    this.schedule()
  }

  /**
   * A style record came or went (a large restyle, lock or group, its undo or redo): the elements it names are read
   * anew as a restyle written on each would be (a stroke keeps its decoded points), in one pass and one frame.
   */
  private readonly onStyles = (event: Y.YArrayEvent<Uint8Array>): void => {
    const { added, deleted } = event.changes
    const items = [...added, ...deleted].flatMap((item) => item.content.getContent())
    for (const id of idsInStyleRecords(items)) if (this.entries.has(id)) this.updateId(id, Change.Keys)
    this.schedule()
  }

  /** Whether the snapshot has areas or elements waiting to be redrawn. */
  private finishedPending(): boolean {
    return (
      this.needsFull ||
      !this.snapshot ||
      this.areas.length > 0 ||
      this.added.length > 0 ||
      this.raised.length > 0
    )
  }

  /** A shipped font arrived (Noto Sans SC for the first CJK text): texts are measured and drawn anew with it. */
  private readonly onFonts = (): void => {
    for (const [id, entry] of this.entries) {
      if (!entry.node) continue
      entry.node.destroy()
      entry.node = null
      this.updateId(id)
    }
    this.redrawAll()
  }

  /** Everything is drawn anew: the snapshot at once, tiles as they are shown again. */
  private redrawAll(): void {
    this.needsFull = true
    this.snapshotValid = false
    this.dropPending()
    this.tiles.clear()
    this.schedule()
  }

  private readonly onOrder = (event: Y.YArrayEvent<string>): void => {
    // Elements added on top or removed change no other element's place: their own areas are redrawn already.
    if (!this.appendToOrder(event) && !this.refreshOrder()) this.redrawAll()
    this.liveChanged(null)
    this.schedule()
  }

  /** Live ink changed within `area` (null: anywhere, or the layer's children changed). */
  private liveChanged(area: Rect | null): void {
    if (!this.liveDirty) this.liveArea = area
    else if (this.liveArea && area) this.liveArea = unionRect(this.liveArea, area)
    else this.liveArea = null
    this.liveDirty = true
  }

  /**
   * Draws the live layer now: its children in z-order, and only the changed area's pixels when the children are
   * the same strokes as last time (a stroke that grows redraws its own bounds, not the screen).
   */
  private drawLive(): void {
    const area = this.liveArea
    this.liveDirty = false
    this.liveArea = null
    if (!area) {
      this.drawLiveChildren()
      this.live.draw()
      return
    }
    const canvas = this.live.getCanvas()
    const ctx = canvas.getContext()._context
    const k = canvas.getPixelRatio()
    const m = this.live.getAbsoluteTransform().getMatrix() as [number, number, number, number, number, number]
    // Board -> device pixels (the stage only scales and moves), snapped out to whole pixels.
    const x0 = Math.max(0, Math.floor((area.minX * m[0] + m[4]) * k) - 2)
    const y0 = Math.max(0, Math.floor((area.minY * m[3] + m[5]) * k) - 2)
    const x1 = Math.min(canvas.width, Math.ceil((area.maxX * m[0] + m[4]) * k) + 2)
    const y1 = Math.min(canvas.height, Math.ceil((area.maxY * m[3] + m[5]) * k) + 2)
    if (x1 <= x0 || y1 <= y0) return
    this.liveAreaPx = (x1 - x0) * (y1 - y0)
    clipAndClear(ctx, x0, y0, x1, y1)
    // Setting a layer attribute asks Konva for a redraw of the whole layer next frame: not wanted here.
    withoutAutoDraw(() => this.live.clearBeforeDraw(false))
    try {
      this.live.drawScene()
    } finally {
      withoutAutoDraw(() => this.live.clearBeforeDraw(true))
      ctx.restore()
    }
  }

  /**
   * Places ids added on top of the z-order without reading it all again (each part of a board streamed to a late
   * joiner appends its elements: 55 parts would read 100,000 ids each). False when the change is anything else.
   */
  private appendToOrder(event: Y.YArrayEvent<string>): boolean {
    const ids = appendedIds(this.board.order, event)
    if (!ids || this.board.order.length - ids.length !== this.orderLength) return false
    // As refreshOrder places them: an id already in the order keeps its first place.
    for (const id of ids) if (!this.orderPos.has(id)) this.orderPos.set(id, this.orderPos.size)
    this.orderLength += ids.length
    return true
  }

  /** Re-reads the z-order; returns whether the elements that were there before kept their relative order. */
  private refreshOrder(): boolean {
    const old = this.orderPos
    const pos = new Map<string, number>()
    let i = 0
    let last = -1
    let kept = true
    for (const id of this.board.order) {
      if (pos.has(id)) continue
      pos.set(id, i++)
      const before = old.get(id)
      if (before === undefined) continue
      if (before < last) kept = false
      last = before
    }
    this.orderPos = pos
    this.orderLength = this.board.order.length
    return kept
  }

  private updateId(id: string, change: Change = Change.Content): void {
    // The board's own element takes the place of the preview's stroke (read afresh, not from the preview); a move or
    // style record that names it before it came leaves the preview's, which the host placed and styled already.
    if (this.previewIds.has(id)) {
      if (!this.board.elements.has(id)) return
      this.previewIds.delete(id)
      // Most often it is the very stroke the preview drew: the same pixels, so nothing is drawn again (its outline
      // is kept too). The z-order is read again when the preview ends.
      const shown = this.entries.get(id)
      const own = shown && this.board.readElement(id)
      if (shown && own && sameElement(shown.element, own)) {
        shown.element = own
        return
      }
      change = Change.Content
    }
    const entry = this.entries.get(id)
    const before = entry?.bounds
    const previous = entry?.element
    const map = this.board.elements.get(id)
    const placedOnly = change === Change.Placement
    const element =
      entry && map && change !== Change.Content
        ? placedOnly
          ? withPlacement(entry.element, map, this.board.doc)
          : withKeys(entry.element, map, this.board.doc)
        : this.board.readElement(id)
    if (!element) {
      if (!entry) return
      entry.shape?.destroy()
      entry.node?.destroy()
      this.entries.delete(id)
      this.index.delete(id)
      if (this.liveIds.delete(id)) this.liveChanged(null)
      else this.areas.push(entry.bounds)
      return
    }
    const bounds = elementRect(element)
    const finished = element.kind !== ElementKind.Stroke || element.done
    const wasLive = this.liveIds.has(id)
    if (entry) {
      // Its old ink leaves the snapshot (a live stroke was never in it).
      if (entry.finished) this.areas.push(entry.bounds)
      entry.element = element
      entry.finished = finished
      entry.bounds = bounds
      if (!placedOnly) entry.path = null
    } else {
      this.entries.set(id, {
        element,
        finished,
        bounds,
        path: null,
        placement: null,
        shape: null,
        node: null,
      })
    }
    this.index.setBounds(id, bounds)
    const current = this.entries.get(id) as Entry
    // Anything but a plain stroke is drawn by its scene node.
    if (isPlainStroke(element)) {
      current.node?.destroy()
      current.node = null
      current.placement = placementOf(element)
    } else if (current.node) {
      const next = updateElementNode(current.node, this.themed(element))
      if (next !== current.node) current.node.destroy()
      current.node = this.blended(next, element)
    } else {
      current.node = this.finishedNode(element)
    }
    if (finished) {
      if (current.shape) {
        current.shape.destroy()
        current.shape = null
      }
      this.liveIds.delete(id)
      if (wasLive) this.liveChanged(null)
      // A stroke finished on top of everything it overlaps (the usual pen-up) is painted over the bitmap.
      if (wasLive && this.isOnTop(id, bounds)) this.raised.push(id)
      else if (!entry) this.added.push(id)
      else this.areas.push(bounds)
    } else {
      const grown = current.shape !== null && wasLive
      const shape = current.shape
      current.shape = withoutAutoDraw(() =>
        shape ? (updateElementNode(shape, element) as Konva.Shape) : (elementNode(element) as Konva.Shape),
      )
      this.liveIds.add(id)
      // A stroke that grew redraws the area of its new points only (its bounds, when it changed otherwise); a new one
      // redraws the layer (it joins the layer's children).
      const tip = grown && previous ? grownTip(previous, element) : null
      this.liveChanged(tip ?? (grown && before ? unionRect(before, bounds) : null))
    }
  }

  /** Whether no finished element above `id` overlaps `bounds`. */
  private isOnTop(id: string, bounds: Rect): boolean {
    const pos = this.orderPos.get(id)
    if (pos === undefined) return false
    for (const other of this.index.search(bounds)) {
      if (other === id || !this.entries.get(other)?.finished) continue
      if ((this.orderPos.get(other) ?? Number.MAX_SAFE_INTEGER) > pos) return false
    }
    return true
  }

  private schedule(): void {
    if (this.frame) return
    this.frame = requestAnimationFrame(() => {
      this.frame = 0
      this.sync(true)
    })
  }

  /**
   * Ids sorted by their place in the z-order (those without one last, in their given order). The first render of a
   * coarse tile sorts tens of thousands: numbers packed as place·2^21 + index sort natively, without a comparator
   * that looks up two map entries per comparison.
   */
  private bottomToTop(ids: string[]): string[] {
    if (ids.length >= PACK) return ids.sort(this.byOrder)
    const keys = new Float64Array(ids.length)
    for (let i = 0; i < ids.length; i++)
      keys[i] = Math.min(this.orderPos.get(ids[i] as string) ?? UNPLACED, UNPLACED) * PACK + i
    keys.sort()
    const out = new Array<string>(ids.length)
    for (let i = 0; i < keys.length; i++) out[i] = ids[(keys[i] as number) % PACK] as string
    return out
  }

  private byOrder = (a: string, b: string): number =>
    (this.orderPos.get(a) ?? Number.MAX_SAFE_INTEGER) - (this.orderPos.get(b) ?? Number.MAX_SAFE_INTEGER)

  /** Device pixels per board unit on screen now, and the screen size in CSS pixels. */
  private screen(): { scale: number; zoom: number; pixelRatio: number; width: number; height: number } {
    const stage = this.finished.getStage()
    const zoom = stage?.scaleX() ?? 1
    const pixelRatio = this.finished.getCanvas().getPixelRatio()
    return {
      zoom,
      pixelRatio,
      scale: zoom * pixelRatio,
      width: stage?.width() ?? 1,
      height: stage?.height() ?? 1,
    }
  }

  /** The view grown by the margin: what a snapshot rendered now covers. */
  private paddedView(): Rect {
    const mx = (this.view.maxX - this.view.minX) * MARGIN
    const my = (this.view.maxY - this.view.minY) * MARGIN
    return {
      minX: this.view.minX - mx,
      minY: this.view.minY - my,
      maxX: this.view.maxX + mx,
      maxY: this.view.maxY + my,
    }
  }

  /** Whether the snapshot shows the whole view at the current zoom, so it can be blitted as it is. */
  private fits(): boolean {
    const snap = this.snapshot
    if (!snap || this.needsFull) return false
    return Math.abs(snap.scale - this.screen().scale) < 1e-9 && rectContains(snap.rect, this.view)
  }

  /** Draws finished ink: tiles when zoomed out on a dense board, else the snapshot. */
  private blit(ctx: CanvasRenderingContext2D): void {
    this.blitCount++
    if (!this.tiled) {
      this.blitSnapshot(ctx)
      return
    }
    // Where no tile is ready yet, the last snapshot (scaled) stands in, if it still shows the board.
    this.tilesPending = this.tiles.draw(
      ctx,
      this.view,
      (clipped) => {
        if (this.snapshotValid) this.blitSnapshot(clipped)
      },
      this.picture ? (clipped) => this.drawPicture(clipped) : undefined,
    )
    if (this.tilesPending > 0) this.schedule()
    // Every tile of the view drawn: the picture stood in for the last time.
    else this.dropPicture(false)
  }

  /** Draws the snapshot, placed by the stage transform; whole device pixels when not scaled. */
  private blitSnapshot(ctx: CanvasRenderingContext2D): void {
    const snap = this.snapshot
    if (!snap) return
    const t = ctx.getTransform()
    const dx = snap.rect.minX * t.a + t.e
    const dy = snap.rect.minY * t.d + t.f
    const s = t.a / snap.scale
    if (Math.abs(s - 1) < 1e-9) {
      ctx.setTransform(1, 0, 0, 1, 0, 0)
      ctx.drawImage(snap.canvas, Math.round(dx), Math.round(dy))
      return
    }
    // Scaled (a stand-in while the view moves): only the part on screen is resampled, not the margins.
    const x0 = Math.max(0, Math.floor(-dx / s))
    const y0 = Math.max(0, Math.floor(-dy / s))
    const x1 = Math.min(snap.canvas.width, Math.ceil((ctx.canvas.width - dx) / s))
    const y1 = Math.min(snap.canvas.height, Math.ceil((ctx.canvas.height - dy) / s))
    if (x1 <= x0 || y1 <= y0) return
    ctx.setTransform(s, 0, 0, s, dx, dy)
    ctx.drawImage(snap.canvas, x0, y0, x1 - x0, y1 - y0, x0, y0, x1 - x0, y1 - y0)
  }

  /**
   * Starts a fresh snapshot of the padded view in a second bitmap; `renderPending` draws it. The visible snapshot
   * stays as it is until then.
   */
  private startSnapshot(): void {
    const { scale, width, height, pixelRatio } = this.screen()
    // Margins in whole device pixels, so that a still view blits the bitmap 1:1 without resampling.
    const mx = Math.round(width * MARGIN * pixelRatio)
    const my = Math.round(height * MARGIN * pixelRatio)
    const w = Math.ceil(width * pixelRatio) + 2 * mx
    const h = Math.ceil(height * pixelRatio) + 2 * my
    const rect = {
      minX: this.view.minX - mx / scale,
      minY: this.view.minY - my / scale,
      maxX: this.view.minX + (w - mx) / scale,
      maxY: this.view.minY + (h - my) / scale,
    }
    this.dropPending()
    // Read back while it renders (flush), so it lives in memory rather than on a GPU (see tilePyramid.ts).
    const konva =
      this.spareSnapshot ?? new SceneCanvas({ width: w, height: h, pixelRatio: 1, willReadFrequently: true })
    this.spareSnapshot = null
    if (konva._canvas.width !== w || konva._canvas.height !== h) konva.setSize(w, h)
    const target: Snapshot = { konva, canvas: konva._canvas, ctx: konva.getContext()._context, rect, scale }
    target.ctx.setTransform(1, 0, 0, 1, 0, 0)
    target.ctx.clearRect(0, 0, w, h)
    this.pending = { target, ids: this.drawnIn(rect), next: 0 }
  }

  /**
   * Draws the pending snapshot's elements, bottom to top, until `deadline` (performance.now()); when all are drawn
   * it becomes the visible snapshot. Returns whether it did.
   */
  private renderPending(deadline: number): boolean {
    const pending = this.pending
    if (!pending) return false
    const { target, ids } = pending
    const s = target.scale
    target.ctx.setTransform(s, 0, 0, s, -target.rect.minX * s, -target.rect.minY * s)
    while (pending.next < ids.length) {
      this.drawElement(target, ids[pending.next++] as string)
      if (pending.next % FLUSH_EVERY === 0) {
        flush(target)
        if (performance.now() >= deadline) return false
      }
    }
    flush(target)
    this.pending = null
    if (this.snapshot) this.spareSnapshot = this.snapshot.konva
    this.snapshot = target
    this.snapshotValid = true
    return true
  }

  /** Forgets a snapshot still rendering (its bitmap is kept for the next). */
  private dropPending(): void {
    if (!this.pending) return
    this.spareSnapshot = this.pending.target.konva
    this.pending = null
  }

  /** Whether the pending snapshot covers the view at about its scale: a better stand-in soon, worth finishing. */
  private pendingServes(): boolean {
    const p = this.pending
    if (!p) return false
    const ratio = this.screen().scale / p.target.scale
    return ratio > Math.SQRT1_2 && ratio < Math.SQRT2 && rectContains(p.target.rect, this.view)
  }

  /** Clears and redraws the part of the snapshot under a board rectangle (snapped out to device pixels). */
  private renderArea(snap: Snapshot, area: Rect): void {
    const a = intersection(area, snap.rect)
    if (!a) return
    const x0 = Math.max(0, Math.floor((a.minX - snap.rect.minX) * snap.scale) - 1)
    const y0 = Math.max(0, Math.floor((a.minY - snap.rect.minY) * snap.scale) - 1)
    const x1 = Math.min(snap.canvas.width, Math.ceil((a.maxX - snap.rect.minX) * snap.scale) + 1)
    const y1 = Math.min(snap.canvas.height, Math.ceil((a.maxY - snap.rect.minY) * snap.scale) + 1)
    if (x1 <= x0 || y1 <= y0) return
    const ctx = snap.ctx
    clipAndClear(ctx, x0, y0, x1, y1)
    this.drawArea(snap, {
      minX: snap.rect.minX + x0 / snap.scale,
      minY: snap.rect.minY + y0 / snap.scale,
      maxX: snap.rect.minX + x1 / snap.scale,
      maxY: snap.rect.minY + y1 / snap.scale,
    })
    ctx.restore()
  }

  /** Draws the finished elements that intersect `area` into the snapshot, bottom to top. */
  private drawArea(snap: Snapshot, area: Rect): void {
    const ctx = snap.ctx
    const s = snap.scale
    ctx.setTransform(s, 0, 0, s, -snap.rect.minX * s, -snap.rect.minY * s)
    for (const id of this.drawnIn(area)) this.drawElement(snap, id)
  }

  /** Draws one finished element into the snapshot, whose context is already in board units. */
  private drawElement(snap: Snapshot, id: string): void {
    const entry = this.entries.get(id)
    if (!entry?.finished || this.hidden.has(id)) return
    this.drawnCount++
    if (entry.node) {
      // Konva multiplies the node's own transform onto the snapshot's board transform.
      entry.node.drawScene(snap.konva)
      return
    }
    const ctx = snap.ctx
    const s = snap.scale
    const b = entry.bounds
    const stroke = entry.element as Stroke
    const color = this.dark ? darkModeColor(stroke.color) : stroke.color
    ctx.fillStyle = color
    if (b.maxX - b.minX < DOT_PX / s && b.maxY - b.minY < DOT_PX / s) {
      // Too small to show its shape: a dot of its size (at least one device pixel) costs far less to fill.
      const cx = (b.minX + b.maxX) / 2
      const cy = (b.minY + b.maxY) / 2
      const r = Math.max(0.5 / s, (b.maxX - b.minX) / 4, (b.maxY - b.minY) / 4)
      ctx.fillRect(cx - r, cy - r, 2 * r, 2 * r)
      return
    }
    const t = entry.placement
    const stretch = t ? Math.min(Math.abs(t.scaleX), Math.abs(t.scaleY)) : 1
    const line = !this.fullDetail && s < 1 && stroke.width * stretch * s < CENTRE_LINE_PX
    if (!line) entry.path ??= strokePath(strokeOutline(stroke), () => new Path2D())
    if (t) {
      // board = C + R·S·(p − offset), as Konva places a node (shared/elements/transform.ts).
      ctx.save()
      ctx.translate(t.x, t.y)
      ctx.rotate((t.rotation * Math.PI) / 180)
      ctx.scale(t.scaleX, t.scaleY)
      ctx.translate(-t.offsetX, -t.offsetY)
    }
    if (line) {
      // A few pixels wide on screen: its centre line, as wide as its outline on average, covers the same pixels.
      ctx.beginPath()
      traceCentreLine(ctx, stroke.points, CENTRE_LINE_TOLERANCE_PX / (s * stretch))
      ctx.strokeStyle = color
      ctx.lineWidth = centreLineWidth(stroke)
      ctx.lineCap = 'round'
      ctx.lineJoin = 'round'
      ctx.stroke()
    } else {
      ctx.fill(entry.path as Path2D)
    }
    if (t) ctx.restore()
  }

  /** An element in the colours the theme shows it in (a dark export's colours; images keep theirs). */
  private themed(element: BoardElement): BoardElement {
    if (element.id === this.labelHidden) element = withoutLabel(element)
    return exportedElement(element, this.dark)
  }

  /** The scene node of a finished element, in the theme's colours. */
  private finishedNode(element: BoardElement): ElementNode {
    return this.blended(
      elementNode(this.themed(element), (assetId) => this.board.asset(assetId)),
      element,
    )
  }

  /** Highlighter ink screens on the dark theme, as the inverse of multiply (and as a dark export does). */
  private blended(node: ElementNode, element: BoardElement): ElementNode {
    if (this.dark && element.kind === ElementKind.Stroke && element.highlighter)
      node.globalCompositeOperation('screen')
    return node
  }

  /**
   * Brings the finished ink and the live layer up to date and redraws the layers that changed: at once inside an
   * animation frame (`inFrame`), else through Konva's batchDraw (a view change, which redraws the stage next).
   */
  private sync(inFrame = false): void {
    const redraw = (layer: Konva.Layer) => (inFrame ? layer.draw() : layer.batchDraw())
    this.tileIfDense()
    if (this.tiled) this.syncTiles(redraw)
    else this.syncSnapshot(redraw)
    if (this.liveDirty) {
      if (inFrame) this.drawLive()
      else {
        this.liveArea = null
        this.drawLiveChildren()
        this.live.batchDraw()
      }
    }
  }

  /**
   * Tiles: edits are redrawn in every tile that has them (and in the snapshot that stands in for missing tiles),
   * then missing tiles are rendered until the frame's budget is spent; the layer is drawn again for what changed.
   */
  private syncTiles(redraw: (layer: Konva.Layer) => void): void {
    const areas = this.areas
    for (const id of this.raised) {
      const entry = this.entries.get(id)
      if (entry) areas.push(entry.bounds)
    }
    const added = this.bottomToTop(this.added.filter((id) => this.entries.get(id)?.finished))
    this.areas = []
    this.raised = []
    this.added = []
    // Before the edits' areas: a tile that has an added element to draw over it and an edit starts again.
    this.tiles.append(added)
    const snap = this.snapshot
    if (snap && this.snapshotValid) {
      // The snapshot stands in where no tile is ready: it shows the elements added too, or no longer stands in.
      if (areas.length + added.length > MAX_AREAS) this.snapshotValid = false
      else for (const id of added) this.renderArea(snap, (this.entries.get(id) as Entry).bounds)
    }
    if (areas.length > MAX_AREAS) {
      this.tiles.invalidateMany(areas)
      this.snapshotValid = false
    } else {
      for (const a of areas) {
        this.tiles.invalidate(a)
        if (snap && this.snapshotValid) this.renderArea(snap, a)
      }
    }
    // An edit after the board came: the picture no longer shows the board where it changed.
    if (areas.length > 0) this.dropPicture()
    const now = performance.now()
    const still = now - this.viewChangedAt >= SETTLE_MS
    if (IDLE_TIME && (still || this.yieldsToParts())) {
      // Nothing moves on screen: the tiles are drawn in the page's idle time (./tilePyramid.ts), so that what else the
      // page has to do goes first (a streamed board's parts, while the overview's picture stands in for the tiles).
      this.askIdle()
      if (areas.length > 0 || added.length > 0) redraw(this.finished)
      return
    }
    const { scale } = this.screen()
    // Tiles left (the view's, then the coarser level's a zoom out shows first): another frame goes on with them.
    const deadline = now + (still ? STILL_FRAME_BUDGET_MS : FRAME_BUDGET_MS)
    const { more, shown } = this.tiles.work(this.view, scale, deadline)
    if (more || this.prepareOutlines(scale, deadline)) this.schedule()
    // The layer is drawn again only for what shows: edits, or a tile of the view that became ready.
    if (shown || areas.length > 0 || added.length > 0) redraw(this.finished)
  }

  /**
   * Whether tiles wait for the page's idle time: while the host's overview stands in for them under the view (the
   * board still coming), in a browser that tells idle time (requestIdleCallback; without it, frames as before).
   */
  private yieldsToParts(): boolean {
    return IDLE_TIME && this.overview?.visible === true
  }

  /**
   * Renders tiles in the page's idle time: the view's, then (unless the overview stands in for them: the board still
   * comes) the coarser level's a zoom out shows first, a slice of at most STILL_FRAME_BUDGET_MS at a time.
   */
  private askIdle(): void {
    if (this.idle || this.idleLeft || this.paused) return
    this.idle = requestIdleCallback(
      (idle) => {
        this.idle = 0
        this.idleSlice(idle)
      },
      // A page never idle (a busy session) still gets its view drawn, a slice at a time; parts that wait do not.
      this.yieldsToParts() ? undefined : { timeout: IDLE_TIMEOUT_MS },
    )
  }

  /**
   * One slice of tiles within an idle period. Time left in the period goes on after a task of its own (a callback
   * asked for inside an idle callback waits for the next period, a frame later): what came meanwhile (a part of the
   * board, input) goes first, as it is queued before it.
   */
  private idleSlice(idle: IdleDeadline): void {
    if (!this.tiled || this.paused) return
    const now = performance.now()
    const parts = this.yieldsToParts()
    if (!parts && now - this.viewChangedAt < SETTLE_MS) {
      // The view moves again: its frames draw tiles, a moving view's budget each.
      this.schedule()
      return
    }
    const slice = idle.didTimeout ? FRAME_BUDGET_MS : Math.min(idle.timeRemaining(), STILL_FRAME_BUDGET_MS)
    const deadline = now + slice
    const { scale } = this.screen()
    const { more, shown } = this.tiles.work(this.view, scale, deadline, !parts)
    if (shown) this.finished.batchDraw()
    if (!more && (parts || !this.prepareOutlines(scale, deadline))) return
    if (idle.didTimeout || idle.timeRemaining() < 1) {
      this.askIdle()
      return
    }
    this.idleLeft = idle
    this.idleTurn.port2.postMessage(null)
  }

  /** Lets go of the overview's picture kept after the board came (and draws the layer again, unless `redraw` false). */
  private dropPicture(redraw = true): void {
    if (!this.picture) return
    this.picture.bitmap.close()
    this.picture = null
    if (redraw) this.finished.batchDraw()
  }

  /**
   * Draws the kept overview picture (clipped by the caller to the tiles still to draw) where it is sharp enough, in
   * the theme's colours as its layer had them (the page's canvas filter, which this layer does not take).
   */
  private drawPicture(ctx: CanvasRenderingContext2D): void {
    const picture = this.picture
    if (!picture || !showsSharp(picture, this.screen().zoom)) return
    const { rect, bitmap } = picture
    const filter = getComputedStyle(document.documentElement).getPropertyValue('--canvas-filter').trim()
    ctx.filter = filter === '' ? 'none' : filter
    ctx.drawImage(bitmap, rect.minX, rect.minY, rect.maxX - rect.minX, rect.maxY - rect.minY)
    ctx.filter = 'none'
  }

  /**
   * Ahead of need: while zoomed out past where outlines show, traces the outlines of the ink in and around the view
   * with the frame's time left, so that zooming in to 100 % fills cached paths instead of running perfect-freehand
   * for hundreds of strokes in one frame. Returns whether some are left.
   */
  private prepareOutlines(scale: number, deadline: number): boolean {
    if (scale < OUTLINES_AHEAD_SCALE) return false
    let n = 0
    for (const id of this.index.search(this.paddedView())) {
      const entry = this.entries.get(id)
      if (!entry?.finished || entry.path || entry.node) continue
      if ((n++ & 7) === 0 && performance.now() >= deadline) return true
      entry.path = strokePath(strokeOutline(entry.element as Stroke), () => new Path2D())
    }
    return false
  }

  /**
   * The snapshot: edits redraw the areas they touch at once; a view it no longer fits gets a new snapshot, drawn
   * within the frame's budget and finished over the next frames while the current one (scaled) stands in. With
   * nothing to stand in (the first drawing, the theme changed) the new one is drawn whole at once, as before.
   */
  private syncSnapshot(redraw: (layer: Konva.Layer) => void): void {
    for (const id of this.added) {
      const entry = this.entries.get(id)
      if (entry) this.areas.push(entry.bounds)
    }
    this.added = []
    const snap = this.snapshot
    if (snap && this.areas.length > 0) {
      // Edits off the snapshot (and off one still rendering) change none of its pixels: a part of a large board
      // streamed to a late joiner adds strokes everywhere, and only those in view may cost a redraw.
      const pending = this.pending?.target.rect
      this.areas = this.areas.filter(
        (a) => rectsIntersect(a, snap.rect) || (pending !== undefined && rectsIntersect(a, pending)),
      )
    }
    if (!snap || !this.snapshotValid || this.areas.length > MAX_AREAS) {
      // Many edits, all in the margin of a snapshot that shows the view as it is (parts of a streamed board that
      // came between two frames): the new snapshot shows the same pixels on screen, which need no drawing again.
      const offScreen =
        snap !== null &&
        this.snapshotValid &&
        this.fits() &&
        this.raised.length === 0 &&
        !this.meetsScreen(this.areas, snap.scale)
      this.needsFull = false
      this.areas = []
      this.raised = []
      this.startSnapshot()
      this.renderPending(Number.POSITIVE_INFINITY)
      const next = this.snapshot
      if (!offScreen || !snap || !next || next.scale !== snap.scale || !sameRect(next.rect, snap.rect))
        redraw(this.finished)
      return
    }
    if (this.areas.length > 0 || this.raised.length > 0) {
      const areas = this.areas
      const raised = this.raised
      this.areas = []
      this.raised = []
      for (const a of areas) this.renderArea(snap, a)
      const s = snap.scale
      snap.ctx.setTransform(s, 0, 0, s, -snap.rect.minX * s, -snap.rect.minY * s)
      for (const id of raised.sort(this.byOrder)) this.drawElement(snap, id)
      // Edits only in the snapshot's margin change nothing on screen (most parts of a board streamed to a late
      // joiner): the layer, a blit of the whole screen, is drawn again only for pixels in view.
      if (raised.length > 0 || this.meetsScreen(areas, s)) redraw(this.finished)
      // A snapshot still rendering read the elements before this edit: it starts again.
      if (this.pending) {
        this.dropPending()
        this.needsFull = true
      }
    }
    if (this.needsFull && !this.pendingServes()) {
      this.needsFull = false
      this.startSnapshot()
    }
    if (this.pending && !this.paused) {
      if (this.renderPending(performance.now() + FRAME_BUDGET_MS)) {
        redraw(this.finished)
        // Finished for an earlier view at about this scale: the exact one follows.
        if (!this.fits()) this.needsFull = true
      }
    }
    if (this.pending || this.needsFull) this.schedule()
  }

  /** Whether any of `areas` meets the view, grown by the device pixels (at `scale`) renderArea snaps out to. */
  private meetsScreen(areas: Rect[], scale: number): boolean {
    const screen = grownRect(this.view, 2 / scale)
    return areas.some((a) => rectsIntersect(a, screen))
  }

  /** Puts the live strokes into the live layer, bottom to top. */
  private drawLiveChildren(): void {
    this.liveDirty = false
    withoutAutoDraw(() => {
      this.live.removeChildren()
      for (const id of [...this.liveIds].sort(this.byOrder)) {
        const shape = this.entries.get(id)?.shape
        if (shape) this.live.add(shape)
      }
    })
    // An empty layer is hidden: a full-screen transparent canvas still costs the compositor a pass every frame the
    // view moves (issue 9, zooming). `visibility`, not Konva's `visible()`: the layer is still drawn (cleared when
    // empty) and keeps its size, so nothing stale shows when it comes back.
    this.live.getNativeCanvasElement().style.visibility = this.live.hasChildren() ? '' : 'hidden'
  }
}

/**
 * Where a stroke being drawn changed on screen when it grew by points appended to it (the usual case: a pen's
 * points, or a peer's Ink frame), or null when it changed otherwise. The pen's outline (perfect-freehand) of a point
 * follows its neighbours, its streamlining the points a few back (0.34^6 of a point's weight is left six points on),
 * and the end cap moves with the tip: the new points and the last TIP_POINTS before them, grown by the pen's width.
 * The first SETTLED_POINTS points redraw the whole stroke.
 */
function grownTip(before: BoardElement, now: BoardElement): Rect | null {
  if (before.kind !== ElementKind.Stroke || now.kind !== ElementKind.Stroke) return null
  const a = before.points
  const b = now.points
  if (
    a.length < SETTLED_POINTS * POINT_STRIDE ||
    b.length <= a.length ||
    now.width !== before.width ||
    now.color !== before.color ||
    now.opacity !== before.opacity ||
    now.highlighter !== before.highlighter ||
    !drawnInPlace(now) ||
    !drawnInPlace(before)
  )
    return null
  // The points it had are still there as they were (checked at the last few, where an edit would show).
  const from = Math.max(0, a.length - TIP_POINTS * POINT_STRIDE)
  for (let i = from; i < a.length; i++) if (a[i] !== b[i]) return null
  let minX = Number.POSITIVE_INFINITY
  let minY = Number.POSITIVE_INFINITY
  let maxX = Number.NEGATIVE_INFINITY
  let maxY = Number.NEGATIVE_INFINITY
  for (let i = from; i + 1 < b.length; i += POINT_STRIDE) {
    const x = b[i] as number
    const y = b[i + 1] as number
    if (x < minX) minX = x
    if (x > maxX) maxX = x
    if (y < minY) minY = y
    if (y > maxY) maxY = y
  }
  if (!Number.isFinite(minX) || !Number.isFinite(minY)) return null
  const pad = now.width * 1.5 + 2
  return { minX: minX - pad, minY: minY - pad, maxX: maxX + pad, maxY: maxY + pad }
}

/**
 * Runs `change` on live ink's Konva nodes without Konva asking for a redraw of their layer: the scene draws the live
 * layer itself (drawLive, or its own frame), and Konva's request, made for every attribute a new point changes,
 * would draw the whole layer a second time in the next frame.
 */
function withoutAutoDraw<T>(change: () => T): T {
  const autoDraw = KonvaGlobal.autoDrawEnabled
  KonvaGlobal.autoDrawEnabled = false
  try {
    return change()
  } finally {
    KonvaGlobal.autoDrawEnabled = autoDraw
  }
}

function isDarkTheme(): boolean {
  return document.documentElement.dataset.theme === 'dark'
}

function unionRect(a: Rect, b: Rect): Rect {
  return {
    minX: Math.min(a.minX, b.minX),
    minY: Math.min(a.minY, b.minY),
    maxX: Math.max(a.maxX, b.maxX),
    maxY: Math.max(a.maxY, b.maxY),
  }
}

function intersection(a: Rect, b: Rect): Rect | null {
  if (!rectsIntersect(a, b)) return null
  return {
    minX: Math.max(a.minX, b.minX),
    minY: Math.max(a.minY, b.minY),
    maxX: Math.min(a.maxX, b.maxX),
    maxY: Math.min(a.maxY, b.maxY),
  }
}

/**
 * Saves the context, clips it to a rectangle of device pixels (x0, y0 to x1, y1) and clears it: what is drawn
 * next stays inside. The caller restores the context when done.
 */
function clipAndClear(ctx: CanvasRenderingContext2D, x0: number, y0: number, x1: number, y1: number): void {
  ctx.save()
  ctx.setTransform(1, 0, 0, 1, 0, 0)
  ctx.beginPath()
  ctx.rect(x0, y0, x1 - x0, y1 - y0)
  ctx.clip()
  ctx.clearRect(x0, y0, x1 - x0, y1 - y0)
}

function sameRect(a: Rect, b: Rect): boolean {
  return a.minX === b.minX && a.minY === b.minY && a.maxX === b.maxX && a.maxY === b.maxY
}
