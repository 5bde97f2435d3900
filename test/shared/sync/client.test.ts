/**
 * The client engine and its reconnecting socket against a scripted host: first over the in-memory network
 * (time and delivery by hand), then the unreadable-frame case again over a real `ws` socket on loopback.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { nodeTimers } from '../../../src/main/host/nodeClient'
import { Board } from '../../../src/shared/board'
import { type BoardConnection, connectBoard } from '../../../src/shared/sync/connect'
import {
  controlFrame,
  readFrame,
  syncPartFrame,
  syncStep2Frame,
  syncStep2UpdateFrame,
} from '../../../src/shared/sync/frames'
import {
  ManualTimers,
  MemoryNetwork,
  type MemorySocket,
  seededRandom,
} from '../../../src/shared/sync/memorySocket'
import { CloseReason } from '../../../src/shared/sync/protocol'
import { Role } from '../../../src/shared/sync/session'
import type { BoardSocket } from '../../../src/shared/sync/socket'
import { syncParts } from '../../../src/shared/sync/syncParts'
import { waitUntil } from '../../support/waitUntil'

const welcome = (n: number) =>
  controlFrame({
    type: 'welcome',
    participantId: `p${n}`,
    role: Role.Editor,
    rejoin: 'rejoin-secret-0123456789',
  })

/** A client on the memory network whose host end the test answers by hand. */
function scripted() {
  const hostEnds: MemorySocket[] = []
  const network = new MemoryNetwork((socket) => hostEnds.push(socket))
  const timers = new ManualTimers(seededRandom(7))
  const doc = new Y.Doc()
  const board = new Board(doc, 'me')
  const connection = connectBoard({
    url: 'memory://b',
    board,
    awareness: new Awareness(doc),
    createSocket: (url) => network.connect(url),
    timers,
    plain: true,
  })
  const received: string[] = []
  const answer = (end: MemorySocket) => {
    end.onmessage = ({ data }) => received.push(readFrame(new Uint8Array(data as ArrayBuffer)).type)
  }
  return { hostEnds, network, timers, connection, board, received, answer }
}

describe('the client engine over an in-memory socket', () => {
  it('starts over on a fresh socket after a frame it cannot read, and gets back in', () => {
    const { hostEnds, network, timers, connection, answer } = scripted()
    network.flush()
    const first = hostEnds[0] as MemorySocket
    answer(first)
    first.send(welcome(1))
    network.flush()
    expect(connection.status).toBe('connected')
    // Bytes that are no protocol frame: type 9 does not exist.
    first.send(new Uint8Array([9, 1, 2]))
    network.flush()
    expect(connection.closeCode).toBe(CloseReason.InvalidMessage)
    expect(connection.status).toBe('offline')
    timers.advance(1000)
    network.flush()
    expect(hostEnds).toHaveLength(2)
    const second = hostEnds[1] as MemorySocket
    answer(second)
    second.send(welcome(2))
    second.send(syncStep2Frame(new Y.Doc(), new Uint8Array([0])))
    network.flush()
    expect(connection.status).toBe('connected')
    expect(connection.synced).toBe(true)
  })

  it('does not retry after a final close code, and retries after any other with growing delays', () => {
    const { hostEnds, network, timers, connection } = scripted()
    network.flush()
    ;(hostEnds[0] as MemorySocket).close(1001, 'going away')
    network.flush()
    expect(connection.status).toBe('offline')
    // The first retry waits 125-250 ms.
    timers.advance(100)
    expect(hostEnds).toHaveLength(1)
    timers.advance(200)
    network.flush()
    expect(hostEnds).toHaveLength(2)
    ;(hostEnds[1] as MemorySocket).close(CloseReason.Kicked, 'The host removed you from the session.')
    network.flush()
    expect(connection.status).toBe('closed')
    expect(connection.closeReason).toBe('The host removed you from the session.')
    timers.advance(60_000)
    network.flush()
    expect(hostEnds).toHaveLength(2)
  })

  it('sends edits made while offline in its SyncStep2 once it is back', () => {
    const { hostEnds, network, timers, connection, board, received, answer } = scripted()
    network.flush()
    ;(hostEnds[0] as MemorySocket).terminate()
    network.flush()
    board.addText({ x: 1, y: 2, text: 'made offline' })
    timers.advance(1000)
    network.flush()
    const second = hostEnds[1] as MemorySocket
    answer(second)
    second.send(welcome(1))
    second.send(new Uint8Array([0, 0, 1, 0])) // SyncStep1 of an empty state vector
    network.flush()
    // Its own SyncStep1, its presence, and the answer to the host's: the edit made offline.
    expect(received).toEqual(['sync-step1', 'awareness', 'sync-step2'])
    expect(connection.unsaved).toBe(1)
  })

  it("writes no copy of the host's parts it applies, and still sends its own edits", () => {
    const { hostEnds, network, connection, board, received, answer } = scripted()
    const source = new Board(new Y.Doc(), 'host')
    for (let i = 0; i < 200; i++) source.addText({ x: i * 10, y: 0, text: `note ${i}` })
    const { parts, last, bytes } = syncParts(source.doc, Y.encodeStateVector(board.doc), 2048)
    expect(parts.length).toBeGreaterThan(5)
    network.flush()
    const host = hostEnds[0] as MemorySocket
    answer(host)
    host.send(welcome(1))
    network.flush()
    // Yjs writes each transaction's update again (Item.write) for the document's update listeners: count the
    // structs written from this replica's document while the board comes.
    const write = Y.Item.prototype.write
    let written = 0
    Y.Item.prototype.write = function (this: Y.Item, ...args: Parameters<Y.Item['write']>) {
      if ((this.parent as Y.AbstractType<unknown> | null)?.doc === board.doc) written++
      return write.apply(this, args)
    }
    try {
      let sent = 0
      for (const part of parts) {
        sent += part.byteLength
        host.send(syncPartFrame(bytes, part))
      }
      host.send(syncStep2UpdateFrame(last))
      network.flush()
      expect(sent + last.byteLength).toBe(bytes)
      expect(board.readElements().length).toBe(200)
      expect(connection.progress).toBe(1)
      expect(written).toBe(0)
      // Its own edit after the board is still encoded and sent.
      board.addText({ x: 0, y: 50, text: 'mine' })
      network.flush()
      expect(written).toBeGreaterThan(0)
      expect(received.at(-1)).toBe('update')
    } finally {
      Y.Item.prototype.write = write
    }
  })
})

describe('the client engine over a real socket', () => {
  let server: WebSocketServer | undefined
  let connection: BoardConnection | undefined
  afterEach(() => {
    connection?.close()
    server?.close()
  })

  it('reconnects after an unreadable frame from a host on loopback', async () => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
    await new Promise((resolve) => server?.once('listening', resolve))
    let sockets = 0
    server.on('connection', (ws) => {
      sockets++
      // The first socket gets a welcome and then garbage; the second is served properly.
      ws.send(welcome(sockets))
      if (sockets === 1) ws.send(new Uint8Array([0, 7, 0]))
      else ws.send(syncStep2Frame(new Y.Doc(), new Uint8Array([0])))
    })
    const address = server.address() as { port: number }
    const doc = new Y.Doc()
    connection = connectBoard({
      url: `ws://127.0.0.1:${address.port}/sync/b?v=1`,
      board: new Board(doc, 'me'),
      awareness: new Awareness(doc),
      createSocket: (url) => {
        const ws = new WebSocket(url)
        ws.on('error', () => {})
        return ws as unknown as BoardSocket
      },
      timers: nodeTimers,
      plain: true,
    })
    await connection.whenSynced()
    expect(sockets).toBe(2)
    expect(connection.status).toBe('connected')
    await waitUntil('still connected', () => connection?.status === 'connected')
  })
})

describe('close codes and the secure channel', () => {
  it('retries a final close code forged on the network, and believes the one the host says in the channel', async () => {
    const { MemoryRoom } = await import('../../support/memoryRoom')
    const host = new MemoryRoom(new ManualTimers(seededRandom(3)), true)
    try {
      const client = host.join('linked')
      host.network.flush()
      expect(client.connection.synced).toBe(true)
      // Somebody on the path closes the TCP connection with "wrong key": no word of it inside the channel.
      const link = host.network.links.at(-1)
      link?.host.close(CloseReason.BadToken, 'forged')
      host.network.flush()
      expect(client.connection.status).toBe('offline')
      host.timers.advance(1000)
      host.network.flush()
      expect(client.connection.status).toBe('connected')
      expect(client.connection.synced).toBe(true)
      // The host itself ends the board: said in the channel, so the client stops for good.
      host.room.close(CloseReason.BoardClosed, 'The host closed this board.')
      host.network.flush()
      expect(client.connection.status).toBe('closed')
      expect(client.connection.closeCode).toBe(CloseReason.BoardClosed)
    } finally {
      host.close()
    }
  })
})

describe('looking for the next host (failover)', () => {
  const succession = controlFrame({
    type: 'succession',
    epoch: 0,
    standbys: [
      { participantId: 'sA', name: 'Ada (standby)', address: '10.0.0.7', port: 47801 },
      { participantId: 'sB', name: 'Bo (standby)', address: '10.0.0.8', port: 47802 },
    ],
  })

  function session() {
    const ends: { url: string; end: MemorySocket }[] = []
    const network = new MemoryNetwork((end, url) => ends.push({ url, end }))
    const timers = new ManualTimers(seededRandom(3))
    const doc = new Y.Doc()
    const connection = connectBoard({
      url: 'ws://10.0.0.1:47800/sync/b?v=1',
      board: new Board(doc, 'me'),
      awareness: new Awareness(doc),
      createSocket: (url) => network.connect(url),
      timers,
      plain: true,
    })
    return { ends, network, timers, connection }
  }

  it('tries the host, then each standby in order, and stays with the one that lets it in', () => {
    const { ends, network, timers, connection } = session()
    network.flush()
    const first = ends[0]?.end as MemorySocket
    first.send(welcome(1))
    first.send(succession)
    network.flush()
    expect(connection.succession.map((s) => s.name)).toEqual(['Ada (standby)', 'Bo (standby)'])

    first.close(1006, 'gone')
    network.flush()
    expect(connection.status).toBe('offline')
    // Before FAILOVER_AFTER_MS only the host is tried; after it, every place in turn, refused or not.
    for (let t = 0; t < 40; t++) {
      timers.advance(250)
      network.flush()
      const last = ends.at(-1)
      if (last && last.end.readyState === 1 && !/10\.0\.0\.8/.test(last.url)) last.end.close(1006, 'refused')
      network.flush()
      if (ends.some((e) => /10\.0\.0\.8:47802/.test(e.url))) break
    }
    const urls = ends.map((e) => e.url.replace(/\/sync.*/, ''))
    expect(urls.slice(0, 2)).toEqual(['ws://10.0.0.1:47800', 'ws://10.0.0.1:47800'])
    expect(urls).toContain('ws://10.0.0.7:47801')
    expect(urls.indexOf('ws://10.0.0.7:47801')).toBeLessThan(urls.indexOf('ws://10.0.0.8:47802'))

    const next = ends.at(-1)?.end as MemorySocket
    next.send(welcome(2))
    network.flush()
    expect(connection.status).toBe('connected')
    expect(connection.movedTo?.name).toBe('Bo (standby)')
    // From now on the new host is where it reconnects.
    next.close(1006, 'blip')
    network.flush()
    timers.advance(1000)
    network.flush()
    expect(ends.at(-1)?.url).toMatch(/^ws:\/\/10\.0\.0\.8:47802\//)
  })

  it('goes on looking when a standby refuses with a final code, and never ends for it', () => {
    const { ends, network, timers, connection } = session()
    network.flush()
    const first = ends[0]?.end as MemorySocket
    first.send(welcome(1))
    first.send(succession)
    network.flush()
    first.close(1006, 'gone')
    network.flush()
    for (let t = 0; t < 40 && !ends.some((e) => /10\.0\.0\.7/.test(e.url)); t++) {
      timers.advance(250)
      network.flush()
      const last = ends.at(-1)
      if (last && !/10\.0\.0\.7/.test(last.url)) last.end.close(1006, 'refused')
      network.flush()
    }
    const at = ends.findIndex((e) => /10\.0\.0\.7/.test(e.url))
    const standby = ends[at]?.end as MemorySocket
    standby.close(CloseReason.BadToken, 'This join link is not valid (any more).')
    network.flush()
    expect(connection.status).toBe('offline')
    timers.advance(1000)
    network.flush()
    expect(ends.length).toBeGreaterThan(at + 1)
  })
})

describe('a socket the platform will not open', () => {
  it('counts as a failed attempt: the client goes on to the next place instead of stopping', () => {
    const ends: string[] = []
    const network = new MemoryNetwork((_end, url) => ends.push(url))
    const timers = new ManualTimers(seededRandom(5))
    const doc = new Y.Doc()
    let refused = 0
    const connection = connectBoard({
      url: 'ws://10.0.0.1:47800/sync/b?v=1',
      board: new Board(doc, 'me'),
      awareness: new Awareness(doc),
      // As a page's Content-Security-Policy does: new WebSocket() throws for an address it may not reach.
      createSocket: (url) => {
        if (url.includes('10.0.0.1')) {
          refused++
          throw new Error('Refused to connect: violates the Content-Security-Policy')
        }
        return network.connect(url)
      },
      timers,
      plain: true,
    })
    expect(connection.status).toBe('offline')
    expect(connection.closeReason).toMatch(/Could not open a socket/)
    timers.advance(5000)
    network.flush()
    expect(refused).toBeGreaterThan(1)
    expect(connection.status).toBe('offline')
    expect(ends).toEqual([])
    connection.close()
    expect(connection.status).toBe('closed')
  })
})
