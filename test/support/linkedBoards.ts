import * as Y from 'yjs'
import type { Board } from '../../src/shared/board'

/** Two replicas joined by a relay that can be cut (offline) and rejoined (the sync handshake both ways). */
export function linked(a: Board, b: Board) {
  let online = true
  const relay = (to: Board) => (update: Uint8Array, origin: unknown) => {
    if (online && origin !== 'relay') Y.applyUpdate(to.doc, update, 'relay')
  }
  a.doc.on('update', relay(b))
  b.doc.on('update', relay(a))
  return {
    offline: () => {
      online = false
    },
    online: () => {
      online = true
      Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc)), 'relay')
      Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b.doc, Y.encodeStateVector(a.doc)), 'relay')
    },
  }
}
