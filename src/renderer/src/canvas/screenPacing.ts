import type { PaintPacing } from '../../../shared/sync/paintPacing'

/**
 * A frame that never comes (a window the system stopped painting while it still counts as visible) must not stall
 * the board's parts for good: after this long they go on without it.
 */
const NO_FRAME_MS = 1000

/**
 * The page's screen as the parts of a streamed board are paced to it (src/shared/sync/paintPacing.ts): the overview's
 * picture and the view tell it what they changed (the engine tells it of the preview and the overview); a change is
 * on screen once the frame after the next one ran and a task after it began. A hidden page paints nothing: nothing
 * waits for it there.
 */
export class ScreenPacing implements PaintPacing {
  /** Changes so far, and how many of them a painted frame showed. */
  private turn = 0
  private paintedTurn = 0
  /** Pictures still decoding (the overview): their frame comes only after they are ready. */
  private decoding = 0
  private asked = false
  private waiters: (() => void)[] = []
  private readonly afterFrame = new MessageChannel()
  private afterFrameCalls: (() => void)[] = []

  constructor() {
    this.afterFrame.port1.onmessage = () => {
      for (const call of this.afterFrameCalls.splice(0)) call()
    }
  }

  get painted(): boolean {
    return this.decoding === 0 && this.paintedTurn === this.turn
  }

  changed(): void {
    this.turn++
    this.ask()
  }

  /** A picture is decoding (asynchronously) that is to be shown as soon as it is ready: the next part waits for it. */
  decode<T>(picture: Promise<T>): Promise<T> {
    this.decoding++
    this.turn++
    const done = (): void => {
      this.decoding--
      this.changed()
    }
    picture.then(done, done)
    return picture
  }

  whenPainted(then: () => void): void {
    if (this.painted) {
      then()
      return
    }
    this.waiters.push(then)
    this.ask()
  }

  private ask(): void {
    if (this.asked || this.decoding > 0) return
    this.asked = true
    this.nextPaint((shown) => {
      this.asked = false
      this.paintedTurn = Math.max(this.paintedTurn, shown)
      if (!this.painted) {
        this.ask()
        return
      }
      for (const waiter of this.waiters.splice(0)) waiter()
    })
  }

  /**
   * Calls `then` with the changes a painted frame showed, in a task after it; at once in a task when the page is
   * hidden, and after NO_FRAME_MS when no frame comes.
   */
  private nextPaint(then: (shown: number) => void): void {
    let done = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const finish = (shown: number): void => {
      if (done) return
      done = true
      document.removeEventListener('visibilitychange', onHidden)
      clearTimeout(timer)
      this.afterFrameCalls.push(() => then(shown))
      this.afterFrame.port2.postMessage(null)
    }
    const onHidden = (): void => {
      if (document.hidden) finish(this.turn)
    }
    if (document.hidden) {
      finish(this.turn)
      return
    }
    document.addEventListener('visibilitychange', onHidden)
    timer = setTimeout(() => finish(this.turn), NO_FRAME_MS)
    // What changed before this frame's callbacks is drawn in it or, when asked inside one of them (Konva's batchDraw
    // then waits for the next frame), in the next: painted once the frame after this one ran.
    requestAnimationFrame(() => {
      const shown = this.turn
      requestAnimationFrame(() => finish(shown))
    })
  }
}

/** The page's one screen. */
export const screenPacing = new ScreenPacing()
