import type { Rect } from '../../../shared/geometry'
import type { InkChannel } from '../../../shared/sync/liveInk'
import type { Participant } from '../../../shared/sync/session'
import type { PeerAllowance, PeerBacklog } from '../limits'
import type { RoomSocket } from './peerSocket'

/** One socket of a board: waiting for its hello, knocking, or in the session as a participant. */
export interface Peer {
  socket: RoomSocket
  state: 'hello' | 'knocking' | 'in'
  /** Set from the hello on; its role counts once the peer is in. */
  participant?: Participant
  rejoin?: string
  /** The awareness client ids this socket announced (removed when it closes). */
  awarenessIds: Set<number>
  helloTimer?: ReturnType<typeof setTimeout>
  /** Ends a knock nobody answers. */
  knockTimer?: ReturnType<typeof setTimeout>
  /** The view its hello asked a preview of, until its first SyncStep1 is answered (viewPreview.ts). */
  previewView?: Rect
  /** Whether its hello asked for the board's overview, until its first SyncStep1 is answered (./overview.ts). */
  overviewAsked?: boolean
  /** Asked for the overview when none was drawn: it goes out once drawn, if the board is still coming to the peer. */
  overviewWaits?: boolean
  /** The board being sent to the peer in parts, while it is (BoardRoom.answerSyncStep1). */
  stream?: object
  /** Its message and byte rates, and what it has not read yet (src/main/host/limits.ts). */
  allowance: PeerAllowance
  backlog: PeerBacklog
  /**
   * SyncStep1s sent to the peer and not yet answered: until then its updates may build on edits still to
   * come, and only an answering SyncStep2 may carry edits of others that the host lacks.
   */
  step2Expected: number
  /** Updates that build on edits the host has not seen yet, kept until the peer's SyncStep2. */
  held: Uint8Array[]
  heldBytes: number
  /** Live ink from and to this socket: Ink frames continue the last one each way (shared/sync/liveInk.ts). */
  inkIn: InkChannel
  inkOut: InkChannel
  /** Set when the peer offered to take over as host (port it will listen on, and when it offered). */
  standby?: { port: number; since: number }
}
