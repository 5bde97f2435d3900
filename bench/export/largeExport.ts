import { spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createCanvas, loadImage } from '@napi-rs/canvas'
import type { Board } from '../../src/shared/board'
import { encodeBoardFile } from '../../src/shared/boardFile'
import { ElementKind, type Stroke } from '../../src/shared/elements/types'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** What one measured child process took: wall time and peak resident memory. */
export interface ChildRun {
  ms: number
  peakRssMb: number
  stdout: string
  stderr: string
  code: number | null
}

/** Runs `node ARGS` under /usr/bin/time -v: its wall time and peak RSS (the whole process, native memory too). */
export function measureNode(args: string[]): Promise<ChildRun> {
  return new Promise((resolve) => {
    const start = performance.now()
    const child = spawn('/usr/bin/time', ['-v', process.execPath, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    // A scenario that times out must not leave a multi-gigabyte export running.
    const stop = () => child.kill('SIGKILL')
    process.once('exit', stop)
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString()
    })
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString()
    })
    child.on('exit', (code) => {
      process.off('exit', stop)
      const ms = performance.now() - start
      const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] ?? Number.NaN)
      resolve({ ms, peakRssMb: Math.round(kb / 1024), stdout, stderr, code })
    })
  })
}

/** The export CLI of the code under test: built into .out/bench-export (or LANVAS_OUT_DIR's build when set). */
export function buildExportCli(): string {
  const out = process.env.LANVAS_OUT_DIR
  if (out) return join(out, 'main', 'export.js')
  const dir = join(ROOT, '.out', 'bench-export')
  const cli = join(dir, 'main', 'export.js')
  // Built again only when the sources changed since the last build (a build is 15–60 s of a 3-minute quick run).
  const digest = sourceDigest()
  const stamp = join(dir, 'source-digest')
  if (existsSync(cli) && existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) return cli
  // Inside the repository, so that the build finds node_modules.
  const r = spawnSync('npx', ['electron-vite', 'build', '--outDir', dir], { cwd: ROOT, stdio: 'ignore' })
  if (r.status !== 0) throw new Error('electron-vite build failed')
  writeFileSync(stamp, digest)
  return cli
}

/** A digest of everything the build reads that the project changes: src/, the build config, the lock file. */
function sourceDigest(): string {
  const hash = createHash('sha256')
  const add = (path: string) => {
    if (statSync(path).isDirectory()) for (const name of readdirSync(path).sort()) add(join(path, name))
    else hash.update(path).update(readFileSync(path))
  }
  for (const path of ['src', 'electron.vite.config.ts', 'package-lock.json']) add(join(ROOT, path))
  return hash.digest('hex')
}

/** Writes a board's strokes as the plain script's input: u32 count; per stroke u32 rgb, f32 width, u32 n, n × xyz. */
export async function writePlainStrokes(board: Board, path: string): Promise<void> {
  const strokes = board.readElements().filter((e): e is Stroke => e.kind === ElementKind.Stroke)
  let size = 4
  for (const s of strokes) size += 12 + s.points.length * 4
  const bytes = new Uint8Array(size)
  const view = new DataView(bytes.buffer)
  let at = 0
  view.setUint32(at, strokes.length, true)
  at += 4
  for (const s of strokes) {
    view.setUint32(at, Number.parseInt(s.color.slice(1, 7), 16), true)
    view.setFloat32(at + 4, s.width, true)
    view.setUint32(at + 8, s.points.length / 3, true)
    at += 12
    for (const v of s.points) {
      view.setFloat32(at, v, true)
      at += 4
    }
  }
  await writeFile(path, bytes)
}

/** Writes a board as a .lanvas file. */
export async function writeBoardFile(board: Board, path: string): Promise<void> {
  await writeFile(path, encodeBoardFile(board.doc))
}

/**
 * The share of an image's pixels that are not white, read at 1/8 of its width: two exports of the same strokes
 * agree on it, and a band or strokes left out would show in it.
 */
export async function inkCoverage(path: string): Promise<{ width: number; height: number; ink: number }> {
  const image = await loadImage(path)
  const w = Math.max(1, Math.ceil(image.width / 8))
  const h = Math.max(1, Math.ceil(image.height / 8))
  const ctx = createCanvas(w, h).getContext('2d')
  ctx.drawImage(image, 0, 0, w, h)
  const data = ctx.getImageData(0, 0, w, h).data
  let ink = 0
  for (let i = 0; i < data.length; i += 4)
    if ((data[i] as number) + (data[i + 1] as number) + (data[i + 2] as number) < 3 * 245) ink++
  return { width: image.width, height: image.height, ink: ink / (w * h) }
}
