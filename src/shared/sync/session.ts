/**
 * LAN sessions: who is in a board's session and what they may do (docs/protocol.md, "Sessions").
 * Control messages travel as MessageType.Control frames holding one JSON object each; every message from the
 * network goes through parseClientControl / parseHostControl before it is used.
 */

import type { Rect } from '../geometry'
import { cleanDisplayName, normalizeName } from '../names'
import { previewViewProblem } from './preview'
import type { Allowance } from './protocol'

/** A participant's role: the host runs the session, editors draw, viewers only watch. */
export const Role = { Host: 'host', Editor: 'editor', Viewer: 'viewer' } as const
export type Role = (typeof Role)[keyof typeof Role]

/** Roles the host can give to somebody else. */
export type GuestRole = typeof Role.Editor | typeof Role.Viewer

/** The reason a knock nobody answered ends with (Refused): the page tells it apart from a refusal. */
export const KNOCK_UNANSWERED = 'Nobody answered your knock; knock again when the host is there.'

/** Longest participant name, in characters (longer names are cut). */
export const MAX_NAME_LENGTH = 40

/** Someone connected to the session. */
export interface Participant {
  id: string
  name: string
  /** #rrggbb, their cursor and laser colour. */
  color: string
  role: Role
  /** Their Yjs awareness client id, to match cursors to people. */
  awarenessId: number
}

/** Someone asking to join without the link, waiting for the host's answer. */
export interface Knock {
  id: string
  name: string
  color: string
  /**
   * The comparison code of the knocker's secure channel: its screen shows the same 6 digits unless somebody
   * sits in the middle (absent for a plain loopback knock).
   */
  code?: string
  /** The network address the knock comes from (the host's cards group knocks by it). */
  from?: string
}

/** What a session says about itself (also in GET /api/session, never holding the token). */
export interface SessionInfo {
  sessionId: string
  name: string
  boardId: string
  boardName: string
  hostName: string
  /** Joining without the link asks the host (true), or is open to everyone on the network (false). */
  approval: boolean
  locked: boolean
  /** How many people are in; only in GET /api/session, not in messages. */
  participants?: number
  /** How many times the session changed host; only in GET /api/session (a returning host compares it). */
  epoch?: number
}

/** Client -> host. `hello` must be the first message; the rest are honoured from the host role only. */
export type ClientControl =
  | {
      type: 'hello'
      name: string
      color: string
      awarenessId: number
      /** The secret of an earlier welcome on this board: re-entering keeps the role, even when locked. */
      rejoin?: string
      /**
       * A secret the replica made with its Yjs client id (awarenessId): whoever shows a client id first binds
       * it to this key, and nobody without the key may take that id (and write in that person's name).
       */
      clientKey?: string
      /**
       * The board area this page opens at, when it has none of the board yet: a host that knows view previews
       * sends the finished strokes there first (MessageType.Preview). Hosts before it ignore the key.
       */
      preview?: Rect
      /**
       * Asks for the board's overview (MessageType.Overview) before its parts, when it has none of the board yet: a
       * host that makes them sends one for a large board. Hosts before it ignore the key.
       */
      overview?: boolean
    }
  | { type: 'admit'; participantId: string; role: GuestRole }
  | { type: 'refuse'; participantId: string }
  | { type: 'set-role'; participantId: string; role: GuestRole }
  | { type: 'kick'; participantId: string }
  | { type: 'lock'; locked: boolean }
  /** Makes a new join token: the links given so far stop working; the people in now stay in. */
  | { type: 'new-link' }
  /**
   * This replica can host the session if the host goes (docs/protocol.md, "Failover"): it will listen on `port`
   * of the address the host sees it at. Honoured from editors that proved the join token only.
   */
  | { type: 'standby-offer'; port: number }

/** A participant ready to host the session if the host goes, where it will listen. */
export interface Standby {
  participantId: string
  name: string
  /** The address the host sees the standby at (never one it claims itself). */
  address: string
  port: number
}

/** What a standby needs to carry the session on: everything in the host's session file but its owner key. */
export interface StandbyFacts {
  sessionId: string
  name: string
  /** The board's id in the session's links (/sync/<boardId>): the next host answers to it too. */
  boardId: string
  approval: boolean
  /** How many times the session changed host; the next host runs epoch + 1. */
  epoch: number
  /** Admitted people: rejoin hashes and roles, so that they get back in with the next host. */
  people: { rejoinHash: string; participantId: string; role: GuestRole }[]
}

/** What a host lets each client send (welcome.allowance): bytes and messages of edits, and bytes times recipients. */
export interface HostAllowance {
  bytes: Allowance
  messages: Allowance
  relay: Allowance
}

/** Host -> client. */
export type HostControl =
  | {
      type: 'welcome'
      participantId: string
      role: Role
      /** Sent back as hello.rejoin when this client reconnects. */
      rejoin: string
      /** Absent while the board is not shared on the network. */
      session?: SessionInfo
      /** The join links, for the host role only. */
      joinLinks?: string[]
      /**
       * This host takes the client's answer to its SyncStep1 in parts (SyncPart frames, then the SyncStep2):
       * docs/protocol.md, "A client's SyncStep2 in parts". Absent from older hosts, which take one SyncStep2.
       */
      syncParts?: boolean
      /**
       * What this host lets the client send (its HostLimits.bytes, messages and relayBytes), so that the client paces
       * a large edit to it (outbox.ts); absent from older hosts, whose allowance is protocol.ts's.
       */
      allowance?: HostAllowance
    }
  | { type: 'knock-pending' }
  /** Everyone in the session; knocks go to the host role only (others get []). */
  | { type: 'participants'; participants: Participant[]; knocks: Knock[]; locked: boolean }
  /** Your role changed. */
  | { type: 'role'; role: Role }
  /**
   * The board started or stopped being shared (session absent); joinLinks for the host role only. `newLink`:
   * the host made a new link, so the token this client may hold no longer opens the session (its rejoin does).
   */
  | { type: 'session'; session?: SessionInfo; joinLinks?: string[]; newLink?: boolean }
  /**
   * The host is about to close this socket with `code`: said inside the (authenticated) channel, so that a
   * close frame forged on the network cannot end a client for good (docs/protocol.md, "Close codes").
   */
  | { type: 'closing'; code: number; reason: string }
  /**
   * The host cannot write the board to its disk (`problem` says why): edits are kept in memory and by the
   * pages, and acknowledgements stop until a write works again (then `problem` is absent).
   */
  | { type: 'storage'; problem?: string }
  /**
   * Who takes over if the host goes, in order (everyone is told, so every replica agrees on it), and the
   * session's epoch now. Sent at the welcome and whenever the list changes.
   */
  | { type: 'succession'; epoch: number; standbys: Standby[] }
  /** To a standby only, after its offer and whenever the people admitted change. */
  | ({ type: 'standby' } & StandbyFacts)

/** Most standbys a session keeps in its succession list. */
export const MAX_STANDBYS = 8

const COLOR = /^#[0-9a-f]{6}$/i
const ID = /^[A-Za-z0-9_-]{1,64}$/
const TOKEN = /^[A-Za-z0-9_-]{16,128}$/

/** Whether a string can be a join token, owner key or rejoin secret: 16-128 characters of base64url. */
export function isSecret(value: unknown): value is string {
  return typeof value === 'string' && TOKEN.test(value)
}

/** The JSON object a control message holds, or undefined when it holds anything else. */
function jsonObject(json: string): Record<string, unknown> | undefined {
  try {
    const m: unknown = JSON.parse(json)
    return isObject(m) ? m : undefined
  } catch {
    return undefined
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function isGuestRole(v: unknown): v is GuestRole {
  return v === Role.Editor || v === Role.Viewer
}

/** A display name made safe (../names.ts: NFC, no controls, bidi overrides or zero-width characters), cut to MAX_NAME_LENGTH; never empty. */
export function cleanName(name: unknown): string {
  return cleanDisplayName(name, 'Guest', MAX_NAME_LENGTH)
}

/** The four coordinates of a checked view, and nothing else it carried. */
function viewOf(r: Rect): Rect {
  return { minX: r.minX, minY: r.minY, maxX: r.maxX, maxY: r.maxY }
}

/** Checks a client's control message; undefined when it is not one (the host then closes the socket). */
export function parseClientControl(json: string): ClientControl | undefined {
  const m = jsonObject(json)
  if (!m) return undefined
  switch (m.type) {
    case 'hello': {
      if (typeof m.color !== 'string' || !COLOR.test(m.color)) return undefined
      if (typeof m.awarenessId !== 'number' || !Number.isSafeInteger(m.awarenessId) || m.awarenessId < 0)
        return undefined
      // The join token and owner key are proved by the secure handshake; they never travel in a hello.
      if (m.rejoin !== undefined && !isSecret(m.rejoin)) return undefined
      if (m.clientKey !== undefined && !isSecret(m.clientKey)) return undefined
      if (m.preview !== undefined && previewViewProblem(m.preview)) return undefined
      if (m.overview !== undefined && typeof m.overview !== 'boolean') return undefined
      return {
        type: 'hello',
        name: cleanName(m.name),
        color: m.color,
        awarenessId: m.awarenessId,
        ...(m.rejoin !== undefined ? { rejoin: m.rejoin as string } : {}),
        ...(m.clientKey !== undefined ? { clientKey: m.clientKey as string } : {}),
        ...(m.preview !== undefined ? { preview: viewOf(m.preview as Rect) } : {}),
        ...(m.overview === true ? { overview: true } : {}),
      }
    }
    case 'admit':
    case 'set-role':
      if (typeof m.participantId !== 'string' || !ID.test(m.participantId) || !isGuestRole(m.role))
        return undefined
      return { type: m.type, participantId: m.participantId, role: m.role }
    case 'refuse':
    case 'kick':
      if (typeof m.participantId !== 'string' || !ID.test(m.participantId)) return undefined
      return { type: m.type, participantId: m.participantId }
    case 'lock':
      if (typeof m.locked !== 'boolean') return undefined
      return { type: 'lock', locked: m.locked }
    case 'new-link':
      return { type: 'new-link' }
    case 'standby-offer':
      if (!isPort(m.port)) return undefined
      return { type: 'standby-offer', port: m.port }
    default:
      return undefined
  }
}

const isPort = (v: unknown): v is number =>
  Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 65535
// An IPv4 or IPv6 address as the host saw it (no names: a page connects to exactly this).
const ADDRESS = /^[0-9a-fA-F:.]{2,45}$/
const HASH = /^[A-Za-z0-9_-]{43}$/

function isStandby(v: unknown): v is Standby {
  return (
    isObject(v) &&
    isId(v.participantId) &&
    typeof v.name === 'string' &&
    typeof v.address === 'string' &&
    ADDRESS.test(v.address) &&
    isPort(v.port)
  )
}

function isStandbyFacts(m: Record<string, unknown>): boolean {
  return (
    typeof m.sessionId === 'string' &&
    /^[0-9a-f]{16}$/.test(m.sessionId) &&
    typeof m.name === 'string' &&
    m.name.length <= 200 &&
    isId(m.boardId) &&
    typeof m.approval === 'boolean' &&
    Number.isSafeInteger(m.epoch) &&
    (m.epoch as number) >= 0 &&
    Array.isArray(m.people) &&
    m.people.length <= 4096 &&
    m.people.every(
      (p: unknown) =>
        isObject(p) &&
        typeof p.rejoinHash === 'string' &&
        HASH.test(p.rejoinHash) &&
        isId(p.participantId) &&
        isGuestRole(p.role),
    )
  )
}

const isRate = (v: unknown): v is Allowance =>
  isObject(v) &&
  Object.keys(v).length === 2 &&
  [v.perSecond, v.burst].every((n) => typeof n === 'number' && Number.isFinite(n) && n > 0)
function isHostAllowance(v: unknown): v is HostAllowance {
  return (
    isObject(v) && Object.keys(v).length === 3 && isRate(v.bytes) && isRate(v.messages) && isRate(v.relay)
  )
}
const isRole = (v: unknown): v is Role => v === Role.Host || isGuestRole(v)
const isId = (v: unknown): v is string => typeof v === 'string' && ID.test(v)
const isColor = (v: unknown): v is string => typeof v === 'string' && COLOR.test(v)
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string')

const CODE = /^[0-9]{6}$/

function isKnock(v: Record<string, unknown>): boolean {
  return isId(v.id) && typeof v.name === 'string' && isColor(v.color)
}

const isKnockObject = (v: unknown): v is Knock =>
  isObject(v) &&
  isKnock(v) &&
  (v.code === undefined || (typeof v.code === 'string' && CODE.test(v.code))) &&
  (v.from === undefined || (typeof v.from === 'string' && v.from.length <= 64))

function isParticipant(v: unknown): v is Participant {
  return isObject(v) && isKnock(v) && isRole(v.role) && Number.isSafeInteger(v.awarenessId)
}

function isSessionInfo(v: unknown): v is SessionInfo {
  if (!isObject(v)) return false
  const texts = ['sessionId', 'name', 'boardId', 'boardName', 'hostName'] as const
  return (
    texts.every((k) => typeof v[k] === 'string') &&
    typeof v.approval === 'boolean' &&
    typeof v.locked === 'boolean'
  )
}

/** A session's names as the screen may show them. */
function cleanSession(info: SessionInfo): SessionInfo {
  return {
    ...info,
    name: normalizeName(info.name),
    boardName: normalizeName(info.boardName),
    hostName: normalizeName(info.hostName),
  }
}

/** Checks a host's control message (a client trusts its host no more than the host trusts it). */
export function parseHostControl(json: string): HostControl | undefined {
  const m = jsonObject(json)
  if (!m) return undefined
  const sessionOk = m.session === undefined || isSessionInfo(m.session)
  const linksOk = m.joinLinks === undefined || isStrings(m.joinLinks)
  // Names reach the screen: a rogue host's bidi overrides and invisible characters go, as the host's own do.
  const session =
    sessionOk && m.session !== undefined ? { session: cleanSession(m.session as SessionInfo) } : {}
  switch (m.type) {
    case 'welcome':
      if (!isId(m.participantId) || !isRole(m.role) || !isSecret(m.rejoin) || !sessionOk || !linksOk)
        return undefined
      if (m.syncParts !== undefined && typeof m.syncParts !== 'boolean') return undefined
      if (m.allowance !== undefined && !isHostAllowance(m.allowance)) return undefined
      return { ...(m as HostControl), ...session }
    case 'knock-pending':
      return { type: 'knock-pending' }
    case 'participants':
      if (!Array.isArray(m.participants) || !m.participants.every(isParticipant)) return undefined
      if (!Array.isArray(m.knocks) || !m.knocks.every(isKnockObject) || typeof m.locked !== 'boolean')
        return undefined
      return {
        type: 'participants',
        participants: m.participants.map((p: Participant) => ({ ...p, name: cleanName(p.name) })),
        knocks: m.knocks.map((k: Knock) => ({ ...k, name: cleanName(k.name) })),
        locked: m.locked,
      }
    case 'role':
      if (!isRole(m.role)) return undefined
      return { type: 'role', role: m.role }
    case 'storage':
      if (m.problem !== undefined && (typeof m.problem !== 'string' || m.problem.length > 500))
        return undefined
      return { type: 'storage', ...(m.problem !== undefined ? { problem: m.problem as string } : {}) }
    case 'closing':
      if (!Number.isInteger(m.code) || typeof m.reason !== 'string') return undefined
      return { type: 'closing', code: m.code as number, reason: m.reason }
    case 'succession':
      if (!Number.isSafeInteger(m.epoch) || (m.epoch as number) < 0) return undefined
      if (!Array.isArray(m.standbys) || m.standbys.length > MAX_STANDBYS || !m.standbys.every(isStandby))
        return undefined
      return {
        type: 'succession',
        epoch: m.epoch as number,
        standbys: m.standbys.map((s: Standby) => ({
          participantId: s.participantId,
          name: cleanName(s.name),
          address: s.address,
          port: s.port,
        })),
      }
    case 'standby':
      if (!isStandbyFacts(m)) return undefined
      return {
        type: 'standby',
        sessionId: m.sessionId as string,
        name: normalizeName(m.name as string),
        boardId: m.boardId as string,
        approval: m.approval as boolean,
        epoch: m.epoch as number,
        people: (m.people as StandbyFacts['people']).map((p) => ({
          rejoinHash: p.rejoinHash,
          participantId: p.participantId,
          role: p.role,
        })),
      }
    case 'session':
      if (!sessionOk || !linksOk || (m.newLink !== undefined && typeof m.newLink !== 'boolean'))
        return undefined
      return { ...(m as HostControl), ...session }
    default:
      return undefined
  }
}
