/**
 * Names people read (session, board, person, host): whatever enters from a person, a file or the network is
 * normalised here, so that no name can reorder the text around it, hide characters or run on forever.
 */

/** Longest name kept, in characters (Unicode code points); longer names are cut. */
export const MAX_NAME_CHARS = 80

// Controls (C0, DEL, C1), bidi embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069), the Arabic
// letter mark, zero-width spaces, joiners and marks (U+200B–U+200F), the word joiner and invisible operators
// (U+2060–U+2064), the byte order mark, and lone surrogates.
const INVISIBLE = /[\p{Cc}\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]|\p{Cs}/gu
// Line and paragraph separators and other spaces become one plain space.
const SPACES = /[\s\u2028\u2029]+/gu

/**
 * A name made safe to show: NFC, without controls, bidi overrides or isolates and zero-width characters, spaces
 * collapsed, trimmed, at most `max` code points (never a half character). May be empty.
 */
export function normalizeName(name: string, max = MAX_NAME_CHARS): string {
  const text = name.normalize('NFC').replace(INVISIBLE, '').replace(SPACES, ' ').trim()
  const chars = Array.from(text)
  return chars.length <= max ? text : chars.slice(0, max).join('').trimEnd()
}

/** A name from anywhere (any type): normalised, or `fallback` when nothing is left. */
export function cleanDisplayName(name: unknown, fallback: string, max = MAX_NAME_CHARS): string {
  return (typeof name === 'string' ? normalizeName(name, max) : '') || fallback
}
