import { beforeEach, describe, expect, it } from 'vitest'
import { parseHostArgs } from '../../../src/main/host/cliArgs'
import type { Host } from '../../../src/main/host/server'
import { MIN_TOKEN_BITS, tokenBits, tokenWeakness } from '../../../src/main/host/tokenStrength'
import { recordFigures } from '../../support/figures'
import { eachTestHost, shareOnLoopback } from '../../support/hostFixture'

// Tokens a person might choose, each far below 128 bits, that an impostor holding one handshake transcript
// could test offline; the first is the 16-character word the attack found in 76 guesses.
const WEAK = [
  'correcthorsebatt',
  'correct-horse-battery-staple',
  'CorrectHorseBatteryStaple4242',
  'lanvas-design-review-2026',
  'abcdefghijklmnopqrstuvwxyz',
  'aaaaaaaaaaaaaaaaaaaaaaaa',
  'Tr0ub4dor3Tr0ub4dor3Tr0ub4dor3',
  '0123456789012345678901234',
  'qwertyuiopasdfghjklzxcvb',
]

describe('chosen join tokens (offline guessing)', () => {
  const scope = eachTestHost()
  let host: Host
  beforeEach(async () => {
    host = await scope.start()
  })

  it.each(WEAK)('refuses to share with the weak token %s, on the CLI and in share()', async (token) => {
    expect(() => parseHostArgs(['--lan', '--token', token], {})).toThrow(/^--token: The token /)
    await expect(shareOnLoopback(host, { token })).rejects.toThrow(/The token /)
    expect(host.session()).toBeUndefined()
  })

  it('records how many weak tokens were tried', async () => {
    const refused = WEAK.filter((t) => tokenWeakness(t) !== undefined).length
    expect(refused).toBe(WEAK.length)
    await recordFigures('chosen-tokens', [
      {
        label: 'weak chosen tokens tried (words, passphrases, repeats, runs)',
        value: WEAK.length,
        test: 'test/main/host/tokenStrength.test.ts › refuses to share with the weak token %s …',
      },
      {
        label: 'weak chosen tokens refused',
        value: refused,
        test: 'test/main/host/tokenStrength.test.ts',
        key: 'weak-tokens',
      },
    ])
  })

  it('takes a random token of 22 characters or more', async () => {
    const share = await shareOnLoopback(host, { token: 'q8Zr-3kWp_Vx7NmB2tYhLc9s' })
    expect(share.token).toBe('q8Zr-3kWp_Vx7NmB2tYhLc9s')
    expect(parseHostArgs(['--lan', '--token', 'Hk2_wQ9xLr4-Tz7mPb3Yc8Nv'], {})).toMatchObject({
      lan: { token: 'Hk2_wQ9xLr4-Tz7mPb3Yc8Nv' },
    })
  })

  it('counts at most 6 bits a character and a word-shaped run as one entry of a guess list', () => {
    expect(tokenBits('q8Zr-3kWp_Vx7NmB2tYhLc9s')).toBe(24 * 6)
    expect(tokenBits('q8Zr-3kWp_Vx7NmB2tYhLc')).toBe(MIN_TOKEN_BITS + 4)
    // One word inside: 20 bits instead of 6 a letter, and the token falls below 128.
    expect(tokenBits('q8Zr-3kWp_Vx7NmB2horse')).toBe(17 * 6 + 20)
    expect(tokenWeakness('q8Zr-3kWp_Vx7NmB2tYhLc')).toBeUndefined()
    expect(tokenWeakness('q8Zr-3kWp_Vx7NmB2tYhL')).toMatch(/at least 22/)
    expect(tokenBits('horse')).toBe(20)
  })
})
