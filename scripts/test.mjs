// `npm test`: lint, type check, build the app (the browser tests load the built renderer), then every test.
import { spawnSync } from 'node:child_process'

const steps = [
  ['biome', ['check', '.']],
  // Every project tsconfig.json references: shared, node (main, host, preload), web (renderer), test.
  ['tsc', ['-b']],
  ['electron-vite', ['build']],
  ['vitest', ['run', ...process.argv.slice(2)]],
]
for (const [cmd, args] of steps) {
  console.log(`\n> ${cmd} ${args.join(' ')}`)
  const r = spawnSync(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32' })
  if (r.status !== 0) {
    console.error(`\n${cmd} failed (exit ${r.status ?? r.signal}).`)
    process.exit(r.status || 1)
  }
}
