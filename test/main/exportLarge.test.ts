import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { createInflate } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exportToFile } from '../../src/main/host/export/exportFile'
import { exportLayout } from '../../src/shared/export'
import { knownBoard } from '../shared/exportFixtures'
import { removeDir, tempDir } from '../support/hostFixture'

/** The memory bound of a 40,000 px square export: the whole image would be 6.4 GB of RGBA. */
const RSS_BOUND = 1.5 * 1024 ** 3

/** A board 20,000 units square: a frame, diagonals and a grid of short strokes in several colours. */
function largeBoard() {
  const colors = ['#1e1e1e', '#e03131', '#1971c2', '#2f9e44']
  const strokes = []
  const edge = (x0: number, y0: number, x1: number, y1: number, n = 400) =>
    Array.from({ length: n }, (_, i) => [x0 + ((x1 - x0) * i) / (n - 1), y0 + ((y1 - y0) * i) / (n - 1), 0.5])
  strokes.push({ color: '#1e1e1e', width: 10, points: edge(0, 0, 20_000, 0) })
  strokes.push({ color: '#1e1e1e', width: 10, points: edge(20_000, 0, 20_000, 20_000) })
  strokes.push({ color: '#1e1e1e', width: 10, points: edge(20_000, 20_000, 0, 20_000) })
  strokes.push({ color: '#1e1e1e', width: 10, points: edge(0, 20_000, 0, 0) })
  strokes.push({ color: '#e03131', width: 16, points: edge(0, 0, 20_000, 20_000, 2000) })
  for (let gx = 0; gx < 20; gx++)
    for (let gy = 0; gy < 20; gy++) {
      const x = 500 + gx * 1000
      const y = 500 + gy * 1000
      strokes.push({
        color: colors[(gx + gy) % 4] as string,
        width: 4 + ((gx * gy) % 12),
        points: Array.from({ length: 60 }, (_, i) => [x + i * 5, y + Math.sin(i / 5) * 60, 0.5]),
      })
    }
  return knownBoard(strokes)
}

/** Streams a PNG's pixel data through inflate, undoing the row filters, and calls back with each RGB row. */
async function scanPng(path: string, onRow: (y: number, row: Uint8Array) => void) {
  const stream = createReadStream(path)
  const inflate = createInflate()
  let header: { width: number; height: number; bpp: number } | undefined
  let rowBytes = 0
  let prev = new Uint8Array(0)
  let cur = new Uint8Array(0)
  let filled = 0
  let y = 0
  let pending = Buffer.alloc(0)
  const done = new Promise<void>((resolve, reject) => {
    inflate.on('data', (data: Buffer) => {
      for (let at = 0; at < data.length; ) {
        const take = Math.min(rowBytes + 1 - filled, data.length - at)
        cur.set(data.subarray(at, at + take), filled)
        filled += take
        at += take
        if (filled === rowBytes + 1) {
          const filter = cur[0] as number
          const row = cur.subarray(1)
          if (filter === 2)
            for (let i = 0; i < rowBytes; i++) row[i] = ((row[i] as number) + (prev[i + 1] as number)) & 255
          else if (filter !== 0) throw new Error(`this scanner knows filters 0 and 2, got ${filter}`)
          onRow(y++, row)
          const t = prev
          prev = cur
          cur = t
          filled = 0
        }
      }
    })
    inflate.on('end', resolve)
    inflate.on('error', reject)
  })
  for await (const chunk of stream) {
    pending = Buffer.concat([pending, chunk as Buffer])
    let at = 8
    if (pending.length < 8) continue
    while (at + 8 <= pending.length) {
      const length = pending.readUInt32BE(at)
      if (at + 12 + length > pending.length) break
      const type = pending.toString('latin1', at + 4, at + 8)
      const data = pending.subarray(at + 8, at + 8 + length)
      if (type === 'IHDR') {
        header = { width: data.readUInt32BE(0), height: data.readUInt32BE(4), bpp: data[9] === 6 ? 4 : 3 }
        rowBytes = header.width * header.bpp
        prev = new Uint8Array(rowBytes + 1)
        cur = new Uint8Array(rowBytes + 1)
      } else if (type === 'IDAT') {
        if (!inflate.write(data)) await new Promise((r) => inflate.once('drain', r))
      } else if (type === 'IEND') inflate.end()
      at += 12 + length
    }
    // Keep the signature position logic simple: re-prefix 8 bytes so `at` starts at 8 again.
    pending = Buffer.concat([Buffer.alloc(8), pending.subarray(at)])
  }
  await done
  return { header, rows: y }
}

describe('a very large PNG export', () => {
  let dir: string
  beforeAll(async () => {
    dir = await tempDir()
  })
  afterAll(async () => {
    await removeDir(dir)
  })

  it('exports a 20,000 × 20,000 board at 2× (40,000 px square) in tiles with bounded memory', async () => {
    const board = largeBoard()
    const options = { format: 'png' as const, scale: 2, padding: 0, background: 'white' as const }
    const layout = exportLayout(board, options)
    expect(layout.width).toBeGreaterThanOrEqual(40_000)
    expect(layout.height).toBeGreaterThanOrEqual(40_000)

    let peak = process.memoryUsage().rss
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss)
    }, 50)
    const out = join(dir, 'large.png')
    let progressCalls = 0
    try {
      await exportToFile(board, out, options, { onProgress: () => progressCalls++ })
    } finally {
      clearInterval(sampler)
    }
    peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024)
    console.log(
      `large export: ${layout.width} × ${layout.height} px, ${(await stat(out)).size} bytes, rss peak ${Math.round(peak / 2 ** 20)} MB`,
    )
    expect(peak).toBeLessThan(RSS_BOUND)
    expect(progressCalls).toBeGreaterThan(10)

    // The file decodes row by row, every row is there, and ink is where strokes are and absent elsewhere.
    const probes = new Map<number, { x: number; ink: boolean }[]>()
    const probe = (bx: number, by: number, ink: boolean) => {
      const px = Math.floor((bx - layout.rect.minX) * layout.scale)
      const py = Math.floor((by - layout.rect.minY) * layout.scale)
      probes.set(py, [...(probes.get(py) ?? []), { x: px, ink }])
    }
    probe(10_000, 10_000, true) // the diagonal
    probe(17_500, 17_500, true)
    probe(10_000, 0, true) // the top edge
    probe(20_000, 12_345, true) // the right edge
    probe(12_000, 7_000, false)
    probe(3_000, 16_000, false)
    const seen: boolean[] = []
    const scan = await scanPng(out, (y, row) => {
      for (const p of probes.get(y) ?? []) {
        const dark = (row[p.x * 3] as number) < 200 || (row[p.x * 3 + 2] as number) < 200
        expect(dark).toBe(p.ink)
        seen.push(dark)
      }
    })
    expect(scan.header?.width).toBe(layout.width)
    expect(scan.rows).toBe(layout.height)
    expect(seen).toHaveLength(6)
  }, 900_000)
})
