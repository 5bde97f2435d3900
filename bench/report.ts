import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'vitest'

const RESULTS = fileURLToPath(new URL('./results/', import.meta.url))

/** A scenario's figures: a name to a number (or a label). */
export type Figures = Record<string, number | string>

/**
 * What a scenario's figures are measured against, in the same run: a bare relay, y-websocket, a plain canvas,
 * or the code before a change. Figures under the same key as the scenario's are compared as `ours / baseline`.
 */
export interface Baseline {
  /** What it is, in a few words ("bare ws relay", "y-websocket server"). */
  name: string
  figures: Figures
}

/** One scenario's entry in bench/results/<name>.json and in bench/results/latest.json. */
export interface BenchEntry {
  scenario: string
  /** The scenario's file, from the repository's root. */
  file: string
  at: string
  cpu: string
  cores: number
  node: string
  quick: boolean
  /** The 1, 5 and 15 minute load averages when the scenario's file was loaded, and when it reported. */
  loadAverageStart: number[]
  loadAverageEnd: number[]
  figures: Figures
  baselines: Baseline[]
  /** `<figure> / <baseline name>`: the scenario's figure divided by the baseline's figure of the same key. */
  ratios: Record<string, number>
}

// Read when report.ts is loaded; bench/setup.ts notes it again as each scenario file starts (a quick run loads
// report.ts once for all of them).
const LOAD_AT_LOAD = loadavg()

function loadAtStart(): number[] {
  return ((globalThis as { lanvasBenchLoadAtStart?: number[] }).lanvasBenchLoadAtStart ?? LOAD_AT_LOAD).map(
    round2,
  )
}

function round2(n: number): number {
  return Math.round(n * 100) / 100
}

/** `ours / theirs` for every numeric figure both have, keyed `<figure> / <baseline name>`. */
export function ratiosTo(figures: Figures, baselines: Baseline[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const b of baselines)
    for (const [key, theirs] of Object.entries(b.figures)) {
      const ours = figures[key]
      if (typeof ours === 'number' && typeof theirs === 'number' && theirs !== 0)
        out[`${key} / ${b.name}`] = round2(ours / theirs)
    }
  return out
}

/**
 * Prints a scenario's figures and saves them as bench/results/<name>.json; with baselines measured in the same
 * run, also each baseline's figures and the ratio of every figure to them. `npm run bench` gathers every
 * scenario's file of the run into bench/results/latest.json.
 */
export function report(name: string, figures: Figures, baselines: Baseline | Baseline[] = []): BenchEntry {
  const list = Array.isArray(baselines) ? baselines : [baselines]
  const entry: BenchEntry = {
    scenario: name,
    file: relative(fileURLToPath(new URL('..', import.meta.url)), expect.getState().testPath ?? ''),
    at: new Date().toISOString(),
    cpu: cpus()[0]?.model ?? '',
    cores: cpus().length,
    node: process.version,
    quick: QUICK,
    loadAverageStart: loadAtStart(),
    loadAverageEnd: loadavg().map(round2),
    figures,
    baselines: list,
    ratios: ratiosTo(figures, list),
  }
  mkdirSync(RESULTS, { recursive: true })
  const file = QUICK ? `${RESULTS}quick/${name}.json` : `${RESULTS}${name}.json`
  if (QUICK) mkdirSync(`${RESULTS}quick`, { recursive: true })
  writeFileSync(file, `${JSON.stringify(entry, null, 2)}\n`)
  // `npm run bench` gathers this run's entries into latest.json.
  const run = process.env.LANVAS_BENCH_RUN
  if (run) writeFileSync(`${run}/${name}.json`, JSON.stringify(entry))
  console.log(
    `\n[bench] ${name}${QUICK ? ' (quick)' : ''}  load ${entry.loadAverageStart[0]} -> ${entry.loadAverageEnd[0]}`,
  )
  for (const [k, v] of Object.entries(figures)) console.log(`  ${k}: ${v}`)
  for (const b of list) {
    console.log(`  baseline: ${b.name}`)
    for (const [k, v] of Object.entries(b.figures)) console.log(`    ${k}: ${v}`)
  }
  for (const [k, v] of Object.entries(entry.ratios)) console.log(`  ratio ${k}: ${v}`)
  return entry
}

/** The median of some samples. */
export function median(samples: number[]): number {
  const s = [...samples].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] ?? Number.NaN
}

/** The p-th percentile (0..100) of some samples. */
export function percentile(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN
}

/** Rounds to two decimals, for printing. */
export function ms(value: number): number {
  return Math.round(value * 100) / 100
}

/**
 * `npm run bench -- --quick` sets LANVAS_BENCH_QUICK=1: every scenario runs at its small size (the whole bench
 * in under 3 minutes). Scenarios pick their sizes through this, never by reading the variable themselves.
 */
export const QUICK = process.env.LANVAS_BENCH_QUICK === '1'

/** The full size of a scenario, or its quick one under `--quick`. */
export function benchSize<T>(full: T, quick: T): T {
  return QUICK ? quick : full
}
