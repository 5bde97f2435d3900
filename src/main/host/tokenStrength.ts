/**
 * How strong a join token a person chose is. Anyone who completes one key exchange with the host can test
 * guesses of the token offline, so a chosen token must be as hard to guess as a generated one (128 bits).
 * The estimate is deliberately pessimistic: it can refuse a random token now and then, never pass a weak one.
 */
import { isSecret } from '../../shared/sync/session'

/** The least a chosen token must be worth, in bits. */
export const MIN_TOKEN_BITS = 128
/** 22 base64url characters are 132 bits at most: no shorter token can reach MIN_TOKEN_BITS. */
export const MIN_TOKEN_LENGTH = 22
// A dictionary word, a name or a run like "abcd" or "9876", capitalised or not: a guesser's list of a million.
const WORD_BITS = 20
const WORD_MIN_LENGTH = 5
const SEQUENCE_MIN_LENGTH = 4
// A base64url character is one of 64: 6 bits, and only when nothing above applies.
const CHAR_BITS = 6

/** The token rule in one sentence, for messages and help. */
export const TOKEN_RULE = `at least ${MIN_TOKEN_LENGTH} random characters of A-Z, a-z, 0-9, "-" and "_" (no words, repeats or runs like "abcd")`

/** A pessimistic estimate of the bits of a token: word-like runs and sequences count as one guess-list entry. */
export function tokenBits(token: string): number {
  const cheap = new Array<boolean>(token.length).fill(false)
  let bits = 0
  const mark = (start: number, length: number): void => {
    bits += WORD_BITS
    cheap.fill(true, start, start + length)
  }
  // Letters shaped like words: "horse", "Horse", "HORSE" (as people type them, not as random letters mix case).
  for (const m of token.matchAll(/[A-Z]?[a-z]+|[A-Z]+/g))
    if (m[0].length >= WORD_MIN_LENGTH) mark(m.index, m[0].length)
  // Runs of neighbouring characters up or down ("abcd", "4321") and the same character again ("zzzz").
  for (let start = 0; start < token.length; ) {
    let end = start + 1
    const step = token.charCodeAt(start + 1) - token.charCodeAt(start)
    if (Math.abs(step) <= 1)
      while (end < token.length && token.charCodeAt(end) - token.charCodeAt(end - 1) === step) end++
    if (end - start >= SEQUENCE_MIN_LENGTH && !cheap.slice(start, end).some(Boolean)) mark(start, end - start)
    // The last character of a run may begin the next one ("ab" then "bbbb").
    start = Math.max(start + 1, end - 1)
  }
  return bits + cheap.filter((c) => !c).length * CHAR_BITS
}

/** Why a token a person chose is too weak (a sentence), or undefined when it is strong enough. */
export function tokenWeakness(token: string): string | undefined {
  if (!isSecret(token) || token.length < MIN_TOKEN_LENGTH)
    return `The token must be ${TOKEN_RULE}; leave it out to get a random one.`
  // A piece of 4 characters that comes again: "Tr0ub4dor3Tr0ub4dor3" is worth one copy of it.
  for (let i = 0; i + 4 <= token.length; i++)
    if (token.indexOf(token.slice(i, i + 4), i + 1) >= 0)
      return `The token repeats a piece of itself: it must be ${TOKEN_RULE}; leave it out to get a random one.`
  if (tokenBits(token) < MIN_TOKEN_BITS)
    return `The token is too easy to guess: it must be ${TOKEN_RULE}; leave it out to get a random one.`
  return undefined
}
