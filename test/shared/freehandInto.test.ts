import { describe, expect, it } from 'vitest'
import { OutlineScratch, strokeOutline } from '../../src/shared/scene'
import { FreehandScratch, freehandCovers, freehandInto, hypot } from '../../src/shared/scene/freehandInto'
import { MOUSE_PRESSURE, strokeOptions } from '../../src/shared/scene/outline'

/** A seeded random source (Park-Miller). */
function random(seed: number): () => number {
  let s = seed
  return () => {
    s = (s * 16807) % 2147483647
    return s / 2147483647
  }
}

type Kind = 'pen' | 'mouse' | 'zigzag' | 'still' | 'far' | 'tiny'

/** A stroke of `n` points of some kind: wandering pen or mouse ink, sharp zigzags, repeated points, far from 0. */
function stroke(seed: number, n: number, kind: Kind): Float32Array {
  const rand = random(seed)
  const points: number[] = []
  let x = kind === 'far' ? 4_000_000 + rand() * 1000 : rand() * 2000 - 1000
  let y = kind === 'far' ? -3_000_000 - rand() * 1000 : rand() * 2000 - 1000
  let heading = rand() * 2 * Math.PI
  let speed = 1 + rand() * 5
  let pressure = 0.2 + rand() * 0.6
  for (let i = 0; i < n; i++) {
    if (kind === 'zigzag') {
      // Turns back on itself every few points: sharp corners and their caps.
      heading += i % 3 === 0 ? Math.PI * (0.8 + rand() * 0.4) : (rand() - 0.5) * 0.2
    } else heading += (rand() - 0.5) * 0.3
    speed = Math.min(10, Math.max(1, speed + (rand() - 0.5)))
    pressure = Math.min(1, Math.max(0.05, pressure + (rand() - 0.5) * 0.05))
    const step = kind === 'tiny' ? 0.01 : speed
    if (!(kind === 'still' && rand() < 0.5)) {
      x += Math.cos(heading) * step
      y += Math.sin(heading) * step
    }
    points.push(x, y, kind === 'mouse' ? MOUSE_PRESSURE : pressure)
  }
  return new Float32Array(points)
}

describe('perfect-freehand written into typed arrays (the export outlines strokes with it)', () => {
  it('gives every stroke the outline perfect-freehand gives it, bit for bit', () => {
    const scratch = new OutlineScratch()
    const kinds: Kind[] = ['pen', 'mouse', 'zigzag', 'still', 'far', 'tiny']
    let compared = 0
    let points = 0
    for (let seed = 1; seed <= 3000; seed++) {
      const kind = kinds[Math.floor(seed / 13) % kinds.length] as Kind
      // Every short length (1 to 12 points: padding, the minimum length, the first ten pressures), then longer.
      const n = seed <= 600 ? 1 + (seed % 12) : 13 + (seed % 300)
      const width = [1, 2, 4, 6, 8, 16, 0.5][seed % 7] as number
      for (const done of [true, false]) {
        const s = { points: stroke(seed, n, kind), width, done }
        // Every option the app gives a stroke is one the port covers (the export never falls back).
        expect(freehandCovers(strokeOptions(s))).toBe(true)
        const library = strokeOutline(s)
        const ported = strokeOutline(s, scratch)
        expect(ported.length, `seed ${seed} (${kind}, ${n} points, done ${done})`).toBe(library.length)
        const a = new Uint32Array(library.buffer, library.byteOffset, library.length)
        const b = new Uint32Array(ported.buffer, ported.byteOffset, ported.length)
        for (let i = 0; i < a.length; i++)
          if (a[i] !== b[i])
            expect(`${ported[i]} at ${i}`, `seed ${seed} (${kind}, ${n} points)`).toBe(
              `${library[i]} at ${i}`,
            )
        compared++
        points += library.length / 2
      }
    }
    expect(compared).toBe(6000)
    expect(points).toBeGreaterThan(500_000)
  })

  it('measures lengths as Math.hypot does, to the last bit', () => {
    const rand = random(7)
    const special = [0, -0, 1, -1, 3, 4, Number.NaN, Infinity, -Infinity, Number.MIN_VALUE, 1e308, 1e-300]
    for (const a of special)
      for (const b of special) expect(Object.is(hypot(a, b), Math.hypot(a, b)), `${a}, ${b}`).toBe(true)
    for (let i = 0; i < 1_000_000; i++) {
      const scale = [1e-6, 1e-3, 1, 20, 8000, 1e6][i % 6] as number
      const a = (rand() - 0.5) * scale
      const b = (rand() - 0.5) * ([1, 20, 1e-3][i % 3] as number)
      const h = hypot(a, b)
      if (!Object.is(h, Math.hypot(a, b))) expect(`${a}, ${b}: ${h}`).toBe(`${a}, ${b}: ${Math.hypot(a, b)}`)
    }
  })

  it('outlines a stroke without points as nothing and a one-point stroke as a dot', () => {
    const scratch = new OutlineScratch()
    expect(strokeOutline({ points: new Float32Array(0), width: 4, done: true }, scratch).length).toBe(0)
    const dot = { points: Float32Array.of(10, 20, 0.5), width: 4, done: true }
    expect(Array.from(strokeOutline(dot, scratch))).toEqual(Array.from(strokeOutline(dot)))
    expect(strokeOutline(dot).length).toBeGreaterThan(20)
  })

  it('leaves options it does not cover (tapers, other easings) to perfect-freehand', () => {
    const base = { size: 4, thinning: 0.5, smoothing: 0.5, streamline: 0.4, simulatePressure: false }
    expect(
      freehandCovers({ ...base, start: { cap: true, taper: false }, end: { cap: true, taper: false } }),
    ).toBe(true)
    expect(freehandCovers({ ...base, start: { taper: 20 } })).toBe(false)
    expect(freehandCovers({ ...base, easing: (t) => t * t })).toBe(false)
    expect(freehandCovers({ ...base, thinning: 0 })).toBe(false)
    const scratch = new FreehandScratch()
    expect(freehandInto(new Float32Array(0), 3, base, scratch)).toBe(0)
  })
})
