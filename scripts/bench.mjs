// `npm run bench`: runs every scenario in bench/, prints the figures and saves them in bench/results/.
import { spawnSync } from 'node:child_process'

const r = spawnSync(
  'npx',
  ['vitest', 'run', '--config', 'bench/vitest.config.ts', ...process.argv.slice(2)],
  {
    stdio: 'inherit',
  },
)
process.exit(r.status ?? 1)
