// `npm run bench [-- --quick] [scenario files]`: runs every scenario in bench/ (each measures its baseline in the
// same run), prints the figures with their ratios, saves each in bench/results/ and the whole run in
// bench/results/latest.json. --quick runs every scenario at its small size (LANVAS_BENCH_QUICK=1).
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'

const args = process.argv.slice(2)
const quick = args.includes('--quick')
const rest = args.filter((a) => a !== '--quick')
const run = mkdtempSync(join(tmpdir(), 'lanvas-bench-run-'))
const vitestReport = join(run, 'vitest.json')
const loadAverageStart = loadavg()
const started = Date.now()

const r = spawnSync(
  'npx',
  [
    'vitest',
    'run',
    '--config',
    'bench/vitest.config.ts',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${vitestReport}`,
    ...rest,
  ],
  {
    stdio: 'inherit',
    env: { ...process.env, LANVAS_BENCH_RUN: run, ...(quick ? { LANVAS_BENCH_QUICK: '1' } : {}) },
  },
)

const scenarios = readdirSync(run)
  .filter((f) => f.endsWith('.json') && f !== 'vitest.json')
  .map((f) => JSON.parse(readFileSync(join(run, f), 'utf8')))
  .sort((a, b) => a.file.localeCompare(b.file) || a.scenario.localeCompare(b.scenario))
// A scenario file that failed has no entry: say which and why, so a missing figure is never silent.
const failed = []
// How long each scenario file took (Vitest's own start and end), to see where a run's time goes.
const files = []
try {
  const v = JSON.parse(readFileSync(vitestReport, 'utf8'))
  for (const file of v.testResults ?? [])
    files.push({
      file: file.name.slice(process.cwd().length + 1),
      seconds: Math.round((file.endTime - file.startTime) / 100) / 10,
      status: file.status,
    })
  for (const file of v.testResults ?? [])
    if (file.status !== 'passed')
      failed.push({
        file: file.name.slice(process.cwd().length + 1),
        message: (
          file.message ||
          file.assertionResults?.find((a) => a.status !== 'passed')?.failureMessages?.[0] ||
          ''
        )
          .split('\n')
          .slice(0, 3)
          .join(' '),
      })
} catch {
  failed.push({ file: '(all)', message: 'vitest wrote no report' })
}
const latest = {
  at: new Date(started).toISOString(),
  quick,
  durationSeconds: Math.round((Date.now() - started) / 100) / 10,
  node: process.version,
  cpu: cpus()[0]?.model ?? '',
  cores: cpus().length,
  loadAverageStart,
  loadAverageEnd: loadavg(),
  files,
  scenarios,
  failed,
}
mkdirSync('bench/results', { recursive: true })
writeFileSync('bench/results/latest.json', `${JSON.stringify(latest, null, 2)}\n`)
rmSync(run, { recursive: true, force: true })
console.log(
  `\n[bench] ${scenarios.length} scenario(s) in ${latest.durationSeconds} s${quick ? ' (quick)' : ''}, ` +
    `load average ${loadAverageStart[0].toFixed(1)} -> ${latest.loadAverageEnd[0].toFixed(1)}; ` +
    `${failed.length} file(s) failed; bench/results/latest.json`,
)
for (const f of files) console.log(`  ${f.file}: ${f.seconds} s`)
for (const s of scenarios)
  for (const [k, v] of Object.entries(s.ratios)) console.log(`  ${s.scenario}: ${k} = ${v}`)
for (const f of failed) console.log(`  FAILED ${f.file}: ${f.message}`)
process.exit(r.status ?? 1)
