import '../src/main/host/export/nodeCanvas'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'
import { exportToFile } from '../src/main/host/export/exportFile'
import type { Board } from '../src/shared/board'
import { type ExportOptions, exportBoard } from '../src/shared/export'
import { cachedFile, makeBoard, makeInkBoard } from './boards'
import {
  buildExportCli,
  inkCoverage,
  measureNode,
  writeBoardFile,
  writePlainStrokes,
} from './export/largeExport'
import { benchSize, ms, QUICK, report } from './report'

const STROKES = benchSize(10_000, 500)
// The sparse board's side in board units: 40,000 px square at 2x in full, about 2,000 px quick.
const HUGE_SPAN = benchSize(20_000, 1_000)
// The dense board: 4,000 units square in full (4,125 px at 1x), 1,000 quick.
const DENSE_SPAN = benchSize(4000, 1000)

/** The CPU time (user + system, s) of a child measured under /usr/bin/time -v: every thread of it together. */
function cpuSeconds(stderr: string): number {
  const user = Number(/User time \(seconds\): ([\d.]+)/.exec(stderr)?.[1] ?? Number.NaN)
  const system = Number(/System time \(seconds\): ([\d.]+)/.exec(stderr)?.[1] ?? Number.NaN)
  return Math.round((user + system) * 10) / 10
}

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
    // The process' peak: a quick run loads every scenario in one process, where it would be theirs too.
    figures.hugePngPeakRssMb = QUICK
      ? 'not measured (--quick shares one process)'
      : Math.round(process.resourceUsage().maxRSS / 1024)
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

/** Strokes of the dense board: 100,000 (1,000 under --quick), 50–300 points each, as people draw. */
const DENSE = benchSize(100_000, 1_000)
/** Where strokes start; each wanders up to ~1,800 units from there: about 7,450 units square (14,936 px at 2×). */
const INK_SPAN = benchSize(3_800, 500)
/** 2× (1× under --quick: about a 4,000 px square, the strokes wandering beyond their 500-unit start square). */
const DENSE_SCALE = benchSize(2, 1)

it('export: a dense 100,000-stroke board as PNG at 2× from the command line, beside a plain script', async () => {
  const startLoad = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')
  const dir = await mkdtemp(join(tmpdir(), 'lanvas-bench-'))
  try {
    const cli = buildExportCli()
    // Built once and kept in bench/results/cache/: building 100,000 strokes outlasted the scenario under load.
    let board: Board | undefined
    const ink = () => {
      board ??= makeInkBoard(DENSE, 'compact', 7, 16, INK_SPAN)
      return board
    }
    const key = `ink-${DENSE}-span${INK_SPAN}-seed7`
    const boardPath = await cachedFile(`${key}.lanvas`, (p) => writeBoardFile(ink(), p))
    const plainPath = await cachedFile(`${key}.strokes`, (p) => writePlainStrokes(ink(), p))
    board?.doc.destroy()
    const plainScript = fileURLToPath(new URL('./export/plainExport.mjs', import.meta.url))
    // The baseline: decode, outline with perfect-freehand, fill one canvas as large as the image, encode it.
    const plain = await measureNode([
      plainScript,
      plainPath,
      join(dir, 'plain.png'),
      String(DENSE_SCALE),
      '16',
    ])
    if (plain.code !== 0) throw new Error(`the plain script failed: ${plain.stderr}`)
    const cliRun = async (name: string, extra: string[]) => {
      const r = await measureNode([
        cli,
        boardPath,
        join(dir, name),
        '--scale',
        String(DENSE_SCALE),
        '--padding',
        '16',
        '--background',
        'white',
        ...extra,
      ])
      if (r.code !== 0) throw new Error(`npm run export failed: ${r.stderr}`)
      return r
    }
    // The default: two band workers where the machine has two cores or more (this one and CI do).
    const lanvas = await cliRun('lanvas.png', [])
    // The same export drawn on the main thread alone (--workers 1), as the default was before round nine.
    const oneThread = await cliRun('one-thread.png', ['--workers', '1'])
    // What was measured happened: the three images are the same size and show the same ink (a missing band or
    // stroke would lower it), so every stroke was drawn by each.
    const ours = await inkCoverage(join(dir, 'lanvas.png'))
    const theirs = await inkCoverage(join(dir, 'plain.png'))
    const single = await inkCoverage(join(dir, 'one-thread.png'))
    console.log(
      `[bench] export-dense ink share: lanvas ${ours.ink}, one thread ${single.ink}, plain ${theirs.ink}`,
    )
    // The plain script bounds the outlines, Lanvas the strokes and their widths: a few pixels apart.
    expect(Math.abs(ours.width - theirs.width) / theirs.width).toBeLessThan(0.01)
    expect(Math.abs(ours.height - theirs.height) / theirs.height).toBeLessThan(0.01)
    expect([single.width, single.height]).toEqual([ours.width, ours.height])
    expect(single.ink).toBeCloseTo(ours.ink, 3)
    // The plain script's outlines are its own (no Lanvas options): about a tenth less ink than Lanvas's.
    expect(Math.abs(ours.ink - theirs.ink) / theirs.ink).toBeLessThan(0.2)
    report('export-dense', {
      strokes: DENSE,
      scale: DENSE_SCALE,
      size: (/(\d+ × \d+) px/.exec(lanvas.stdout)?.[1] ?? '').replace(' × ', 'x'),
      plainSize: plain.stdout.trim(),
      boardFileMb: ms((await stat(boardPath)).size / 2 ** 20),
      lanvasMs: ms(lanvas.ms),
      lanvasCpuS: cpuSeconds(lanvas.stderr),
      lanvasPeakRssMb: lanvas.peakRssMb,
      lanvasPngMb: ms((await stat(join(dir, 'lanvas.png'))).size / 2 ** 20),
      oneThreadMs: ms(oneThread.ms),
      oneThreadCpuS: cpuSeconds(oneThread.stderr),
      oneThreadPeakRssMb: oneThread.peakRssMb,
      plainMs: ms(plain.ms),
      plainCpuS: cpuSeconds(plain.stderr),
      plainPeakRssMb: plain.peakRssMb,
      plainPngMb: ms((await stat(join(dir, 'plain.png'))).size / 2 ** 20),
      inkShare: Math.round(ours.ink * 1000) / 1000,
      plainInkShare: Math.round(theirs.ink * 1000) / 1000,
      timeRatio: ms(lanvas.ms / plain.ms),
      rssRatio: ms(lanvas.peakRssMb / plain.peakRssMb),
      oneThreadTimeRatio: ms(oneThread.ms / plain.ms),
      loadAverageAtStart: startLoad,
      loadAverage: loadavg()
        .map((l) => l.toFixed(2))
        .join(' '),
    })
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}, 3_600_000)
