/**
 * A shared board's session kept beside it (`NAME.lanvas.session`, JSON, mode 0600), so that sharing the same
 * board again after a restart, crash or reboot restores the same session: its id and name, the join token and
 * owner key (links and QR codes keep working), the port, and who was admitted with which role (docs/protocol.md,
 * "Durable sessions"; docs/threat-model.md says what the file gives whoever reads it).
 */
import { createHash } from 'node:crypto'
import { rename } from 'node:fs/promises'
import { errorMessage } from '../../shared/errors'
import { type GuestRole, isSecret, MAX_STANDBYS, Role, type Standby } from '../../shared/sync/session'
import { readRegularFile } from './fileRead'
import { writeFileAtomic } from './storage'

/** The format's marker and version: anything else is a foreign or newer file, never read as a session. */
const KIND = 'lanvas-session'
const VERSION = 1
// A session file holds at most the remembered rejoin secrets (1024) of ~120 bytes each.
const MAX_FILE_BYTES = 1 << 20
const SESSION_ID = /^[0-9a-f]{16}$/
const PARTICIPANT_ID = /^[A-Za-z0-9_-]{1,64}$/
const HASH = /^[A-Za-z0-9_-]{43}$/
const ADDRESS = /^[0-9a-fA-F:.]{2,45}$/
const HOST_PORT = /^(\[[0-9a-fA-F:.]{2,45}\]|[0-9.]{7,15}):[0-9]{1,5}$/

/** Someone admitted to the session: their rejoin secret's hash, their participant id and their role now. */
export interface SavedPerson {
  /** SHA-256 of the rejoin secret (base64url): the file alone does not hold anyone's secret. */
  rejoinHash: string
  participantId: string
  role: GuestRole
}

/** What a session file holds. */
export interface SavedSession {
  sessionId: string
  name: string
  token: string
  ownerKey: string
  approval: boolean
  /** The LAN listener's port, tried first next time so that the links stay the same. */
  port: number
  people: SavedPerson[]
  /** How many times the session changed host (absent: 0, its first host). */
  epoch?: number
  /** The board id the session's links name, when this host took the session over from another (absent: its own). */
  boardId?: string
  /** Who was to take over, as last told: a host that comes back asks them first whether one hosts it now. */
  standbys?: Standby[]
  /** Earlier hosts of the session (`addr:port`): their pages may connect here after a takeover. */
  formerHosts?: string[]
}

/** The session file of a board file: beside it, `NAME.lanvas.session`. */
export function sessionPathOf(boardPath: string): string {
  return `${boardPath}.session`
}

/** The hash under which a rejoin secret is remembered (in memory and in the file). */
export function rejoinHash(secret: string): string {
  return createHash('sha256').update(`lanvas/1 rejoin ${secret}`).digest('base64url')
}

/** A session file that is there but cannot be used: damaged, foreign, newer, or no file at all. */
export class SessionFileError extends Error {
  override name = 'SessionFileError'
}

/**
 * Reads a session file; undefined when there is none. Throws SessionFileError with a one-line message for a
 * file that is damaged, foreign or from a newer Lanvas (the caller sets it aside and starts a fresh session).
 */
export async function readSessionFile(path: string): Promise<SavedSession | undefined> {
  let bytes: Uint8Array | undefined
  try {
    bytes = await readRegularFile(path, MAX_FILE_BYTES, 'a Lanvas session file')
  } catch (error) {
    throw new SessionFileError(errorMessage(error))
  }
  if (!bytes) return undefined
  let json: unknown
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'))
  } catch {
    throw new SessionFileError(`${path} is damaged (not JSON).`)
  }
  return parseSession(json, path)
}

/** Checks a parsed session file field by field; throws SessionFileError naming what is wrong. */
function parseSession(m: unknown, path: string): SavedSession {
  const fail = (why: string) => new SessionFileError(`${path} ${why}`)
  if (typeof m !== 'object' || m === null || Array.isArray(m)) throw fail('is not a Lanvas session file.')
  const o = m as Record<string, unknown>
  if (o.kind !== KIND) throw fail('is not a Lanvas session file.')
  if (typeof o.version !== 'number' || o.version > VERSION)
    throw fail('was written by a newer Lanvas; update Lanvas to restore this session.')
  if (o.version !== VERSION) throw fail('is damaged (unknown version).')
  if (typeof o.sessionId !== 'string' || !SESSION_ID.test(o.sessionId)) throw fail('is damaged (session id).')
  if (typeof o.name !== 'string' || o.name.length > 200) throw fail('is damaged (name).')
  if (!isSecret(o.token) || !isSecret(o.ownerKey)) throw fail('is damaged (token or owner key).')
  if (typeof o.approval !== 'boolean') throw fail('is damaged (approval).')
  if (!Number.isInteger(o.port) || (o.port as number) < 1 || (o.port as number) > 65535)
    throw fail('is damaged (port).')
  if (!Array.isArray(o.people) || o.people.length > 4096) throw fail('is damaged (people).')
  const people = o.people.map((p: unknown): SavedPerson => {
    const q = (typeof p === 'object' && p !== null ? p : {}) as Record<string, unknown>
    if (
      typeof q.rejoinHash !== 'string' ||
      !HASH.test(q.rejoinHash) ||
      typeof q.participantId !== 'string' ||
      !PARTICIPANT_ID.test(q.participantId) ||
      (q.role !== Role.Editor && q.role !== Role.Viewer)
    )
      throw fail('is damaged (a person).')
    return { rejoinHash: q.rejoinHash, participantId: q.participantId, role: q.role }
  })
  const optional: Partial<SavedSession> = {}
  if (o.epoch !== undefined) {
    if (!Number.isSafeInteger(o.epoch) || (o.epoch as number) < 0) throw fail('is damaged (epoch).')
    optional.epoch = o.epoch as number
  }
  if (o.boardId !== undefined) {
    if (typeof o.boardId !== 'string' || !PARTICIPANT_ID.test(o.boardId)) throw fail('is damaged (board id).')
    optional.boardId = o.boardId
  }
  if (o.standbys !== undefined) {
    if (!Array.isArray(o.standbys) || o.standbys.length > MAX_STANDBYS) throw fail('is damaged (standbys).')
    optional.standbys = o.standbys.map((p: unknown): Standby => {
      const q = (typeof p === 'object' && p !== null ? p : {}) as Record<string, unknown>
      if (
        typeof q.participantId !== 'string' ||
        !PARTICIPANT_ID.test(q.participantId) ||
        typeof q.name !== 'string' ||
        typeof q.address !== 'string' ||
        !ADDRESS.test(q.address) ||
        !Number.isInteger(q.port) ||
        (q.port as number) < 1 ||
        (q.port as number) > 65535
      )
        throw fail('is damaged (a standby).')
      return { participantId: q.participantId, name: q.name, address: q.address, port: q.port as number }
    })
  }
  if (o.formerHosts !== undefined) {
    if (
      !Array.isArray(o.formerHosts) ||
      o.formerHosts.length > 64 ||
      !o.formerHosts.every((h) => typeof h === 'string' && HOST_PORT.test(h))
    )
      throw fail('is damaged (former hosts).')
    optional.formerHosts = o.formerHosts as string[]
  }
  return {
    ...optional,
    sessionId: o.sessionId,
    name: o.name,
    token: o.token,
    ownerKey: o.ownerKey,
    approval: o.approval,
    port: o.port as number,
    people,
  }
}

/** Writes a session file as a whole (temporary file, fsync, rename, folder fsync), readable by its owner only. */
export async function writeSessionFile(path: string, session: SavedSession): Promise<void> {
  const json = JSON.stringify({ kind: KIND, version: VERSION, ...session }, null, 1)
  await writeFileAtomic(path, new TextEncoder().encode(`${json}\n`), 0o600)
}

/** Moves an unusable session file out of the way (kept for a person to look at); returns its new path. */
export async function setSessionFileAside(path: string): Promise<string | undefined> {
  const aside = `${path}.unusable-${Date.now()}`
  try {
    await rename(path, aside)
    return aside
  } catch {
    return undefined
  }
}
