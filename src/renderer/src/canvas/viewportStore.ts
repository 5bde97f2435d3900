import { boardToScreen, type Viewport } from '../../../shared/geometry'

/** The viewport and screen size, outside React so that a pan does not re-render the app every frame. */
export class ViewportStore {
  private view: Viewport = { x: 0, y: 0, zoom: 1 }
  private size = { width: 1, height: 1 }
  private readonly listeners = new Set<() => void>()

  get(): Viewport {
    return this.view
  }

  screenSize(): { width: number; height: number } {
    return this.size
  }

  set(view: Viewport): void {
    if (view.x === this.view.x && view.y === this.view.y && view.zoom === this.view.zoom) return
    this.view = view
    this.emit()
  }

  setScreenSize(width: number, height: number): void {
    if (width === this.size.width && height === this.size.height) return
    this.size = { width, height }
    this.emit()
  }

  /** Moves the view by a screen-pixel delta (content follows the pointer). */
  panBy(dx: number, dy: number): void {
    this.set({ ...this.view, x: this.view.x - dx / this.view.zoom, y: this.view.y - dy / this.view.zoom })
  }

  toScreen(x: number, y: number): { x: number; y: number } {
    return boardToScreen(this.view, x, y)
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private emit(): void {
    for (const listener of this.listeners) listener()
  }
}
