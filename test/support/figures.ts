import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const FIGURES_DIR = join(fileURLToPath(new URL('../../', import.meta.url)), 'test-results', 'figures')

/** One measured fact of a test run, as docs/test-report.md lists it. */
export interface Figure {
  /** What was counted, in words ("kills survived"). */
  label: string
  value: number | string
  /** The test that measured it: file and test name. */
  test: string
  /** Set on the few figures the report's summary shows (kills survived, updates lost, bad inputs tried...). */
  key?: string
}

/**
 * Records the figures of a test: printed as one `FIGURES <name> {json}` line (to find in a test log) and
 * written to test-results/figures/<name>.json, from which `npm run report` builds docs/test-report.md.
 */
export async function recordFigures(name: string, figures: Figure[]): Promise<void> {
  const record = { name, at: new Date().toISOString(), figures }
  console.log(`FIGURES ${name} ${JSON.stringify(figures.map((f) => [f.label, f.value]))}`)
  const path = join(FIGURES_DIR, `${name}.json`)
  await mkdir(dirname(path), { recursive: true })
  await writeFile(path, `${JSON.stringify(record, null, 2)}\n`)
}
