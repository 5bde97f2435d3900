import { deflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { Board } from '../../src/shared/board'
import { bandCount, bandPlan, bandShares, exportLayout, shareItems } from '../../src/shared/export'
import { BandClaims, workerPlans } from '../../src/shared/export/bandClaims'
import { adler32, adler32Combine, ZLIB_HEADER, zlibTrailer } from '../../src/shared/export/png'
import { knownBoard } from './exportFixtures'

/** The Adler-32 zlib writes at the end of a zlib stream of `bytes`. */
function zlibAdler(bytes: Uint8Array): number {
  const z = deflateSync(bytes)
  return z.readUInt32BE(z.byteLength - 4)
}

function bytesOf(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n)
  let s = seed
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0
    // Mostly 255 (an export's white), some ink: the sums run high, as on real rows.
    out[i] = s % 7 === 0 ? s >>> 24 : 255
  }
  return out
}

describe('Adler-32 for deflate streams joined from bands', () => {
  it('is zlib’s checksum, for empty, short and long inputs (past the 5,552-byte reduction)', () => {
    for (const n of [0, 1, 7, 5551, 5552, 5553, 100_000, 1_000_003])
      expect(adler32(bytesOf(n, n + 1))).toBe(zlibAdler(bytesOf(n, n + 1)))
  })

  it('is zlib’s checksum for views at every byte offset and for the largest sums (every byte 255)', () => {
    // Read a word at a time: the bytes before the first whole word, the words, and the bytes after them.
    const backing = bytesOf(1_000_010, 3)
    for (const start of [0, 1, 2, 3, 5])
      for (const n of [63, 64, 65, 5_553, 1_000_001]) {
        const view = backing.subarray(start, start + n)
        expect(adler32(view)).toBe(zlibAdler(view))
      }
    const white = new Uint8Array(3_000_001).fill(255)
    expect(adler32(white)).toBe(zlibAdler(white))
    expect(adler32(white.subarray(1), adler32(white.subarray(0, 1)))).toBe(zlibAdler(white))
  })

  it('combines the checksums of parts into the checksum of the whole, as zlib’s adler32_combine', () => {
    const whole = bytesOf(300_001, 9)
    for (const cuts of [[0], [1], [65_521], [65_522, 131_043], [100_000, 200_000, 300_000], [300_001]]) {
      let adler = 1
      let from = 0
      for (const to of [...cuts, whole.byteLength]) {
        const part = whole.subarray(from, to)
        adler = adler32Combine(adler, adler32(part), part.byteLength)
        from = to
      }
      expect(adler).toBe(zlibAdler(whole))
    }
  })

  it('the header and trailer make a zlib stream of raw deflate parts that zlib inflates', async () => {
    const { deflateRawSync, inflateSync, constants } = await import('node:zlib')
    const a = bytesOf(50_000, 1)
    const b = bytesOf(70_000, 2)
    const stream = Buffer.concat([
      ZLIB_HEADER,
      deflateRawSync(a, { level: 2, finishFlush: constants.Z_SYNC_FLUSH }),
      deflateRawSync(b, { level: 2, finishFlush: constants.Z_FINISH }),
      zlibTrailer(adler32Combine(adler32(a), adler32(b), b.byteLength)),
    ])
    // inflateSync checks the trailer: a wrong checksum throws.
    expect(Buffer.compare(inflateSync(stream), Buffer.concat([a, b]))).toBe(0)
    const wrong = Buffer.concat([stream.subarray(0, -4), zlibTrailer(adler32(a))])
    expect(() => inflateSync(wrong)).toThrow(/incorrect data check/)
  })
})

/** The known board laid out as a 12,000 px wide PNG on white (a lean layout), its band plan and its bands. */
function knownBands() {
  const layout = exportLayout(knownBoard(), { format: 'png', targetWidth: 12_000, background: 'white' }, true)
  const plan = bandPlan(layout)
  return { layout, plan, total: bandCount(plan) }
}

describe('band shares of a parallel PNG export', () => {
  it('cut the bands into runs one after another, every band in one run, none empty', () => {
    const { layout, plan, total } = knownBands()
    expect(total).toBeGreaterThan(4)
    for (const count of [1, 2, 3, 4, total, total + 5]) {
      const shares = bandShares(layout, plan, count)
      expect(shares.length).toBe(Math.min(count, total))
      expect(shares[0]?.from).toBe(0)
      expect(shares.at(-1)?.to).toBe(total - 1)
      for (const [i, s] of shares.entries()) {
        expect(s.to).toBeGreaterThanOrEqual(s.from)
        if (i > 0) expect(s.from).toBe((shares[i - 1]?.to as number) + 1)
      }
    }
  })

  it('split by the ink: a board whose strokes are all at the bottom gives the top bands to one worker', () => {
    const board = new Board()
    // A mark at the top so the image is tall, and many long strokes in its bottom quarter.
    board.finishStroke(board.beginStroke({ color: '#000000', width: 2 }, [0, 0, 0.5, 2, 0, 0.5]))
    for (let i = 0; i < 60; i++) {
      const y = 3000 + (i % 10) * 100
      const points: number[] = []
      for (let x = 0; x <= 1000; x += 5) points.push(x, y + Math.sin(x / 50) * 20, 0.5)
      board.finishStroke(board.beginStroke({ color: '#1971c2', width: 4 }, points))
    }
    const layout = exportLayout(board, { format: 'png', scale: 4, background: 'white' }, true)
    const plan = bandPlan(layout)
    const total = bandCount(plan)
    expect(total).toBeGreaterThanOrEqual(8)
    const [top, bottom] = bandShares(layout, plan, 2)
    // The ink is in the last quarter of the rows: the first worker gets every band above most of it.
    expect(top?.to as number).toBeGreaterThan(total / 2)
    expect(bottom?.from as number).toBe((top?.to as number) + 1)
    // Each worker is given the items its bands may touch, in the layout's order, and no others.
    const ofTop = shareItems(layout, plan, top as { from: number; to: number })
    const ofBottom = shareItems(layout, plan, bottom as { from: number; to: number })
    expect(ofTop[0]).toBe(layout.items[0])
    expect(ofBottom).not.toContain(layout.items[0])
    expect(new Set([...ofTop, ...ofBottom]).size).toBe(layout.items.length)
    for (const items of [ofTop, ofBottom])
      expect(items.map((i) => layout.items.indexOf(i))).toEqual(
        items.map((i) => layout.items.indexOf(i)).sort((a, b) => a - b),
      )
  })
})

describe('a run of bands claimed from both ends by two workers (BandClaims)', () => {
  const run = { from: 3, to: 12 }

  it('gives every band once, the top end going down and the bottom end going up, until they meet', () => {
    // However the two ends take turns (one much faster than the other, or alone), each band goes to one of them.
    for (const pattern of ['tb', 'ttb', 'tbbb', 't', 'b']) {
      const claims = new BandClaims(BandClaims.buffer(2))
      const fromTop: number[] = []
      const fromBottom: number[] = []
      for (let step = 0; ; step++) {
        const end = pattern[step % pattern.length] === 't' ? 'top' : 'bottom'
        const band = claims.claim(1, run, end)
        if (band === undefined) break
        ;(end === 'top' ? fromTop : fromBottom).push(band)
      }
      expect([...fromTop, ...fromBottom].sort((a, b) => a - b)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
      expect(fromTop).toEqual(fromTop.map((_, i) => run.from + i))
      expect(fromBottom).toEqual(fromBottom.map((_, i) => run.to - i))
      // Once they have met, neither end gets another band; the other run's slot is untouched.
      expect(claims.claim(1, run, 'top')).toBeUndefined()
      expect(claims.claim(1, run, 'bottom')).toBeUndefined()
      expect(claims.claim(0, run, 'top')).toBe(3)
    }
  })

  it('is shared between threads: two workers racing over 20,000 bands take each exactly once', async () => {
    const { Worker } = await import('node:worker_threads')
    const total = { from: 0, to: 19_999 }
    const buffer = BandClaims.buffer(1)
    // The same compare-and-swap on the same word, from two threads at once (the worker runs BandClaims' source).
    const source = `
      const { parentPort, workerData } = require('node:worker_threads')
      ${BandClaims.toString()}
      const claims = new BandClaims(workerData.buffer)
      const got = []
      for (let b = claims.claim(0, workerData.run, workerData.end); b !== undefined; b = claims.claim(0, workerData.run, workerData.end)) got.push(b)
      parentPort.postMessage(got)`
    const race = (end: string) =>
      new Promise<number[]>((resolve, reject) => {
        const worker = new Worker(source, { eval: true, workerData: { buffer, run: total, end } })
        worker.once('message', resolve)
        worker.once('error', reject)
      })
    const [top, bottom] = await Promise.all([race('top'), race('bottom')])
    expect(new Set([...(top as number[]), ...(bottom as number[])]).size).toBe(20_000)
    expect((top as number[]).length + (bottom as number[]).length).toBe(20_000)
  })

  it('cuts runs in proportion to their weights: a pair’s run twice a lone worker’s', () => {
    const { layout, plan, total } = knownBands()
    const [even] = bandShares(layout, plan, 2)
    const [pair, lone] = bandShares(layout, plan, 2, [2, 1])
    expect(lone?.to).toBe(total - 1)
    expect(lone?.from).toBe((pair?.to as number) + 1)
    // Two thirds of the work before the cut instead of a half: the cut moves down.
    expect(pair?.to as number).toBeGreaterThan(even?.to as number)
  })
})

describe('how workers share the bands (workerPlans)', () => {
  it('two to a run, one from each end, reaching past the middle; every band drawn once however fast each is', () => {
    const { layout, plan, total } = knownBands()
    expect(total).toBeGreaterThan(12)
    for (const workers of [1, 2, 3, 4, 5]) {
      const plans = workerPlans(layout, plan, workers)
      expect(plans).toHaveLength(workers)
      for (const p of plans) {
        // A worker's reach starts at its end of the run and holds at least a band.
        if (p.end === 'top') expect(p.reach.from).toBe(p.run.from)
        else expect(p.reach.to).toBe(p.run.to)
        expect(p.reach.to).toBeGreaterThanOrEqual(p.reach.from)
      }
      for (const [a, b] of plans.slice(0, -1).map((p, i) => [p, plans[i + 1]] as const))
        if (a.slot === b?.slot) {
          // A pair: the same run, each reaching past the other's first band (they can meet anywhere in between).
          expect(b.run).toEqual(a.run)
          expect([a.end, b.end]).toEqual(['top', 'bottom'])
          expect(a.reach.to).toBeGreaterThan(b.reach.from)
        }
      // One worker much faster than the other, then the other way round: each band drawn by exactly one.
      for (const fast of ['top', 'bottom'] as const) {
        const claims = new BandClaims(BandClaims.buffer(plans.length))
        const drawn: number[] = []
        for (const p of [...plans].sort((x, y) => (x.end === fast ? -1 : 0) - (y.end === fast ? -1 : 0)))
          for (let b = claims.claim(p.slot, p.run, p.end, p.reach); b !== undefined; ) {
            drawn.push(b)
            b = claims.claim(p.slot, p.run, p.end, p.reach)
          }
        expect(drawn.sort((x, y) => x - y)).toEqual(Array.from({ length: total }, (_, i) => i))
      }
    }
  })
})
