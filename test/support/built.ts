import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/**
 * A file of the built app: out/ by default, or LANVAS_OUT_DIR (an engineer testing one build while another
 * rebuilds out/ uses `electron-vite build --outDir DIR` and sets it).
 */
export function builtFile(relative: string): string {
  return resolve(ROOT, process.env.LANVAS_OUT_DIR ?? 'out', relative)
}
