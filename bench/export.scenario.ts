import '../src/main/host/export/nodeCanvas'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { it } from 'vitest'
import { exportToFile } from '../src/main/host/export/exportFile'
import { type ExportOptions, exportBoard } from '../src/shared/export'
import { makeBoard } from './boards'
import { benchSize, ms, report } from './report'

const STROKES = benchSize(10_000, 1_000)
// The sparse board's side in board units: 40,000 px square at 2x in full, 8,000 px quick.
const HUGE_SPAN = benchSize(20_000, 2_000)
// The dense board: 4,000 units square in full (4,125 px at 1x), 1,500 quick.
const DENSE_SPAN = benchSize(4000, 1500)

async function timed(board: ReturnType<typeof makeBoard>, options: Partial<ExportOptions>) {
  const t = performance.now()
  const result = await exportBoard(board, options)
  return {
    ms: ms(performance.now() - t),
    bytes: result.bytes?.byteLength ?? 0,
    size: `${result.width}x${result.height}`,
  }
}

it('export: a 10,000-stroke board in every format, and a 40,000 px PNG', async () => {
  const figures: Record<string, number | string> = { strokes: STROKES }
  // First, so that the process' peak RSS is this export's. Sparse and huge: the same stroke count over 20,000 x 20,000 units at 2x, streamed to a file in tiles.
  const huge = makeBoard(STROKES, 60, 2, HUGE_SPAN)
  const dir = await mkdtemp(join(tmpdir(), 'lanvas-bench-'))
  try {
    const t = performance.now()
    const out = join(dir, 'huge.png')
    const result = await exportToFile(huge, out, { format: 'png', scale: 2, padding: 0, background: 'white' })
    figures.hugePngMs = ms(performance.now() - t)
    figures.hugePngSize = `${result.width}x${result.height}`
    figures.hugePngBytes = (await stat(out)).size
    figures.hugePngPeakRssMb = Math.round(process.resourceUsage().maxRSS / 1024)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
  // Dense: 10,000 strokes over 4,000 x 4,000 units, as a busy board.
  const dense = makeBoard(STROKES, 60, 1, DENSE_SPAN)
  for (const [name, options] of [
    ['png1x', { format: 'png', scale: 1 }],
    ['png2x', { format: 'png', scale: 2 }],
    ['jpeg1x', { format: 'jpeg', scale: 1 }],
    ['webp1x', { format: 'webp', scale: 1 }],
    ['svg', { format: 'svg' }],
    ['pdf', { format: 'pdf' }],
  ] as [string, Partial<ExportOptions>][]) {
    const r = await timed(dense, { padding: 16, background: 'white', ...options })
    figures[`${name}Ms`] = r.ms
    figures[`${name}Bytes`] = r.bytes
    figures[`${name}Size`] = r.size
  }
  report('export-10k', figures)
})
