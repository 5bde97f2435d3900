// `npm start`: build Lanvas and open the desktop app. The Electron binary is not fetched at install time
// (see .npmrc); it is fetched here the first time, and where it cannot be, this says what to do instead.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { electronToolsProblem } from './nodeVersion.mjs'

const require = createRequire(import.meta.url)
const electronDir = dirname(require.resolve('electron/package.json'))
const FALLBACK =
  'Lanvas could not get the Electron binary on this machine; run `npm run host` and open the printed address in a browser instead.'

function electronBinary() {
  const pathFile = join(electronDir, 'path.txt')
  if (!existsSync(pathFile)) return undefined
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(binary) ? binary : undefined
}

let binary = electronBinary()
if (!binary) {
  // install.js fetches with @electron/get, which asks for a newer Node than Lanvas does: say so, not "could not".
  const tooOld = electronToolsProblem('Fetching the Electron binary')
  if (tooOld) {
    console.error(tooOld)
    process.exit(1)
  }
  console.log('Fetching the Electron binary (first start only)...')
  const fetched = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    stdio: 'ignore',
    timeout: 300_000,
  })
  binary = fetched.status === 0 ? electronBinary() : undefined
  if (!binary) {
    console.error(FALLBACK)
    process.exit(1)
  }
}

const build = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' })
if (build.status !== 0) process.exit(build.status ?? 1)

const child = spawn(binary, ['.', ...process.argv.slice(2)], { stdio: 'inherit' })
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code) => process.exit(code ?? 0))
