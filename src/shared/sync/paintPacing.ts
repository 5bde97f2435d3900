/**
 * The board's parts paced to the page's frames (docs/protocol.md, "Streamed join"): applying one part of a large
 * board holds a page's main thread for about a tenth of a second (Yjs's apply, the scene's observer), and a page
 * that took the next part as soon as it came showed the preview, the overview, or a view the person had just zoomed
 * to fit only after it. With a pacing, a part waits while something new for the screen (the preview, the overview,
 * the person's view) is not painted yet. Parts themselves do not wait for each other's frames: zoomed out, every
 * frame between two parts renders tiles again (one pair measured: the whole board 42.8 s against 24.9 s).
 */
import { MessageType } from './protocol'
import { frameBytes } from './socket'

/** A page's screen, as the engine paces the parts of a streamed board to it. */
export interface PaintPacing {
  /** Whether everything changed so far is on screen (the next part may be applied now). */
  readonly painted: boolean
  /** Something new for the screen (the preview, the overview, the view moved): the next part waits for its frame. */
  changed(): void
  /** Calls `then` once everything changed so far is on screen. */
  whenPainted(then: () => void): void
}

/**
 * What a message from the host is to the pacing: 'part' for a part of the board (SyncPart), 'shown' for what the page
 * draws at once (the preview, the overview), undefined for the rest (read off the first byte; the engine reads and
 * checks the whole frame). The SyncStep2 that ends the parts is not held: it holds the deletions only, and the
 * board is whole (the bar and the overview gone) together with its last part, as before.
 */
export function pacedKind(data: unknown): 'part' | 'shown' | undefined {
  const bytes = frameBytes(data)
  if (!bytes) return undefined
  switch (bytes[0]) {
    case MessageType.SyncPart:
      return 'part'
    case MessageType.Preview:
    case MessageType.Overview:
      return 'shown'
    default:
      return undefined
  }
}

/**
 * The messages of one socket in order, handed on as they come except that a part of the board waits until the
 * screen painted what changed on it (and the messages after the part wait behind it). `handle` gets each in turn.
 */
export class PacedInbox {
  private readonly waiting: unknown[] = []
  private held = false
  /** Counts the sockets: a wait for the screen that ends after its socket went hands on nothing. */
  private socketTurn = 0

  constructor(
    private readonly pacing: PaintPacing,
    private readonly handle: (data: unknown) => void,
  ) {}

  /** A message from the host on the current socket. */
  receive(data: unknown): void {
    this.waiting.push(data)
    this.drain()
  }

  /** The socket went (or a new one opened): what waits of the old one is dropped. */
  reset(): void {
    this.socketTurn++
    this.waiting.length = 0
    this.held = false
  }

  private drain(): void {
    const turn = this.socketTurn
    while (this.waiting.length > 0 && !this.held && turn === this.socketTurn) {
      const data = this.waiting[0]
      const kind = pacedKind(data)
      if (kind === 'part' && !this.pacing.painted) {
        this.held = true
        this.pacing.whenPainted(() => {
          if (turn !== this.socketTurn) return
          this.held = false
          this.drain()
        })
        return
      }
      this.waiting.shift()
      this.handle(data)
      if (kind === 'shown') this.pacing.changed()
    }
  }
}
