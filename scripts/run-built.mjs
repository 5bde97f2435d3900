// `node scripts/run-built.mjs ENTRY ARGS` (npm run host / npm run discover): builds the app when the build is
// missing or older than src/, then runs out/main/ENTRY.js with ARGS, passing SIGINT/SIGTERM through so that
// the host saves before it exits.
import { spawn, spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const [entry = 'cli', ...args] = process.argv.slice(2)
const cli = join(root, 'out', 'main', `${entry}.js`)
const outputs = [cli, join(root, 'out', 'renderer', 'index.html')]
const inputs = [join(root, 'src'), join(root, 'electron.vite.config.ts'), join(root, 'package.json')]

function mtime(path) {
  try {
    return statSync(path).mtimeMs
  } catch {
    return undefined
  }
}

function newestInput(path) {
  const info = statSync(path, { throwIfNoEntry: false })
  if (!info) return 0
  if (!info.isDirectory()) return info.mtimeMs
  let newest = info.mtimeMs
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestInput(join(path, entry)))
  return newest
}

const built = outputs.map(mtime)
const sourceTime = Math.max(...inputs.map(newestInput))
if (built.some((t) => t === undefined || t < sourceTime)) {
  console.error('lanvas: building the app (npx electron-vite build)...')
  const build = spawnSync('npx', ['electron-vite', 'build'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    shell: process.platform === 'win32',
  })
  if (build.status !== 0) {
    if (mtime(cli) === undefined) {
      console.error('lanvas: the build failed and there is no earlier build to run.')
      process.exit(build.status || 1)
    }
    console.error('lanvas: the build failed; running the previous build.')
  }
}

const child = spawn(process.execPath, [cli, ...args], { stdio: 'inherit' })
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
