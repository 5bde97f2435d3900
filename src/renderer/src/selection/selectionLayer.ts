// Over 400 lines because moves, transforms and the marquee share one Transformer, its proxies and one redraw
// schedule; what they draw (selectionShapes.ts, bendHandle.ts) and snapping (snapping.ts) live apart.

import type Konva from 'konva'
import KonvaCore from 'konva/lib/Core'
import { Group } from 'konva/lib/Group'
import { Shape } from 'konva/lib/Shape'
import { Rect as KonvaRect } from 'konva/lib/shapes/Rect'
import { Transformer } from 'konva/lib/shapes/Transformer'
import type * as Y from 'yjs'
import type { Board, BoardElement } from '../../../shared/board'
import { idsInStyleRecords, styledKey } from '../../../shared/elements/styles'
import { elementRect } from '../../../shared/elements/transform'
import { type Rect, rectsIntersect, visibleRect } from '../../../shared/geometry'
import { type ElementNode, elementNode } from '../../../shared/scene'
import { selectionBounds, transformSelection } from '../../../shared/selection'
import type { ViewportStore } from '../canvas/viewportStore'
import { BendHandle } from './bendHandle'
import type { ElementQuery } from './elementQuery'
import { ACCENT, drawOutlines, lockBadge, placeProxy } from './selectionShapes'
import type { SelectionStore } from './selectionStore'
import { SnapGuides, snapResizes } from './snapping'

/** The scene as selection needs it: its index, and a way to leave out elements drawn live here instead. */
export interface SelectionScene extends ElementQuery {
  setHidden(ids: Iterable<string>): void
}

/** Most selected elements that each get an outline; past it only the selection's box shows (as in tldraw). */
const MAX_OUTLINES = 200
/** Largest bitmap (device pixels) a moved selection is drawn into once; past it, it is drawn every frame. */
const MAX_CACHE_PX = 4096 * 4096

type Point = { x: number; y: number }

/**
 * The select tool's layer (V; its gestures are in tools/selectTool.ts): outlines of the selected elements, a Konva Transformer on lightweight proxy nodes
 * (one per element, placed exactly as the element is, see nodeTransform), the marquee and lock badges. The board's
 * own ink stays in the scene's snapshot; while a move or a transform is under way the selected elements are hidden
 * there and drawn here live by their scene nodes, and the board is written once, at the end of the gesture.
 */
export class SelectionLayer {
  private readonly transformer: Transformer
  private readonly proxies = new Map<string, Shape>()
  private previews = new Map<string, ElementNode>()
  /** The element each proxy was last placed from (the scene reads a new object whenever an element changes). */
  private readonly placed = new Map<string, BoardElement>()
  /** The selected elements drawn live during a move or transform, bottom to top. */
  private readonly live = new Group({ listening: false })
  private readonly outlines = new Group({ listening: false })
  private readonly marquee = new KonvaRect({
    visible: false,
    listening: false,
    stroke: ACCENT,
    strokeWidth: 1,
    strokeScaleEnabled: false,
    fill: 'rgba(79, 70, 229, 0.08)',
  })
  private readonly badges = new Group({ listening: false })
  /** The midpoint handle of a lone selected arrow. */
  private readonly bend = new BendHandle()
  private readonly locked = new Set<string>()
  private active = false
  private busy = false
  /**
   * While a marquee is dragged, what it holds: shown here every frame, given to the selection (and so to the panels
   * that show it) once, at its end. The Transformer waits for the end too.
   */
  private marqueed: readonly string[] | null = null
  private frame = 0
  private readonly offStore: () => void
  private readonly offView: () => void
  /** The guides a move or resize shows while it snaps (snapping.ts). */
  readonly guides: SnapGuides

  constructor(
    private readonly board: Board,
    private readonly scene: SelectionScene,
    private readonly layer: Konva.Layer,
    private readonly store: SelectionStore,
    private readonly viewport: ViewportStore,
  ) {
    this.transformer = new Transformer({
      rotateEnabled: true,
      flipEnabled: false,
      // Shift keeps the ratio (Konva: keepRatio || shift) and snaps turns to 15°, as in Excalidraw and tldraw.
      keepRatio: false,
      ignoreStroke: true,
      anchorSize: 9,
      anchorCornerRadius: 2,
      anchorStroke: ACCENT,
      anchorFill: '#ffffff',
      borderStroke: ACCENT,
      rotateAnchorOffset: 26,
      boundBoxFunc: (old, next) => (Math.abs(next.width) < 2 || Math.abs(next.height) < 2 ? old : next),
    })
    this.outlines.add(
      new Shape({
        listening: false,
        sceneFunc: (ctx, shape) => drawOutlines(ctx, shape, this.proxies.values()),
      }),
    )
    layer.add(this.live, this.outlines, this.badges, this.transformer, this.bend.node, this.marquee)
    this.transformer.on('transformstart', () => this.beginLive(false))
    this.transformer.on('transform', () => this.followProxies())
    this.transformer.on('transformend', () => this.endTransform())
    this.guides = new SnapGuides(layer)
    snapResizes(this.transformer, { board, scene, viewport, guides: this.guides, ids: () => store.get() })
    this.board.elements.forEach((map, id) => {
      if (styledKey(id, map, 'locked', board.doc) === true) this.locked.add(id)
    })
    board.elements.observeDeep(this.onElements)
    board.order.observe(this.onOrder)
    // A large move is a record in `moves` (shared/elements/moves.ts): the selection follows it as it would a move.
    board.moves.observe(this.onOrder)
    // A large lock, restyle or group is a record in `styles` (shared/elements/styles.ts).
    board.styles.observe(this.onStyles)
    this.offStore = store.subscribe(() => this.schedule())
    this.offView = viewport.subscribe(() => {
      if ((this.active && this.locked.size > 0) || this.bend.node.visible()) this.schedule()
    })
    this.schedule()
    // An empty layer is hidden, as the live ink's is (boardScene.ts): a full-screen transparent canvas costs the
    // compositor a blend and a copy every frame the view moves (issue 9, zooming). `visibility` keeps Konva's hit
    // canvas (the Transformer's handles) and the canvas's size as they are.
    layer.on('beforeDraw.shown', () => {
      layer.getNativeCanvasElement().style.visibility = this.drawsSomething() ? '' : 'hidden'
    })
  }

  /** Whether the layer shows anything now: a box, outlines, badges, a marquee, a handle, guides, a live move. */
  private drawsSomething(): boolean {
    return this.layer.getChildren().some((node) => {
      if (!node.visible()) return false
      if (node === this.transformer) return this.transformer.nodes().length > 0
      if (node === this.outlines) return [...this.proxies.values()].some((p) => p.getAttr('outline'))
      if (node === this.live || node === this.badges) return (node as Konva.Group).hasChildren()
      // Anything else on the layer (the marquee and the bend handle when visible) shows.
      return this.guides.draws(node) ?? true
    })
  }

  destroy(): void {
    cancelAnimationFrame(this.frame)
    this.layer.off('beforeDraw.shown')
    this.board.elements.unobserveDeep(this.onElements)
    this.board.order.unobserve(this.onOrder)
    this.board.moves.unobserve(this.onOrder)
    this.board.styles.unobserve(this.onStyles)
    this.offStore()
    this.offView()
    this.scene.setHidden([])
    this.transformer.destroy()
    this.outlines.destroy()
    this.badges.destroy()
    this.marquee.destroy()
    this.bend.node.destroy()
    this.live.destroy()
    this.guides.destroy()
  }

  /** The select tool was picked (badges show) or put down (the selection ends, as in Excalidraw). */
  setActive(active: boolean): void {
    if (this.active === active) return
    this.active = active
    if (!active) this.store.clear()
    this.schedule()
  }

  /** Whether a press at a screen point belongs to the Transformer (a resize or rotate handle). */
  ownsPointer(screen: Point): boolean {
    if (this.busy) return false
    // Konva finds the handle under the mouse in its hit canvas, right after this: it must show the latest state.
    if (this.frame) {
      cancelAnimationFrame(this.frame)
      this.frame = 0
      this.sync()
    }
    this.layer.draw()
    if (this.transformer.nodes().length === 0) return false
    const stage = this.layer.getStage()
    const hit = stage?.getIntersection(screen)
    return hit !== null && hit !== undefined && hit.getParent() === this.transformer
  }

  /** The arrow whose midpoint (bend) handle is under a board point, if any. */
  bendHandleAt(p: Point): string | undefined {
    return this.busy ? undefined : this.bend.arrowAt(p, this.viewport.get().zoom)
  }

  /** Whether a board point is inside the selection's box (a press there moves the selection). */
  inSelectionBox(p: Point): boolean {
    if (this.transformer.nodes().length === 0) return false
    const r = this.transformer.getClientRect({ relativeTo: this.layer })
    return p.x >= r.x && p.x <= r.x + r.width && p.y >= r.y && p.y <= r.y + r.height
  }

  /** A move cursor over what a press would drag (not while a move or transform is drawn). */
  showMoveCursor(movable: boolean): void {
    const container = this.layer.getStage()?.container()
    if (!container || this.busy) return
    container.style.cursor = movable ? 'move' : ''
  }

  /** Brings the handles up to date with the selection now (a press may have just changed it). */
  refresh(): void {
    this.sync()
  }

  /** A move of the selection starts: its elements (and `more`: a frame's members) are drawn here, then shifted. */
  beginMove(more: readonly string[] = []): void {
    this.beginLive(true, more)
  }

  /** Shifts the moved selection by (dx, dy) board units from where it started. */
  moveBy(dx: number, dy: number): void {
    // A move shifts the two groups, not each element: one change a frame however much is selected.
    batch(() => {
      this.live.position({ x: dx, y: dy })
      this.outlines.position({ x: dx, y: dy })
    })
    this.layer.batchDraw()
  }

  /** The move was written to the board: the elements go back to the scene. */
  endMove(): void {
    this.endLive()
  }

  /** Shows the marquee rectangle. */
  showMarquee(rect: Rect): void {
    this.marquee.setAttrs({
      visible: true,
      x: rect.minX,
      y: rect.minY,
      width: rect.maxX - rect.minX,
      height: rect.maxY - rect.minY,
    })
    this.layer.batchDraw()
  }

  /** What a marquee being dragged holds, outlined every frame; the selection itself changes at its end. */
  marqueeHolds(ids: readonly string[]): void {
    this.marqueed = ids
    this.sync()
  }

  /** The marquee is let go: it hides, and the selection (set by the tool) shows again. */
  endMarquee(): void {
    this.marqueed = null
    this.marquee.visible(false)
  }

  /**
   * A move or transform starts: the selected elements leave the snapshot and are drawn here. A move (`rigid`) draws
   * them once into a bitmap that then only shifts, when that bitmap is of a sensible size; a transform draws each
   * one every frame, following its proxy.
   */
  private beginLive(rigid: boolean, more: readonly string[] = []): void {
    this.busy = true
    this.bend.hide()
    const pos = new Map(this.store.get().map((id, i) => [id, i]))
    const ids = [...new Set([...this.proxies.keys(), ...more])].filter(
      (id) => !this.scene.element(id)?.locked,
    )
    const assets = (assetId: string) => this.board.asset(assetId)
    const order = this.scene.elementsIn(selectionRect(ids.flatMap((id) => this.scene.element(id) ?? [])))
    const rank = new Map(order.map((id, i) => [id, i]))
    ids.sort((a, b) => (rank.get(a) ?? pos.get(a) ?? 0) - (rank.get(b) ?? pos.get(b) ?? 0))
    for (const id of ids) {
      const el = this.scene.element(id)
      if (!el) continue
      const node = elementNode(el, assets)
      this.previews.set(id, node)
      this.live.add(node)
    }
    this.scene.setHidden(ids)
    if (rigid) {
      const r = this.live.getClientRect({ relativeTo: this.layer })
      const k = this.viewport.get().zoom * (window.devicePixelRatio || 1)
      if (r.width * r.height * k * k <= MAX_CACHE_PX && r.width > 0 && r.height > 0)
        this.live.cache({ pixelRatio: k })
    }
  }

  private followProxies(): void {
    for (const [id, preview] of this.previews) {
      const proxy = this.proxies.get(id)
      if (!proxy) continue
      preview.setAttrs({
        x: proxy.x(),
        y: proxy.y(),
        rotation: proxy.rotation(),
        scaleX: proxy.scaleX(),
        scaleY: proxy.scaleY(),
        skewX: proxy.skewX(),
        skewY: proxy.skewY(),
      })
    }
    this.layer.batchDraw()
  }

  private endTransform(): void {
    const changes = [...this.previews.keys()].flatMap((id) => {
      const p = this.proxies.get(id)
      if (!p) return []
      const change = { x: p.x(), y: p.y(), rotation: p.rotation(), scaleX: p.scaleX(), scaleY: p.scaleY() }
      return [[id, change] as const]
    })
    transformSelection(this.board, changes)
    this.endLive()
  }

  private endLive(): void {
    this.live.clearCache()
    this.live.destroyChildren()
    this.previews = new Map()
    batch(() => {
      this.live.position({ x: 0, y: 0 })
      this.outlines.position({ x: 0, y: 0 })
    })
    this.scene.setHidden([])
    this.busy = false
    // The Transformer may have left proxies scaled: place every one afresh.
    this.placed.clear()
    this.sync()
  }

  private readonly onElements = (events: Y.YEvent<Y.AbstractType<unknown>>[]): void => {
    const changed = new Set<string>()
    for (const event of events) {
      if (event.target === this.board.elements) for (const key of event.changes.keys.keys()) changed.add(key)
      else if (typeof event.path[0] === 'string') changed.add(event.path[0])
    }
    this.lockedMayChange(changed)
  }

  /** A style record came or went (a large lock, restyle or group, or its undo): the ids it names may lock or unlock. */
  private readonly onStyles = (event: Y.YArrayEvent<Uint8Array>): void => {
    const { added, deleted } = event.changes
    this.lockedMayChange(
      idsInStyleRecords([...added, ...deleted].flatMap((item) => item.content.getContent())),
    )
  }

  private lockedMayChange(changed: Set<string>): void {
    let lockChanged = false
    for (const id of changed) {
      const el = this.board.elements.get(id)
      const isLocked = el !== undefined && styledKey(id, el, 'locked', this.board.doc) === true
      if (isLocked !== this.locked.has(id)) {
        lockChanged = true
        if (isLocked) this.locked.add(id)
        else this.locked.delete(id)
      }
    }
    const selected = this.store.get()
    if (lockChanged || selected.some((id) => changed.has(id))) this.schedule()
  }

  private readonly onOrder = (): void => {
    if (this.store.get().length > 0) this.schedule()
  }

  private schedule(): void {
    if (this.frame) return
    this.frame = requestAnimationFrame(() => {
      this.frame = 0
      if (!this.busy) this.sync()
    })
  }

  /** Brings proxies, outlines, the Transformer and the badges up to date with the selection and the board. */
  private sync(): void {
    batch(() => this.syncNodes())
    this.syncBadges()
    this.layer.batchDraw()
  }

  private syncNodes(): void {
    const chosen = this.marqueed ?? this.store.get()
    const ids = chosen.filter((id) => this.scene.element(id))
    if (ids.length !== chosen.length && !this.marqueed) {
      // Deleted (by anyone): it leaves the selection.
      this.store.set(ids)
      return
    }
    const wanted = new Set(ids)
    for (const [id, node] of this.proxies) {
      if (!wanted.has(id)) {
        node.destroy()
        this.proxies.delete(id)
        this.placed.delete(id)
      }
    }
    // Each element of a small multiple selection gets an outline (as in Excalidraw); a large one only its box.
    const many = ids.length > 1 && ids.length <= MAX_OUTLINES
    for (const id of ids) {
      const el = this.scene.element(id) as BoardElement
      const node = this.proxies.get(id) ?? this.newProxy(id)
      const outline = many || el.locked
      if (this.placed.get(id) === el && node.getAttr('outline') === outline) continue
      placeProxy(node, el, outline)
      this.placed.set(id, el)
    }
    if (this.marqueed) {
      if (this.transformer.nodes().length > 0) this.transformer.nodes([])
      this.bend.hide()
      return
    }
    const lone = ids.length === 1 ? this.scene.element(ids[0] as string) : undefined
    this.bend.place(lone, this.viewport.get().zoom, this.transformer)
    const attached = ids
      .filter((id) => !this.scene.element(id)?.locked)
      .map((id) => this.proxies.get(id) as Shape)
    // Frames are never turned (what is in them is what lies inside their upright box).
    this.transformer.rotateEnabled(!ids.some((id) => this.scene.element(id)?.kind === 'frame'))
    const current = this.transformer.nodes()
    if (attached.length !== current.length || attached.some((n, i) => n !== current[i]))
      this.transformer.nodes(attached)
  }

  private newProxy(id: string): Shape {
    const node = new Shape({ listening: false, visible: false })
    this.proxies.set(id, node)
    this.outlines.add(node)
    return node
  }

  private syncBadges(): void {
    this.badges.destroyChildren()
    const selected = new Set(this.store.get())
    if (!this.active && selected.size === 0) return
    const { width, height } = this.viewport.screenSize()
    const view = visibleRect(this.viewport.get(), width, height)
    const k = 1 / this.viewport.get().zoom
    for (const id of this.locked) {
      const el = this.scene.element(id)
      if (!el?.locked) continue
      const r = elementRect(el)
      if (!rectsIntersect(r, view)) continue
      this.badges.add(lockBadge(r, k))
    }
  }
}

/** Board bounds of some elements (an empty rectangle for none). */
function selectionRect(els: readonly BoardElement[]): Rect {
  return selectionBounds(els) ?? { minX: 0, minY: 0, maxX: 0, maxY: 0 }
}

/**
 * Runs changes to many nodes as one Konva update batch: the Transformer then measures its nodes once, not once per
 * changed node (which made moving a 10,000-element selection quadratic).
 */
function batch(fn: () => void): void {
  const finish = KonvaCore.beginUpdateBatch()
  try {
    fn()
  } finally {
    finish()
  }
}
