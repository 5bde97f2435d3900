import { parseSessionAddress, type SessionAddress } from './sessionAddress'

/** The scheme the app registers with the operating system for join links. */
export const LANVAS_SCHEME = 'lanvas'

// A join token as Lanvas makes and accepts them: URL-safe characters only, so it cannot change the URL around it.
const TOKEN = /^[A-Za-z0-9._~-]{1,256}$/

/**
 * Reads `lanvas://join?address=HOST:PORT&token=TOKEN` (no token: knock) into the session to open, with the same
 * checks as a typed address; anything else is an error to show.
 */
export function parseLanvasLink(link: string): SessionAddress {
  let url: URL
  try {
    url = new URL(link.trim())
  } catch {
    return { error: 'This is not a Lanvas link.' }
  }
  if (url.protocol !== `${LANVAS_SCHEME}:`) return { error: 'This is not a Lanvas link.' }
  // lanvas://join?… parses with "join" as the host; lanvas:join?… (some launchers drop the slashes) as the path.
  const action = (url.host || url.pathname).replace(/\/+$/, '').replace(/^\/+/, '')
  if (action !== 'join')
    return { error: `Lanvas links can join a session; "${action.slice(0, 40)}" is not known.` }
  const address = url.searchParams.get('address') ?? ''
  const token = url.searchParams.get('token')
  if (!address || /[/#?@\s]/.test(address)) return { error: 'The link has no session address.' }
  if (token !== null && !TOKEN.test(token)) return { error: 'The link has a damaged join token.' }
  return parseSessionAddress(`http://${address}/${token ? `#join=${token}` : '#knock'}`)
}

/** The `lanvas://join` link for a session's join link (`http://HOST:PORT/#join=TOKEN`), to share outside a browser. */
export function lanvasLinkFor(joinLink: string): string | undefined {
  const checked = parseSessionAddress(joinLink)
  if ('error' in checked) return undefined
  const url = new URL(checked.url)
  const token = new URLSearchParams(url.hash.slice(1)).get('join')
  const query = new URLSearchParams({ address: url.host, ...(token ? { token } : {}) })
  return `${LANVAS_SCHEME}://join?${query}`
}

// Candidates in free text: a lanvas: link, or an http link that carries a join fragment.
const IN_TEXT = /\blanvas:\/\/[^\s<>"']+|\bhttp:\/\/[^\s<>"']+#join=[^\s<>"']+/i

/** The first join link in pasted text (a chat message, an e-mail) as the session to open; undefined when none. */
export function findJoinLink(text: string): SessionAddress | undefined {
  const found = IN_TEXT.exec(text.slice(0, 10_000))?.[0]
  if (!found) return undefined
  // Text around a link often ends it with punctuation that is not part of it.
  const link = found.replace(/[).,;:!?\]]+$/, '')
  return /^lanvas:/i.test(link) ? parseLanvasLink(link) : parseSessionAddress(link)
}

/** What a person typed or pasted into a Join field: a lanvas: link, a join link or an address. */
export function parseJoinInput(text: string): SessionAddress {
  return /^\s*lanvas:/i.test(text) ? parseLanvasLink(text) : parseSessionAddress(text)
}
