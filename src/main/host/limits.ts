/**
 * What one peer may cost the host: message and byte rates, sizes per message type, the backlog a slow
 * reader may leave in the host's memory, how many people a board takes, and the heartbeat. Each figure says
 * why it is what it is; tests pass smaller ones through HostOptions.limits.
 */
import { MAX_CURSOR_FRAME_BYTES, type Traffic } from '../../shared/sync/frames'
import {
  type Allowance,
  EDIT_BYTES_ALLOWANCE,
  EDIT_MESSAGES_ALLOWANCE,
  MAX_MESSAGE_BYTES,
  RELAY_BYTES_ALLOWANCE,
  SYNC_PART_BYTES,
} from '../../shared/sync/protocol'
import { TokenBucket } from '../../shared/sync/tokenBucket'
import { DEFAULT_GUARD_LIMITS, type GuardLimits } from '../../shared/validate/boardGuard'
import { type ConnectionLimits, defaultConnectionLimits } from './connectionLimits'

/** A sustained rate and the burst allowed above it. */
export type Rate = Allowance

export interface HostLimits extends ConnectionLimits {
  /** People in one board's session (the host's own windows always get in). */
  maxParticipants: number
  /** Board edits and control messages from one socket. */
  messages: Rate
  /** Bytes of board edits and control messages from one socket. */
  bytes: Rate
  /** Presence (awareness) messages from one socket: volatile, relayed to everyone, so held tighter. */
  awarenessMessages: Rate
  awarenessBytes: Rate
  /** SyncStep1 requests: each makes the host encode a diff of the whole board. */
  syncRequests: Rate
  /**
   * Bytes of one socket's edits times the people they are relayed to: what its edits cost the host to send.
   * In a classroom the same edit goes out fifty times; past this a sender is closed (RateLimited).
   */
  relayBytes: Rate
  /** Largest control message (JSON), presence message and SyncStep1 (a state vector). */
  maxControlBytes: number
  maxAwarenessBytes: number
  maxStateVectorBytes: number
  /** A peer with this much unsent data queued stops getting presence (it is dropped, not queued). */
  volatileDropBytes: number
  /** A peer with this much relayed data queued and unread is closed (TooSlow). */
  slowCloseBytes: number
  /**
   * Relayed data queued for all of one board's peers, and for all peers of the host: above it, the peer
   * furthest behind is closed (TooSlow) until the total fits, so many slow readers cannot grow the host.
   */
  boardBacklogBytes: number
  hostBacklogBytes: number
  /** Updates held while they wait for the edits they build on (before the peer's SyncStep2). */
  maxHeldUpdates: number
  maxHeldBytes: number
  /** Ping interval; a peer that misses one pong is dropped at the next. */
  heartbeatMs: number
  /** Sockets of one address before their hello (handshake included); a newer one pushes out the oldest. */
  maxPendingPerAddress: number
  /** Knocks waiting from one address, and how long a knock waits for an answer before it ends. */
  maxKnocksPerAddress: number
  knockTimeoutMs: number
  /**
   * How long a new socket may take to say hello (its secure handshake included) before the host closes it with
   * TryAgain: a client that is only slow (a busy computer) retries; an idle socket stops holding a slot.
   */
  helloTimeoutMs: number
  /** Caps on each update and on the board's size. */
  guard: GuardLimits
  /** A joining client's SyncStep2 above this is sent in parts of about this size (MessageType.SyncPart). */
  syncPartBytes: number
  /**
   * Whether a joiner that asks gets the board's overview. False only in benches and tests: joiners then get none,
   * as from a host with no fresh one at hand (after a large move or restyle, while its first drawing runs), and the
   * host draws none (the bench's relay with the overview off).
   */
  sendOverviews: boolean
  /**
   * The longest a joiner's board waits for a quick drawing of the overview (HostOverview.quick) before its parts go,
   * ms: the redraw of a few changes on a 100,000-stroke board takes a few hundred ms of the host's CPU. Tests that
   * check the order of the picture and the parts raise it, so that a loaded machine cannot turn the order around.
   */
  quickOverviewWaitMs: number
  /**
   * The worker thread that makes the overview's pictures off the host's thread (src/main/host/room/overviewPictures.ts):
   * its built file (used whenever a picture is made); undefined: the one built beside the host's code (none when run
   * from source), started only while the host relays between two pages or more (with fewer, no one's ink waits behind
   * the picture, and the worker's memory buys nothing); false: none, the host makes them on its own thread. Tests set
   * it to compare the two.
   */
  overviewWorker?: string | false
}

// Drawing sends ~60 updates/s (a chunk per animation frame) and the eraser about as many; bursts come from
// undo, paste and reconnects. A client that needs more is not a person drawing.
/** The limits a host runs with unless told otherwise. */
export const DEFAULT_LIMITS: HostLimits = {
  // A classroom or an all-hands; every participant's edits go to every other (n² relaying).
  maxParticipants: 64,
  // Shared with clients (src/shared/sync/protocol.ts), which pace a large edit to them (outbox.ts).
  messages: EDIT_MESSAGES_ALLOWANCE,
  bytes: EDIT_BYTES_ALLOWANCE,
  // Presence is sent at most 30 times a second (PRESENCE_SEND_MS); twice that leaves room for jitter.
  awarenessMessages: { perSecond: 60, burst: 120 },
  // A presence state with a full laser trail is about 3 KB.
  awarenessBytes: { perSecond: 256 * 1024, burst: 512 * 1024 },
  // One per connection and one per role change is what a client sends.
  syncRequests: { perSecond: 0.5, burst: 4 },
  relayBytes: RELAY_BYTES_ALLOWANCE,
  // A hello with a name is under 1 KB.
  maxControlBytes: 16 * 1024,
  maxAwarenessBytes: 16 * 1024,
  // ~8 bytes per client id the board has ever seen: room for 100,000 page loads.
  maxStateVectorBytes: 1024 * 1024,
  volatileDropBytes: 1024 * 1024,
  // Above one largest message plus a few seconds of drawing by everyone.
  slowCloseBytes: MAX_MESSAGE_BYTES + 8 * 1024 * 1024,
  // Two slow readers at their own cap; a classroom of readers that stopped costs this, not 64 times 24 MB.
  boardBacklogBytes: 2 * (MAX_MESSAGE_BYTES + 8 * 1024 * 1024),
  // A few boards' worth: the host stays in a few hundred MB whatever its peers do.
  hostBacklogBytes: 6 * (MAX_MESSAGE_BYTES + 8 * 1024 * 1024),
  maxHeldUpdates: 256,
  maxHeldBytes: 4 * 1024 * 1024,
  heartbeatMs: 30_000,
  // A page opens one socket at a time; a few more cover reconnects and several windows on one machine.
  maxPendingPerAddress: 8,
  // One person knocks once; two covers a second device behind the same address (NAT).
  maxKnocksPerAddress: 2,
  // Long enough for a host busy elsewhere to notice the card; a forgotten knock then frees its place.
  knockTimeoutMs: 2 * 60_000,
  helloTimeoutMs: 10_000,
  guard: DEFAULT_GUARD_LIMITS,
  syncPartBytes: SYNC_PART_BYTES,
  sendOverviews: true,
  quickOverviewWaitMs: 1000,
  // Connections per address and in all, below the process's descriptor limit (src/main/host/connectionLimits.ts).
  ...defaultConnectionLimits(),
}

/** Limits with some figures replaced. */
export function hostLimits(overrides: Partial<HostLimits> = {}): HostLimits {
  return { ...DEFAULT_LIMITS, ...overrides, guard: { ...DEFAULT_LIMITS.guard, ...overrides.guard } }
}

/** One socket's allowance: every message it sends is admitted (or not) here before it is decoded further. */
export class PeerAllowance {
  private readonly messages: TokenBucket
  private readonly bytes: TokenBucket
  private readonly awarenessMessages: TokenBucket
  private readonly awarenessBytes: TokenBucket
  /** Cursor deltas: the presence rate, counted apart so a pointer moving while the view pans halves neither. */
  private readonly cursorMessages: TokenBucket
  private readonly syncRequests: TokenBucket
  private readonly relayBytes: TokenBucket

  constructor(
    private readonly limits: HostLimits,
    now?: () => number,
  ) {
    this.messages = new TokenBucket(limits.messages, now)
    this.bytes = new TokenBucket(limits.bytes, now)
    this.awarenessMessages = new TokenBucket(limits.awarenessMessages, now)
    this.awarenessBytes = new TokenBucket(limits.awarenessBytes, now)
    this.cursorMessages = new TokenBucket(limits.awarenessMessages, now)
    this.syncRequests = new TokenBucket(limits.syncRequests, now)
    this.relayBytes = new TokenBucket(limits.relayBytes, now)
  }

  /** Why this message is refused, with the close code's kind; undefined when it may go on. */
  admit(traffic: Traffic, size: number): { tooLarge: boolean; reason: string } | undefined {
    const max = this.maxSize(traffic)
    if (size > max)
      return { tooLarge: true, reason: `A ${traffic} message of ${size} bytes; at most ${max}.` }
    const [count, volume] =
      traffic === 'awareness'
        ? [this.awarenessMessages, this.awarenessBytes]
        : traffic === 'cursor'
          ? [this.cursorMessages, this.awarenessBytes]
          : [this.messages, this.bytes]
    if (!count.take()) return { tooLarge: false, reason: `Too many ${traffic} messages; slow down.` }
    if (!volume.take(size))
      return { tooLarge: false, reason: `Too many bytes of ${traffic} messages; slow down.` }
    if (traffic === 'sync-request' && !this.syncRequests.take())
      return { tooLarge: false, reason: 'Too many sync requests; slow down.' }
    return undefined
  }

  /** Why an edit of `size` bytes relayed to `recipients` people is refused, or undefined when it may go out. */
  relay(size: number, recipients: number): string | undefined {
    if (recipients === 0 || this.relayBytes.take(size * recipients)) return undefined
    return `Your edits cost too much to send to ${recipients} people; slow down.`
  }

  private maxSize(traffic: Traffic): number {
    if (traffic === 'control') return this.limits.maxControlBytes
    if (traffic === 'awareness') return this.limits.maxAwarenessBytes
    if (traffic === 'cursor') return MAX_CURSOR_FRAME_BYTES
    if (traffic === 'sync-request') return this.limits.maxStateVectorBytes
    return MAX_MESSAGE_BYTES
  }
}

/** How the host sends a frame: a reply the peer asked for, a relayed edit, or volatile presence. */
export type SendKind = 'reply' | 'reliable' | 'volatile'

/**
 * What a peer has not read yet. bufferedAmount counts everything queued; replies the peer asked for (the
 * whole board when it joins) may be large and are not the peer's fault, so they are excused until the socket
 * has written them out. The rest, relayed edits and presence, is the backlog that marks a slow reader.
 */
export class PeerBacklog {
  private replies = 0
  /** The largest relayed backlog seen when deciding a send, and presence frames dropped (tests, figures). */
  peak = 0
  dropped = 0

  constructor(
    private readonly socket: { readonly bufferedAmount: number },
    private readonly limits: HostLimits,
  ) {}

  /** Bytes queued for this peer that are not replies still being written out. */
  get relayed(): number {
    return Math.max(0, this.socket.bufferedAmount - this.replies)
  }

  /** Whether to send a frame, drop it (volatile, peer behind) or close the peer (too far behind). */
  decide(kind: SendKind): 'send' | 'drop' | 'close' {
    if (kind === 'reply') return 'send'
    const relayed = this.relayed
    this.peak = Math.max(this.peak, relayed)
    if (kind === 'volatile') {
      if (relayed <= this.limits.volatileDropBytes) return 'send'
      this.dropped++
      return 'drop'
    }
    return relayed > this.limits.slowCloseBytes ? 'close' : 'send'
  }

  /** A reply of `bytes` is queued; call the returned function once the socket has written it out. */
  reply(bytes: number): () => void {
    this.replies += bytes
    let done = false
    return () => {
      if (done) return
      done = true
      this.replies -= bytes
    }
  }
}

/**
 * The relayed backlog of every board of a host, as each board last reported it: the host-wide cap is
 * checked against the sum (boards report on each relay, so the figure is fresh where traffic is).
 */
export class HostBacklog {
  private readonly boards = new Map<string, number>()
  private total = 0

  /** Records a board's current backlog; returns the host's total. */
  report(boardId: string, bytes: number): number {
    this.total += bytes - (this.boards.get(boardId) ?? 0)
    if (bytes > 0) this.boards.set(boardId, bytes)
    else this.boards.delete(boardId)
    return this.total
  }
}
