import { isAbsolute, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { LANVAS_SCHEME } from '../shared/joinLink'

/** What the operating system asked the app to open: a board file, a lanvas: link, or nothing in particular. */
export type OpenRequest = { kind: 'board'; path: string } | { kind: 'link'; link: string } | { kind: 'none' }

const BOARD = /\.lanvas$/i

/** A `.lanvas` file named by an argument (a path, relative to `cwd`, or a file: URL), else undefined. */
function boardPathOf(arg: string, cwd: string): string | undefined {
  if (/^file:\/\//i.test(arg)) {
    try {
      const path = fileURLToPath(arg)
      return BOARD.test(path) ? path : undefined
    } catch {
      return undefined
    }
  }
  if (!BOARD.test(arg)) return undefined
  return isAbsolute(arg) ? resolve(arg) : resolve(cwd, arg)
}

/**
 * What a command line asks for: the executable's and Electron's own arguments (`--flags`, the app folder in
 * development) are skipped; a lanvas: link wins over a file, as the operating system passes one or the other.
 * `second-instance` gives the new process's argv and working folder, the first start process.argv and cwd.
 */
export function openRequestFromArgs(argv: readonly string[], cwd: string): OpenRequest {
  const args = argv.slice(1).filter((a) => !a.startsWith('-'))
  const link = args.find((a) => a.toLowerCase().startsWith(`${LANVAS_SCHEME}:`))
  if (link) return { kind: 'link', link }
  for (const arg of args) {
    const path = boardPathOf(arg, cwd)
    if (path) return { kind: 'board', path }
  }
  return { kind: 'none' }
}

/** macOS's `open-file` event: a board file is opened, anything else (a dropped folder, an image) is not ours. */
export function openRequestFromFile(path: string): OpenRequest {
  return isAbsolute(path) && BOARD.test(path) ? { kind: 'board', path } : { kind: 'none' }
}

/**
 * Requests that arrive before the app is ready (macOS sends `open-file` first) wait here; the last one counts,
 * as double-clicking several files before the app starts should not open a cascade of dialogs.
 */
export class PendingOpen {
  private request: OpenRequest = { kind: 'none' }
  private ready?: (request: OpenRequest) => void

  /** Handles `request` now when the app is ready, else keeps it for later. */
  push(request: OpenRequest): void {
    if (request.kind === 'none') return
    if (this.ready) this.ready(request)
    else this.request = request
  }

  /** The kept request, taken out (the first start handles it itself, to open its first window with it). */
  take(): OpenRequest {
    const kept = this.request
    this.request = { kind: 'none' }
    return kept
  }

  /** The app is ready: `handle` takes the kept request (if any) and every one after. */
  start(handle: (request: OpenRequest) => void): void {
    this.ready = handle
    const kept = this.request
    this.request = { kind: 'none' }
    if (kept.kind !== 'none') handle(kept)
  }
}
