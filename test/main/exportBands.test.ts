import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { inflateSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import '../../src/main/host/export/nodeCanvas'
import { exportToFile } from '../../src/main/host/export/exportFile'
import { liveExportWorkers, parallelBands } from '../../src/main/host/export/parallelBands'
import type { Board } from '../../src/shared/board'
import {
  bandCount,
  bandPlan,
  type ExportOptions,
  exportBoard,
  exportLayout,
  renderExportCanvas,
} from '../../src/shared/export'
import { pngChunks } from '../../src/shared/export/png'
import { loadBoardImages } from '../../src/shared/scene'
import { allKindsBoard, knownBoard } from '../shared/exportFixtures'
import { builtFile } from '../support/built'
import { removeDir, tempDir } from '../support/hostFixture'

const WORKER = builtFile('main/exportWorker.js')

/** The pixels a PNG holds, read straight from its data (filters None and Up, the ones Lanvas writes). */
function pngPixels(png: Uint8Array): { width: number; height: number; channels: number; data: Uint8Array } {
  let width = 0
  let height = 0
  let channels = 0
  const idat: Uint8Array[] = []
  for (const { type, data } of pngChunks(png)) {
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
    if (type === 'IHDR') {
      width = view.getUint32(0)
      height = view.getUint32(4)
      channels = data[9] === 6 ? 4 : 3
    } else if (type === 'IDAT') idat.push(data)
  }
  const raw = inflateSync(Buffer.concat(idat))
  const n = width * channels
  const out = new Uint8Array(n * height)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (n + 1)]
    const row = raw.subarray(y * (n + 1) + 1, (y + 1) * (n + 1))
    for (let i = 0; i < n; i++) {
      const above = y > 0 && filter === 2 ? (out[(y - 1) * n + i] as number) : 0
      if (filter !== 0 && filter !== 2) throw new Error(`filter ${filter} in row ${y}`)
      out[y * n + i] = ((row[i] as number) + above) & 255
    }
  }
  return { width, height, channels, data: out }
}

/** The whole export drawn on one canvas, as the PNG's channels. */
async function singleCanvas(board: Board, options: Partial<ExportOptions>, channels: number) {
  const layout = exportLayout(board, options)
  await loadBoardImages(
    board,
    layout.items.map((i) => i.element),
  )
  const canvas = renderExportCanvas(layout)
  const rgba = canvas.getContext()._context.getImageData(0, 0, layout.width, layout.height).data
  canvas.setSize(0, 0)
  if (channels === 4) return new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.byteLength)
  const out = new Uint8Array(layout.width * layout.height * 3)
  for (let p = 0, q = 0; p < rgba.length; p += 4, q += 3) out.set(rgba.subarray(p, p + 3), q)
  return out
}

/** The share of pixels (of `channels` bytes) with a channel off by more than `tolerance`. */
function compareImages(a: Uint8Array, b: Uint8Array, tolerance: number, channels: number) {
  expect(a.byteLength).toBe(b.byteLength)
  let off = 0
  for (let p = 0; p < a.byteLength; p += channels)
    for (let c = 0; c < channels; c++)
      if (Math.abs((a[p + c] as number) - (b[p + c] as number)) > tolerance) {
        off++
        break
      }
  return { offShare: off / (a.byteLength / channels) }
}

/** How many bytes of two images differ. */
function differing(a: Uint8Array, b: Uint8Array): number {
  expect(a.byteLength).toBe(b.byteLength)
  let n = 0
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) n++
  return n
}

describe('a PNG export drawn by worker threads in bands', () => {
  beforeAll(() => {
    if (!existsSync(WORKER))
      throw new Error(`${WORKER} is missing: run \`npm run build\` first (npm test does).`)
  })

  it.each([
    ['on the board colour', 'board'],
    ['transparent', 'transparent'],
  ] as const)(
    'equals the one-thread export and the single-canvas export pixel for pixel (%s)',
    async (_, background) => {
      // Every kind of element, 6,000 px wide: several bands, each two tiles across.
      const board = allKindsBoard()
      const options: Partial<ExportOptions> = { format: 'png', targetWidth: 6000, padding: 10, background }
      const plan = bandPlan(exportLayout(board, options))
      expect(bandCount(plan)).toBeGreaterThanOrEqual(3)

      const fractions: number[] = []
      const inWorkers = await exportBoard(board, options, {
        bands: parallelBands({ workerFile: WORKER, workers: 2 }),
        onProgress: (f) => fractions.push(f),
      })
      const here = await exportBoard(board, options)
      const parallel = pngPixels(inWorkers.bytes as Uint8Array)
      const oneThread = pngPixels(here.bytes as Uint8Array)
      expect([parallel.width, parallel.height]).toEqual([plan.width, plan.height])
      expect(parallel.channels).toBe(background === 'transparent' ? 4 : 3)
      expect(differing(parallel.data, oneThread.data)).toBe(0)
      // One canvas for the whole image places ink at other sub-pixel offsets than tiles do (as before this change):
      // a few antialiased edge pixels differ, more of them where edges are translucent.
      const whole = compareImages(
        parallel.data,
        await singleCanvas(board, options, parallel.channels),
        2,
        parallel.channels,
      )
      expect(whole.offShare).toBeLessThan(0.0005)
      // Progress as the dialog shows it: a step a band, up to done.
      expect(fractions.length).toBeGreaterThan(bandCount(plan))
      expect(fractions.at(-1)).toBe(1)
      expect(liveExportWorkers()).toBe(0)
    },
    240_000,
  )
})

describe('a PNG export drawn by worker threads, each a run of bands', () => {
  it('three workers (a pair drawing a run from both ends, one alone), each deflating its own bands into the one stream, equal the one-thread export, tiles and all', async () => {
    const board = allKindsBoard()
    const options: Partial<ExportOptions> = {
      format: 'png',
      targetWidth: 9000,
      padding: 10,
      background: 'transparent',
    }
    const plan = bandPlan(exportLayout(board, options))
    expect(bandCount(plan)).toBeGreaterThanOrEqual(6)
    // Tiles at most 4,096 px wide (bands.ts): each band is three tiles across, in every path the same.
    expect(plan.tileWidth).toBeLessThanOrEqual(4096)
    expect(Math.ceil(plan.width / plan.tileWidth)).toBe(3)
    const drawn: number[] = []
    const inWorkers = await exportBoard(board, options, {
      bands: parallelBands({ workerFile: WORKER, workers: 3 }),
      onProgress: (f) => drawn.push(f),
    })
    const here = await exportBoard(board, options)
    // pngPixels inflates the image data, which checks the combined Adler-32 of the joined bands.
    const parallel = pngPixels(inWorkers.bytes as Uint8Array)
    expect(differing(parallel.data, pngPixels(here.bytes as Uint8Array).data)).toBe(0)
    expect(drawn).toEqual([...drawn].sort((a, b) => a - b))
    expect(drawn.at(-1)).toBe(1)
    expect(liveExportWorkers()).toBe(0)
  }, 240_000)
})

describe('cancelling a PNG export drawn by worker threads', () => {
  let dir: string
  beforeAll(async () => {
    dir = await tempDir()
  })
  afterAll(async () => {
    await removeDir(dir)
  })

  it('stops the workers and leaves no file, partial or whole', async () => {
    const board = knownBoard()
    const options: Partial<ExportOptions> = { format: 'png', targetWidth: 12_000, background: 'white' }
    expect(bandCount(bandPlan(exportLayout(board, options)))).toBeGreaterThan(4)
    const abort = new AbortController()
    let workersSeen = 0
    const out = join(dir, 'cancelled.png')
    const run = exportToFile(board, out, options, {
      bands: parallelBands({ workerFile: WORKER, workers: 2 }),
      signal: abort.signal,
      onProgress: (f) => {
        workersSeen = Math.max(workersSeen, liveExportWorkers())
        if (f > 0) abort.abort(new Error('Export cancelled.'))
      },
    })
    await expect(run).rejects.toThrow('Export cancelled.')
    expect(workersSeen).toBe(2)
    await vi.waitFor(() => expect(liveExportWorkers()).toBe(0))
    expect(await readdir(dir)).toEqual([])
  }, 120_000)

  it('a worker that cannot start fails the export with a clear message, and no file', async () => {
    const out = join(dir, 'broken.png')
    const run = exportToFile(
      knownBoard(),
      out,
      { format: 'png', targetWidth: 12_000 },
      { bands: parallelBands({ workerFile: join(dir, 'no-such-worker.js'), workers: 2 }) },
    )
    await expect(run).rejects.toThrow(/An export worker failed: .*no-such-worker\.js/)
    await vi.waitFor(() => expect(liveExportWorkers()).toBe(0))
    expect(await readdir(dir)).toEqual([])
  }, 120_000)
})
