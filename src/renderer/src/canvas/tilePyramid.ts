/**
 * Finished ink at low zoom as a map viewer draws a map: square tiles of 256 device pixels, one set per power-of-two
 * scale (a level), each rendered once in slices of a frame's budget and then only blitted. A view draws the tiles
 * of the level nearest its scale; a tile not rendered yet shows its parent (coarser) or its four children (finer)
 * while it is. Edits redraw the area they touch in every tile kept, so no tile is ever stale. Elements added on top
 * of everything a tile drew (the parts of a board streamed to a late joiner, each appending its elements to the
 * z-order) are drawn over it in the slices that follow, the tile showing meanwhile: a board that comes in 50 parts is
 * drawn once per tile, not once per part.
 *
 * The budget counts pixels, not only draw calls: Chromium records canvas draws and rasterises them when the bitmap
 * is next read, which for a tile was its first blit onto the screen, one frame later and outside any budget (the
 * 50-300 ms frames of issue 9's zoom sweep). A tile's bitmap is read back (`flush`) every few elements while it
 * renders, so the time it takes lands in the slice that drew it.
 */
import { SceneCanvas } from 'konva/lib/Canvas'
import { type Rect, rectsIntersect } from '../../../shared/geometry'

/** Device pixels on a tile's side. */
export const TILE_PX = 256
/** Tiles kept at most (256 KB each): the view's level, its neighbours and a coarser overview. */
const MAX_TILES = 320
/** Coarser levels a missing tile may borrow from. */
const PARENT_LEVELS = 4
/**
 * A tile's pixels are flushed (what its elements recorded rasterised) once the elements drawn since the last flush
 * cover this many device pixels with their bounds, or after FLUSH_EVERY of them: a flush costs ~20 µs of its own, as
 * much as rasterising a few small strokes, and a zoomed-out view of a large board draws tens of thousands of strokes a
 * few pixels wide (flushed every 4, half the tiles' time was flushes); large strokes are still flushed one by one.
 */
const FLUSH_PX = 16_384
const FLUSH_EVERY = 32

/** A bitmap covering a board rectangle at `scale` device pixels per board unit, that elements are drawn into. */
export interface DrawTarget {
  /** Konva's wrapper of the bitmap, so scene nodes draw into it as into any layer. */
  konva: SceneCanvas
  canvas: HTMLCanvasElement
  ctx: CanvasRenderingContext2D
  rect: Rect
  scale: number
}

/** What the pyramid draws: the scene's elements. */
export interface TileSource {
  /** Ids of the finished elements whose bounds intersect a board rectangle, bottom to top. */
  idsIn(rect: Rect): string[]
  /** Draws one element into a target whose context is already in board units. */
  drawOne(target: DrawTarget, id: string): void
  /** Clears and redraws the part of a target under a board rectangle. */
  renderArea(target: DrawTarget, area: Rect): void
  /** An element's bounds, undefined when it is gone. */
  boundsOf(id: string): Rect | undefined
  /** An element's place in the z-order (higher is drawn later; an element without one after every placed one). */
  placeOf(id: string): number
}

interface Tile {
  level: number
  rect: Rect
  scale: number
  /** Its bitmap, taken when it starts rendering (a tile the view only passed over costs no canvas). */
  target: DrawTarget | null
  tx: number
  ty: number
  /**
   * The elements still to draw, bottom to top, while it renders (or, once ready, those added on top since); null
   * before it starts and when it has drawn all.
   */
  ids: string[] | null
  next: number
  /** The highest z-order place among the elements drawn or to draw (an element added above it is drawn over). */
  top: number
  /** Its bitmap shows the area (with elements added on top perhaps still to draw over it). */
  ready: boolean
  /** The draw call that last showed it, for eviction. */
  used: number
}

/**
 * The level whose scale (2^level device px per unit) is nearest `scale`: tiles are blitted at 0.71× to 1.41×, so
 * a view never needs more than twice its pixels in tiles.
 */
export function levelFor(scale: number): number {
  return Math.round(Math.log2(scale))
}

const key = (level: number, tx: number, ty: number): string => `${level}/${tx}/${ty}`

/** Tiles of every level drawn so far, rendered within a time budget and kept up to date with edits. */
export class TilePyramid {
  private readonly tiles = new Map<string, Tile>()
  private readonly spare: SceneCanvas[] = []
  private draws = 0
  private paused = false

  constructor(private readonly source: TileSource) {}

  /** Number of tiles kept (rendered or rendering). */
  get size(): number {
    return this.tiles.size
  }

  /**
   * Draws the view's tiles onto a layer context whose transform maps board units to device pixels (scale t.a).
   * Where neither a tile nor its parent nor its children are ready, `fallback` is called with the context clipped to
   * those places; `under`, first, with it clipped to every tile not final (a picture that stands in under them).
   * Returns the number of the view's tiles not rendered yet (or with elements to draw over them).
   */
  draw(
    ctx: CanvasRenderingContext2D,
    view: Rect,
    fallback: (ctx: CanvasRenderingContext2D) => void,
    under?: (ctx: CanvasRenderingContext2D) => void,
  ): number {
    const t = ctx.getTransform()
    const level = levelFor(t.a)
    const draws = ++this.draws
    const span = TILE_PX / 2 ** level
    const { x0, y0, x1, y1 } = tileRange(view, span)
    let missing = 0
    const blank: [number, number, number, number][] = []
    // Whole device pixels, each edge shared with the next tile, so tiles meet without seams.
    const place = (tx: number, ty: number): [number, number, number, number] => {
      const dx = Math.round(tx * span * t.a + t.e)
      const dy = Math.round(ty * span * t.d + t.f)
      return [
        dx,
        dy,
        Math.round((tx + 1) * span * t.a + t.e) - dx,
        Math.round((ty + 1) * span * t.d + t.f) - dy,
      ]
    }
    if (under) {
      // Under every tile not final (not rendered, or with elements still to draw over it): what stands in for them all.
      const open: [number, number, number, number][] = []
      for (let ty = y0; ty <= y1; ty++)
        for (let tx = x0; tx <= x1; tx++) {
          const tile = this.tiles.get(key(level, tx, ty))
          if (!tile?.ready || tile.ids) open.push(place(tx, ty))
        }
      if (open.length > 0) {
        ctx.save()
        ctx.setTransform(1, 0, 0, 1, 0, 0)
        ctx.beginPath()
        for (const [x, y, w, h] of open) ctx.rect(x, y, w, h)
        ctx.clip()
        ctx.setTransform(t)
        under(ctx)
        ctx.restore()
      }
    }
    ctx.save()
    ctx.setTransform(1, 0, 0, 1, 0, 0)
    for (let ty = y0; ty <= y1; ty++)
      for (let tx = x0; tx <= x1; tx++) {
        const [dx, dy, dw, dh] = place(tx, ty)
        const tile = this.tiles.get(key(level, tx, ty))
        if (tile) tile.used = draws
        if (tile?.ready && tile.target) {
          ctx.drawImage(tile.target.canvas, dx, dy, dw, dh)
          // Shown, with elements added on top still to draw over it: not final yet.
          if (tile.ids) missing++
          continue
        }
        missing++
        if (!this.drawStandIn(ctx, level, tx, ty, dx, dy, dw, dh, draws)) blank.push([dx, dy, dw, dh])
      }
    if (blank.length > 0) {
      ctx.beginPath()
      for (const [x, y, w, h] of blank) ctx.rect(x, y, w, h)
      ctx.clip()
      ctx.setTransform(t)
      fallback(ctx)
    }
    ctx.restore()
    return missing
  }

  /**
   * Renders the view's missing tiles (nearest the centre first), then those of the next coarser level that a zoom
   * out shows first (unless not `ahead`), until `deadline` (performance.now()). Tiles that left the view get no more
   * work (a half-rendered one keeps its place and goes on if it comes back). Says whether any are left, and whether a tile of the view
   * became ready (the layer needs drawing again only then).
   */
  work(view: Rect, scale: number, deadline: number, ahead = true): { more: boolean; shown: boolean } {
    const level = levelFor(scale)
    if (this.paused) return { more: false, shown: false }
    const todo = [...this.missing(view, level), ...(ahead ? this.missing(grow(view, 0.5), level - 1) : [])]
    let shown = false
    for (const tile of todo) {
      if (performance.now() >= deadline) return { more: true, shown }
      const showing = tile.ready
      this.render(tile, deadline)
      // A ready tile drawn over shows what it drew so far; one still rendering shows nothing of it yet.
      if (tile.level === level && tile.ready && (showing || !tile.ids)) shown = true
      if (tile.ids) return { more: true, shown }
    }
    return { more: false, shown }
  }

  /** Redraws a board area in every tile that has it (a tile still rendering starts again). */
  invalidate(area: Rect): void {
    for (const tile of this.tiles.values()) {
      if (!rectsIntersect(area, tile.rect)) continue
      // A tile with elements still to draw over it would draw those in the area twice.
      if (tile.ready && tile.target && !tile.ids) {
        this.source.renderArea(tile.target, area)
        flush(tile.target)
      } else restart(tile)
    }
  }

  /** Renders again every tile that has any of these areas (for edits too many to redraw one by one). */
  invalidateMany(areas: Rect[]): void {
    for (const tile of this.tiles.values()) if (areas.some((a) => rectsIntersect(a, tile.rect))) restart(tile)
  }

  /**
   * Elements new to the board, bottom to top: each tile that started drawing its area gets those that reach it, drawn
   * over what it has in the slices that follow when they lie above everything it drew (a ready tile keeps showing
   * meanwhile); a tile with an element above one of them starts again. Tiles not started find them when they start.
   */
  append(ids: string[]): void {
    if (ids.length === 0 || this.tiles.size === 0) return
    const levels = new Set<number>()
    for (const tile of this.tiles.values()) levels.add(tile.level)
    for (const id of ids) {
      const bounds = this.source.boundsOf(id)
      if (!bounds) continue
      const place = this.source.placeOf(id)
      for (const level of levels) {
        const { x0, y0, x1, y1 } = tileRange(bounds, TILE_PX / 2 ** level)
        // An element far larger than a tile at a fine level: the tiles kept are fewer than the places it covers.
        if ((x1 - x0 + 1) * (y1 - y0 + 1) > this.tiles.size) {
          for (const tile of this.tiles.values())
            if (tile.level === level && rectsIntersect(bounds, tile.rect)) this.drawOver(tile, id, place)
          continue
        }
        for (let ty = y0; ty <= y1; ty++)
          for (let tx = x0; tx <= x1; tx++) {
            const tile = this.tiles.get(key(level, tx, ty))
            if (tile) this.drawOver(tile, id, place)
          }
      }
    }
  }

  /** Queues an element added at `place` to be drawn over a tile that started, or starts the tile again. */
  private drawOver(tile: Tile, id: string, place: number): void {
    if (!tile.ready && !tile.ids) return
    if (place <= tile.top) {
      restart(tile)
      return
    }
    tile.top = place
    if (tile.ids) tile.ids.push(id)
    else {
      tile.ids = [id]
      tile.next = 0
    }
  }

  /** Drops every tile (the theme, a font or the z-order changed what every tile shows). */
  clear(): void {
    for (const tile of this.tiles.values()) this.release(tile)
    this.tiles.clear()
  }

  /**
   * Stops (true) or resumes rendering tiles: what is ready and the stand-ins stay on screen. For tests that look at
   * a view whose tiles are pending.
   */
  pause(on: boolean): void {
    this.paused = on
  }

  /**
   * Tiles of a level over a board rectangle with drawing left (missing, or ready with elements to draw over them),
   * nearest its centre first; creates their entries.
   */
  private missing(rect: Rect, level: number): Tile[] {
    const span = TILE_PX / 2 ** level
    const { x0, y0, x1, y1 } = tileRange(rect, span)
    const cx = (x0 + x1) / 2
    const cy = (y0 + y1) / 2
    const out: Tile[] = []
    for (let ty = y0; ty <= y1; ty++)
      for (let tx = x0; tx <= x1; tx++) {
        const tile = this.tile(level, tx, ty)
        if (!tile.ready || tile.ids) out.push(tile)
      }
    return out.sort((a, b) => Math.hypot(a.tx - cx, a.ty - cy) - Math.hypot(b.tx - cx, b.ty - cy))
  }

  /** Draws one element after another into a tile until it is done or the deadline passes. */
  private render(tile: Tile, deadline: number): void {
    tile.target ??= this.bitmap(tile)
    const target = tile.target
    if (!tile.ids) {
      tile.ids = this.source.idsIn(tile.rect)
      tile.next = 0
      const last = tile.ids.at(-1)
      tile.top = last === undefined ? -1 : this.source.placeOf(last)
    }
    const ctx = target.ctx
    const s = tile.scale
    ctx.setTransform(s, 0, 0, s, -tile.rect.minX * s, -tile.rect.minY * s)
    const ids = tile.ids
    const r = tile.rect
    let recorded = 0
    let px = 0
    while (tile.next < ids.length) {
      const id = ids[tile.next++] as string
      this.source.drawOne(target, id)
      const b = this.source.boundsOf(id)
      if (b)
        px +=
          Math.max(1, (Math.min(b.maxX, r.maxX) - Math.max(b.minX, r.minX)) * s) *
          Math.max(1, (Math.min(b.maxY, r.maxY) - Math.max(b.minY, r.minY)) * s)
      if (++recorded >= FLUSH_EVERY || px >= FLUSH_PX) {
        flush(target)
        recorded = 0
        px = 0
        if (performance.now() >= deadline) return
      }
    }
    flush(target)
    tile.ids = null
    tile.ready = true
  }

  /** A cleared bitmap for a tile: a spare one, or a new one that reads back cheaply (see the header). */
  private bitmap(tile: Tile): DrawTarget {
    const konva =
      this.spare.pop() ??
      new SceneCanvas({ width: TILE_PX, height: TILE_PX, pixelRatio: 1, willReadFrequently: true })
    const target: DrawTarget = {
      konva,
      canvas: konva._canvas,
      ctx: konva.getContext()._context,
      rect: tile.rect,
      scale: tile.scale,
    }
    target.ctx.setTransform(1, 0, 0, 1, 0, 0)
    target.ctx.clearRect(0, 0, TILE_PX, TILE_PX)
    return target
  }

  /** Gives a tile's bitmap back to the spares. */
  private release(tile: Tile): void {
    if (tile.target) this.spare.push(tile.target.konva)
    tile.target = null
  }

  /** A tile's entry, made (blank, not rendered) when new; the least recently shown tiles go past the cap. */
  private tile(level: number, tx: number, ty: number): Tile {
    const k = key(level, tx, ty)
    const had = this.tiles.get(k)
    if (had) return had
    if (this.tiles.size >= MAX_TILES) this.evict()
    const scale = 2 ** level
    const span = TILE_PX / scale
    const tile: Tile = {
      rect: { minX: tx * span, minY: ty * span, maxX: (tx + 1) * span, maxY: (ty + 1) * span },
      scale,
      target: null,
      level,
      tx,
      ty,
      ids: null,
      next: 0,
      top: -1,
      ready: false,
      used: this.draws,
    }
    this.tiles.set(k, tile)
    return tile
  }

  private evict(): void {
    const byAge = [...this.tiles.entries()].sort((a, b) => a[1].used - b[1].used)
    for (const [k, tile] of byAge.slice(0, Math.max(1, this.tiles.size - MAX_TILES + 32))) {
      if (tile.used === this.draws) break
      this.tiles.delete(k)
      this.release(tile)
    }
  }

  /** Shows a missing tile's place from a ready coarser tile, or from its four ready children; false if neither. */
  private drawStandIn(
    ctx: CanvasRenderingContext2D,
    level: number,
    tx: number,
    ty: number,
    dx: number,
    dy: number,
    dw: number,
    dh: number,
    draws: number,
  ): boolean {
    for (let up = 1; up <= PARENT_LEVELS; up++) {
      const parent = this.tiles.get(key(level - up, tx >> up, ty >> up))
      if (!parent?.ready || !parent.target) continue
      parent.used = draws
      const part = TILE_PX / 2 ** up
      const sx = (tx - ((tx >> up) << up)) * part
      const sy = (ty - ((ty >> up) << up)) * part
      ctx.drawImage(parent.target.canvas, sx, sy, part, part, dx, dy, dw, dh)
      return true
    }
    const children: Tile[] = []
    for (let j = 0; j < 2; j++)
      for (let i = 0; i < 2; i++) {
        const child = this.tiles.get(key(level + 1, tx * 2 + i, ty * 2 + j))
        if (!child?.ready || !child.target) return false
        children.push(child)
      }
    for (const child of children) {
      child.used = draws
      const i = child.tx - tx * 2
      const j = child.ty - ty * 2
      const x = dx + Math.round((i * dw) / 2)
      const y = dy + Math.round((j * dh) / 2)
      ctx.drawImage(
        (child.target as DrawTarget).canvas,
        x,
        y,
        dx + Math.round(((i + 1) * dw) / 2) - x,
        dy + Math.round(((j + 1) * dh) / 2) - y,
      )
    }
    return true
  }
}

/** Clears a tile and marks it to be rendered from the start. */
function restart(tile: Tile): void {
  tile.ids = null
  tile.next = 0
  tile.ready = false
  if (!tile.target) return
  tile.target.ctx.setTransform(1, 0, 0, 1, 0, 0)
  tile.target.ctx.clearRect(0, 0, TILE_PX, TILE_PX)
}

/**
 * Rasterises what was drawn into a bitmap so far: reading one pixel makes Chromium play its recorded draws now, in
 * the slice that made them, instead of at the next blit.
 */
export function flush(target: DrawTarget): void {
  target.ctx.getImageData(0, 0, 1, 1)
}

/** The tiles of side `span` (board units) that cover a rectangle. */
function tileRange(rect: Rect, span: number): { x0: number; y0: number; x1: number; y1: number } {
  return {
    x0: Math.floor(rect.minX / span),
    y0: Math.floor(rect.minY / span),
    x1: Math.floor(rect.maxX / span),
    y1: Math.floor(rect.maxY / span),
  }
}

/** A rectangle grown on each side by `fraction` of its size. */
function grow(r: Rect, fraction: number): Rect {
  const mx = (r.maxX - r.minX) * fraction
  const my = (r.maxY - r.minY) * fraction
  return { minX: r.minX - mx, minY: r.minY - my, maxX: r.maxX + mx, maxY: r.maxY + my }
}
