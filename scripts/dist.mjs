// `npm run dist`: build Lanvas's packages for this OS (electron.builder.yml) into dist/. electron-builder needs
// Electron's release archive; where it is neither cached nor reachable, this says so in one line and stops, instead
// of letting the download hang. `--check` runs the check alone.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { electronToolsProblem } from './nodeVersion.mjs'

const root = new URL('..', import.meta.url).pathname
const version = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version
const platform = process.platform === 'win32' ? 'win32' : process.platform
const archive = `electron-v${version}-${platform}-${process.arch}.zip`
// How long the release server may take to answer before the archive counts as unreachable.
const REACH_TIMEOUT_MS = Number(process.env.LANVAS_DIST_TIMEOUT_MS ?? 15_000)

/** The cache folders electron-builder and @electron/get look in (their own rules, per OS). */
function cacheDirs() {
  const home = homedir()
  const named = (app) => {
    if (process.platform === 'darwin') return join(home, 'Library', 'Caches', app)
    if (process.platform === 'win32')
      return join(process.env.LOCALAPPDATA ?? join(tmpdir(), `${app}-cache`), app, 'Cache')
    return join(process.env.XDG_CACHE_HOME ?? join(home, '.cache'), app)
  }
  return [
    process.env.electron_config_cache,
    process.env.ELECTRON_BUILDER_CACHE,
    named('electron'),
    named('electron-builder'),
  ].filter(Boolean)
}

/** Whether the archive is in a cache folder (at its top or one level down, where @electron/get puts it). */
function cached() {
  for (const dir of cacheDirs()) {
    if (existsSync(join(dir, archive))) return true
    let subs = []
    try {
      subs = readdirSync(dir)
    } catch {
      continue
    }
    if (subs.some((s) => existsSync(join(dir, s, archive)))) return true
  }
  return false
}

/** Asks the release server for the archive (HEAD, redirects followed); a reason when it is not reachable. */
async function unreachable() {
  const mirror = process.env.ELECTRON_MIRROR ?? 'https://github.com/electron/electron/releases/download/'
  const url = `${mirror.replace(/\/?$/, '/')}v${version}/${archive}`
  try {
    const response = await fetch(url, {
      method: 'HEAD',
      redirect: 'follow',
      signal: AbortSignal.timeout(REACH_TIMEOUT_MS),
    })
    return response.ok ? undefined : `${url} answered ${response.status}`
  } catch (err) {
    const cause = err?.cause?.code ?? err?.cause?.message ?? err?.name ?? 'no answer'
    return `${new URL(url).host}: ${cause === 'TimeoutError' ? `no answer in ${REACH_TIMEOUT_MS / 1000} s` : cause}`
  }
}

const reason = cached() ? undefined : await unreachable()
if (reason) {
  console.error(
    `npm run dist: Electron ${version}'s release archive (${archive}) is not cached and cannot be fetched here (${reason}); nothing was built.`,
  )
  process.exit(1)
}
if (process.argv.includes('--check')) {
  console.log(`npm run dist: Electron ${version}'s release archive (${archive}) is available.`)
  process.exit(0)
}
// electron-builder downloads and rebuilds with @electron/get and @electron/rebuild, which ask for Node 22.12+.
const tooOld = electronToolsProblem('npm run dist')
if (tooOld) {
  console.error(`${tooOld} Nothing was built.`)
  process.exit(1)
}
const run = (command, args) => {
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    cwd: root,
    shell: process.platform === 'win32',
  })
  if (result.status !== 0) process.exit(result.status ?? 1)
}
run('npx', ['electron-vite', 'build'])
run('npx', ['electron-builder', '--config', 'electron.builder.yml', '--publish', 'never'])
