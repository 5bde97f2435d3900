import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { hostname as osHostName } from 'node:os'
import { resolve } from 'node:path'
import type { Duplex } from 'node:stream'
import { type WebSocket, WebSocketServer } from 'ws'
import type { Aead } from '../../shared/secure/aead'
import { SEAL_OVERHEAD } from '../../shared/secure/sealed'
import { CloseReason, MAX_MESSAGE_BYTES, PROTOCOL_VERSION, SYNC_PATH } from '../../shared/sync/protocol'
import type { HostSocket } from '../../shared/sync/socket'
import { HostAccess, hostPort, newSecret } from './access'
import { handleApi } from './api'
import { CheckedBoards } from './checkedBoards'
import { type ConnectionFigures, ConnectionGate } from './connectionLimits'
import type { browseSessions } from './discovery'
import { FailedHandshakes } from './failedHandshakes'
import { HostBacklog, type HostLimits, hostLimits } from './limits'
import { type AutosaveTiming, OpenBoards, type OpenedBoard } from './openBoards'
import type { BacklogFigures } from './room/boardRoom'
import { pageOpening } from './room/pageOpening'
import { PeerSocket } from './room/peerSocket'
import { SavedOverviews } from './savedOverviews'
import { readSessionFile, sessionPathOf } from './sessionFile'
import { SessionList } from './sessionList'
import { sessionHostedElsewhere } from './sessionMoved'
import { type OpenShare, openShare, type SessionShare, type ShareOptions } from './share'
import { HTML_CSP, LAN_HTML_CSP, serveStatic } from './staticFiles'

export type { OpenedBoard } from './openBoards'
export type { SessionShare, ShareOptions } from './share'

export interface HostOptions {
  /** TCP port; 0 picks a free one (read it back from Host.port). */
  port: number
  /** Address to bind; loopback unless a LAN session asks for more. */
  hostname?: string
  /** The default board's file; a missing file is a new empty board, created on its first save. */
  boardPath: string
  /** The built renderer (out/renderer), served at "/". */
  rendererDir: string
  log?: (line: string) => void
  /** Autosave timing (tests shorten it). */
  autosave?: AutosaveTiming
  /** Browse mDNS for sessions when GET /api/sessions asks (default false: that answers discovery: false). */
  browse?: boolean
  /** The address of the interface to browse on; default all. */
  browseInterface?: string
  /** What browses the network (mDNS by default; a test hands one that reports hosts on loopback). */
  browseWith?: typeof browseSessions
  /** This computer's name as sessions show it; default the OS host name. */
  hostName?: string
  /** Rates, sizes, caps and the heartbeat (src/main/host/limits.ts); tests make them small. */
  limits?: Partial<HostLimits>
  /** The secure channel's AEAD; Node's native ChaCha20-Poly1305 by default (the bench compares @noble's). */
  aead?: Aead
  /**
   * A folder of this computer's own data where the host notes the board files it wrote or checked, so that
   * they open without a full check (src/main/host/checkedBoards.ts); without it the note lasts one run.
   */
  checkedBoardsDir?: string
  /**
   * A folder of this computer's own data where the host keeps the overview it drew of each large board, so that
   * opening the board again does not draw it again (src/main/host/savedOverviews.ts); without it none is kept.
   */
  overviewsDir?: string
}

/** A running host: an HTTP + WebSocket server holding open boards. */
export interface Host {
  /** http://127.0.0.1:PORT/ */
  url: string
  port: number
  defaultBoardId: string
  /** Opens a board file (missing = new empty board); resolves to the already open board for the same file. */
  openBoardFile(path: string): Promise<OpenedBoard>
  /** Writes board file bytes as a new file beside the default board and opens it; BoardFileError if invalid. */
  importBoard(bytes: Uint8Array, suggestedName: string): Promise<OpenedBoard>
  /** The board's current state as .lanvas bytes. */
  boardFileBytes(id: string): Uint8Array
  /** Saves a board to another file, which becomes its file from now on. */
  saveBoardAs(id: string, path: string): Promise<OpenedBoard>
  /** A board's description, or undefined for an unknown id. */
  board(id: string): OpenedBoard | undefined
  /** Saves every board with unsaved changes now. */
  flush(): Promise<void>
  /** The secret that makes a client the host of any board here (the host's own window: #owner=KEY). */
  ownerKey: string
  /** Shares the default board on the network: a second listener, join links, mDNS. One share at a time. */
  share(options?: ShareOptions): Promise<SessionShare>
  /** The current share, or undefined when the host shares nothing. */
  session(): SessionShare | undefined
  /** Stops sharing (mDNS goodbye), disconnects every client, saves every board and stops listening. */
  close(): Promise<void>
  /** What each socket of a board has not read yet, and the most it ever had (bytes); tests and the bench. */
  backlogs(boardId: string): BacklogFigures
  /** Connections open, at most, closed to make room, refused and timed out (tests and figures). */
  connections(): ConnectionFigures
}

/** Starts a host serving the default board; rejects (writing nothing) when the board file cannot be read. */
export async function startHost(options: HostOptions): Promise<Host> {
  const log = options.log ?? (() => {})
  const hostname = options.hostname ?? '127.0.0.1'
  // The owner key of the board's session, when it was shared before: the host link then survives a restart.
  const ownerKey = (await savedOwnerKey(options.boardPath)) ?? newSecret()
  const hostName = options.hostName ?? osHostName()
  const boards = new OpenBoards(
    log,
    ownerKey,
    options.autosave,
    new CheckedBoards(options.checkedBoardsDir),
    new SavedOverviews(options.overviewsDir),
  )
  const defaultBoard = await boards.open(options.boardPath)
  // A .lanvas file, or a PNG/SVG exported with the board embedded: the same everywhere a board is opened.
  // The export code is loaded on first use (it tells a PNG or SVG with a board inside from a board file).
  const importBoard = async (bytes: Uint8Array, name: string): Promise<OpenedBoard> => {
    const { boardFileOf } = await import('./export/exportRoute')
    return boards.import(boardFileOf(bytes), name, defaultBoard.path)
  }

  let access: HostAccess | undefined
  let share: OpenShare | undefined
  const sessionList = options.browse
    ? new SessionList(options.browseInterface, options.browseWith)
    : undefined
  const requestHandler = (lan: boolean) => (req: IncomingMessage, res: ServerResponse) => {
    handleRequest(req, res, lan).catch((error: Error) => {
      log(`request ${req.url} failed: ${error.message}`)
      if (!res.headersSent) res.writeHead(500).end()
      else res.destroy()
    })
  }
  const server = createServer(requestHandler(false))
  const limits = hostLimits(options.limits)
  const gate = new ConnectionGate(limits, log)
  gate.attach(server)
  const handleRequest = async (req: IncomingMessage, res: ServerResponse, lan: boolean): Promise<void> => {
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('X-Frame-Options', 'DENY')
    res.setHeader('Referrer-Policy', 'no-referrer')
    const refusal = access?.refusal(req, { upgrade: false, api: (req.url ?? '').startsWith('/api/') })
    if (refusal) {
      log(refusal)
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' }).end(refusal)
      return
    }
    if ((req.url ?? '').startsWith('/api/'))
      await handleApi(req, res, {
        boards,
        // The network knows only the shared board: to it, that is the host's board.
        defaultBoardId: () => (lan && share ? share.linkBoardId : defaultBoard.id),
        boardIdOf: (id) => (share && id === share.linkBoardId ? share.boardId : id),
        importBoard,
        lan,
        session: () => {
          const room = share ? boards.room(share.boardId) : undefined
          const info = room?.sessionInfo()
          // How many are in: the Join list shows it; it changes too often for the mDNS TXT record.
          return info && room && share
            ? { ...info, participants: room.participants().length, epoch: share.epoch }
            : undefined
        },
        sessions: async () => ({
          discovery: sessionList !== undefined,
          sessions: (await sessionList?.counted()) ?? [],
        }),
      })
    else {
      // A page loading: the host's overview drawing waits for it (./room/pageOpening.ts).
      pageOpening()
      await serveStatic(req, res, options.rendererDir, lan ? LAN_HTML_CSP : HTML_CSP)
    }
  }

  const wss = new WebSocketServer({
    noServer: true,
    // The largest protocol frame, sealed; beyond it ws closes with 1009 before buffering more.
    maxPayload: MAX_MESSAGE_BYTES + SEAL_OVERHEAD,
    // No client fragments its messages; many tiny fragments would cost the host more than their bytes.
    maxFragments: 64,
    // Compression would let a small frame inflate into a large one (a zip bomb) and costs CPU per peer.
    perMessageDeflate: false,
  })
  const alive = new WeakSet<WebSocket>()
  const lanSockets = new Set<PeerSocket>()
  const failedHandshakes = new FailedHandshakes()
  // Every board's relayed backlog counts against one cap for the whole host.
  const hostBacklog = new HostBacklog()
  const upgradeHandler = (lan: boolean) => (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = access?.refusal(req, { upgrade: true })
    const url = new URL(req.url ?? '/', 'http://host')
    const refuse = (status: string, text: string): void => {
      log(text)
      socket.end(
        `HTTP/1.1 ${status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
      )
    }
    if (refusal) return refuse('403 Forbidden', refusal)
    if (!url.pathname.startsWith(SYNC_PATH))
      return refuse('404 Not Found', `No WebSocket at ${url.pathname}.`)
    pageOpening()
    wss.handleUpgrade(req, socket, head, (ws) => {
      alive.add(ws)
      ws.on('pong', () => alive.add(ws))
      const version = url.searchParams.get('v')
      if (version !== String(PROTOCOL_VERSION)) {
        ws.close(
          CloseReason.VersionMismatch,
          `This host speaks Lanvas protocol ${PROTOCOL_VERSION}, the client ${version ?? 'none'}.`,
        )
        return
      }
      const asked = decodeURIComponent(url.pathname.slice(SYNC_PATH.length))
      // A session taken over from another host answers to the board id its links name.
      const id = share && asked === share.linkBoardId ? share.boardId : asked
      const room = boards.room(id)
      // Over the network only the shared board exists: the host's other boards stay on this computer.
      if (!room || (lan && id !== share?.boardId)) {
        ws.close(CloseReason.UnknownBoard, 'No board with this id is open on this host.')
        return
      }
      // The LAN listener speaks only the secure channel; this computer's own listener also takes plain frames.
      const peer = new PeerSocket(ws as unknown as HostSocket, {
        plainAllowed: !lan,
        secretFor: (mode) => room.secretFor(mode),
        failedHandshakes,
        address: req.socket.remoteAddress ?? 'unknown',
        log,
        aead: options.aead,
        // ws writes to the upgraded request's socket: PeerSocket corks it for a turn of the event loop.
        stream: req.socket,
      })
      if (lan) {
        lanSockets.add(peer)
        ws.on('close', () => lanSockets.delete(peer))
      }
      room.join(peer, limits, hostBacklog)
    })
  }
  server.on('upgrade', upgradeHandler(false))
  // Sockets whose peer vanished (sleep, network gone) are found by a ping they do not answer.
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate()
        continue
      }
      alive.delete(ws)
      ws.ping()
    }
  }, limits.heartbeatMs)
  heartbeat.unref()

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(options.port, hostname, () => {
        server.off('error', reject)
        resolve()
      })
    })
  } catch (error) {
    clearInterval(heartbeat)
    await boards.close()
    throw error
  }
  const port = (server.address() as AddressInfo).port
  const extraNames = ['127.0.0.1', '::1', '0.0.0.0', '::'].includes(hostname) ? [] : [hostname]
  access = new HostAccess(port, extraNames)
  const url = `http://127.0.0.1:${port}/`
  log(`listening on ${hostname} port ${port}, board ${defaultBoard.path}`)
  // View first: the default board's strokes indexed now that the host is listening, before its first join.
  boards.room(defaultBoard.id)?.indexStrokes(limits)

  let sharing: Promise<SessionShare> | undefined
  const startSharing = async (shareOptions: ShareOptions): Promise<SessionShare> => {
    if (!access || closing) throw new Error('The host is closed.')
    if (share) throw new Error('This host already shares a board; stop that first.')
    const boardId = shareOptions.boardId ?? defaultBoard.id
    const room = boards.room(boardId)
    const board = boards.get(boardId)
    if (!room || !board) throw new Error(`No open board has the id ${boardId}.`)
    // Someone took the session over while this host was away: sharing again would make a second copy of it.
    const moved = await sessionHostedElsewhere(board.path, log)
    if (moved)
      throw new Error(
        `This board's session is hosted at ${hostPort(moved.address, moved.port)} now: someone took it over while you were away. Join it there (${moved.link}) instead of sharing a second copy; what you drew merges when you join.`,
      )
    const opened: OpenShare = await openShare(
      {
        room,
        boardName: () => boards.get(boardId)?.name ?? '',
        hostName,
        access,
        handleRequest: requestHandler(true),
        gate,
        handleUpgrade: upgradeHandler(true),
        closeLanSockets: (code, reason) => {
          for (const peer of lanSockets) peer.closeAnnounced(code, reason)
        },
        boardPath: board.path,
        ownerKey,
        onStopped: () => {
          if (share === opened) share = undefined
        },
        log,
      },
      shareOptions,
    )
    share = opened
    return share
  }

  let closing: Promise<void> | undefined
  return {
    url,
    port,
    defaultBoardId: defaultBoard.id,
    ownerKey,
    share: (shareOptions = {}) => {
      // One share at a time, also when two calls race.
      const attempt = (sharing ?? Promise.resolve()).catch(() => {}).then(() => startSharing(shareOptions))
      sharing = attempt
      return attempt
    },
    session: () => share,
    openBoardFile: (path) => boards.open(path),
    importBoard,
    boardFileBytes: (id) => boards.fileBytes(id),
    saveBoardAs: (id, path) => boards.saveAs(id, path),
    board: (id) => boards.get(id),
    flush: () => boards.flush(),
    backlogs: (id) => boards.room(id)?.backlogs() ?? { sockets: [], peak: 0, closedSlow: 0 },
    connections: () => ({ ...gate.figures }),
    close: () => {
      closing ??= (async () => {
        // Clients retry after 1001, so they find this host again when it comes back.
        await share?.stopWith(1001, 'The host is shutting down.')
        sessionList?.stop()
        clearInterval(heartbeat)
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()))
        try {
          await boards.close()
        } finally {
          for (const ws of wss.clients) ws.terminate()
          wss.close()
          server.closeAllConnections()
          await stopped
          log('host closed')
        }
      })()
      return closing
    },
  }
}

/** The owner key kept in a board's session file, if it has a usable one (sharing reports a damaged file). */
async function savedOwnerKey(boardPath: string): Promise<string | undefined> {
  try {
    return (await readSessionFile(sessionPathOf(resolve(boardPath))))?.ownerKey
  } catch {
    return undefined
  }
}
