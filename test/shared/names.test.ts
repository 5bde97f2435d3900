import { describe, expect, it } from 'vitest'
import { cleanDisplayName, MAX_NAME_CHARS, normalizeName } from '../../src/shared/names'
import { cleanName, MAX_NAME_LENGTH } from '../../src/shared/sync/session'

// Every character a name must not carry: they reorder the text around the name, hide it, or are invisible.
const HIDDEN = [
  ...['\u202A', '\u202B', '\u202C', '\u202D', '\u202E'], // bidi embeddings and overrides
  ...['\u2066', '\u2067', '\u2068', '\u2069'], // bidi isolates
  ...['\u200B', '\u200C', '\u200D', '\u200E', '\u200F'], // zero-width space, joiners, marks
  '\uFEFF', // byte order mark
  '\u061C', // Arabic letter mark
  '\u2060', // word joiner
  '\u0000',
  '\u0007',
  '\u001B',
  '\u007F',
  '\u0085',
  '\u009B', // controls, C0, DEL and C1
  '\uD800', // a lone surrogate
]

describe('normalizeName', () => {
  it.each(HIDDEN.map((c) => [c.codePointAt(0)?.toString(16).padStart(4, '0'), c]))(
    'takes U+%s out of a name',
    (_code, c) => {
      expect(normalizeName(`Ali${c}ce`)).toBe('Alice')
      expect(normalizeName(`${c}Alice${c}`)).toBe('Alice')
    },
  )

  it('turns a right-to-left override trick back into what it is', () => {
    // Shown as "Design review.lanvas" by a bidi-aware renderer; really ends in "exe".
    expect(normalizeName('Design \u202Eexe.weiver\u202C')).toBe('Design exe.weiver')
  })

  it('composes to NFC, so a name looks and compares the same however it was typed', () => {
    expect(normalizeName('cafe\u0301')).toBe('caf\u00e9')
    expect(normalizeName('A\u030A')).toBe('\u00c5')
  })

  it('makes every run of spaces and line breaks one space, and trims', () => {
    expect(normalizeName('  Hana \u2028 \u2029\u00a0Sato\t ')).toBe('Hana Sato')
  })

  it('keeps what people write in any script, emoji included', () => {
    for (const name of ['Zoë', 'Γιώργος', 'محمد', 'שרה', '李小龍', 'Ravi 🎨', '👍🏽'])
      expect(normalizeName(name)).toBe(name)
  })

  it('bounds the length in characters, never cutting one in half', () => {
    expect(Array.from(normalizeName('x'.repeat(500)))).toHaveLength(MAX_NAME_CHARS)
    const cut = normalizeName('🎨'.repeat(50), 41)
    expect(Array.from(cut)).toHaveLength(41)
    expect(cut).not.toMatch(/\p{Cs}/u)
  })

  it('leaves nothing of a name made only of hidden characters; the caller picks the fallback', () => {
    expect(normalizeName(HIDDEN.join(''))).toBe('')
    expect(cleanDisplayName(HIDDEN.join(''), 'Guest')).toBe('Guest')
    expect(cleanDisplayName(42, 'Guest')).toBe('Guest')
  })
})

describe('cleanName (participant and session names, src/shared/sync/session.ts)', () => {
  it('uses the normaliser: no override, zero-width or control character reaches the session', () => {
    expect(cleanName('\u202Enimda\u200B\u0007')).toBe('nimda')
    expect(cleanName('\u2066\u2069')).toBe('Guest')
    expect(Array.from(cleanName('🎨'.repeat(100)))).toHaveLength(MAX_NAME_LENGTH)
  })
})
