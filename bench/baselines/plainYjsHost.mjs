/**
 * The floor for a host that keeps a board as a Yjs document (what y-websocket's server does with a persisted
 * document): read the board's Yjs update from a file, apply it to a fresh Y.Doc, listen with a bare `ws` server,
 * print "listening". No checks, no journal, no session, no index. bench/host.scenario.ts times it beside the host.
 * Usage: node plainYjsHost.mjs UPDATE_FILE ENCODING(1|2)
 */
import { readFileSync } from 'node:fs'
import { WebSocketServer } from 'ws'
import * as Y from 'yjs'

const [file, encoding] = process.argv.slice(2)
const update = new Uint8Array(readFileSync(file))
const doc = new Y.Doc()
if (encoding === '2') Y.applyUpdateV2(doc, update)
else Y.applyUpdate(doc, update)
const server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
server.on('listening', () => console.log(`listening on ${server.address().port}`))
server.on('connection', (ws) => ws.send(Y.encodeStateAsUpdate(doc)))
