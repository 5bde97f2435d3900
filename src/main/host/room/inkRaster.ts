/**
 * Thin ink for the board's overview (./overviewDraw.ts), drawn into a pixel buffer in JavaScript: at overview scale
 * a stroke is a line under two pixels wide, and the screen draws it as its centre line (src/shared/scene/centreLine.ts).
 * Drawn through the canvas, 100,000 strokes of a dense board were about six million calls into @napi-rs/canvas and
 * 5-7 s of the host's CPU; here each segment of the same centre line sets the few pixels it crosses, its colour
 * blended over them at the ink's coverage (its width in pixels, at most 1), in a fraction of that.
 */
import type { LineSink } from '../../../shared/scene'

/** A 2D affine map from board (or a stroke's own) units to the buffer's pixels: x' = a·x + c·y + e, y' = b·x + d·y + f. */
export type Affine = [number, number, number, number, number, number]

/** The side of the squares of pixels (a power of two) whose drawing the raster notes, so that only those are laid down. */
const TILE_SHIFT = 6

/** An RGBA buffer (not premultiplied, as ImageData and PNG are) that ink is blended into. */
export class InkRaster {
  /** Pixels stepped over by the centre lines so far: what the drawing has cost (overviewDraw.ts bounds it). */
  steps = 0
  readonly data: Uint8ClampedArray
  // The pixels touched since the last `take` (none while x0 > x1).
  private x0 = Number.POSITIVE_INFINITY
  private y0 = Number.POSITIVE_INFINITY
  private x1 = -1
  private y1 = -1
  private r = 0
  private g = 0
  private b = 0
  private a = 0
  // The map of the line being traced, by its six numbers (read on every point).
  private ma = 1
  private mb = 0
  private mc = 0
  private md = 1
  private me = 0
  private mf = 0
  private lastX = 0
  private lastY = 0
  /** The squares of TILE_SHIFT drawn in since they were last taken (takeRun), 1 each, and how many. */
  private readonly tiles: Uint8Array
  private readonly tileCols: number
  private tilesDrawn = 0
  /** The row of squares takeRun looks at first. */
  private scanRow = 0

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.data = new Uint8ClampedArray(width * height * 4)
    this.tileCols = Math.ceil(width / (1 << TILE_SHIFT))
    this.tiles = new Uint8Array(this.tileCols * Math.ceil(height / (1 << TILE_SHIFT)))
  }

  /** Whether anything was drawn since the last `take`. */
  get touched(): boolean {
    return this.x0 <= this.x1
  }

  /** The area drawn since the last call (pixels, inclusive), and forgets it; undefined when nothing was. */
  take(): { x: number; y: number; width: number; height: number } | undefined {
    const { x0, y0, x1, y1 } = this
    this.x0 = Number.POSITIVE_INFINITY
    this.y0 = Number.POSITIVE_INFINITY
    this.x1 = -1
    this.y1 = -1
    this.tiles.fill(0)
    this.tilesDrawn = 0
    if (x0 > x1) return undefined
    return { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 }
  }

  /**
   * The next run of squares drawn in since they were last taken (a rectangle of pixels one square high), forgotten;
   * undefined once none is left (the area drawn, as `take` gives it, is then forgotten too). Thin ink far apart is
   * laid down square by square instead of as the whole rectangle around it.
   */
  takeRun(): { x: number; y: number; width: number; height: number } | undefined {
    const rows = this.tiles.length / this.tileCols
    for (let looked = 0; this.tilesDrawn > 0 && looked <= rows; looked++) {
      const row = this.scanRow
      const base = row * this.tileCols
      for (let col = 0; col < this.tileCols; col++) {
        if (!this.tiles[base + col]) continue
        let end = col
        while (end + 1 < this.tileCols && this.tiles[base + end + 1]) end++
        this.tiles.fill(0, base + col, base + end + 1)
        this.tilesDrawn -= end - col + 1
        const side = 1 << TILE_SHIFT
        const x = col * side
        const y = row * side
        return {
          x,
          y,
          width: Math.min(this.width, (end + 1) * side) - x,
          height: Math.min(this.height, y + side) - y,
        }
      }
      this.scanRow = (row + 1) % rows
    }
    this.take()
    return undefined
  }

  /** Clears a rectangle of pixels (after it was copied out). */
  clear(x: number, y: number, width: number, height: number): void {
    for (let row = y; row < y + height; row++)
      this.data.fill(0, (row * this.width + x) * 4, (row * this.width + x + width) * 4)
  }

  /** Sets the colour (#rgb or #rrggbb) and opacity the next lines and dots are drawn in. */
  ink(color: string, alpha: number): void {
    const hex = color.length === 4 ? color.replace(/^#(.)(.)(.)$/, '#$1$1$2$2$3$3') : color
    const n = Number.parseInt(hex.slice(1, 7), 16)
    this.r = Number.isFinite(n) ? (n >> 16) & 255 : 0
    this.g = Number.isFinite(n) ? (n >> 8) & 255 : 0
    this.b = Number.isFinite(n) ? n & 255 : 0
    this.a = Math.max(0, Math.min(1, alpha))
  }

  /** A sink that traces a centre line through `map` into the buffer (traceCentreLine's moveTo and lineTo). */
  line(map: Affine): LineSink {
    this.ma = map[0]
    this.mb = map[1]
    this.mc = map[2]
    this.md = map[3]
    this.me = map[4]
    this.mf = map[5]
    return this.sink
  }

  /** A dot: the pixels of a board rectangle through `map` (at least one). */
  dot(map: Affine, minX: number, minY: number, maxX: number, maxY: number): void {
    const a = map[0]
    const b = map[1]
    const c = map[2]
    const d = map[3]
    const e = map[4]
    const f = map[5]
    const x0 = Math.floor(a * minX + c * minY + e)
    const y0 = Math.floor(b * minX + d * minY + f)
    const x1 = Math.max(x0, Math.floor(a * maxX + c * maxY + e))
    const y1 = Math.max(y0, Math.floor(b * maxX + d * maxY + f))
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) this.plot(x, y)
  }

  private readonly sink: LineSink = {
    moveTo: (x, y) => {
      this.lastX = this.ma * x + this.mc * y + this.me
      this.lastY = this.mb * x + this.md * y + this.mf
      this.plot(Math.floor(this.lastX), Math.floor(this.lastY))
    },
    lineTo: (x, y) => {
      const nx = this.ma * x + this.mc * y + this.me
      const ny = this.mb * x + this.md * y + this.mf
      this.segment(this.lastX, this.lastY, nx, ny)
      this.lastX = nx
      this.lastY = ny
    },
  }

  /** The pixels a segment crosses, one per step along its longer axis, its first pixel left out (drawn already). */
  private segment(x0: number, y0: number, x1: number, y1: number): void {
    const dx = x1 - x0
    const dy = y1 - y0
    const steps = Math.ceil(Math.max(Math.abs(dx), Math.abs(dy)))
    if (!(steps > 0) || steps > 1e5) return
    this.steps += steps
    let px = Math.floor(x0)
    let py = Math.floor(y0)
    for (let i = 1; i <= steps; i++) {
      const x = Math.floor(x0 + (dx * i) / steps)
      const y = Math.floor(y0 + (dy * i) / steps)
      if (x === px && y === py) continue
      this.plot(x, y)
      px = x
      py = y
    }
  }

  /** Blends the ink over one pixel (source-over). */
  private plot(x: number, y: number): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return
    const i = (y * this.width + x) * 4
    const data = this.data
    const sa = this.a
    const da = (data[i + 3] as number) / 255
    const out = sa + da * (1 - sa)
    if (out <= 0) return
    const keep = (da * (1 - sa)) / out
    const put = sa / out
    data[i] = this.r * put + (data[i] as number) * keep
    data[i + 1] = this.g * put + (data[i + 1] as number) * keep
    data[i + 2] = this.b * put + (data[i + 2] as number) * keep
    data[i + 3] = out * 255
    const tile = (y >> TILE_SHIFT) * this.tileCols + (x >> TILE_SHIFT)
    if (this.tiles[tile] === 0) {
      this.tiles[tile] = 1
      this.tilesDrawn++
    }
    if (x < this.x0) this.x0 = x
    if (y < this.y0) this.y0 = y
    if (x > this.x1) this.x1 = x
    if (y > this.y1) this.y1 = y
  }
}
