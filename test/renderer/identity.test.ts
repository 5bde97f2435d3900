import { describe, expect, it } from 'vitest'
import { PRESENCE_COLORS, suggestIdentity } from '../../src/renderer/src/session/identity'

describe('the default identity of someone who gave no name', () => {
  it('is never "Guest", is named after its colour, and spreads across the whole palette', () => {
    const seen = new Set<string>()
    const names = new Set<string>()
    for (let i = 0; i < 400; i++) {
      const who = suggestIdentity()
      expect(who.name).not.toBe('Guest')
      expect(who.name).toMatch(/^[A-Z][a-z]+ [a-z]+$/)
      expect(PRESENCE_COLORS).toContain(who.color)
      seen.add(who.color)
      names.add(who.name)
    }
    // 400 draws of 10 colours: every colour comes up (missing one has a chance below 1e-16).
    expect([...seen].sort()).toEqual([...PRESENCE_COLORS].sort())
    expect(names.size).toBeGreaterThan(100)
  })

  it('names the colour it shows, so two people tell each other apart by either', () => {
    const byColour = new Map<string, Set<string>>()
    for (let i = 0; i < 200; i++) {
      const { name, color } = suggestIdentity()
      const word = name.split(' ')[0] as string
      byColour.set(color, (byColour.get(color) ?? new Set()).add(word))
    }
    for (const words of byColour.values()) expect(words.size).toBe(1)
  })
})
