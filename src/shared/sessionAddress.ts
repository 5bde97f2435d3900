/** A session address typed by a person or picked from a list: the URL to open and its origin, or what is wrong. */
export type SessionAddress = { url: string; origin: string } | { error: string }

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/
const PRIVATE_V4 = [/^10\./, /^192\.168\./, /^172\.(1[6-9]|2\d|3[01])\./, /^169\.254\./, /^127\./]

/** Whether a host name is on the local network (private, link-local, loopback, or a .local name). */
export function isLanHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '')
  const v4 = IPV4.exec(bare)
  if (v4) return v4.slice(1).every((n) => Number(n) <= 255) && PRIVATE_V4.some((re) => re.test(bare))
  if (bare.includes(':')) return /^(fe80:|fc|fd|::1$)/i.test(bare)
  return /^[a-z0-9-]+(\.[a-z0-9-]+)*\.local$/i.test(bare)
}

/**
 * Checks a session address ("192.168.1.20:47800", or a whole join link): plain http to a LAN host with a port.
 * The Join panel checks it before anything is opened, and the app's main process again before it opens it.
 */
export function parseSessionAddress(input: string): SessionAddress {
  const text = input.trim()
  if (!text) return { error: 'Type the address of the session, like 192.168.1.20:47800.' }
  let url: URL
  try {
    url = new URL(/^[a-z]+:\/\//i.test(text) ? text : `http://${text}`)
  } catch {
    return { error: `"${text}" is not an address. Type it like 192.168.1.20:47800.` }
  }
  if (url.protocol !== 'http:') return { error: 'Lanvas sessions are opened over http://.' }
  // URL drops an explicit :80 as the default port; only a missing port is an error.
  const explicit80 = /^(?:http:\/\/)?(?:\[[^\]]*\]|[^/:]*):80(?:[/#?]|$)/i.test(text)
  if (!url.port && !explicit80) return { error: 'Add the port, like 192.168.1.20:47800.' }
  if (url.username || url.password) return { error: 'A session address has no user name or password.' }
  if (!isLanHost(url.hostname))
    return { error: `${url.hostname} is not on your local network; Lanvas joins sessions on the LAN only.` }
  const hash = url.hash && url.hash !== '#' ? url.hash : '#knock'
  return { url: `${url.origin}/${hash}`, origin: url.origin }
}

// What one announced address may be: an IPv4 or IPv6 address or a host name, nothing that changes the URL around it.
const ADDRESS_CHARS = /^[0-9A-Za-z.:-]+$/

/**
 * Where a session from the Join list is opened (knocking): the first announced address that passes the same check
 * as a typed address, or why none does. Announcements are unauthenticated, so any address can be in them.
 */
export function listedSessionAddress(addresses: readonly string[], port: number): SessionAddress {
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    return { error: `This session announced no usable port (${String(port)}).` }
  let refusal: SessionAddress | undefined
  for (const address of addresses) {
    const checked: SessionAddress = ADDRESS_CHARS.test(address)
      ? parseSessionAddress(`http://${address.includes(':') ? `[${address}]` : address}:${port}/#knock`)
      : { error: `"${address.slice(0, 60)}" is not an address.` }
    if ('url' in checked) return checked
    refusal ??= checked
  }
  return refusal ?? { error: 'This session announced no address.' }
}
