import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { type AddressInfo, isIP } from 'node:net'
import type { Duplex } from 'node:stream'
import { errorMessage } from '../../shared/errors'
import { normalizeName } from '../../shared/names'
import { CloseReason } from '../../shared/sync/protocol'
import { cleanName } from '../../shared/sync/session'
import { type HostAccess, hostPort, newSecret } from './access'
import type { ConnectionGate } from './connectionLimits'
import { advertiseSession, lanAddresses, newSessionId } from './discovery'
import { findPortHolder, PortTakenError } from './portHolder'
import type { BoardRoom } from './room/boardRoom'
import {
  readSessionFile,
  type SavedPerson,
  type SavedSession,
  SessionFileError,
  sessionPathOf,
  setSessionFileAside,
  writeSessionFile,
} from './sessionFile'
import { tokenWeakness } from './tokenStrength'

/** The port a shared board listens on unless told otherwise. */
export const DEFAULT_LAN_PORT = 47800

/** How to share the host's default board on the network. */
export interface ShareOptions {
  /** The board to share; default the host's default board. */
  boardId?: string
  /** Default 47800; when taken, a free one. 0 picks any free port. */
  port?: number
  /**
   * The port was asked for by name (`--lan-port N`): when taken, sharing fails with a PortTakenError naming who
   * holds it, as firewall rules and printed links name that port; no other port is tried.
   */
  strictPort?: boolean
  /** Address to listen on; default all interfaces (0.0.0.0, and IPv6 too where the system has it). */
  bind?: string
  /** The session's name; default "<host name>'s board". */
  name?: string
  /** The join token; default the one of the board's session file, or a fresh secret of 144 bits. */
  token?: string
  /** Joining without the token knocks (default true) or enters as an editor (false). */
  approval?: boolean
  /** Advertise the session by mDNS (default true). */
  advertise?: boolean
  /** The address of the interface to advertise on; default all. */
  iface?: string
}

/** A board shared on the network. */
export interface SessionShare {
  sessionId: string
  /** The shared board. */
  boardId: string
  /**
   * The board id the session's links and pages use (/sync/<id>): the shared board's own id, or the first host's
   * when this host took the session over (docs/protocol.md, "Failover").
   */
  linkBoardId: string
  /** How many times the session changed host (0: this is its first host). */
  epoch: number
  /** The join token now (a new link changes it). */
  readonly token: string
  /** The LAN listener's port. */
  port: number
  /** http://ADDR:PORT/#join=TOKEN, one per address others can reach this host at (a new link changes them). */
  readonly joinLinks: string[]
  /** Whether the session came back from the board's session file (same id, links and people) or is new. */
  restored: boolean
  /** Why the board's session file could not be used (a fresh session was started instead), if it could not. */
  sessionFileProblem?: string
  /** Makes a new join token: old links stop working, the people in stay in and are told. Resolves to the new links. */
  newLink(): Promise<string[]>
  /** Calls back with the new join links after every new link; returns the unsubscribe function. */
  onNewLink(cb: (joinLinks: string[]) => void): () => void
  /** Stops sharing: mDNS goodbye, the network's sockets closed, the LAN listener closed. */
  stop(): Promise<void>
}

/** What sharing needs from the host. */
export interface ShareContext {
  room: BoardRoom
  boardName: () => string
  hostName: string
  access: HostAccess
  handleRequest: (req: IncomingMessage, res: ServerResponse) => void
  handleUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void
  /** Keeps the LAN listener's connections within the host's caps, with the loopback listener's. */
  gate: ConnectionGate
  /** Closes the sockets that came in over the LAN listener. */
  closeLanSockets: (code: number, reason: string) => void
  /** The shared board's file: its session is kept beside it (NAME.lanvas.session). */
  boardPath: string
  /** The host's owner key, kept in the session file so that the host link survives a restart. */
  ownerKey: string
  /** Called once sharing has stopped. */
  onStopped?: () => void
  log: (line: string) => void
}

/** A share that can also be stopped as the host shuts down (clients then retry: 1001). */
export interface OpenShare extends SessionShare {
  stopWith(code: number, reason: string): Promise<void>
}

// mDNS goodbye packets go out at once; a stuck socket must not hold up the host's shutdown.
const GOODBYE_TIMEOUT_MS = 2000

/** Checks share options; throws an Error with a one-line message for the user. */
export function checkShareOptions(options: ShareOptions): void {
  const { port, bind, token, iface } = options
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535))
    throw new Error(`The port must be a number from 0 to 65535, not ${port}.`)
  if (bind !== undefined && isIP(bind) === 0) throw new Error(`"${bind}" is not an IP address to bind.`)
  if (iface !== undefined && isIP(iface) === 0) throw new Error(`"${iface}" is not an interface address.`)
  // Advertising runs over IPv4 mDNS: an IPv6 interface address would join no group and announce nothing.
  if (iface !== undefined && isIP(iface) === 6)
    throw new Error(`"${iface}" is an IPv6 address; give the IPv4 address of the interface to advertise on.`)
  const weakness = token === undefined ? undefined : tokenWeakness(token)
  if (weakness) throw new Error(weakness)
}

/** The session file of a board, or why it cannot be used (then it is set aside and a fresh session starts). */
async function savedSessionOf(ctx: ShareContext): Promise<{ saved?: SavedSession; problem?: string }> {
  const path = sessionPathOf(ctx.boardPath)
  try {
    return { saved: await readSessionFile(path) }
  } catch (error) {
    if (!(error instanceof SessionFileError)) throw error
    const aside = await setSessionFileAside(path)
    const problem = `${error.message} A new session was started: the old links no longer work${aside ? ` (the old file is kept as ${aside})` : ''}; the board itself is untouched.`
    ctx.log(problem)
    return { problem }
  }
}

/** Opens the LAN listener for the host's default board, lets the room know, and advertises it. */
export async function openShare(ctx: ShareContext, options: ShareOptions): Promise<OpenShare> {
  checkShareOptions(options)
  const { saved, problem } = await savedSessionOf(ctx)
  let token = options.token ?? saved?.token ?? newSecret()
  // Another token given by hand is a new link: the people admitted under the old one must knock again.
  const people: SavedPerson[] = saved && saved.token === token ? saved.people : []
  const approval = options.approval ?? saved?.approval ?? true
  const server = createServer(ctx.handleRequest)
  ctx.gate.attach(server)
  server.on('upgrade', ctx.handleUpgrade)
  // The port of the session's last run first: the links and QR codes handed out name it.
  const bound = await listen(
    server,
    options.port ?? saved?.port ?? DEFAULT_LAN_PORT,
    options.bind ?? '0.0.0.0',
    options.strictPort === true,
  )
  const port = (server.address() as AddressInfo).port
  if (saved && options.port === undefined && port !== saved.port)
    ctx.log(`port ${saved.port} is taken: the session's old links no longer reach it (now port ${port})`)
  const addresses = reachableAddresses(bound)
  ctx.access.allow([...addresses, '127.0.0.1', 'localhost', '::1'], port)
  const linksFor = (t: string) => addresses.map((a) => `http://${hostPort(a, port)}/#join=${t}`)
  let joinLinks = linksFor(token)
  const sessionId = saved?.sessionId ?? newSessionId()
  const linkBoardId = saved?.boardId ?? ctx.room.id
  const epoch = saved?.epoch ?? 0
  const formerHosts = saved?.formerHosts ?? []
  let standbys = saved?.standbys ?? []
  // Pages that came from an earlier host of the session keep their origin when they move here.
  ctx.access.allowOrigins(formerHosts)
  const name = cleanName(options.name ?? saved?.name ?? `${ctx.hostName}'s board`)
  if (saved && saved.ownerKey !== ctx.ownerKey)
    ctx.log('this host has another owner key than the session had: the old host link no longer works')
  const sessionPath = sessionPathOf(ctx.boardPath)
  let remembered = people
  // One write at a time, in order; a failed write is logged and the next one tries again.
  let writing: Promise<void> = Promise.resolve()
  const save = (): Promise<void> => {
    const session = {
      sessionId,
      name,
      token,
      ownerKey: ctx.ownerKey,
      approval,
      port,
      people: remembered,
      epoch,
      boardId: linkBoardId,
      standbys,
      formerHosts,
    }
    writing = writing
      .then(() => writeSessionFile(sessionPath, session))
      .catch((error) => ctx.log(`could not save the session to ${sessionPath}: ${errorMessage(error)}`))
    return writing
  }
  let stopping: Promise<void> | undefined
  const newLinkListeners = new Set<(links: string[]) => void>()
  const newLink = async (): Promise<string[]> => {
    if (stopping) throw new Error('This board is no longer shared.')
    token = newSecret()
    joinLinks = linksFor(token)
    ctx.room.relink(token, joinLinks)
    ctx.log(`board ${ctx.room.id}: the host made a new link; the old links no longer work`)
    for (const cb of [...newLinkListeners]) cb(joinLinks)
    await save()
    return joinLinks
  }
  const describe = () => ({
    sessionId,
    name,
    boardId: linkBoardId,
    // File and machine names reach every participant and the network: normalised like any name.
    boardName: normalizeName(ctx.boardName()),
    hostName: normalizeName(ctx.hostName),
    approval,
  })
  ctx.room.setShare({
    token,
    approval,
    describe,
    joinLinks,
    people,
    remember: (now) => {
      remembered = now
      void save()
    },
    newLink: () => void newLink(),
    epoch,
    // Written before the pages hear of it (membership.ts): a returning host must find who took over.
    succession: (now) => {
      standbys = now
      return save()
    },
  })
  await save()
  const advert =
    (options.advertise ?? true) ? advertiseSession({ ...describe(), port }, options.iface) : undefined
  ctx.log(`sharing board ${ctx.room.id} as "${name}" on ${bound} port ${port}${advert ? ', advertised' : ''}`)

  const stopWith = (code: number, reason: string): Promise<void> => {
    stopping ??= (async () => {
      await Promise.race([advert?.stop(), new Promise((r) => setTimeout(r, GOODBYE_TIMEOUT_MS).unref())])
      ctx.access.forget()
      ctx.closeLanSockets(code, reason)
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
      ctx.room.setShare(undefined)
      await closed
      await writing
      ctx.log(`stopped sharing board ${ctx.room.id}`)
      ctx.onStopped?.()
    })()
    return stopping
  }
  return {
    sessionId,
    boardId: ctx.room.id,
    linkBoardId,
    epoch,
    get token() {
      return token
    },
    port,
    get joinLinks() {
      return joinLinks
    },
    restored: saved !== undefined,
    ...(problem ? { sessionFileProblem: problem } : {}),
    newLink,
    onNewLink: (cb) => {
      newLinkListeners.add(cb)
      return () => newLinkListeners.delete(cb)
    },
    stopWith,
    stop: () => stopWith(CloseReason.BoardClosed, 'The host stopped sharing this board.'),
  }
}

/**
 * Listens on `port` at `bind` (any free port when taken, unless `strict`: then a PortTakenError); 0.0.0.0
 * becomes dual-stack :: where possible.
 */
async function listen(
  server: ReturnType<typeof createServer>,
  port: number,
  bind: string,
  strict: boolean,
): Promise<string> {
  const hosts = bind === '0.0.0.0' ? ['::', '0.0.0.0'] : [bind]
  let lastError: unknown
  for (const host of hosts) {
    for (const p of port === 0 || strict ? [port] : [port, 0]) {
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject)
          server.listen(p, host, () => {
            server.off('error', reject)
            resolve()
          })
        })
        return host
      } catch (error) {
        lastError = error
        const code = (error as NodeJS.ErrnoException).code
        if (code === 'EADDRINUSE' && strict && port !== 0)
          throw new PortTakenError(port, await findPortHolder(port))
        if (code === 'EADDRINUSE') continue
        break
      }
    }
  }
  throw lastError
}

/** The addresses others can reach a listener bound to `bound` at. */
function reachableAddresses(bound: string): string[] {
  if (bound === '::') return lanAddresses()
  if (bound === '0.0.0.0') return lanAddresses().filter((a) => !a.includes(':'))
  return [bound]
}
