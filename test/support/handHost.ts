/**
 * A page's connection on the in-memory network whose host end the test plays by hand: the page is welcomed as an
 * editor, and every hello it sends is kept, parsed. What the host sends next is the test's.
 */
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { Board } from '../../src/shared/board'
import { type ConnectOptions, connectBoard } from '../../src/shared/sync/connect'
import { controlFrame, readFrame } from '../../src/shared/sync/frames'
import {
  ManualTimers,
  MemoryNetwork,
  type MemorySocket,
  seededRandom,
} from '../../src/shared/sync/memorySocket'
import { parseClientControl, Role } from '../../src/shared/sync/session'

const welcome = controlFrame({
  type: 'welcome',
  participantId: 'p1',
  role: Role.Editor,
  rejoin: 'rejoin-secret-0123456789',
})

/** A welcomed page with `extra` connect options (a preview, an overview…), and its host end. */
export function welcomedPage(extra: Partial<ConnectOptions> = {}) {
  const hostEnds: MemorySocket[] = []
  const hellos: unknown[] = []
  const network = new MemoryNetwork((socket) => {
    hostEnds.push(socket)
    socket.onmessage = ({ data }) => {
      const frame = readFrame(new Uint8Array(data as ArrayBuffer))
      if (frame.type === 'control') hellos.push(parseClientControl(frame.json))
    }
  })
  const doc = new Y.Doc()
  const board = new Board(doc, 'me')
  const connection = connectBoard({
    url: 'memory://b',
    board,
    awareness: new Awareness(doc),
    createSocket: (url) => network.connect(url),
    timers: new ManualTimers(seededRandom(3)),
    plain: true,
    ...extra,
  })
  network.flush()
  const host = hostEnds[0] as MemorySocket
  network.flush()
  host.send(welcome)
  network.flush()
  return { network, host, connection, hellos, board }
}
