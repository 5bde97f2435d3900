import { isIP } from 'node:net'

/** A session address the app may open in its window: plain http to a LAN host, with a port. */
export type JoinTarget = { url: string; origin: string } | { error: string }

const PRIVATE_V4 = [/^10\./, /^192\.168\./, /^172\.(1[6-9]|2\d|3[01])\./, /^169\.254\./, /^127\./]

/** Whether an address is on the local network (private, link-local or loopback); public hosts are refused. */
export function isLanAddress(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '')
  const kind = isIP(bare)
  if (kind === 4) return PRIVATE_V4.some((re) => re.test(bare))
  if (kind === 6) return /^(fe80:|fc|fd|::1$)/i.test(bare)
  return /^[a-z0-9-]+(\.[a-z0-9-]+)*\.local$/i.test(bare)
}

/**
 * Checks a session address typed by a person or picked from the Join list ("10.0.0.5:47800",
 * "http://10.0.0.5:47800/#join=..."); returns the URL to open or a message saying what is wrong.
 */
export function parseJoinTarget(input: string): JoinTarget {
  const text = input.trim()
  if (!text) return { error: 'Type the address of the session, like 192.168.1.20:47800.' }
  let url: URL
  try {
    url = new URL(/^[a-z]+:\/\//i.test(text) ? text : `http://${text}`)
  } catch {
    return { error: `"${text}" is not an address. Type it like 192.168.1.20:47800.` }
  }
  if (url.protocol !== 'http:') return { error: 'Lanvas sessions are opened over http://.' }
  if (!url.port) return { error: 'Add the port, like 192.168.1.20:47800.' }
  if (url.username || url.password) return { error: 'A session address has no user name or password.' }
  if (!isLanAddress(url.hostname))
    return { error: `${url.hostname} is not on your local network; Lanvas joins sessions on the LAN only.` }
  const hash = url.hash && url.hash !== '#' ? url.hash : '#knock'
  return { url: `${url.origin}/${hash}`, origin: url.origin }
}
