import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { fileURLToPath } from 'node:url'

const RESULTS = fileURLToPath(new URL('./results/', import.meta.url))

/** Prints a scenario's figures and saves them as bench/results/<name>.json. */
export function report(name: string, figures: Record<string, number | string>): void {
  mkdirSync(RESULTS, { recursive: true })
  const record = {
    scenario: name,
    at: new Date().toISOString(),
    cpu: cpus()[0]?.model ?? '',
    node: process.version,
    ...figures,
  }
  writeFileSync(`${RESULTS}${name}.json`, `${JSON.stringify(record, null, 2)}\n`)
  console.log(`\n[bench] ${name}`)
  for (const [k, v] of Object.entries(figures)) console.log(`  ${k}: ${v}`)
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
