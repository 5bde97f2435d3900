import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { type HostOptions, startHost } from '../../src/main/host/server'
import { type BoardConnection, connectBoard } from '../../src/renderer/src/session/connection'
import { Board } from '../../src/shared/board'
import { type BoardSocket, PROTOCOL_VERSION } from '../../src/shared/protocol'

/** A fresh temporary folder; removed by the returned cleanup. */
export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'lanvas-test-'))
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true })
}

/** A host on a free loopback port with fast autosave, serving `rendererDir` (missing by default). */
export function startTestHost(dir: string, overrides: Partial<HostOptions> = {}) {
  return startHost({
    port: 0,
    boardPath: join(dir, 'board.lanvas'),
    rendererDir: join(dir, 'no-renderer'),
    autosave: { quietMs: 20, maxDelayMs: 100 },
    ...overrides,
  })
}

/** The sync URL of a board on a host. */
export function syncUrl(port: number, boardId: string, version = PROTOCOL_VERSION): string {
  return `ws://127.0.0.1:${port}/sync/${boardId}?v=${version}`
}

export interface TestClient {
  board: Board
  awareness: Awareness
  connection: BoardConnection
  destroy(): void
}

/** A real Yjs client connected over a real `ws` socket, as the renderer connects in a browser. */
export function connectClient(url: string, name: string): TestClient {
  const doc = new Y.Doc()
  const board = new Board(doc, name)
  const awareness = new Awareness(doc)
  const connection = connectBoard({
    url,
    board,
    awareness,
    createSocket: (u) => new WebSocket(u) as unknown as BoardSocket,
  })
  return {
    board,
    awareness,
    connection,
    destroy() {
      connection.close()
      awareness.destroy()
      board.destroy()
      doc.destroy()
    },
  }
}

/** Whether two boards hold exactly the same document. */
export function sameState(a: Board, b: Board): boolean {
  return Buffer.from(Y.encodeStateVector(a.doc)).equals(Buffer.from(Y.encodeStateVector(b.doc)))
}
