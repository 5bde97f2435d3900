import WebSocket from 'ws'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { nodeTimers } from '../../src/main/host/nodeClient'
import { Board } from '../../src/shared/board'
import { connectBoard } from '../../src/shared/sync/connect'
import type { BoardPreview } from '../../src/shared/sync/preview'
import type { BoardSocket } from '../../src/shared/sync/socket'

/**
 * A fresh page's board joining the host at `url` over a real WebSocket, asking for `preview` when given (an older
 * page asks for none); the type byte of every frame it receives is pushed to `types`.
 */
export function joinHost(
  url: string,
  ownerKey: string,
  options: { preview?: BoardPreview; plain?: boolean; types?: number[] } = {},
) {
  const joiner = new Board(new Y.Doc(), 'joiner')
  const connection = connectBoard({
    url,
    board: joiner,
    awareness: new Awareness(joiner.doc),
    ownerKey,
    plain: options.plain ?? true,
    ...(options.preview ? { preview: options.preview } : {}),
    timers: nodeTimers,
    createSocket: (u) => {
      const ws = new WebSocket(u)
      ws.on('error', () => {})
      ws.on('message', (data: ArrayBuffer) => options.types?.push(new Uint8Array(data)[0] ?? -1))
      return ws as unknown as BoardSocket
    },
  })
  return { joiner, connection }
}
