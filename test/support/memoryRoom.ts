/**
 * A host room and its clients on the in-memory network (src/shared/sync/memorySocket.ts): the real room,
 * the real client engine and, when asked, the real secure channel, with delivery, time and faults in the
 * test's hands. The room's journal is a list; `flush()` is the journal reaching the disk.
 */
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { FailedHandshakes } from '../../src/main/host/failedHandshakes'
import { type HostLimits, hostLimits } from '../../src/main/host/limits'
import { BoardRoom } from '../../src/main/host/room/boardRoom'
import { PeerSocket } from '../../src/main/host/room/peerSocket'
import { Board } from '../../src/shared/board'
import { type BoardConnection, type ConnectOptions, connectBoard } from '../../src/shared/sync/connect'
import { CursorChannel } from '../../src/shared/sync/cursors'
import { type ManualTimers, MemoryNetwork } from '../../src/shared/sync/memorySocket'
import { holdsUpdate } from './holdsUpdate'

const OWNER_KEY = 'owner-key-of-the-memory-host'
const TOKEN = 'join-token-of-the-memory-host'

// Rates a person never reaches in the few real milliseconds a scripted run takes.
const UNLIMITED = { perSecond: 1e9, burst: 1e9 }
const LIMITS = hostLimits({
  messages: UNLIMITED,
  bytes: UNLIMITED,
  awarenessMessages: UNLIMITED,
  awarenessBytes: UNLIMITED,
  syncRequests: UNLIMITED,
  relayBytes: UNLIMITED,
})

/** A client of the memory room: its replica, its connection, and what the host reported saved. */
export interface MemoryClient {
  board: Board
  awareness: Awareness
  /** The client's cursor: set its own, hear the others' (presence deltas). */
  cursors: CursorChannel
  connection: BoardConnection
  saved: Uint8Array[]
  /** Updates the host reported saved while they were not on its disk (must stay empty). */
  savedTooEarly: Uint8Array[]
}

/** A board room on an in-memory network, with a journal the test flushes by hand. */
export class MemoryRoom {
  readonly room: BoardRoom
  readonly network: MemoryNetwork
  readonly journal: Uint8Array[] = []
  /** How much of the journal is on disk, and the board as a restarted host would read it. */
  durable = 0
  private readonly onDisk = new Y.Doc()
  readonly clients: MemoryClient[] = []
  readonly log: string[] = []

  constructor(
    readonly timers: ManualTimers,
    /** Clients speak the secure channel (with the join token) instead of plain frames. */
    readonly secure: boolean,
    limits: Partial<HostLimits> = {},
  ) {
    this.room = new BoardRoom(
      'memory-board',
      undefined,
      (update) => {
        this.journal.push(update)
        return this.journal.length
      },
      (line) => this.log.push(line),
      OWNER_KEY,
    )
    if (secure)
      this.room.setShare({
        token: TOKEN,
        approval: false,
        joinLinks: [],
        describe: () => ({
          sessionId: 'memory-session',
          name: 'Memory',
          boardId: 'memory-board',
          boardName: 'Memory',
          hostName: 'memory',
          approval: false,
        }),
      })
    const failed = new FailedHandshakes()
    this.network = new MemoryNetwork((socket) =>
      this.room.join(
        new PeerSocket(socket, {
          plainAllowed: !secure,
          secretFor: (mode) => this.room.secretFor(mode),
          failedHandshakes: failed,
          // One address per connection, as people on their own machines have.
          address: `memory-${socket.link.id}`,
          log: (line) => this.log.push(line),
        }),
        { ...LIMITS, ...limits },
      ),
    )
  }

  /** A new client replica connecting to the room (with `extra` connect options: a preview, an overview…). */
  join(name: string, extra: Partial<ConnectOptions> = {}): MemoryClient {
    const doc = new Y.Doc()
    // Client ids in join order, not random: which of two concurrent writes of one key wins follows them (a flat
    // stroke edited by two people at once), so a seed reproduces its run only with the same ids.
    doc.clientID = 1000 + this.clients.length
    const board = new Board(doc, name)
    const awareness = new Awareness(doc)
    const cursors = new CursorChannel()
    const connection = connectBoard({
      url: 'memory://memory-board',
      board,
      awareness,
      cursors,
      createSocket: (url) => this.network.connect(url),
      timers: this.timers,
      identity: { name, color: '#336699' },
      ...(this.secure ? { token: TOKEN } : { plain: true }),
      ...extra,
    })
    const client: MemoryClient = { board, awareness, cursors, connection, saved: [], savedTooEarly: [] }
    // Checked the moment the report arrives: later flushes must not excuse an early one.
    connection.onSaved((updates) => {
      client.saved.push(...updates)
      client.savedTooEarly.push(...updates.filter((u) => !this.isOnDisk(u)))
    })
    this.clients.push(client)
    return client
  }

  /** The journal reaches the disk up to where it is now; the room tells each client what is saved. */
  flush(): void {
    for (const update of this.journal.slice(this.durable)) Y.applyUpdate(this.onDisk, update)
    this.durable = this.journal.length
    this.room.saved(this.durable)
  }

  /** Whether everything an update holds (its items and its deletions) is in the journal on disk. */
  isOnDisk(update: Uint8Array): boolean {
    return holdsUpdate(this.onDisk, update)
  }

  /** Ends every client and the room. */
  close(): void {
    for (const c of this.clients) {
      c.connection.close()
      c.awareness.destroy()
      c.board.destroy()
    }
    this.network.flush()
    this.room.close()
    this.room.doc.destroy()
    this.onDisk.destroy()
  }
}
