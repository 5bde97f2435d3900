// `npm run report`: runs every test that records figures (test/support/figures.ts), then writes
// docs/test-report.md from test-results/figures/*.json. `npm run report -- --no-run` only rewrites the report
// from the figures already there. The tests that start a host process need a build (`npm run build`, or
// LANVAS_OUT_DIR=... for a private one).
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const figuresDir = join(root, 'test-results', 'figures')
const reportPath = join(root, 'docs', 'test-report.md')

/** Test files that call recordFigures, found by reading them: a new one is picked up without a list to keep. */
function figureTests(dir = join(root, 'test')) {
  const found = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) found.push(...figureTests(path))
    else if (entry.name.endsWith('.test.ts') && readFileSync(path, 'utf8').includes('recordFigures('))
      found.push(relative(root, path))
  }
  return found.sort()
}

const tests = figureTests()
const run = !process.argv.includes('--no-run')
let testsFailed = false
if (run) {
  console.log(`> vitest run ${tests.join(' ')}`)
  const vitest = spawnSync('npx', ['vitest', 'run', ...tests], { cwd: root, stdio: 'inherit' })
  testsFailed = vitest.status !== 0
}

const records = existsSync(figuresDir)
  ? readdirSync(figuresDir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => JSON.parse(readFileSync(join(figuresDir, f), 'utf8')))
  : []
if (records.length === 0) {
  console.error('No figures in test-results/figures: run the tests first (npm run report).')
  process.exit(1)
}

const cell = (v) => String(v).replaceAll('|', '\\|').replaceAll('\n', ' ')
const lines = [
  '# Test report',
  '',
  'Figures measured by the tests themselves: each test that measures something prints a `FIGURES name [...]`',
  'line and writes `test-results/figures/NAME.json`; this file is built from those by `npm run report`',
  '(`scripts/report.mjs`), which runs every test that records figures and then rewrites this page. Regenerate it',
  'after changing anything these tests cover. What each attacker meets, and which test shows it, is in',
  '[threat-model.md](threat-model.md).',
  '',
]
const summary = records.flatMap((r) => r.figures.filter((f) => f.key).map((f) => ({ ...f, name: r.name })))
if (summary.length > 0) {
  lines.push('## In short', '', '| figure | value |', '| --- | --- |')
  for (const f of summary) lines.push(`| ${cell(f.name)}: ${cell(f.label)} | ${cell(f.value)} |`)
  lines.push('')
}
for (const record of records) {
  lines.push(`## ${record.name}`, '')
  const sameTest = new Set(record.figures.map((f) => f.test)).size === 1
  if (sameTest) {
    lines.push(
      `Measured ${record.at} by \`${record.figures[0]?.test}\`.`,
      '',
      '| figure | value |',
      '| --- | --- |',
    )
    for (const f of record.figures) lines.push(`| ${cell(f.label)} | ${cell(f.value)} |`)
  } else {
    lines.push(`Measured ${record.at}.`, '', '| figure | value | test |', '| --- | --- | --- |')
    for (const f of record.figures) lines.push(`| ${cell(f.label)} | ${cell(f.value)} | ${cell(f.test)} |`)
  }
  lines.push('')
}
let verdict = 'The run that wrote this report passed.'
if (!run)
  verdict = 'Written from figures of earlier runs (`npm run report -- --no-run`): see the dates above.'
else if (testsFailed)
  verdict = '**The run that wrote this report had failing tests**: see the figures and dates.'
lines.push('## Tests that record figures', '', ...tests.map((t) => `- \`${t}\``), '', verdict, '')
writeFileSync(reportPath, lines.join('\n'))
console.log(`wrote ${relative(root, reportPath)} from ${records.length} figure files`)
process.exit(testsFailed ? 1 : 0)
