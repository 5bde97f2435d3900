import Konva from 'konva'
import type { Rect } from '../../../shared/geometry'
import { platform } from '../../../shared/platform'
import type { BoardOverview } from '../../../shared/sync/overview'
import { screenPacing } from './screenPacing'

/** The most screen pixels one pixel of the picture may cover for it to be shown. */
const MAX_SCREEN_PX_PER_PIXEL = 4

/** The overview's picture, decoded, and the board rectangle it covers. */
export interface OverviewPicture {
  bitmap: ImageBitmap
  rect: Rect
}

/** Whether a picture is about as sharp as the screen at a zoom (CSS px per board unit), so that it may be shown. */
export function showsSharp(picture: OverviewPicture, zoom: number): boolean {
  const unitsPerPixel = (picture.rect.maxX - picture.rect.minX) / Math.max(1, picture.bitmap.width)
  return unitsPerPixel * zoom <= MAX_SCREEN_PX_PER_PIXEL
}

/**
 * The host's overview of a large board (src/shared/sync/overview.ts), drawn on a layer under the scene at the board
 * rectangle it covers while the board comes in parts: zoomed out, the whole board shows at once, and its own
 * strokes cover the picture as they arrive. Gone once the board is all here (the overview ends). Shown only while
 * the view is zoomed out far enough for it to be about as sharp as the screen (at 100 % a pixel of a large board's
 * picture is tens of screen pixels: a blur under the preview's exact strokes, and a full-screen canvas more for the
 * compositor). Its canvas takes the theme's filter like every layer but the finished one, so dark ink shows light
 * on the dark theme.
 */
export class OverviewLayer {
  private image: Konva.Image | undefined
  private bitmap: ImageBitmap | undefined
  private shown: Rect | undefined
  /** Board units per pixel of the picture. */
  private unitsPerPixel = 0
  private zoom = 1
  /** Counts overviews asked to show: a decode that finishes after a newer one (or the end) is dropped. */
  private turn = 0
  private destroyed = false
  private readonly off: () => void

  /**
   * `ended` takes the picture when the overview ends (the board came): the scene keeps it standing in under the
   * tiles it has still to draw (boardScene.ts keepPicture); without it the picture is let go.
   */
  constructor(
    private readonly layer: Konva.Layer,
    private readonly overview: BoardOverview,
    private readonly ended?: (picture: OverviewPicture) => void,
  ) {
    // An empty layer is hidden: a transparent full-screen canvas still costs the compositor (boardScene.ts).
    layer.getNativeCanvasElement().style.visibility = 'hidden'
    this.off = overview.onChange(this.update)
    this.update()
  }

  /** The board rectangle the overview covers, while the page holds one (shown at this zoom or not). */
  get rect(): Rect | undefined {
    return this.image ? this.shown : undefined
  }

  /** Whether the overview is on screen now (held, and sharp enough at this zoom). */
  get visible(): boolean {
    return this.image?.visible() === true
  }

  /** The view's zoom changed: the picture shows only where it is about as sharp as the screen. */
  setZoom(zoom: number): void {
    this.zoom = zoom
    this.showAtZoom()
  }

  private showAtZoom(): void {
    if (!this.image) return
    const on = this.unitsPerPixel * this.zoom <= MAX_SCREEN_PX_PER_PIXEL
    if (on === this.image.visible()) return
    this.image.visible(on)
    this.layer.getNativeCanvasElement().style.visibility = on ? '' : 'hidden'
    this.layer.batchDraw()
  }

  destroy(): void {
    this.destroyed = true
    this.turn++
    this.off()
    this.clear()
  }

  private readonly update = (): void => {
    const turn = ++this.turn
    const next = this.overview.image
    if (!next) {
      if (this.overview.ended && this.bitmap && this.shown && this.ended) {
        this.ended({ bitmap: this.bitmap, rect: this.shown })
        this.bitmap = undefined
      }
      this.clear()
      return
    }
    // The board's next part waits for the picture: decoded and on screen in the frame after it came.
    screenPacing
      .decode(createImageBitmap(new Blob([next.png as Uint8Array<ArrayBuffer>], { type: 'image/png' })))
      .then(
        (bitmap) => {
          if (turn !== this.turn || this.destroyed) {
            bitmap.close()
            return
          }
          this.clear()
          const { rect } = next
          this.bitmap = bitmap
          this.shown = rect
          this.unitsPerPixel = (rect.maxX - rect.minX) / Math.max(1, bitmap.width)
          this.image = new Konva.Image({
            image: bitmap,
            x: rect.minX,
            y: rect.minY,
            width: rect.maxX - rect.minX,
            height: rect.maxY - rect.minY,
            listening: false,
            perfectDrawEnabled: false,
            visible: false,
          })
          this.layer.add(this.image)
          this.showAtZoom()
        },
        // The engine checked its header; a PNG whose body does not decode is passed over as a bad frame is.
        () => platform().warn("Ignored the host's overview: its image does not decode."),
      )
  }

  private clear(): void {
    if (!this.image) return
    this.image.destroy()
    this.image = undefined
    this.bitmap?.close()
    this.bitmap = undefined
    this.shown = undefined
    this.layer.getNativeCanvasElement().style.visibility = 'hidden'
    this.layer.batchDraw()
  }
}
