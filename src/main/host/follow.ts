/**
 * A standby: a replica that follows a session as an editor (joined by its link), keeps the board on this
 * computer's disk, and hosts the session itself when the host has been gone for a few seconds and no standby
 * before it in the succession list took over (docs/protocol.md, "Failover"). `npm run host -- --follow LINK`
 * runs one; a host that comes back to a session taken over meanwhile follows it the same way.
 */
import { mkdir } from 'node:fs/promises'
import { createServer } from 'node:net'
import { hostname as osHostName } from 'node:os'
import { dirname } from 'node:path'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { Board } from '../../shared/board'
import { encodeBoardFile } from '../../shared/boardFile'
import { errorMessage } from '../../shared/errors'
import { parseSessionAddress } from '../../shared/sessionAddress'
import { type BoardConnection, FAILOVER_AFTER_MS } from '../../shared/sync/connect'
import { PROTOCOL_VERSION } from '../../shared/sync/protocol'
import type { Standby, StandbyFacts } from '../../shared/sync/session'
import { hostPort, newSecret } from './access'
import { recoverBoard } from './journal'
import { connectBoardFromNode } from './nodeClient'
import { type Host, startHost } from './server'
import { sessionPathOf, writeSessionFile } from './sessionFile'
import { probeSession } from './sessionMoved'
import { DEFAULT_LAN_PORT } from './share'
import { writeFileAtomic } from './storage'

/** Each standby waits this much longer than the one before it in the list, so that exactly one takes over. */
export const RANK_STEP_MS = 2000
// The replica is written to disk this long after the last change (and when the follower stops).
const SAVE_QUIET_MS = 1000

/** Where and how a follower hosts the session if it takes over. */
export interface FollowOptions {
  /** The session's join link (http://ADDR:PORT/#join=TOKEN): a standby must be an editor by the link. */
  link: string
  /** This computer's copy of the board (read first if it exists: what it holds merges into the session). */
  boardPath: string
  /** The LAN port to host on after a takeover (default 47800, or a free one when taken). */
  lanPort?: number
  bind?: string
  mdns: boolean
  iface?: string
  /** The loopback port of the host started on takeover (0: any). */
  loopbackPort: number
  rendererDir: string
  log: (line: string) => void
  /** Lines for the person who started it (the CLI prints them). */
  say: (line: string) => void
  /** Timing, for tests; defaults as documented above. */
  failoverAfterMs?: number
  rankStepMs?: number
}

/** A running follower. */
export interface Follower {
  /** The connection to the session's host (until this follower takes over). */
  readonly connection: BoardConnection
  /** The host this follower started when it took over, once it did. */
  readonly host: Host | undefined
  /** Resolves with the host once this follower has taken over. */
  readonly tookOver: Promise<Host>
  stop(): Promise<void>
}

/** A free TCP port at `bind`: `wanted` when it is free, else (unless it was asked for explicitly) any. */
async function freePort(wanted: number, bind: string, explicit: boolean): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const probe = createServer()
      probe.once('error', () => resolve(undefined))
      probe.listen(port, bind, () => {
        const got = (probe.address() as { port: number }).port
        probe.close(() => resolve(got))
      })
    })
  const got = await tryPort(wanted)
  if (got !== undefined) return got
  if (explicit) throw new Error(`port ${wanted} is in use on ${bind}; choose another with --lan-port.`)
  const any = await tryPort(0)
  if (any === undefined) throw new Error(`no free port on ${bind} to host on if the host goes.`)
  return any
}

/** Starts following a session; throws with a one-line message when the link or the board cannot be used. */
export async function followSession(options: FollowOptions): Promise<Follower> {
  const address = parseSessionAddress(options.link)
  if ('error' in address) throw new Error(address.error)
  const url = new URL(address.url)
  const token = new URLSearchParams(url.hash.slice(1)).get('join')
  if (!token)
    throw new Error(
      'A standby joins by the session’s join link (…/#join=TOKEN), not by knocking: only editors with the link may take over.',
    )

  await mkdir(dirname(options.boardPath), { recursive: true })
  let doc: Y.Doc
  try {
    // As a host opens a board: the file and what its journal holds beyond it (a host that crashed, now back and
    // following, merges every acknowledged edit, not only what reached the file).
    doc = (await recoverBoard(options.boardPath, options.log)).doc ?? new Y.Doc()
  } catch (error) {
    throw new Error(`cannot read ${options.boardPath}: ${errorMessage(error)}`)
  }
  const board = new Board(doc, 'standby')
  const awareness = new Awareness(doc)

  const res = await fetch(`${url.origin}/api/boards/default`, { signal: AbortSignal.timeout(5000) }).catch(
    (error: Error) => {
      throw new Error(`the session's host at ${url.host} does not answer: ${error.message}`)
    },
  )
  if (!res.ok) throw new Error(`the session's host at ${url.host} answered ${res.status}.`)
  const { id: boardId } = (await res.json()) as { id: string }

  const bind = options.bind ?? '0.0.0.0'
  const port = await freePort(options.lanPort ?? DEFAULT_LAN_PORT, bind, options.lanPort !== undefined)

  // The replica on this computer's disk: a guest keeps the board, and a takeover starts from it.
  let saveTimer: ReturnType<typeof setTimeout> | undefined
  let saving: Promise<void> = Promise.resolve()
  const save = (): Promise<void> => {
    if (saveTimer) clearTimeout(saveTimer)
    saveTimer = undefined
    saving = saving
      .then(() => writeFileAtomic(options.boardPath, encodeBoardFile(doc)))
      .catch((error) => options.log(`could not save ${options.boardPath}: ${errorMessage(error)}`))
    return saving
  }
  const changed = () => {
    if (saveTimer) clearTimeout(saveTimer)
    saveTimer = setTimeout(() => void save(), SAVE_QUIET_MS)
  }
  doc.on('update', changed)

  const connection = connectBoardFromNode({
    url: `ws://${url.host}/sync/${encodeURIComponent(boardId)}?v=${PROTOCOL_VERSION}`,
    board,
    awareness,
    token,
    identity: { name: `${osHostName()} (standby)`, color: '#495057' },
    failoverAfterMs: options.failoverAfterMs,
    log: options.log,
  })
  connection.offerStandby(port)

  let host: Host | undefined
  let stopped = false
  let resolveTookOver: (h: Host) => void = () => {}
  const tookOver = new Promise<Host>((resolve) => {
    resolveTookOver = resolve
  })
  let lossTimer: ReturnType<typeof setTimeout> | undefined
  let wasIn = false
  // The facts and list as they were while the host was there: what every replica agrees on.
  let facts: StandbyFacts | undefined
  let succession: Standby[] = []

  const takeOver = async (): Promise<void> => {
    if (!facts || host || stopped) return
    const at = succession.findIndex((s) => s.participantId === connection.participantId)
    const before = succession.slice(0, Math.max(0, at))
    const answers = await Promise.all(before.map((s) => probeSession(s.address, s.port)))
    // An earlier standby hosts it: the connection finds it.
    if (answers.some((a) => 'sessionId' in a && a.sessionId === facts?.sessionId)) return
    if (connection.status === 'connected' || stopped) return
    connection.close()
    doc.off('update', changed)
    await save()
    const sessionPath = sessionPathOf(options.boardPath)
    const formerHosts = [url.host, ...succession.map((s) => hostPort(s.address, s.port))]
    await writeSessionFile(sessionPath, {
      sessionId: facts.sessionId,
      name: facts.name,
      token,
      ownerKey: newSecret(),
      approval: facts.approval,
      port,
      people: facts.people,
      epoch: facts.epoch + 1,
      boardId: facts.boardId,
      standbys: succession.filter((s) => s.participantId !== connection.participantId),
      formerHosts,
    })
    const started = await startHost({
      port: options.loopbackPort,
      boardPath: options.boardPath,
      rendererDir: options.rendererDir,
      log: options.log,
      browse: options.mdns,
      browseInterface: options.iface,
    })
    const shared = await started.share({
      port,
      bind: options.bind,
      advertise: options.mdns,
      iface: options.iface,
    })
    host = started
    options.say(
      `The host of "${facts.name}" left: this computer hosts the session now (epoch ${facts.epoch + 1}).`,
    )
    for (const link of shared.joinLinks) options.say(`Join link: ${link}`)
    resolveTookOver(started)
  }

  connection.onSession(() => {
    if (connection.standbyFacts) facts = connection.standbyFacts
    if (connection.status === 'connected') succession = connection.succession
  })
  connection.onStatus((status) => {
    if (status === 'connected') {
      if (lossTimer) clearTimeout(lossTimer)
      lossTimer = undefined
      if (!wasIn)
        options.say(
          `Following "${connection.session?.name ?? 'the session'}" as a standby: hosting on port ${port} if its host leaves.`,
        )
      wasIn = true
      return
    }
    if (status !== 'offline' || !wasIn || lossTimer || host) return
    const rank = succession.findIndex((s) => s.participantId === connection.participantId)
    if (rank < 0) return
    const wait = (options.failoverAfterMs ?? FAILOVER_AFTER_MS) + rank * (options.rankStepMs ?? RANK_STEP_MS)
    lossTimer = setTimeout(() => {
      lossTimer = undefined
      takeOver().catch((error) => options.say(`Could not take over the session: ${errorMessage(error)}`))
    }, wait)
  })

  return {
    connection,
    get host() {
      return host
    },
    tookOver,
    async stop() {
      stopped = true
      if (lossTimer) clearTimeout(lossTimer)
      if (host) await host.close()
      else {
        connection.close()
        doc.off('update', changed)
        await save()
      }
    },
  }
}
