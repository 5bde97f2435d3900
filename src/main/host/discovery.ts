import { randomBytes } from 'node:crypto'
import { networkInterfaces } from 'node:os'
import { Bonjour, Browser, type Service } from 'bonjour-service'
import multicastDns from 'multicast-dns'
import { normalizeName } from '../../shared/names'
import { PROTOCOL_VERSION } from '../../shared/sync/protocol'

/** The DNS-SD service type Lanvas sessions are advertised under (`_lanvas._tcp.local`). */
export const SERVICE_TYPE = 'lanvas'
const SERVICE_NAME = `_${SERVICE_TYPE}._tcp.local`
// The IPv4 mDNS group (RFC 6762).
const MDNS_GROUP = '224.0.0.251'

// Browsers ask again this often, so a session that starts after the browser is still found within 3 s.
const QUERY_INTERVAL_MS = 1000
// A session that stops answering for this long is gone (crash, network left) even without a goodbye.
const GONE_AFTER_MS = 3000
/** Most sessions a Join list shows: anyone can announce, and a flood must not bury the page or the host. */
export const MAX_LISTED_SESSIONS = 100

/** What a session says about itself on the network (the TXT record: never the join token). */
export interface SessionAdvert {
  sessionId: string
  name: string
  boardName: string
  hostName: string
  /** Whether joining without the link asks the host to approve ("knock"). */
  approval: boolean
  port: number
}

/** A session seen on the network. */
export interface DiscoveredSession extends SessionAdvert {
  protocol: number
  /** The addresses the host announced, IPv4 first. */
  addresses: string[]
  /** The address the announcement came from, the one most likely reachable. */
  from: string
}

/** A fresh session id for the TXT record: random, not secret. */
export function newSessionId(): string {
  return randomBytes(8).toString('hex')
}

/** The IPv4 and IPv6 addresses of this machine's non-internal interfaces, IPv4 first. */
export function lanAddresses(): string[] {
  const v4: string[] = []
  const v6: string[] = []
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.internal) continue
      if (a.family === 'IPv4') v4.push(a.address)
      else if (!a.address.startsWith('fe80')) v6.push(a.address)
    }
  }
  return [...v4, ...v6]
}

// A host that does not answer this fast is listed without its count.
const COUNT_TIMEOUT_MS = 1500

/**
 * How many people are in a discovered session, asked of the host itself (GET /api/session on its LAN
 * listener), or undefined when it does not answer. The count changes too often for the TXT record.
 */
export async function participantCount(session: DiscoveredSession): Promise<number | undefined> {
  const host = session.from.includes(':') ? `[${session.from}]` : session.from
  try {
    const res = await fetch(`http://${host}:${session.port}/api/session`, {
      signal: AbortSignal.timeout(COUNT_TIMEOUT_MS),
    })
    if (!res.ok) return undefined
    const body = (await res.json()) as { sessionId?: unknown; participants?: unknown }
    // Another session answering on that address and port is not this one.
    if (body.sessionId !== session.sessionId || typeof body.participants !== 'number') return undefined
    return body.participants
  } catch {
    return undefined
  }
}

/**
 * The multicast-dns socket options for one interface (its IPv4 address), or none for every interface: the group
 * is joined and sent to on that interface only, and the socket is bound to the group address, because a socket
 * bound to the unicast address (multicast-dns's default with `interface`) never receives multicast.
 */
export function mdnsSocketOptions(
  iface?: string,
  platform: string = process.platform,
): { interface?: string; bind?: string } {
  if (!iface) return {}
  // Windows cannot bind a group address; there the wildcard, with the membership on that interface only.
  return { interface: iface, bind: platform === 'win32' ? '0.0.0.0' : MDNS_GROUP }
}

/** Advertises a session over mDNS until stop() sends the goodbye. `iface` picks the interface's address. */
export function advertiseSession(advert: SessionAdvert, iface?: string): { stop: () => Promise<void> } {
  // The options reach multicast-dns; bonjour-service's type names only the service fields.
  const bonjour = new Bonjour(mdnsSocketOptions(iface) as object, (err: Error) => {
    console.error(`Lanvas: mDNS advertising failed: ${err.message}`)
  })
  // The service instance name must be unique on the network; the session id keeps look-alike names apart.
  bonjour.publish({
    name: `${advert.name} (${advert.sessionId.slice(0, 6)})`,
    type: SERVICE_TYPE,
    port: advert.port,
    txt: {
      v: String(PROTOCOL_VERSION),
      sid: advert.sessionId,
      name: advert.name,
      board: advert.boardName,
      host: advert.hostName,
      approval: advert.approval ? '1' : '0',
    },
  })
  return {
    stop: () =>
      new Promise<void>((done) => {
        bonjour.unpublishAll(() => bonjour.destroy(() => done()))
      }),
  }
}

function readSession(service: Service): DiscoveredSession | undefined {
  const txt = (service.txt ?? {}) as Record<string, unknown>
  const text = (key: string) => (typeof txt[key] === 'string' ? (txt[key] as string) : String(txt[key] ?? ''))
  const sessionId = text('sid')
  if (!sessionId || !service.port) return undefined
  const addresses = [...(service.addresses ?? [])].sort(
    (a, b) => Number(a.includes(':')) - Number(b.includes(':')),
  )
  // Anyone on the network writes these: normalised like every name (no bidi overrides, zero-width, controls).
  return {
    sessionId: normalizeName(sessionId),
    name: normalizeName(text('name')),
    boardName: normalizeName(text('board')),
    hostName: normalizeName(text('host')),
    approval: text('approval') === '1',
    protocol: Number(text('v')) || 0,
    port: service.port,
    addresses,
    from: service.referer?.address ?? addresses[0] ?? '',
  }
}

/**
 * The sessions to list: one entry per session announced at the same address and port (the same announcement
 * under several instance names counts once), in the order they were first seen, at most `max`. Look-alikes from
 * other addresses stay: hiding one would let an announcer hide the real session.
 */
export function tidySessions(found: DiscoveredSession[], max = MAX_LISTED_SESSIONS): DiscoveredSession[] {
  const seen = new Set<string>()
  const kept: DiscoveredSession[] = []
  for (const s of found) {
    if (kept.length >= max) break
    const key = JSON.stringify([
      s.sessionId,
      s.port,
      [...s.addresses].sort(),
      s.addresses.length ? '' : s.from,
    ])
    if (seen.has(key)) continue
    seen.add(key)
    kept.push(s)
  }
  return kept
}

/** Watches the network for sessions; `onChange` gets the whole current list whenever it changes. */
export function browseSessions(
  onChange: (sessions: DiscoveredSession[]) => void,
  iface?: string,
): { sessions: () => DiscoveredSession[]; stop: () => void } {
  const mdns = multicastDns(mdnsSocketOptions(iface))
  const browser = new Browser(mdns, { type: SERVICE_TYPE })
  const lastSeen = new Map<string, number>()
  let current: DiscoveredSession[] = []
  let currentKey = '[]'

  // The list is what the library knows, less what has stopped answering our repeated queries.
  const refresh = () => {
    const now = Date.now()
    const next = tidySessions(
      browser.services
        .filter((s) => now - (lastSeen.get(s.fqdn) ?? now) <= GONE_AFTER_MS)
        .map(readSession)
        .filter((s): s is DiscoveredSession => s !== undefined),
    )
    const key = JSON.stringify(next)
    if (key === currentKey) return
    current = next
    currentKey = key
    onChange(current)
  }

  mdns.on('response', (packet) => {
    const now = Date.now()
    for (const rr of [...packet.answers, ...(packet.additionals ?? [])]) {
      if (rr.type === 'PTR' && rr.name === SERVICE_NAME && typeof rr.data === 'string' && (rr.ttl ?? 1) > 0)
        lastSeen.set(rr.data, now)
    }
    // The browser handles the same packet in its own listener; read its result after it.
    queueMicrotask(refresh)
  })
  browser.on('down', () => queueMicrotask(refresh))

  const timer = setInterval(() => {
    browser.update()
    refresh()
  }, QUERY_INTERVAL_MS)

  return {
    sessions: () => current,
    stop: () => {
      clearInterval(timer)
      browser.stop()
      mdns.destroy()
    },
  }
}
